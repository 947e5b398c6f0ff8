"""RSS and Atom feeds of the newest published resources, one per language."""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from s4c.bilingual import translated_value

from .selectors import resources_published


class LatestResourcesRss(Feed):
    feed_type = Rss201rev2Feed

    def title(self):
        return _("South-4-Care Knowledge Hub: new resources")

    def link(self):
        return reverse("hub:index")

    def description(self):
        return _(
            "The newest resources on decent work in the care economy and the social and solidarity economy."
        )

    def items(self):
        # Newest by the document's own publication date, not by when it reached the hub (a
        # content load publishes everything at once).
        return (
            resources_published()
            .select_related("publisher")
            .order_by(
                F("publication_year").desc(),
                F("publication_month").desc(nulls_last=True),
                F("publication_day").desc(nulls_last=True),
                "-pk",
            )[:30]
        )

    def item_title(self, item):
        return translated_value(item, "title").text

    def item_description(self, item):
        return translated_value(item, "summary").text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return item.identifier

    item_guid_is_permalink = False

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
        return item.updated_at

    def item_author_name(self, item):
        return translated_value(item.publisher, "name").text if item.publisher else None


class LatestResourcesAtom(LatestResourcesRss):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
