from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.static import serve

from actionplan.sitemaps import PlanSitemap
from hub import oai
from hub.sitemaps import OrganisationSitemap, ResourceSitemap
from learning.sitemaps import CohortSitemap, SessionSitemap

from . import health, seo, views


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

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
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
    path("api/", include("s4c.api_urls")),
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
        auth_views.PasswordResetView.as_view(),
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

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "s4c.views.bad_request"
handler404 = "s4c.views.page_not_found"
handler500 = "s4c.views.server_error"
