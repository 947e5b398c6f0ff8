"""The OpenAPI schema at /api/v1/schema/ and its documentation page at /api/v1/docs/, under the
API's rule for query strings: a parameter the view does not take is a 400 naming it, in the API's
JSON (drf-spectacular's views ignore what they do not know, and read an unknown `lang` as
English). The schema takes `format` (json, yaml) and `lang` (en, ar); the page `lang` and
`script` (Swagger UI's own request for its start-up script, an empty value by design)."""

from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import status
from rest_framework.renderers import JSONRenderer

from .base import StrictFormatMixin, check_language, check_parameters


class _ErrorsAsJSON:
    def finalize_response(self, request, response, *args, **kwargs):
        # An error is the API's JSON, not a schema document or a page.
        if response.status_code >= status.HTTP_400_BAD_REQUEST:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class SchemaView(_ErrorsAsJSON, StrictFormatMixin, SpectacularAPIView):
    renderer_classes = (OpenApiJsonRenderer, OpenApiYamlRenderer)  # JSON unless ?format=yaml

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, accepted={"format", "lang"})
        check_language(request)


class DocsView(_ErrorsAsJSON, SpectacularSwaggerSplitView):
    """Swagger UI, its script served as a file (no inline script: the strict CSP holds)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, accepted={"lang", "script"}, free_text={"script"})
        check_language(request)
