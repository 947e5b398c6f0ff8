"""RSS and Atom feeds of the newest published resources, one per language.

Entries are identified by the absolute address of the resource's page (an IRI, as RFC 4287
requires; the RSS guid is the same permalink) and dated by the resource's publication: its day
when known, else the first day of its month or year. An entry's `updated` is when its public
representation last changed (the change feed's ledger); the feed's own (Atom `updated`, RSS
`lastBuildDate`) is when the feed last changed: the latest change of a resource in public (an
entry edited, or one leaving the feed), never later than now. It is not the newest publication
date, which can lie in the future and does not move when an entry is edited.

Feeds answer 304 to `If-None-Match` (an ETag of the exact body) and to `If-Modified-Since`. The
latter has a resolution of one second, so `Last-Modified` is sent only once a full second has
passed since the last change to any resource or organisation (the feed's items, and those that
left it): a client holding it can never miss a second change made in the same second.
"""

import datetime as dt
import hashlib
import math

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import http_date
from django.utils.translation import gettext as _

from core.bilingual import translated_value
from core.seo import absolute_url, languages_of, page_links

from .models import Organisation, Resource
from .selectors import resources_for_feed, resources_public_changed_at


def _last_change() -> dt.datetime | None:
    """When any resource (published or not: an unpublished one leaves the feed) or organisation
    (publishers are the entries' authors) last changed."""
    times = [
        model.objects.aggregate(latest=Max("updated_at"))["latest"]
        for model in (Resource, Organisation)
    ]
    times = [t for t in times if t is not None]
    return max(times) if times else None


class _ChangedAt:
    """A feed generator whose own date is the feed's last change (`get_feed`), not Django's
    latest entry date (the newest publication or update, possibly in the future)."""

    def latest_post_date(self):
        return self.feed.get("changed_at") or super().latest_post_date()


class _Rss(_ChangedAt, Rss201rev2Feed):
    pass


class _Atom(_ChangedAt, Atom1Feed):
    pass


class LatestResourcesRss(Feed):
    """Every link is absolute already (`core.links`): Django's feeds would otherwise complete them
    with the request's Host header, which a client chooses, and the feed is cached for everyone."""

    feed_type = _Rss
    url_name = "hub:feed-rss"

    def __call__(self, request, *args, **kwargs):
        last_change = _last_change()
        response = super().__call__(request, *args, **kwargs)
        del response["Last-Modified"]  # Django's is the newest item's, blind to removed items
        last_modified = None
        if last_change and math.floor(timezone.now().timestamp()) > math.floor(
            last_change.timestamp()
        ):
            last_modified = math.floor(last_change.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        # Readers and shared caches keep the feed but ask again each time (a 304 when unchanged);
        # the portal's page cache leaves it alone, so the validators are checked on every request.
        patch_cache_control(response, no_cache=True, public=True)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )

    def title(self):
        return _("South-4-Care Knowledge Hub: new resources")

    def link(self):
        return absolute_url(reverse("hub:index"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def description(self):
        return _(
            "The newest resources on decent work in the care economy and the social and solidarity economy."
        )

    def items(self):
        return resources_for_feed(limit=30)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        stamps = [item["updateddate"] for item in feed.items if item.get("updateddate")]
        stamps.append(resources_public_changed_at())
        stamps = [stamp for stamp in stamps if stamp is not None]
        feed.feed["changed_at"] = min(max(stamps), timezone.now()) if stamps else None
        return feed

    def item_title(self, item):
        return translated_value(item, "title").text

    def item_description(self, item):
        return translated_value(item, "summary").text

    def item_link(self, item):
        # The page in the feed's language, or in the language the resource has.
        return page_links(item.get_absolute_url(), languages_of(item, "title"))["canonical"]

    def item_pubdate(self, item):
        """The document's publication date, as precise as it is known (a month or a year is dated
        its first day)."""
        return dt.datetime(
            item.publication_year,
            item.publication_month or 1,
            item.publication_day or 1,
            tzinfo=dt.UTC,
        )

    def item_updateddate(self, item):
        return item.public_updated_at or item.updated_at

    def item_author_name(self, item):
        return translated_value(item.publisher, "name").text if item.publisher else None


class LatestResourcesAtom(LatestResourcesRss):
    feed_type = _Atom
    url_name = "hub:feed-atom"

    def subtitle(self):
        return self.description()
