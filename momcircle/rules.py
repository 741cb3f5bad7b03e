"""The one exception for a broken product rule, shared by every app's services."""


class RuleBroken(Exception):
    """A rule said no. The message is the sentence the member reads, so write it for her."""
