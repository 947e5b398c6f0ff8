"""A realistic mix of visitors and API consumers, in both languages.

Run against gunicorn + PostgreSQL + Redis with data loaded (see docs/performance.md):

    .venv/bin/locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 5m \
        --host http://127.0.0.1:8000 --csv benchmarks/results/load

Identifiers (resources, cohorts, plans) are discovered at start from the public API, so the
script works on any data set. Only the given host is contacted.
"""

import random

from locust import HttpUser, between, events, task

SEARCHES = {
    "en": ["care economy", "social protection", "cooperatives", "domestic workers", "financing"],
    "ar": ["اقتصاد الرعاية", "الرعايه", "الحماية الاجتماعية", "التعاونيات", "العمال المنزليين"],
}
DISCOVERED: dict[str, list[str]] = {"resources": [], "cohorts": [], "plans": []}


@events.test_start.add_listener
def discover(environment, **_kwargs):
    import requests

    host = environment.host.rstrip("/")
    # Every API object's `id` is its public identifier (a resource's identifier, a slug).
    for collection, field in (("resources", "id"), ("cohorts", "id"), ("plans", "id")):
        try:
            body = requests.get(f"{host}/api/v1/{collection}/?page_size=100", timeout=30).json()
            DISCOVERED[collection] = [str(item[field]) for item in body.get("results", [])]
        except (requests.RequestException, ValueError, KeyError):
            DISCOVERED[collection] = []


class Visitor(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.lang = random.choice(["en", "ar"])

    @task(3)
    def home(self):
        self.client.get(f"/{self.lang}/", name="/[lang]/")

    @task(4)
    def hub_list(self):
        self.client.get(f"/{self.lang}/hub/", name="/[lang]/hub/")

    @task(6)
    def hub_search(self):
        query = random.choice(SEARCHES[self.lang])
        self.client.get(f"/{self.lang}/hub/", params={"q": query}, name=f"/{self.lang}/hub/?q=")

    @task(4)
    def hub_detail(self):
        if DISCOVERED["resources"]:
            identifier = random.choice(DISCOVERED["resources"])
            self.client.get(f"/{self.lang}/hub/{identifier}/", name="/[lang]/hub/[id]/")

    @task(2)
    def cohort_programme(self):
        if DISCOVERED["cohorts"]:
            slug = random.choice(DISCOVERED["cohorts"])
            self.client.get(f"/{self.lang}/learning/{slug}/", name="/[lang]/learning/[cohort]/")

    @task(2)
    def plan_page(self):
        if DISCOVERED["plans"]:
            slug = random.choice(DISCOVERED["plans"])
            self.client.get(f"/{self.lang}/action-plan/{slug}/", name="/[lang]/action-plan/[plan]/")


class ApiConsumer(HttpUser):
    wait_time = between(1, 3)
    weight = 1

    @task(4)
    def resources_list(self):
        self.client.get("/api/v1/resources/", params={"page_size": 100}, name="/api/v1/resources/")

    @task(3)
    def resource_detail(self):
        if DISCOVERED["resources"]:
            identifier = random.choice(DISCOVERED["resources"])
            self.client.get(f"/api/v1/resources/{identifier}/", name="/api/v1/resources/[id]/")

    @task(2)
    def changes(self):
        self.client.get("/api/v1/changes/", name="/api/v1/changes/")

    @task(1)
    def resources_in_arabic(self):
        self.client.get(
            "/api/v1/resources/", params={"lang": "ar"}, name="/api/v1/resources/?lang=ar"
        )
