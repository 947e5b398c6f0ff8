"""The one way s4c knows which translations of an object are missing or stale.

Every translated model inherits `TranslatedModel`. It records, per language, when that
language's translated fields were last edited (`translation_edited_en`, `translation_edited_ar`),
so that:

- a translation is **missing** in language L when a translated field has text in the other
  language but none in L;
- a translation is **stale** in language L when the other language was edited after L.

`translation_state_q()` expresses both as database filters (admin list filters, API filters),
`missing_languages()`/`stale_languages()` answer for one object, and `translated_value()` tells a
template whether a value is shown in its own language or fell back to the other one.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from core.text import clean_text_fields

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def other_language(code: str) -> str:
    return next(other for other in LANGUAGE_CODES if other != code)


def translated_field_names(model: type[models.Model]) -> tuple[str, ...]:
    """The base names of a model's translated fields (e.g. `("title", "summary")`)."""
    try:
        return tuple(sorted(translator.get_options_for_model(model).all_fields))
    except NotRegistered:
        return ()


def one_language_required(model: type[models.Model]) -> tuple[str, ...]:
    """The base names of a model's translated fields that must have text in one language at least,
    either one: those whose field is required (a title, a name). A model whose translation options
    name the languages required (`required_languages`) keeps modeltranslation's rule instead."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    if options.required_languages:
        return ()
    return tuple(
        sorted(name for name in options.all_fields if not model._meta.get_field(name).blank)
    )


def has_text(value) -> bool:
    """The one rule for "empty" in every language: None, "" and blank text are no text."""
    return value is not None and str(value).strip() != ""


class TranslatedModel(models.Model):
    """Base for models with django-modeltranslation fields: tracks edits per language."""

    translation_edited_en = models.DateTimeField(
        _("English last edited"), null=True, blank=True, editable=False
    )
    translation_edited_ar = models.DateTimeField(
        _("Arabic last edited"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Stamping here (like auto_now) keeps the bookkeeping in one place for every write path:
        # services, admin, loaders and restores all go through save(). The same goes for the
        # invisible characters every stored text loses (core.text.clean_text explains which).
        clean_text_fields(self)
        self.stamp_translation_edits()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {
                f"translation_edited_{code}" for code in LANGUAGE_CODES
            }
        super().save(*args, **kwargs)
        self._translation_snapshot = self._translated_values()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._translation_snapshot = instance._translated_values()  # noqa: SLF001 - cls's own
        return instance

    def _translated_values(self) -> dict[str, object]:
        values = {}
        for name in translated_field_names(type(self)):
            for code in LANGUAGE_CODES:
                attname = f"{name}_{code}"
                if attname in self.__dict__:
                    values[attname] = self.__dict__[attname]
        return values

    def stamp_translation_edits(self) -> None:
        """Record which languages this save edits.

        Editing one language makes the other stale. Editing a stale language catches it up:
        both are then in step, so the translation that was just brought up to date does not in
        turn flag the original as stale.
        """
        before = getattr(self, "_translation_snapshot", {})
        changed = [
            code
            for code, attnames in self._attnames_by_language().items()
            if any(
                self.__dict__.get(attname) != before.get(attname)
                for attname in attnames
                if has_text(self.__dict__.get(attname)) or has_text(before.get(attname))
            )
        ]
        if not changed:
            return
        now = timezone.now()
        catching_up = len(changed) == 1 and self._is_behind(changed[0])
        for code in LANGUAGE_CODES if catching_up else changed:
            setattr(self, f"translation_edited_{code}", now)

    def _is_behind(self, code: str) -> bool:
        mine = getattr(self, f"translation_edited_{code}")
        theirs = getattr(self, f"translation_edited_{other_language(code)}")
        # A translation filled in for the first time catches up too.
        return bool(theirs and (mine is None or mine < theirs))

    def _attnames_by_language(self) -> dict[str, list[str]]:
        names = translated_field_names(type(self))
        return {code: [f"{name}_{code}" for name in names] for code in LANGUAGE_CODES}

    # --- answers for one object -------------------------------------------------------------
    def missing_languages(self) -> list[str]:
        return missing_languages(self)

    def stale_languages(self) -> list[str]:
        return stale_languages(self)


def missing_languages(obj: models.Model) -> list[str]:
    """Languages in which some translated field is empty while the other language has text."""
    missing = []
    for code in LANGUAGE_CODES:
        other = other_language(code)
        for name in translated_field_names(type(obj)):
            if not has_text(getattr(obj, f"{name}_{code}", None)) and has_text(
                getattr(obj, f"{name}_{other}", None)
            ):
                missing.append(code)
                break
    return missing


def stale_languages(obj: models.Model) -> list[str]:
    """Languages whose text predates the latest edit of the other language."""
    stale = []
    for code in LANGUAGE_CODES:
        mine = getattr(obj, f"translation_edited_{code}", None)
        theirs = getattr(obj, f"translation_edited_{other_language(code)}", None)
        if mine and theirs and mine < theirs and code not in missing_languages(obj):
            stale.append(code)
    return stale


def translation_state_q(model: type[models.Model], *, state: str, language: str) -> Q:
    """A filter selecting objects whose `language` translation is `missing` or `stale`."""
    other = other_language(language)
    if state == "missing":
        q = Q(pk__in=[])
        for name in translated_field_names(model):
            empty_here = Q(**{f"{name}_{language}__isnull": True}) | Q(**{f"{name}_{language}": ""})
            present_there = Q(**{f"{name}_{other}__isnull": False}) & ~Q(**{f"{name}_{other}": ""})
            q |= empty_here & present_there
        return q
    if state == "stale":
        return Q(
            **{f"translation_edited_{language}__lt": F(f"translation_edited_{other}")}
        ) & ~translation_state_q(model, state="missing", language=language)
    raise ValueError(f"Unknown translation state {state!r}")


@dataclass(frozen=True)
class TranslatedValue:
    """A translated field's value as shown in the current language."""

    text: str
    language: str  # the language the text is actually in
    fallback: bool  # True when the current language had no text and the other one is shown

    def __str__(self) -> str:
        return self.text


def translated_value(obj: models.Model, field: str, language: str | None = None) -> TranslatedValue:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    if language not in LANGUAGE_CODES:
        language = settings.LANGUAGE_CODE
    own = getattr(obj, f"{field}_{language}", None)
    if has_text(own):
        return TranslatedValue(str(own), language, False)
    other = other_language(language)
    theirs = getattr(obj, f"{field}_{other}", None)
    if has_text(theirs):
        return TranslatedValue(str(theirs), other, True)
    return TranslatedValue("", language, False)


def bilingual_dict(obj: models.Model, field: str, *, missing=None) -> dict[str, str | None]:
    """`{"en": …, "ar": …}`, `missing` (None) for a language without text (`has_text`).

    The one reader of a translated field in both languages: the API, JSON-LD, OAI and the
    exports all read through it, so they agree on which languages an object has."""
    result = {}
    for code in LANGUAGE_CODES:
        value = getattr(obj, f"{field}_{code}", None)
        result[code] = value if has_text(value) else missing
    return result


def bilingual_getter(field: str, *, missing=None):
    """`bilingual_dict` for one field, built once (for a whole page of objects)."""
    getters = [(code, operator.attrgetter(f"{field}_{code}")) for code in LANGUAGE_CODES]

    def read(obj) -> dict[str, str | None]:
        result = {}
        for code, getter in getters:
            value = getter(obj)
            result[code] = value if has_text(value) else missing
        return result

    return read
