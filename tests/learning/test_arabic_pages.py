import re

import pytest

pytestmark = pytest.mark.django_db

# Latin words allowed on Arabic pages: acronyms of organisations, a zone name given as an example,
# the .ics file type.
ALLOWED = {"ABC", "UOL", "IANA", "Europe", "Rome", "ics"}
PAGES = [
    "/ar/learning/",
    "/ar/learning/learning-hub-2025/",
    "/ar/learning/learning-hub-2025/south-south-plenary-funding-partners/",
    "/ar/learning/speakers/",
    "/ar/learning/commitments/",
    "/ar/learning/sign-in/",
    "/ar/learning/learning-hub-2025/apply/",
]


@pytest.mark.parametrize("url", PAGES)
def test_no_english_remains_on_arabic_pages(load_content, client, url):
    load_content()
    response = client.get(url)
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[1].split(">", 1)[1].split("</main>")[0]
    text = re.sub(r"<[^>]+>", " ", main)
    assert set(re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text)) <= ALLOWED
