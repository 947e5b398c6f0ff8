"""What crawlers read: the languages a public page exists in, its canonical and alternate URLs,
and the sitemaps built from the same rule.

One rule serves the sitemap and every page's <head>, so a search engine reads the same thing from
both: a page exists in a language when its content has that language (a resource with no Arabic
title has no Arabic page, even though /ar/… renders it in the Arabic interface with the English
text); its canonical URL is the page in the visitor's language when it exists there, otherwise in
the default language; `x-default` is the page in the default language (or the only one it has).
Every URL is absolute under `SITE_URL`, the portal's public address, whatever host the request
came to, and none of them redirects.
"""

import functools
import hashlib
import json
from http import HTTPStatus
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse, translate_url
from django.utils import translation

from .bilingual import LANGUAGE_CODES, bilingual_dict
from .caching import content_version, single_flight
from .links import absolute_url  # one way to build absolute links (core.links)


def work_iri(path: str) -> str:
    """The IRI of the thing a page is about, the same from every language's page: its address
    without the language prefix, which sends each visitor to the page in their language."""
    language, _sep, rest = path.lstrip("/").partition("/")
    if language not in LANGUAGE_CODES:
        raise ValueError(f"not a path of a page in one language: {path}")
    return absolute_url(f"/{rest}")


def languages_of(obj, field: str) -> list[str]:
    """The languages `obj` exists in: those in which its `field` (title, name) is filled in."""
    return [code for code, text in bilingual_dict(obj, field).items() if text is not None]


def default_language(languages) -> str:
    """The language of the x-default page, and of the canonical page when the visitor's is missing."""
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in languages else languages[0]


def page_links(path: str, languages=None) -> dict:
    """The canonical URL and hreflang alternates of the page at `path` (any of its languages).

    `languages` are those the page exists in (all when None). Query strings are left out: a
    filtered or paged view of a list is the list itself to a crawler, and every item has its own
    page in the sitemap.
    """
    languages = [code for code in LANGUAGE_CODES if languages is None or code in languages]
    if not languages:
        return {"canonical": "", "alternates": []}
    urls = {code: absolute_url(translate_url(path, code)) for code in languages}
    current = translation.get_language()
    canonical = urls[current] if current in urls else urls[default_language(languages)]
    alternates = [{"hreflang": code, "href": url} for code, url in urls.items()]
    alternates.append({"hreflang": "x-default", "href": urls[default_language(languages)]})
    return {"canonical": canonical, "alternates": alternates}


def language_tagged(obj, field: str):
    """A translated field as JSON-LD language-tagged strings (one value or a list)."""
    values = [
        {"@value": text, "@language": code}
        for code, text in bilingual_dict(obj, field).items()
        if text is not None
    ]
    return values[0] if len(values) == 1 else values


def json_ld_script(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block: no "</script>" inside a title or a
    summary can end the block."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


class BilingualSitemap(Sitemap):
    """A section of the sitemap: one <url> per page and language it exists in, with its alternates.

    `language_field` names the translated field that says whether an item exists in a language;
    items without one (section pages) exist in every language.
    """

    i18n = True
    alternates = True
    # Django's own x-default points at the URL without the language prefix, which redirects:
    # get_urls() adds one that does not.
    x_default = False
    # URLs per sitemap page (the protocol allows 50,000): a page with its alternates stays near
    # 1.5 MB and is built in well under a second; the index lists every page.
    limit = 2000
    language_field: str | None = None

    def get_languages_for_item(self, item):
        if self.language_field is None:
            return list(LANGUAGE_CODES)
        return languages_of(item, self.language_field)

    def get_latest_lastmod(self):
        # One query, where Django's default calls lastmod() on every item.
        items = self.items()
        if isinstance(items, QuerySet) and hasattr(self, "lastmod"):
            return items.order_by().aggregate(latest=Max("updated_at"))["latest"]
        return super().get_latest_lastmod()

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for info in urls:
            by_language = {alt["lang_code"]: alt["location"] for alt in info["alternates"]}
            if by_language:
                info["alternates"].append(
                    {
                        "lang_code": "x-default",
                        "location": by_language[default_language(list(by_language))],
                    }
                )
        return urls


class PagesSitemap(BilingualSitemap):
    """Pages that are not about one object (home, lists), named by URL name; every language."""

    changefreq = "weekly"
    url_names: tuple[str, ...] = ()

    def items(self):
        return list(self.url_names)

    def location(self, item):
        return reverse(item)


# A sitemap page (2,000 URLs and their alternates) takes about a second to build at 2,600
# resources, and crawlers read them all: each is kept until the content changes (the key holds the
# content version), an hour at most where that version is per process (no Redis).
SITEMAP_CACHE_SECONDS = 3600


def cached_per_content_version(view):
    """Serve a public, visitor-independent view from the cache until the content changes."""

    @functools.wraps(view)
    def cached(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"s4c:sitemap:{content_version()}:{digest}"
        frozen = cache.get(key)
        if frozen is None:
            with single_flight(key) as cached:
                frozen = cached
                if frozen is None:
                    response = view(request, *args, **kwargs)
                    if hasattr(response, "render"):
                        response.render()
                    if response.status_code != HTTPStatus.OK:
                        return response
                    frozen = {"content": response.content, "headers": dict(response.items())}
                    cache.set(key, frozen, SITEMAP_CACHE_SECONDS)
        response = HttpResponse(frozen["content"])
        for name, value in frozen["headers"].items():
            response[name] = value
        return response

    return cached


def sitemap_index(request, sitemaps, sitemap_url_name="sitemap-section"):
    """The sitemap index: every page of every section, under SITE_URL (Django's own index names the
    request's host instead, and a sitemap may only list URLs of its own host)."""
    entries = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse(sitemap_url_name, kwargs={"section": section}))
        last_mod = sitemap.get_latest_lastmod()
        for page in range(1, sitemap.paginator.num_pages + 1):
            entries.append(
                SitemapIndexItem(location if page == 1 else f"{location}?p={page}", last_mod)
            )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
