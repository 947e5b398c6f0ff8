from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from actionplan.api.urls import routes as actionplan_routes
from actionplan.sitemaps import PlanSitemap
from core import health, media, seo
from core.api.routers import Router
from core.api.schema import DocsView, SchemaView
from hub import oai
from hub.api.urls import routes as hub_routes
from hub.sitemaps import OrganisationSitemap, ResourceSitemap
from learning import views as learning_views
from learning.api.urls import routes as learning_routes
from learning.sitemaps import CohortSitemap, SessionSitemap
from pages import views


class PagesSitemap(seo.PagesSitemap):
    url_names = (
        "home",
        "hub:index",
        "learning:index",
        "learning:speakers",
        "learning:commitments",
    )


SITEMAPS = {
    "pages": PagesSitemap,
    "resources": ResourceSitemap,
    "organisations": OrganisationSitemap,
    "cohorts": CohortSitemap,
    "sessions": SessionSitemap,
    "plans": PlanSitemap,
}

# /api/v1/: each app's collections, the partner app's change feed, and the OpenAPI schema.
router = Router(links={"changes": "api-changes", "schema": "api-schema", "docs": "api-docs"})
for routes in (hub_routes, learning_routes, actionplan_routes):
    router.register_routes(routes)

api_v1 = [
    # JSON by default, YAML with ?format=yaml.
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("partners.urls")),
    path("", include((router.urls, "api"), namespace="api")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        seo.cached_per_content_version(seo.sitemap_index),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        seo.cached_per_content_version(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("api/v1/", include(api_v1)),
    path("oai/", oai.endpoint, name="oai"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("hub/", include("hub.urls")),
    path("learning/", include("learning.urls")),
    path("action-plan/", include("actionplan.urls")),
    # Staff reset a forgotten password themselves (the admin's login page links here); the
    # e-mail is written in the language of the page it was asked from.
    path(
        "admin/password_reset/",
        learning_views.AdminPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

# Uploaded files, in every mode: the owning app decides who may have each (core/media.py).
urlpatterns += [path("media/<path:path>", media.serve, name="media")]

handler400 = "core.errors.bad_request"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
