from django.urls import reverse

from core.seo import BilingualSitemap, languages_of

from .selectors import plans_public


class PlanSitemap(BilingualSitemap):
    """Each plan's page and its deliverables, and the list of plans unless it redirects to the
    only one."""

    changefreq = "monthly"

    def items(self):
        plans = list(plans_public().order_by("pk"))
        pages = [
            (name, plan)
            for plan in plans
            for name in ("actionplan:plan", "actionplan:deliverables")
        ]
        return pages if len(plans) == 1 else [("actionplan:index", None), *pages]

    def get_languages_for_item(self, item):
        _name, plan = item
        return super().get_languages_for_item(item) if plan is None else languages_of(plan, "title")

    def location(self, item):
        name, plan = item
        return reverse(name, kwargs={"slug": plan.slug} if plan else None)

    def lastmod(self, item):
        _name, plan = item
        return plan.updated_at if plan else None
