"""The API's router: each app hands it its routes; the root also links what is not a collection."""

from typing import ClassVar

from django.urls import NoReverseMatch, reverse
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from core.api.base import StrictFormatMixin, check_parameters
from core.links import absolute_url


class RootView(StrictFormatMixin, APIRootView):
    """The API's collections, and what a client needs besides them (`Router.links`: the change
    feed to sync from a cursor, the OpenAPI schema and its documentation). Every link is on the
    configured site (core.links), as the collections' own `url`s and `next` links are, never on
    the request's Host header."""

    links: ClassVar[dict[str, str]] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request, accepted={"format"})

    def get(self, request, *args, **kwargs):
        namespace = request.resolver_match.namespace
        data = {}
        for name, url_name in self.api_root_dict.items():
            try:
                path = reverse(f"{namespace}:{url_name}" if namespace else url_name)
            except NoReverseMatch:  # as DRF's root: a collection with no list route
                continue
            data[name] = absolute_url(path, request=request)
        for name, url_name in self.links.items():
            data[name] = absolute_url(reverse(url_name), request=request)
        return Response(data)


class Router(DefaultRouter):
    def __init__(self, *, links: dict[str, str], **kwargs):
        self.APIRootView = type("RootView", (RootView,), {"links": links})
        super().__init__(**kwargs)

    def register_routes(self, routes) -> None:
        """`routes`: an app's `(prefix, viewset, basename)` triples (its `api/urls.py`)."""
        for prefix, viewset, basename in routes:
            self.register(prefix, viewset, basename=basename)
