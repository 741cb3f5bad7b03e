"""The Spanish catalogues (locale/es/LC_MESSAGES, and locale_overrides/es/LC_MESSAGES for
what allauth and Django's forms say): every entry translated, none fuzzy, each keeping the
placeholders of its English, and the compiled catalogue built from them."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SPANISH = BASE_DIR / "locale" / "es" / "LC_MESSAGES"
OVERRIDES = BASE_DIR / "locale_overrides" / "es" / "LC_MESSAGES"
CATALOGUES = sorted([*SPANISH.glob("*.po"), *OVERRIDES.glob("*.po")])
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def entries(path: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_there_is_a_spanish_catalogue_of_the_site_and_one_of_its_overrides():
    assert {SPANISH / "django.po", OVERRIDES / "django.po"} <= set(CATALOGUES)


def test_the_overrides_are_a_catalogue_django_reads():
    assert Path(settings.LOCALE_PATHS[-1]) == OVERRIDES.parent.parent


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_every_entry_has_its_spanish(path):
    empty = [entry.msgid for entry in entries(path) if not all(translations(entry))]
    assert empty == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_no_entry_is_fuzzy(path):
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy
    assert [entry.msgid for entry in entries(path) if "fuzzy" in entry.flags] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_each_translation_keeps_the_placeholders_of_its_english(path):
    broken = [
        entry.msgid
        for entry in entries(path)
        for text in translations(entry)
        if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(entry.msgid))
    ]
    assert broken == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_the_compiled_catalogue_is_built_from_it(path):
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    built = {(entry.msgctxt, entry.msgid): translations(entry) for entry in compiled if entry.msgid}
    assert built == {(entry.msgctxt, entry.msgid): translations(entry) for entry in entries(path)}
