from django.urls import reverse

from core.seo import BilingualSitemap

from .models import Organisation
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


class OrganisationSitemap(BilingualSitemap):
    """Every organisation's page (the API's `html_url`), in the languages its name is in."""

    language_field = "name"
    changefreq = "monthly"

    def items(self):
        return Organisation.objects.order_by("pk").only("slug", "name_en", "name_ar", "updated_at")

    def location(self, item):
        return reverse("hub:organisation", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at
