"""RSS and Atom feeds of the newest published resources, one per language."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from s4c.bilingual import translated_value
from s4c.links import absolute_url

from .selectors import resources_published


class LatestResourcesRss(Feed):
    """Every link is absolute already (`s4c.links`): Django's feeds would otherwise complete them
    with the request's Host header, which a client chooses, and the feed is cached for everyone."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        return request.path  # what `feed_url` needs of the request

    def feed_url(self, path):
        return absolute_url(path)

    def title(self):
        return _("South-4-Care Knowledge Hub: new resources")

    def link(self):
        return absolute_url(reverse("hub:index"))

    def description(self):
        return _(
            "The newest resources on decent work in the care economy and the social and solidarity economy."
        )

    def items(self):
        return (
            resources_published().select_related("publisher").order_by("-published_at", "-pk")[:30]
        )

    def item_title(self, item):
        return translated_value(item, "title").text

    def item_description(self, item):
        return translated_value(item, "summary").text

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return item.identifier

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return translated_value(item.publisher, "name").text if item.publisher else None


class LatestResourcesAtom(LatestResourcesRss):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
