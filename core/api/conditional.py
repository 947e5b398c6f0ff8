"""`If-None-Match: *` on the API's answers that carry no ETag of their own (RFC 9110 13.1.2).

`*` matches any current representation: a GET or HEAD of one that exists (a 200) is answered
304 Not Modified. The collections and objects answer conditional requests themselves
(`PublicReadViewSet`, with their ETags and dates); this covers the rest of `/api/` in one place:
the root, the change feed, the schema and its documentation.
"""

from http import HTTPStatus

API_PREFIX = "/api/"


def matches_any(if_none_match: str | None) -> bool:
    return if_none_match is not None and "*" in (tag.strip() for tag in if_none_match.split(","))


class AnyRepresentationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == HTTPStatus.OK  # an existing representation
            and request.path.startswith(API_PREFIX)
            and not response.streaming
            and matches_any(request.headers.get("If-None-Match"))
        ):
            # The same answer without its body: its headers (ETag if any, Vary, CORS,
            # Cache-Control) stay, as RFC 9110 15.4.5 asks of a 304.
            response.status_code = HTTPStatus.NOT_MODIFIED
            response.content = b""
            for header in ("Content-Type", "Content-Length"):
                if header in response:
                    del response[header]
        return response
