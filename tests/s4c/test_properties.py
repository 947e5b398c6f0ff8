"""Property-based tests: no input a client can send to a public page or the API is a server error.

Hypothesis draws parameter values from arbitrary text (control characters, NUL, lone surrogates,
right-to-left overrides), from a list of values known to break naive parsing (Unicode digits such
as "²" pass `str.isdigit()` but not `int()`, numbers too large for a database integer, SQL
fragments), huge values and repeated parameters. The properties:

- never a 5xx;
- invalid input is a 4xx that says what is wrong, in the request's language (an Arabic message
  for /ar/ pages and for `Accept-Language: ar` on the API);
- a parameter the endpoint documents, given a valid value, is a 2xx.

The number of examples is bounded and derandomised, so the file runs the same way every time in a
few seconds on SQLite; on PostgreSQL it also covers what SQLite accepts and PostgreSQL refuses
(NUL characters in text, integers beyond 64 bits).
"""

import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.learning.conftest import APPLICANT

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=int(__import__("os").environ.get("HX", 60)),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that broke, or could break, naive parsing somewhere.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\r\nSet-Cookie: x=1",
    "\u202egpj.exe",
    "\u2066x\u2069",
    "\u200b",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\ufffd",
    "²",
    "²⁰²⁵",
    "\uff12\uff10\uff12\uff15",  # fullwidth 2025
    "٢٠٢٥",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "9" * 30,
    "18446744073709551616",
    "9223372036854775808",
    "' OR '1'='1",
    "1; DROP TABLE hub_resource; --",
    "%",
    "_",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "x" * 5000,
    "الرعاية",
    "16(b)",
    "2025-13-45T99:99",
    "2025-01-01T00:00:00Z",
    "ar",
    "en",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=()), max_size=40),
)


def _encode(value: str) -> str:
    """Percent-encode as a browser would; lone surrogates become invalid UTF-8 on the wire."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _query(pairs) -> str:
    return "&".join(f"{_encode(name)}={_encode(value)}" for name, value in pairs)


@pytest.fixture
def content(load_content, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    # Hundreds of requests from one address: the throttle is tested in tests/api.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
    load_content()


def _get(client, path, query, **headers):
    return client.generic("GET", path, QUERY_STRING=query, headers=headers)


def _assert_not_5xx(response, path, query):
    assert response.status_code < 500, (path, query, response.status_code)


ARABIC = re.compile("[\u0600-\u06ff]")


def _assert_clear_4xx(response, *, arabic: bool):
    """A 4xx says something (JSON or a page), in Arabic when asked."""
    body = response.content.decode("utf-8", "replace")
    assert body.strip(), response.status_code
    if response.status_code in (404, 410):
        return
    if arabic:
        assert ARABIC.search(body), body[:500]


# --- the API ---------------------------------------------------------------------------------

API_PARAMETERS = {
    "resources": [
        "lang",
        "page_size",
        "cursor",
        "ordering",
        "q",
        "type",
        "theme",
        "country",
        "region",
        "document_language",
        "year",
        "updated_since",
        "format",
    ],
    "themes": ["lang", "page_size", "cursor", "format"],
    "organisations": ["lang", "page_size", "cursor", "format"],
    "regions": ["lang", "page_size", "cursor", "format"],
    "cohorts": ["lang", "page_size", "cursor", "format"],
    "sessions": ["lang", "page_size", "cursor", "cohort", "date", "kind"],
    "speakers": ["lang", "page_size", "cursor"],
    "commitments": ["lang", "page_size", "cursor", "cohort", "country", "lever"],
    "plans": ["lang", "page_size", "cursor"],
    "deliverables": [
        "lang",
        "page_size",
        "cursor",
        "plan",
        "outcome",
        "year",
        "status",
        "conclusion",
        "pb_outcome",
    ],
    "changes": ["since", "format"],
}
API_DETAILS = {
    "resources": "south-4-care-launch-2025",
    "themes": "social-solidarity-economy",
    "plans": "sse-2023-2029",
}


@st.composite
def api_requests(draw):
    collection = draw(st.sampled_from(sorted(API_PARAMETERS)))
    names = API_PARAMETERS[collection] + ["unknown", "\x00", "lang\u202e"]
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), TEXT), min_size=1, max_size=4))
    if draw(st.booleans()):
        name, value = pairs[0]
        pairs = pairs + [(name, value)] * draw(st.integers(1, 30))  # repeated
    path = f"/api/v1/{collection}/"
    if collection in API_DETAILS and draw(st.booleans()):
        path += f"{API_DETAILS[collection]}/"
    return path, _query(pairs), draw(st.sampled_from(["en", "ar"]))


# --- public pages ----------------------------------------------------------------------------

PAGE_PARAMETERS = {
    "/hub/": ["q", "type", "theme", "region", "country", "language", "year", "sort", "page"],
    "/hub/feed/rss/": ["q"],
    "/learning/commitments/": ["country", "lever"],
    "/learning/learning-hub-2025/": ["tz"],
    "/action-plan/sse-2023-2029/deliverables/": ["year", "status", "conclusion", "pb_outcome"],
    "/action-plan/sse-2023-2029/download/plan.csv": ["x"],
    "/action-plan/sse-2023-2029/download/progress.xlsx": ["x"],
}


@st.composite
def page_requests(draw):
    page = draw(st.sampled_from(sorted(PAGE_PARAMETERS)))
    names = PAGE_PARAMETERS[page]
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), TEXT), min_size=1, max_size=4))
    if draw(st.booleans()):
        name, value = pairs[0]
        pairs = pairs + [(name, value)] * draw(st.integers(1, 30))
    language = draw(st.sampled_from(["en", "ar"]))
    return f"/{language}{page}", _query(pairs), language


SAFE_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)


@st.composite
def valid_requests(draw):
    """Documented parameters with valid values: each must answer 200."""
    from actionplan.models import ProgressReport
    from hub.models import Resource, Theme

    themes = sorted(Theme.objects.values_list("slug", flat=True))
    language = draw(st.sampled_from(["en", "ar"]))
    choice = draw(st.sampled_from(["api-resources", "api-changes", "api-deliverables", "hub"]))
    if choice == "api-resources":
        params = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "lang": st.sampled_from(["en", "ar"]),
                    "page_size": st.integers(1, 200).map(str),
                    "type": st.sampled_from(Resource.Type.values),
                    "theme": st.sampled_from(themes),
                    "year": st.integers(1900, 2100).map(str),
                    "q": SAFE_TEXT,
                    "ordering": st.sampled_from(["created_at", "-created_at"]),
                    "updated_since": st.datetimes().map(lambda d: d.isoformat() + "Z"),
                },
            )
        )
        path = "/api/v1/resources/"
    elif choice == "api-changes":
        # A cursor the feed gave (the content's load writes more events than this); past the
        # head is a 400 (tests/api/test_contract.py).
        params, path = {"since": str(draw(st.integers(0, 40)))}, "/api/v1/changes/"
    elif choice == "api-deliverables":
        params = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "year": st.integers(2000, 2100).map(str),
                    "status": st.sampled_from(ProgressReport.Status.values),
                },
            )
        )
        path = "/api/v1/deliverables/"
    else:
        params = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "q": SAFE_TEXT,
                    "type": st.sampled_from(Resource.Type.values),
                    "theme": st.sampled_from(themes),
                    "year": st.integers(1900, 2100).map(str),
                    "sort": st.sampled_from(["relevance", "newest", "title"]),
                    "page": st.integers(1, 10**6).map(str),
                },
            )
        )
        path = f"/{language}/hub/"
    return path, _query(params.items()), language


@EXAMPLES
@given(data=st.data())
def test_get_parameters_are_never_a_server_error(client, content, data):
    # One test for the API and the pages, so the content is loaded once.
    path, query, language = data.draw(st.one_of(api_requests(), page_requests()))
    if path.startswith("/api/"):
        response = _get(client, path, query, accept_language=language)
        _assert_not_5xx(response, path, query)
        if 400 <= response.status_code < 500:
            assert response["Content-Type"].startswith("application/json"), path
    else:
        response = _get(client, path, query)
        _assert_not_5xx(response, path, query)
    if 400 <= response.status_code < 500:
        _assert_clear_4xx(response, arabic=language == "ar")

    path, query, language = data.draw(valid_requests())
    response = _get(client, path, query, accept_language=language)
    assert response.status_code == 200, (path, query, response.content[:300])


# --- public forms ----------------------------------------------------------------------------

APPLICATION = APPLICANT


def _body(fields: dict) -> bytes:
    """An urlencoded body as sent on the wire: lone surrogates become invalid UTF-8."""
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in fields.items()).encode("ascii")


def _post(client, path, fields):
    return client.generic(
        "POST", path, _body(fields), content_type="application/x-www-form-urlencoded"
    )


@pytest.fixture
def open_cohort(db, settings):
    import datetime as dt

    from django.utils import timezone

    from learning.models import Cohort

    settings.APPLICATION_RATE_LIMIT = settings.EMAIL_RATE_LIMIT = 10_000
    return Cohort.objects.create(
        slug="lh-open",
        name_en="Open cohort",
        name_ar="دفعة مفتوحة",
        year=2027,
        status=Cohort.Status.OPEN,
        applications_open_at=timezone.now() - dt.timedelta(days=1),
        applications_close_at=timezone.now() + dt.timedelta(days=30),
    )


@EXAMPLES
@given(
    field=st.sampled_from([*sorted(APPLICATION), "website", "csrfmiddlewaretoken", "\x00"]),
    value=TEXT,
    language=st.sampled_from(["en", "ar"]),
)
def test_the_application_form_never_fails_on_hostile_input(
    client, open_cohort, field, value, language
):
    from learning.models import Application

    response = _post(client, f"/{language}/learning/lh-open/apply/", {**APPLICATION, field: value})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400 and field != "website":  # the honeypot stays silent for bots
        body = response.content.decode()
        assert 'class="errorlist' in body  # the form says which field is wrong…
        if language == "ar":
            assert ARABIC.search(body.split('class="errorlist')[1][:300])  # …in Arabic
    elif response.status_code == 302:
        stored = Application.objects.get()
        for name in ("name", "organisation", "working_languages", "motivation"):
            text = getattr(stored, name)
            assert not re.search("[\x00\u202a-\u202e\u2066-\u2069\u200b\ufeff\ud800-\udfff]", text)
        stored.delete()


@EXAMPLES
@given(
    email=TEXT,
    token=st.text(st.characters(codec="ascii", exclude_characters="/?#%"), max_size=80),
    language=st.sampled_from(["en", "ar"]),
)
def test_sign_in_forms_never_fail_on_hostile_input(client, open_cohort, email, token, language):
    response = _post(client, f"/{language}/learning/sign-in/", {"email": email})
    assert response.status_code in (200, 400), response.status_code
    link = _post(client, f"/{language}/learning/sign-in/{_encode(token) or 'x'}/", {})
    if "\x00" in token:  # a NUL byte in a path names no page (core.errors)
        assert link.status_code == 404
        return
    assert link.status_code == 400
    message = {
        "en": "This sign-in link is invalid, expired or already used.",
        "ar": "رابط تسجيل الدخول هذا غير صالح",
    }[language]
    assert message in link.content.decode()


@pytest.fixture
def participant(open_cohort):
    from learning.models import Application, Commitment

    owner = Application.objects.create(cohort=open_cohort, **APPLICATION)
    Commitment.objects.create(
        cohort=open_cohort, owner=owner, country="JO", text_en="Mine", lever="reward"
    )
    return owner


@EXAMPLES
@given(
    field=st.sampled_from(["commitment", "light", "text"]),
    value=TEXT,
    language=st.sampled_from(["en", "ar"]),
)
def test_progress_updates_never_fail_on_hostile_input(client, participant, field, value, language):
    from core.permissions import MAILER
    from learning import services
    from learning.models import ProgressUpdate

    commitment = participant.commitments.get()
    client.post(
        f"/en/learning/sign-in/{services.sign_in_link_issue(application=participant, actor=MAILER)}/"
    )
    fields = {"commitment": str(commitment.pk), "light": "delayed", "text": "Draft law sent"}
    response = _post(client, f"/{language}/learning/me/", {**fields, field: value})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        update = ProgressUpdate.objects.get()
        assert update.commitment_id == commitment.pk
        text = getattr(update, f"text_{language}")
        assert not re.search("[\x00\u202a-\u202e\u2066-\u2069\u200b\ufeff]", text)
        update.delete()
    else:
        assert not ProgressUpdate.objects.exists()
        body = response.content.decode()
        assert 'class="errorlist' in body
        if language == "ar":
            assert "لم يُحفظ تحديث التقدم الذي أرسلته:" in body


# --- requests too big to parse ---------------------------------------------------------------


def test_too_many_parameters_is_a_clear_400_in_the_requests_language(client):
    query = "&".join(["theme=x"] * 1001)  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    api = _get(client, "/api/v1/resources/", query, accept_language="ar")
    assert (api.status_code, api.json()) == (
        400,
        {"detail": "تعذّر فهم الطلب: صيغته غير صحيحة أو حجمه كبير جداً."},
    )
    page = _get(client, "/ar/hub/", query)
    assert page.status_code == 400
    assert "تعذّر فهم الطلب: صيغته غير صحيحة أو حجمه كبير جداً." in page.content.decode()


def test_a_form_body_over_the_limit_is_a_clear_400(client, open_cohort, settings):
    from learning.models import Application

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = _post(
        client, "/en/learning/lh-open/apply/", {**APPLICATION, "motivation": "x" * 20_000}
    )
    assert response.status_code == 400
    assert "malformed or too large" in response.content.decode()
    assert not Application.objects.exists()


def test_a_nul_in_a_query_string_is_refused_before_the_database(client):
    api = _get(client, "/api/v1/resources/", "q=a%00b", accept_language="ar")
    assert (api.status_code, api.json()) == (
        400,
        {"q": ["المعامل «q» يحتوي على حرف غير مسموح به."]},
    )
    page = _get(client, "/en/hub/", "q=care%00")
    assert page.status_code == 400
    assert "The parameter “q” contains a character that is not allowed." in page.content.decode()
