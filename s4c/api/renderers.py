"""The API's JSON renderer (its own module: settings import it before DRF's views exist)."""

from rest_framework.renderers import JSONRenderer


class EscapedJSONRenderer(JSONRenderer):
    """JSON with <, > and & written as \\u escapes: the same data, but no markup a partner could
    run by pasting a response into a page (inside a <script> block, say). They can only occur
    inside strings, where the escapes mean the same characters."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = super().render(data, accepted_media_type, renderer_context)
        return body.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")
