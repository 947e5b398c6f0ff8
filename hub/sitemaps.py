from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from s4c import links

from .selectors import resources_published


class SiteSitemap(Sitemap):
    """Locations on the configured site (`s4c.links`), not on the request's Host header."""

    def get_domain(self, site=None):
        return links.site_domain() if links.configured_origin() else super().get_domain(site)

    @property
    def protocol(self):
        return links.site_scheme() if links.configured_origin() else None


class ResourceSitemap(SiteSitemap):
    """Published resources, with hreflang alternates for the translations that exist."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            resources_published()
            .order_by("pk")
            .only("identifier", "title_en", "title_ar", "updated_at")
        )

    def get_languages_for_item(self, item):
        return [code for code in self._languages() if getattr(item, f"title_{code}")]

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(SiteSitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return ["home", "hub:index", "learning:index", "actionplan:index"]

    def location(self, item):
        return reverse(item)
