from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.seo import json_ld_script, languages_of

from .models import document_format
from .presentation import citation, facet_checkboxes, json_ld
from .search import highlight
from .selectors import (
    FACETS,
    hub_results,
    organisation_for_display,
    parse_hub_query,
    related_resources,
    resource_for_display,
    resource_was_public,
)

PAGE_SIZE = 20


def index(request):
    hub_query = parse_hub_query(request.GET)
    results = hub_results(
        hub_query=hub_query, page_number=request.GET.get("page"), page_size=PAGE_SIZE
    )
    page, facets = results.page, results.facets
    items = []
    for card in page.object_list:
        snippet = highlight(card.summary, hub_query.q) if hub_query.q else ""
        items.append({"resource": card, "html": card.render(snippet)})
    # Links that keep every other parameter: shareable URLs for every combination.
    params = request.GET.copy()
    params.pop("page", None)
    facet_groups = [
        {
            "name": name,
            "title": FACET_TITLES[name](),
            "values": facets[name],
            "checkboxes": facet_checkboxes(name, facets[name]),
        }
        for name in FACETS
    ]
    return render(
        request,
        "hub/index.html",
        {
            "page_title": _("Knowledge Hub"),
            "hub_query": hub_query,
            "page": page,
            "items": items,
            "facet_groups": facet_groups,
            "query_without_page": params.urlencode(),
            "active_filters": sum(len(v) for v in hub_query.filters.values()),
        },
    )


FACET_TITLES = {
    "type": lambda: _("Type"),
    "theme": lambda: _("Theme"),
    "region": lambda: _("ILO region"),
    "country": lambda: _("Country"),
    "language": lambda: _("Document language"),
    "year": lambda: _("Year"),
}


def organisation(request, slug: str):
    """Where a person sees an organisation (the API's `html_url`): what it is, what it published."""
    item, resources = organisation_for_display(slug=slug)
    if item is None:
        raise Http404(slug)
    return render(
        request,
        "hub/organisation.html",
        {
            "page_title": item.name,
            # As the sitemap says: the page exists in the languages its name is written in.
            "page_languages": languages_of(item, "name"),
            "organisation": item,
            "resources": resources,
        },
    )


def detail(request, identifier: str):
    resource = resource_for_display(identifier=identifier)
    if resource is None:
        if resource_was_public(identifier=identifier):
            return render(
                request,
                "hub/gone.html",
                {"page_title": _("This resource is no longer available")},
                status=410,
            )
        raise Http404(identifier)
    absolute = absolute_url(resource.get_absolute_url(), request=request)
    links = list(resource.language_links.all())
    online_links = [link for link in links if link.url]
    return render(
        request,
        "hub/detail.html",
        {
            "page_title": resource.title,
            "page_languages": languages_of(resource, "title"),
            "resource": resource,
            "related": related_resources(resource=resource),
            "json_ld": json_ld_script(json_ld(resource)),
            "citation": citation(resource, url=absolute),
            "links": links,
            "online_links": online_links,
            # The document's one language, when it has one: the button says it.
            "document_language": (
                links[0].get_language_display() if len(links) == 1 and not online_links else ""
            ),
            "external_format": document_format(resource.external_url),
            "file_format": document_format(resource.file.name) if resource.file else "",
            "feed_rss": reverse("hub:feed-rss"),
        },
    )
