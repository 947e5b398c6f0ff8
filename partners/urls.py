"""The partner app's API routes (mounted under /api/v1/ by the project's URLs)."""

from django.urls import path

from .views import ChangeFeedView

urlpatterns = [path("changes/", ChangeFeedView.as_view(), name="api-changes")]
