"""How resources are presented: the list's facets, schema.org JSON-LD and a citation."""

import re
from html import escape

from django.conf import settings
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries.fields import Country

from core.bilingual import LANGUAGE_CODES, bilingual_dict, translated_value
from core.formats import local_digits
from core.seo import languages_of, page_links, work_iri

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
    # localize() only where thousand separators are on (it is slow for a facet of ~250 countries,
    # docs/performance.md); without them it would write the plain digits anyway.
    return local_digits(localize(count) if settings.USE_THOUSAND_SEPARATOR else str(count))


def _checkboxes(name: str, values) -> SafeString:
    # Python's html.escape, as Django's escape() is, without its lazy-string wrapper per call.
    name = escape(name)
    return mark_safe(  # noqa: S308 - every interpolated value is escaped
        "\n".join(
            f'<label><input type="checkbox" name="{name}" value="{escape(fv.value)}"'
            f"{' checked' if fv.selected else ''}> <bdi>{escape(local_digits(fv.label))}</bdi>"
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
        "count": local_digits(localize(len(folded)))
    }
    return format_html(
        "{}\n<details><summary>{}</summary>\n{}\n</details>",
        _checkboxes(name, shown),
        more,
        _checkboxes(name, folded),
    )


def _tagged(resource, field_name):
    values = [
        {"@value": value, "@language": code}
        for code, value in bilingual_dict(resource, field_name).items()
        if value is not None
    ]
    return values[0] if len(values) == 1 else values


def json_ld(resource: Resource) -> dict:
    """The resource as schema.org JSON-LD: the same statements on its English and Arabic pages.

    Every IRI is absolute (a relative one would be resolved against the page and name something
    else), and the work has one `@id` whatever the page's language. Values that are not IRIs (a
    licence written as "© ILO", the portal's identifier) go in properties that take text.
    """
    path = resource.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(resource.resource_type, "CreativeWork"),
        "@id": work_iri(path),
        # Not the bare string: schema.org reads a text `identifier` (or `propertyID`) as an IRI
        # relative to the page.
        "identifier": {
            "@type": "PropertyValue",
            "name": "South-4-Care Knowledge Hub",
            "value": resource.identifier,
        },
        "name": _tagged(resource, "title"),
        "description": _tagged(resource, "summary"),
        "datePublished": resource.publication_date_iso,
        "inLanguage": [link.language for link in resource.language_links.all()],
        "about": [
            {"@type": "Thing", "name": _tagged(theme, "name")} for theme in resource.themes.all()
        ],
        "url": page_links(path, languages_of(resource, "title"))["canonical"],
    }
    if resource.publisher:
        data["publisher"] = {"@type": "Organization", "name": _tagged(resource.publisher, "name")}
        if resource.publisher.website:
            data["publisher"]["url"] = resource.publisher.website
    if resource.authors:
        data["author"] = [
            {"@type": "Person", "name": name.strip()} for name in resource.authors.split(";")
        ]
    if resource.external_url:
        data["sameAs"] = resource.external_url
    if resource.licence:
        licence_iri = licence_url(resource.licence)
        if licence_iri:
            data["license"] = licence_iri
        else:
            data["copyrightNotice"] = resource.licence
    countries = [link.country for link in resource.country_links.all()]
    if countries:
        data["spatialCoverage"] = [
            {
                "@type": "Country",
                "name": _country_names(country.code),
                "address": {"@type": "PostalAddress", "addressCountry": country.code},
            }
            for country in countries
        ]
    return data


def _country_names(code: str) -> list[dict]:
    names = []
    for language in LANGUAGE_CODES:
        with translation.override(language):
            names.append({"@value": str(Country(code).name), "@language": language})
    return names


# "CC BY 4.0", "CC BY-NC-SA 3.0 IGO", "CC0 1.0": the licences Creative Commons publishes, whose
# address follows from the name.
_CREATIVE_COMMONS = re.compile(
    r"^\s*(?:CC|Creative Commons)[ -](?P<kind>BY(?:-NC)?(?:-ND|-SA)?)\s+(?P<version>[1-4]\.0)"
    r"(?P<igo>\s+IGO)?\s*$",
    re.IGNORECASE,
)
_CC0 = re.compile(r"^\s*CC0(?:\s+1\.0)?\s*$", re.IGNORECASE)


def licence_url(text: str) -> str:
    """The address of the licence `text` names, when it names one; "" for a copyright notice."""
    text = text.strip()
    if re.match(r"^https?://\S+$", text):
        return text
    if _CC0.match(text):
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    match = _CREATIVE_COMMONS.match(text)
    if match:
        igo = "igo/" if match["igo"] else ""
        return (
            f"https://creativecommons.org/licenses/{match['kind'].lower()}/{match['version']}/{igo}"
        )
    return ""


def citation(resource: Resource, *, url: str) -> SafeString:
    """The citation to copy, its address isolated left to right so that Arabic text around it
    cannot reorder its parts."""
    publisher = translated_value(resource.publisher, "name").text if resource.publisher else ""
    title = translated_value(resource, "title").text
    authors = resource.authors or publisher
    sentence = escape(_("%(authors)s (%(year)s). %(title)s. %(publisher)s. %(url)s"))
    return mark_safe(  # noqa: S308 - the sentence and every value are escaped
        sentence
        % {
            "authors": escape(authors),
            "year": escape(local_digits(resource.publication_year)),
            "title": escape(title),
            "publisher": escape(publisher),
            "url": f'<bdi dir="ltr" class="citation-url">{escape(url)}</bdi>',
        }
    )
