"""What the Spanish checks look for: the English of the catalogue (every string marked for
translation), and the common English words that show a string nobody marked.

A page or an email in Spanish must contain none of the catalogue's English: a fragment of
two words or more between placeholders ("You're going, with", "seats left besides yours")
found in it is a string that was marked but not translated where it is shown. Strings nobody
marked are not in the catalogue; the common English words find those, once every template is
marked (`templates_marked`)."""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|%\w")
ENGLISH_WORDS = ("the", "your", "you", "and", "with", "this", "of", "to", "is", "are", "for")
SPANISH_WORDS = ("de", "tu", "el", "la", "en", "que", "para", "los", "las", "con", "un", "una")
# Words that read the same in both languages, so seeing them proves nothing.
SAME_IN_BOTH = {"MomCircle"}


@cache
def english_fragments() -> frozenset[str]:
    """The catalogue's English in pieces of two words or more, but those its Spanish keeps."""
    fragments = set()
    for entry in polib.pofile(str(CATALOGUE)):
        spanish = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            for piece in PLACEHOLDER.split(english):
                piece = piece.strip(" .,:;!?“”\"'()…")
                words = re.findall(r"[A-Za-z][A-Za-z']*", piece)
                if len(words) >= 2 and piece not in spanish:
                    fragments.add(piece)
    return frozenset(fragments)


def english_in(text: str, *, member_text: tuple[str, ...] = ()) -> list[str]:
    """The catalogue's English found in the text, once what members wrote is taken out."""
    for written in filter(None, member_text):  # "" would split every character off
        text = text.replace(written, " ")
    text = " ".join(text.split())
    return sorted(
        fragment
        for fragment in english_fragments()
        if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text)
    )


def words_of(text: str, *, member_text: tuple[str, ...] = ()) -> set[str]:
    for written in filter(None, member_text):  # "" would split every character off
        text = text.replace(written, " ")
    return {word.lower() for word in re.findall(r"\w+", text)} - SAME_IN_BOTH


def common_english_words(text: str, *, member_text: tuple[str, ...] = ()) -> list[str]:
    return sorted(set(ENGLISH_WORDS) & words_of(text, member_text=member_text))


def has_spanish(text: str, *, member_text: tuple[str, ...] = ()) -> bool:
    return bool(set(SPANISH_WORDS) & words_of(text, member_text=member_text))


def templates_marked(folder: str = "") -> bool:
    """Whether the templates (of a folder of templates/) are marked for translation, as they
    are once the template work of the Spanish issue is in."""
    return any(
        re.search(r"{%\s*(translate|blocktranslate|trans|blocktrans)\b", path.read_text())
        for path in (TEMPLATES / folder).rglob("*")
        if path.is_file() and path.name != "language_switcher.html"
    )


class _VisibleText(HTMLParser):
    """The text a reader meets on a page: its words, and the labels of its controls."""

    HIDDEN = {"script", "style", "template", "head"}
    READ_ALOUD = ("aria-label", "alt", "title", "placeholder")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attributes = dict(attrs)
        self.parts += [attributes[name] or "" for name in self.READ_ALOUD if name in attributes]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
