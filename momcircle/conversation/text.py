"""A message's text: cleaned once when it is written, and shown as escaped text whose web
addresses are links (http and https only)."""

import re
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from linkify_it import LinkifyIt

LINK_REL = "nofollow noopener noreferrer ugc"
SCHEMES = ("http://", "https://")
_links = LinkifyIt()
# Every http or https address has "://" or a dot before its top-level domain: text without
# either has none, and skips the costly search (most messages are like that).
_MAYBE_A_LINK = re.compile(r"://|\.\w")


def cleaned(text: str) -> str:
    """One kind of line break, tabs as spaces, no other control characters, no blank edges."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = (c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cs"))
    return "".join(kept).strip()


def as_html(text: str) -> SafeString:
    """Escaped, with its line breaks, and a link for each web address in it: a bare
    "www.cafe.com" becomes http://www.cafe.com; mail addresses and other schemes stay text."""
    parts, done = [], 0
    matches = _links.match(text) if _MAYBE_A_LINK.search(text) else None
    for match in matches or ():
        if not match.url.lower().startswith(SCHEMES):
            continue
        parts.append(escape(text[done : match.index]))
        parts.append(format_html('<a href="{}" rel="{}">{}</a>', match.url, LINK_REL, match.text))
        done = match.last_index
    parts.append(escape(text[done:]))
    # Every part is escaped or built by format_html.
    return mark_safe("".join(parts).replace("\n", "<br>"))
