from core.seo import BilingualSitemap

from .selectors import cohorts_public, sessions_public


class CohortSitemap(BilingualSitemap):
    language_field = "name"
    changefreq = "weekly"

    def items(self):
        return cohorts_public().order_by("pk").only("slug", "name_en", "name_ar", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class SessionSitemap(BilingualSitemap):
    language_field = "title"
    changefreq = "weekly"

    def items(self):
        return (
            sessions_public()
            .select_related(None)
            .select_related("cohort")
            .prefetch_related(None)
            .order_by("pk")
            .only("slug", "title_en", "title_ar", "updated_at", "cohort__slug")
        )

    def lastmod(self, item):
        return item.updated_at
