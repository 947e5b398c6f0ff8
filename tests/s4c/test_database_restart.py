"""A PostgreSQL that is restarting: each request is a 503 with Retry-After in the visitor's language
(a page, or JSON on the API), never a 500; the next request after it is back is served.

Real PostgreSQL: the default connection is pointed at a refused port (the server is down), and,
for a connection that dies under a request, its backend is terminated as a restart does.
"""

import pytest
from django.db import connection

from tests.database import second_connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_down():
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens: connection refused
    yield
    connection.close()
    connection.settings_dict["PORT"] = saved


def _message(language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(
            "The portal is restarting one of its parts. Please try again in a few seconds."
        )


@pytest.mark.usefixtures("database_down")
@pytest.mark.parametrize(
    ("path", "language"), [("/ar/hub/", "ar"), ("/ar/learning/", "ar"), ("/en/", "en")]
)
def test_pages_are_a_503_in_the_visitors_language_while_the_database_is_down(
    client, path, language
):
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert _message(language) in response.content.decode()


@pytest.mark.usefixtures("database_down")
def test_the_api_is_a_json_503_while_the_database_is_down(client):
    response = client.get("/api/v1/resources/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == _message("ar")


def test_a_connection_terminated_by_a_restart_is_one_503_then_served(client):
    assert client.get("/ar/learning/").status_code == 200
    pid = connection.connection.info.backend_pid if connection.connection else None
    assert pid is not None
    with second_connection(autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    # A worker keeps its connection between requests (CONN_MAX_AGE): the next request finds it
    # dead. The test client does not run Django's end-of-request connection checks, so what a
    # worker does then is done here.
    statuses = []
    for _ in range(2):
        statuses.append(client.get("/ar/learning/").status_code)
        connection.close_if_unusable_or_obsolete()
    assert statuses in ([503, 200], [200, 200]), statuses


class QueriesTheDatabase:
    """A middleware that reads the database before any view, as the session's save or the page
    cache do: its error never reaches a view's exception handling."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return self.get_response(request)


def test_a_database_error_outside_any_view_is_a_503_too(settings, database_down):
    from django.test import Client

    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: settings.MIDDLEWARE.index("core.errors.QueryStringGuard")],
        "tests.s4c.test_database_restart.QueriesTheDatabase",
        *settings.MIDDLEWARE[settings.MIDDLEWARE.index("core.errors.QueryStringGuard") :],
    ]
    client = Client(raise_request_exception=False)
    page = client.get("/ar/hub/")
    api = client.get("/api/v1/resources/")

    assert (page.status_code, api.status_code) == (503, 503)
    assert page["Retry-After"] == "5"
    assert _message("ar") in page.content.decode()
    assert api.json()["detail"] == _message("en")
