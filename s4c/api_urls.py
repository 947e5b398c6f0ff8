"""/api/v1/: the public JSON API (the API issue fills in the collections)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
