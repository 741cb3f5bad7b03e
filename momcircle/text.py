"""Member text that cannot break what it is put in: what counts as a control character, the
form validators that refuse them, and the cleaner for an email header built from member text.

A control character is one of Unicode's control (Cc) or format (Cf) characters, or the line or
paragraph separator (U+2028, U+2029). Python's email package ends a header line at any of
\\v, \\f, \\x1c to \\x1e, \\x85, U+2028 and U+2029, not only at \\r and \\n, so each of them can
end a Subject and start a header or the body of her choosing. Two kinds stay: the tab, an
ordinary space, and the zero-width joiners (U+200C, U+200D), which shape emoji (👩‍👧) and the
spelling of Persian and the Indic scripts."""

import re
import unicodedata

from django.core.exceptions import ValidationError

SINGLE_LINE_MESSAGE = (
    "Use letters, numbers and punctuation only: line breaks and control characters can't be "
    "used here."
)
MULTI_LINE_MESSAGE = (
    "Use letters, numbers, punctuation and line breaks only: control characters can't be used here."
)
CODE = "control_character"

_KEPT = frozenset("\t\u200c\u200d")
_SEPARATORS = frozenset("\u2028\u2029")
_LINE_BREAKS = frozenset("\r\n")
_SPACES = re.compile(r"[ \t]+")


def is_control(char: str) -> bool:
    if char in _KEPT:
        return False
    return char in _SEPARATORS or unicodedata.category(char) in ("Cc", "Cf")


def has_control(text: str) -> bool:
    return any(is_control(char) for char in text)


def validate_single_line(value: str) -> None:
    """For a name, a title, a place: one line of text."""
    if has_control(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code=CODE)


def validate_multi_line(value: str) -> None:
    """For a description, a note: line breaks (\\r, \\n) are fine, other control characters
    are not."""
    if any(is_control(char) for char in value if char not in _LINE_BREAKS):
        raise ValidationError(MULTI_LINE_MESSAGE, code=CODE)


def refuse_control_characters(form, *, single_line=(), multi_line=()) -> None:
    """Adds the validators to the named fields of a form (its own copies of the fields)."""
    for names, validator in (
        (single_line, validate_single_line),
        (multi_line, validate_multi_line),
    ):
        for name in names:
            form.fields[name].validators.append(validator)


def header_text(text: str) -> str:
    """`text` as one line for an email header: a format character (invisible) goes, another
    control character becomes a space, and runs of spaces become one."""
    kept = "".join(
        ("" if unicodedata.category(char) == "Cf" else " ") if is_control(char) else char
        for char in text
    )
    return _SPACES.sub(" ", kept).strip()
