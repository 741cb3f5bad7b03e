"""The conversation section of a meetup's page (`{% conversation_section meetup %}`), a
message's text as safe HTML (`{{ message.text|message_html }}`) and whether she may still
change a message (`{% if user|can_change_message:message %}`)."""

from django import template

from momcircle.conversation import permissions
from momcircle.conversation.sections import section_context
from momcircle.conversation.text import as_html

register = template.Library()
register.filter("message_html", as_html)
register.filter("can_change_message", permissions.can_change)


@register.inclusion_tag("conversation/_section.html", takes_context=True)
def conversation_section(context, meetup) -> dict:
    return {**section_context(context["request"], meetup), "csrf_token": context.get("csrf_token")}
