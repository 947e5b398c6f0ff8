"""How resources are presented: the list's facets, schema.org JSON-LD and a citation."""

from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from s4c.bilingual import LANGUAGE_CODES, translated_value
from s4c.links import absolute_url

from .models import Resource

SCHEMA_TYPES = {
    Resource.Type.PUBLICATION: "Report",
    Resource.Type.POLICY: "Report",
    Resource.Type.LEGISLATION: "Legislation",
    Resource.Type.TOOL: "DigitalDocument",
    Resource.Type.GOOD_PRACTICE: "Article",
    Resource.Type.TRAINING: "LearningResource",
    Resource.Type.VIDEO: "VideoObject",
    Resource.Type.DATASET: "Dataset",
    Resource.Type.NEWS: "NewsArticle",
}


# Values shown before a long facet (countries, years) folds the rest under "N more".
FACET_VALUES_SHOWN = 10


def _count_text(count: int) -> str:
    # localize() costs ~20 µs a call (a few milliseconds for the country facet); without thousand
    # separators it writes the plain digits.
    return localize(count) if settings.USE_THOUSAND_SEPARATOR else str(count)


def _checkboxes(name: str, values) -> SafeString:
    # Python's html.escape, as Django's escape() is, without its lazy-string wrapper per call.
    name = escape(name)
    return mark_safe(  # noqa: S308 - every interpolated value is escaped
        "\n".join(
            f'<label><input type="checkbox" name="{name}" value="{escape(fv.value)}"'
            f"{' checked' if fv.selected else ''}> <bdi>{escape(str(fv.label))}</bdi>"
            f' <span class="count">{_count_text(fv.count)}</span></label>'
            for fv in values
        )
    )


def facet_checkboxes(name: str, values) -> SafeString:
    """The checkboxes of one facet of the list, every value escaped.

    Built here rather than in a template loop: the country facet alone can have some 200 values,
    and looping over them in the template cost more than the search itself. A long facet shows
    its most frequent values (and every selected one) and folds the rest in a <details>.
    """
    if len(values) <= FACET_VALUES_SHOWN + 2:
        return _checkboxes(name, values)
    shown = [fv for i, fv in enumerate(values) if i < FACET_VALUES_SHOWN or fv.selected]
    folded = [fv for i, fv in enumerate(values) if i >= FACET_VALUES_SHOWN and not fv.selected]
    more = ngettext("%(count)s more", "%(count)s more", len(folded)) % {
        "count": localize(len(folded))
    }
    return format_html(
        "{}\n<details><summary>{}</summary>\n{}\n</details>",
        _checkboxes(name, shown),
        more,
        _checkboxes(name, folded),
    )


def _tagged(resource, field_name):
    values = [
        {"@value": getattr(resource, f"{field_name}_{code}"), "@language": code}
        for code in LANGUAGE_CODES
        if getattr(resource, f"{field_name}_{code}")
    ]
    return values[0] if len(values) == 1 else values


def json_ld(resource: Resource) -> dict:
    date = str(resource.publication_year)
    if resource.publication_month:
        date += f"-{resource.publication_month:02d}"
        if resource.publication_day:
            date += f"-{resource.publication_day:02d}"
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(resource.resource_type, "CreativeWork"),
        "@id": absolute_url(resource.get_absolute_url()),
        "identifier": resource.identifier,
        "name": _tagged(resource, "title"),
        "description": _tagged(resource, "summary"),
        "datePublished": date,
        "inLanguage": [link.language for link in resource.language_links.all()],
        "about": [
            {"@type": "Thing", "name": _tagged(theme, "name")} for theme in resource.themes.all()
        ],
        "url": absolute_url(resource.get_absolute_url()),
        "workTranslation": [
            {"@id": absolute_url(_localized_url(resource, code)), "inLanguage": code}
            for code in LANGUAGE_CODES
            if getattr(resource, f"title_{code}") and code != translation.get_language()
        ],
    }
    if resource.publisher:
        data["publisher"] = {"@type": "Organization", "name": _tagged(resource.publisher, "name")}
    if resource.authors:
        data["author"] = [
            {"@type": "Person", "name": name.strip()} for name in resource.authors.split(";")
        ]
    if resource.external_url:
        data["sameAs"] = resource.external_url
    if resource.licence:
        data["license"] = resource.licence
    countries = [link.country.code for link in resource.country_links.all()]
    if countries:
        data["spatialCoverage"] = [{"@type": "Country", "identifier": code} for code in countries]
    return data


def _localized_url(resource, code):
    with translation.override(code):
        return reverse("hub:detail", kwargs={"identifier": resource.identifier})


def citation(resource: Resource, *, url: str) -> str:
    publisher = translated_value(resource.publisher, "name").text if resource.publisher else ""
    title = translated_value(resource, "title").text
    authors = resource.authors or publisher
    return _("%(authors)s (%(year)s). %(title)s. %(publisher)s. %(url)s") % {
        "authors": authors,
        "year": resource.publication_year,
        "title": title,
        "publisher": publisher,
        "url": url,
    }
