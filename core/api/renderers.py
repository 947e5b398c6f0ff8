"""The API's JSON renderer (its own module: settings import it before DRF's views exist).

orjson renders the same JSON as DRF's JSONRenderer, faster (docs/performance.md, the API list). Anything orjson does not
encode itself the same way (datetimes, decimals, lazy strings, querysets…) goes through DRF's own
encoder, so every value reads exactly as before. A client asking for indented JSON
(`Accept: application/json; indent=4`) gets DRF's renderer.

<, > and & are written as \\u escapes: the same data, but no markup a partner could run by
pasting a response into a page (inside a <script> block, say). They can only occur inside
strings, where the escapes mean the same characters.
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_encoder = JSONEncoder()
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
)


def escape_markup(body: bytes) -> bytes:
    return body.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


class OrjsonRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return escape_markup(super().render(data, accepted_media_type, renderer_context))
        body = orjson.dumps(data, default=_encoder.default, option=_OPTIONS)
        # As DRF does: U+2028 and U+2029 escaped, so the JSON is also valid JavaScript.
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return escape_markup(body)
