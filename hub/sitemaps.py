from core.seo import BilingualSitemap

from .selectors import resources_published


class ResourceSitemap(BilingualSitemap):
    """Published resources, each in the languages it has a title in."""

    language_field = "title"
    changefreq = "monthly"

    def items(self):
        return (
            resources_published()
            .order_by("pk")
            .only("identifier", "title_en", "title_ar", "updated_at")
        )

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.updated_at
