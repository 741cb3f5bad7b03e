"""A message is plain text: cleaned once when written, escaped when shown, its web addresses
made into links that are safe to follow."""

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momcircle.conversation.text import _MAYBE_A_LINK, LINK_REL, _links, as_html, cleaned


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_in(html: str) -> list[tuple[str, dict]]:
    parser = Links()
    parser.feed(html)
    return parser.tags


def test_control_characters_go_but_line_breaks_stay():
    assert cleaned(" I'll bring\x00 snacks\x07\r\nand juice\x1b\t boxes \x7f") == (
        "I'll bring snacks\nand juice  boxes"
    )


def test_a_web_address_becomes_a_link_that_search_engines_and_the_site_do_not_vouch_for():
    html = as_html("We moved: https://cafe.example.com/menu?day=tue&x=1 see you")
    assert html == (
        "We moved: "
        f'<a href="https://cafe.example.com/menu?day=tue&amp;x=1" rel="{LINK_REL}">'
        "https://cafe.example.com/menu?day=tue&amp;x=1</a> see you"
    )


def test_a_bare_www_address_links_to_http():
    assert 'href="http://www.cafelula.com"' in as_html("At www.cafelula.com tonight")


@pytest.mark.parametrize(
    "text",
    [
        "mail me at maya@example.com",
        "javascript:alert(1)",
        "ftp://files.example.com/x",
        "//evil.example/path",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_only_http_and_https_addresses_become_links(text):
    assert not [tag for tag, _ in tags_in(as_html(text)) if tag == "a"]


@pytest.mark.parametrize(
    "text",
    [
        '<script>alert(1)</script> https://example.com/"><script>alert(2)</script>',
        "https://example.com/?q=<img src=x onerror=alert(1)>",
        'www.example.com" onmouseover="alert(1)',
        "https://example.com/'onfocus='alert(1)' autofocus='",
        '<a href="javascript:alert(1)">https://example.com</a>',
    ],
)
def test_markup_around_and_inside_addresses_stays_text(text):
    tags = tags_in(as_html(text))
    assert {tag for tag, _ in tags} <= {"a", "br"}
    for tag, attributes in tags:
        if tag == "a":
            assert set(attributes) == {"href", "rel"}
            assert attributes["href"].startswith(("http://", "https://"))
            assert attributes["rel"] == LINK_REL


def test_line_breaks_are_shown_and_everything_else_is_escaped():
    assert as_html("Running late\n<b>10 min</b> & sorry") == (
        "Running late<br>&lt;b&gt;10 min&lt;/b&gt; &amp; sorry"
    )


@settings(max_examples=300, derandomize=True, database=None)
@given(
    st.text(alphabet=st.sampled_from("htps:/.w@c oóm1-é。．\n"), max_size=40) | st.text(max_size=40)
)
def test_text_the_quick_check_passes_over_has_no_web_address(text):
    if not _MAYBE_A_LINK.search(text):
        found = [match.url for match in _links.match(text) or ()]
        assert not [url for url in found if url.lower().startswith(("http://", "https://"))]
