"""The API's router: each app hands it its routes; the root also links what is not a collection."""

from typing import ClassVar

from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter


class RootView(APIRootView):
    """The API's collections, and what a client needs besides them (`Router.links`: the change
    feed to sync from a cursor, the OpenAPI schema and its documentation)."""

    links: ClassVar[dict[str, str]] = {}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, url_name in self.links.items():
            response.data[name] = reverse(url_name, request=request)
        return response


class Router(DefaultRouter):
    def __init__(self, *, links: dict[str, str], **kwargs):
        self.APIRootView = type("RootView", (RootView,), {"links": links})
        super().__init__(**kwargs)

    def register_routes(self, routes) -> None:
        """`routes`: an app's `(prefix, viewset, basename)` triples (its `api/urls.py`)."""
        for prefix, viewset, basename in routes:
            self.register(prefix, viewset, basename=basename)
