"""Throughput and latency of `GET /api/v1/resources/?page_size=100` under gunicorn, against a bare
reference view that returns the same JSON (`.values()` + orjson, benchmarks/api_reference.py).

One run starts gunicorn (the same server, settings and workers answer both URLs), checks that both
answer the same JSON, then sends the same bounded load to each, alternating between the two in
several rounds so that the noise of a shared machine falls on both alike, and prints requests per
second and p50/p95 latency of each, and their ratio. Loopback only; every round is bounded by a
number of requests and a time cap.

    createdb -h 127.0.0.1 -U postgres -T s4c_hubbench s4c_apibench   # 100,000 generated resources
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/s4c_apibench
    .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/api_resources.py [--requests 600] [--rounds 3] [--concurrency 4]

Fairness: DEBUG is off and logging is at WARNING for the server (as in production, minus the
per-request log line); the public page cache is off (`PAGE_CACHE_SECONDS=0`, and the API answer cache, `API_CACHE_SECONDS=0`; the page cache caches /en|ar/
pages only, never /api/, and a response it served would carry `X-Cache: hit`, which is checked);
no request carries `If-None-Match`/`If-Modified-Since`, so every answer is a full 200 computed from
the database. The API's anonymous throttle stays on (raised to a rate the load never reaches) so
our endpoint pays its real cost; the reference has none.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
API_PATH = "/api/v1/resources/"
REFERENCE_PATH = "/bench/reference/resources/"
COUNT = "from hub.models import Resource; print(Resource.objects.published().count())"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def server_environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.api_settings",
        S4C_ENV_FILE="/dev/null",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        REQUEST_LOG_LEVEL="WARNING",
        PAGE_CACHE_SECONDS="0",
        API_CACHE_SECONDS="0",  # the API answer cache too: every request does the work
        API_ANON_RATE="1000000/second",
    )
    return env


def get(port: int, target: str, timeout: float = 60.0) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", target, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with status {server.returncode}")
        try:
            if get(port, "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("gunicorn did not answer /healthz in time")


def check_same_json(port: int, query: str) -> tuple[int, int]:
    status_api, headers_api, body_api = get(port, f"{API_PATH}?{query}")
    status_ref, headers_ref, body_ref = get(port, f"{REFERENCE_PATH}?{query}")
    if status_api != 200 or status_ref != 200:
        sys.exit(f"statuses: endpoint {status_api}, reference {status_ref}")
    if "X-Cache" in headers_api or "X-Cache" in headers_ref:
        sys.exit("a response came from the page cache: the benchmark would measure the cache")
    api, reference = json.loads(body_api), json.loads(body_ref)
    if api != reference:
        for index, (a, r) in enumerate(zip(api["results"], reference["results"], strict=False)):
            if a != r:
                diff = {k: (a.get(k), r.get(k)) for k in set(a) | set(r) if a.get(k) != r.get(k)}
                sys.exit(f"row {index} differs (endpoint, reference): {diff}")
        sys.exit(
            f"the answers differ: next {api['next']!r} vs {reference['next']!r}, "
            f"{len(api['results'])} vs {len(reference['results'])} rows"
        )
    return len(body_api), len(api["results"])


class Load:
    """`concurrency` keep-alive clients share `requests` requests, stopping at `seconds` anyway."""

    def __init__(self, port: int, target: str, *, requests: int, seconds: float, concurrency: int):
        self.port, self.target = port, target
        self.remaining, self.seconds, self.concurrency = requests, seconds, concurrency
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def _take(self, deadline: float) -> bool:
        with self.lock:
            if self.remaining <= 0 or time.monotonic() >= deadline:
                return False
            self.remaining -= 1
            return True

    def _client(self, deadline: float) -> None:
        # HTTP/1.1 keep-alive; http.client reconnects by itself when a sync worker closes.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            while self._take(deadline):
                started = time.perf_counter()
                try:
                    connection.request("GET", self.target, headers={"Accept": "application/json"})
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    with self.lock:
                        self.errors.append(repr(error))
                    continue
                elapsed = time.perf_counter() - started
                with self.lock:
                    if response.status == 200:
                        self.latencies.append(elapsed)
                    else:
                        self.errors.append(str(response.status))
        finally:
            connection.close()

    def run(self) -> float:
        started = time.monotonic()
        deadline = started + self.seconds
        threads = [
            threading.Thread(target=self._client, args=(deadline,)) for _ in range(self.concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - started


def summary(name: str, latencies: list[float], wall: float, errors: int) -> dict:
    ms = [s * 1000 for s in latencies]
    return {
        "name": name,
        "requests": len(ms),
        "errors": errors,
        "rps": len(ms) / wall if wall else 0.0,
        "p50": percentile(ms, 50) if ms else float("nan"),
        "p95": percentile(ms, 95) if ms else float("nan"),
        "mean": statistics.mean(ms) if ms else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=600, help="per side, over all rounds")
    parser.add_argument("--seconds", type=float, default=90.0, help="time cap per side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--port", type=int, default=8078)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    pending = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        check=False,
        cwd=ROOT,
        env=server_environment(args.port),
        capture_output=True,
        text=True,
    )
    if pending.returncode != 0:
        sys.exit("The database has unapplied migrations: run `manage.py migrate` first.")
    published = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", COUNT],
        cwd=ROOT,
        env=server_environment(args.port),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    query = f"page_size={args.page_size}"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "s4c.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=server_environment(args.port))
    try:
        wait_until_up(args.port, server)
        size, rows = check_same_json(args.port, query)
        print(
            f"{published} published resources; gunicorn: {args.workers} sync workers; "
            f"{args.concurrency} clients; {rows} rows, {size:,} bytes per answer; "
            "both answers identical"
        )
        targets = {
            "endpoint": f"{API_PATH}?{query}",
            "reference": f"{REFERENCE_PATH}?{query}",
        }
        for target in targets.values():  # warm up every worker: imports, plans, connections
            Load(args.port, target, requests=8 * args.workers, seconds=60, concurrency=2).run()
        results = {name: {"latencies": [], "wall": 0.0, "errors": 0} for name in targets}
        per_round = max(1, args.requests // args.rounds)
        for number in range(args.rounds):
            order = list(targets) if number % 2 == 0 else list(reversed(targets))
            for name in order:
                load = Load(
                    args.port,
                    targets[name],
                    requests=per_round,
                    seconds=args.seconds / args.rounds,
                    concurrency=args.concurrency,
                )
                wall = load.run()
                results[name]["latencies"] += load.latencies
                results[name]["wall"] += wall
                results[name]["errors"] += len(load.errors)
                print(
                    f"  round {number + 1} {name:9} {len(load.latencies):5} ok "
                    f"{len(load.errors)} errors {len(load.latencies) / wall:7.1f} req/s"
                )
        rows_out = [summary(name, **values) for name, values in results.items()]
        print(f"{'':10} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for row in rows_out:
            print(
                f"{row['name']:10} {row['requests']:8} {row['errors']:6} {row['rps']:8.1f} "
                f"{row['p50']:8.1f} {row['p95']:8.1f}"
            )
        endpoint, reference = rows_out
        ratio = endpoint["rps"] / reference["rps"] if reference["rps"] else 0.0
        print(f"endpoint/reference throughput: {ratio:.0%} (target: at least 70%)")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
