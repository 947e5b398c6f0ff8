"""The Arabic interface is complete: every catalogue entry translated, none fuzzy, six plural forms."""

import gettext
from pathlib import Path

import polib
import pytest
from django.utils import translation

from core.management.commands.compiletranslations import catalogue_paths


def _arabic_plural_category(n: int) -> int:
    """CLDR's six Arabic forms: zero, one, two, few (3-10), many (11-99), other."""
    if n == 0:
        return 0
    if n == 1:
        return 1
    if n == 2:
        return 2
    if 3 <= n % 100 <= 10:
        return 3
    if 11 <= n % 100 <= 99:
        return 4
    return 5


def _arabic_catalogues() -> list[Path]:
    return [p for p in catalogue_paths() if p.parts[-3] == "ar"]


def test_the_root_arabic_catalogue_exists():
    assert Path("locale/ar/LC_MESSAGES/django.po").resolve() in [
        p.resolve() for p in _arabic_catalogues()
    ]


@pytest.mark.parametrize(
    "po_path", _arabic_catalogues(), ids=lambda p: str(p.parent.parent.parent.parent.name)
)
def test_every_entry_is_translated_and_none_is_fuzzy(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {po_path}"
    assert fuzzy == [], f"fuzzy in {po_path}"


@pytest.mark.parametrize(
    "po_path", _arabic_catalogues(), ids=lambda p: str(p.parent.parent.parent.parent.name)
)
def test_arabic_plural_forms_are_the_six_forms(po_path):
    catalogue = polib.pofile(str(po_path))
    nplurals, _, plural = catalogue.metadata["Plural-Forms"].partition(";")
    assert nplurals.replace(" ", "") == "nplurals=6"
    rule = gettext.c2py(plural.strip().removeprefix("plural=").rstrip(";"))
    assert [rule(n) for n in range(1201)] == [_arabic_plural_category(n) for n in range(1201)]
    for entry in catalogue:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1, 2, 3, 4, 5], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_compiled_catalogue_is_used():
    with translation.override("ar"):
        assert translation.gettext("Knowledge Hub") == "مركز المعرفة"
        assert translation.gettext("Skip to content") != "Skip to content"


def test_no_string_is_translated_two_ways_across_catalogues():
    """Django merges the catalogues (the project's first, then the apps' in INSTALLED_APPS order):
    a msgid translated differently in two of them shows only one of the two everywhere. A string
    whose meaning depends on where it is used gets a context (pgettext) instead."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in _arabic_catalogues():
        if po_path.name != "django.po":
            continue
        for entry in polib.pofile(str(po_path)):
            msgstr = entry.msgstr or repr(sorted(entry.msgstr_plural.items()))
            seen.setdefault((entry.msgctxt, entry.msgid), {})[str(po_path)] = msgstr
    shadowed = {key: found for key, found in seen.items() if len(set(found.values())) > 1}
    assert shadowed == {}
