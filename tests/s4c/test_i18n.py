"""The Arabic interface is complete: every catalogue entry translated, none fuzzy, six plural forms."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
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


def _entries(po_path: Path) -> dict[tuple[str | None, str], str]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or repr(sorted(entry.msgstr_plural.items()))
        for entry in polib.pofile(str(po_path))
    }


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
        for key, msgstr in _entries(po_path).items():
            seen.setdefault(key, {})[str(po_path)] = msgstr
    shadowed = {key: found for key, found in seen.items() if len(set(found.values())) > 1}
    assert shadowed == {}


def test_the_catalogues_hold_every_string_of_the_source_and_nothing_else(tmp_path):
    """What `make messages` would make of the source is what the catalogues already hold: no
    interface string missing (an untranslated one would show in English on /ar/), none left over,
    and the command keeps every translation (it once moved core's strings to a new, empty
    catalogue)."""
    from tests.conftest import _missing

    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        _missing("needs GNU gettext (apt-get install gettext)")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "source"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "staticfiles", "media", "__pycache__", "*.mo", ".env"
        ),
    )
    (tmp_path / "none.env").touch()  # the developer's .env is not the source's business
    done = subprocess.run(
        [sys.executable, "manage.py", "updatetranslations", "-v0"],
        cwd=copy,
        check=False,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "S4C_ENV_FILE": str(tmp_path / "none.env"), "DEBUG": "true"},
    )
    assert done.returncode == 0, done.stderr
    for po_path in _arabic_catalogues():
        if po_path.name != "django.po":
            continue
        made = copy / po_path.resolve().relative_to(base.resolve())
        assert _entries(made) == _entries(po_path), f"run `make messages`: {po_path} is not current"
    assert sorted(p.relative_to(copy) for p in copy.glob("**/locale/ar/LC_MESSAGES/django.po")) == [
        p.resolve().relative_to(base.resolve())
        for p in _arabic_catalogues()
        if p.name == "django.po"
    ]


def test_the_arabic_admin_names_every_app_and_model_in_arabic():
    """The admin lists apps, models and fields by their verbose names: none left in Latin letters
    on /ar/admin/ (django-axes called itself "Axes"; a session's cohort was "COHORT")."""
    import re

    from django.contrib import admin

    # A Latin word with a small letter: acronyms (ID, IP, URL, SMART) are written so in Arabic.
    latin = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
    with translation.override("ar"):
        names = {str(model._meta.app_config.verbose_name) for model in admin.site._registry}
        names |= {str(model._meta.verbose_name_plural) for model in admin.site._registry}
        # Column headers, filters and form labels: the fields' names.
        names |= {
            f"{model._meta.label}.{field.name}: {field.verbose_name}"
            for model in admin.site._registry
            for field in model._meta.get_fields()
            if hasattr(field, "verbose_name")
            # django-modeltranslation's per-language columns ("title [en]") are relabelled by
            # the bilingual admin forms.
            and not hasattr(field, "translated_field")
        }
    assert sorted(name for name in names if latin.search(name.rpartition(": ")[2])) == []


def test_every_translation_of_ours_is_the_one_shown():
    """Django merges every catalogue into one: LOCALE_PATHS first, then the apps in
    INSTALLED_APPS order, Django's own admin and third-party apps before ours. A msgid that one of
    those translates too would show their wording instead of ours (the admin's "مرشّح" for "Filter"
    instead of our "تصفية" on every page), unless our catalogues are in LOCALE_PATHS."""
    shadowed = {}
    with translation.override("ar"):
        for po_path in _arabic_catalogues():
            if po_path.name != "django.po":
                continue
            for entry in polib.pofile(str(po_path)):
                if entry.msgid_plural:
                    shown = {
                        form: translation.npgettext(
                            entry.msgctxt, entry.msgid, entry.msgid_plural, n
                        )
                        if entry.msgctxt
                        else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                        for form, n in enumerate((0, 1, 2, 3, 11, 100))
                    }
                    ours = dict(entry.msgstr_plural)
                else:
                    shown = (
                        translation.pgettext(entry.msgctxt, entry.msgid)
                        if entry.msgctxt
                        else translation.gettext(entry.msgid)
                    )
                    ours = entry.msgstr
                if shown != ours:
                    shadowed[(po_path.parent.parent.parent.parent.name, entry.msgid)] = shown
    assert shadowed == {}
