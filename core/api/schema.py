"""The OpenAPI schema at /api/v1/schema/, under the API's rule for query strings: `format` (json,
yaml) and `lang` (en, ar) only, anything else a 400 naming it (drf-spectacular's view ignores
what it does not know, and reads an unknown `lang` as English)."""

from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status
from rest_framework.renderers import JSONRenderer

from .base import StrictFormatMixin, check_language, check_parameters


class SchemaView(StrictFormatMixin, SpectacularAPIView):
    renderer_classes = (OpenApiJsonRenderer, OpenApiYamlRenderer)  # JSON unless ?format=yaml

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, accepted={"format", "lang"})
        check_language(request)

    def finalize_response(self, request, response, *args, **kwargs):
        # An error is the API's JSON, not a schema document.
        if response.status_code >= status.HTTP_400_BAD_REQUEST:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
