"""What counts as a control character in member text, and the one-line form of it for a
header (momcircle/text.py)."""

import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from momcircle import text

KEPT = {"\t", "\u200c", "\u200d"}


def test_the_control_characters_are_the_control_and_format_ones_and_the_separators():
    """Checked against every code point, by the definition in Unicode's own words."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        expected = char not in KEPT and (
            unicodedata.category(char) in ("Cc", "Cf") or unicodedata.category(char) in ("Zl", "Zp")
        )
        assert text.is_control(char) == expected, f"U+{code:04X}"


@pytest.mark.parametrize(
    "typed",
    [
        "Moms' night out",
        "Café Lula, 2537 N Kedzie Blvd",
        "Zoë & Anne-Marie",
        "Family picnic 👩‍👧‍👦",  # the joiners hold the family together
        "می‌خواهم",  # Persian spells with the zero-width non-joiner
        "Book\tclub",
        "Pizza 🍕 and wine 🍷",
    ],
)
def test_ordinary_text_is_fine_on_one_line(typed):
    text.validate_single_line(typed)


@pytest.mark.parametrize(
    "char", [*"\n\r\x0b\x0c\x1c\x1f\x00\x1b\x7f\x85\xad\u200b\u202e\u2028\u2029\ufeff"]
)
def test_a_line_break_or_control_character_is_refused_on_one_line(char):
    with pytest.raises(ValidationError) as refused:
        text.validate_single_line(f"Poison{char}X-Evil: 1")
    assert refused.value.messages == [text.SINGLE_LINE_MESSAGE]


def test_line_breaks_are_fine_where_the_text_has_lines():
    text.validate_multi_line("First line\r\nSecond line\nThird\tline")


@pytest.mark.parametrize("char", [*"\x0b\x0c\x1c\x00\x85\u200b\u2028\u2029"])
def test_other_control_characters_are_refused_where_the_text_has_lines(char):
    with pytest.raises(ValidationError) as refused:
        text.validate_multi_line(f"First line\n{char}Second line")
    assert refused.value.messages == [text.MULTI_LINE_MESSAGE]


@pytest.mark.parametrize(
    ("member_text", "header"),
    [
        ("Poison\nBcc: evil@example.com", "Poison Bcc: evil@example.com"),
        ("VT\x0bno colon here", "VT no colon here"),
        ("FS\x1cX-Evil: 1", "FS X-Evil: 1"),
        ("Line\u2028separator\r\n", "Line separator"),
        ("zero\u200bwidth \ufeffspace", "zerowidth space"),
        ("  spaced \t out  ", "spaced out"),
        ("Family picnic 👩‍👧", "Family picnic 👩‍👧"),
    ],
)
def test_a_header_gets_member_text_as_one_clean_line(member_text, header):
    assert text.header_text(member_text) == header
