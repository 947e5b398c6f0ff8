"""Fault drill: Redis (cache and broker) stops while gunicorn serves pages and the sign-in form.

    .venv/bin/python benchmarks/fault_redis_down.py [--seconds 15] [--clients 4]

Starts a redis-server of its own (a free local port), gunicorn (2 workers, production settings)
on PostgreSQL (DATABASE_URL, default s4c_fault), and drives a bounded mix from `--clients`
threads: the home page, the Learning Hub, a hub search, and the sign-in form (a fresh visitor:
GET for the CSRF token, then POST). Phases: Redis up, Redis stopped, Redis back. Prints, per
phase: requests, requests/s, 5xx and other errors, sign-in requests accepted, log lines and
bytes written, tracebacks; and, at the end, whether every accepted sign-in reached the outbox
(nothing lost). Traffic goes to 127.0.0.1 only.
"""

import argparse
import itertools
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2, headers={"X-Forwarded-Proto": "https"})
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


class Redis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Load:
    """`clients` threads looping over the mix until told to stop; counts per phase."""

    PAGES = ("/en/", "/en/learning/", "/en/hub/?q=care", "/ar/hub/")

    def __init__(self, base: str, clients: int):
        self.base, self.clients = base, clients
        self.phase = "up"
        self.stats: dict[str, dict[str, int]] = {}
        self.times: dict[str, dict[str, list[float]]] = {}
        self.lock = threading.Lock()
        self.running = True
        self.n = 0

    def count(self, key: str) -> None:
        with self.lock:
            phase = self.stats.setdefault(self.phase, {})
            phase[key] = phase.get(key, 0) + 1

    def request(self, session, method, path, cookie="", **kwargs):
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1{path}"}
        if cookie:
            headers["Cookie"] = cookie  # the cookies are Secure: not sent over plain http
        started = time.monotonic()
        try:
            response = session.request(
                method,
                self.base + path,
                headers=headers,
                timeout=30,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException:
            self.count("errors")
            return None
        with self.lock:
            times = self.times.setdefault(self.phase, {}).setdefault(f"{method} {path}", [])
            times.append(time.monotonic() - started)
        self.count("requests")
        if response.status_code >= 500:
            self.count("5xx")
        return response

    def visitor(self):
        while self.running:
            session = requests.Session()
            for path in self.PAGES:
                self.request(session, "GET", path)
            page = self.request(session, "GET", "/en/learning/sign-in/")
            if page is None or page.status_code != 200:
                continue
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            with self.lock:
                self.n += 1
                email = f"drill{self.n}-{secrets.token_hex(3)}@example.org"
            posted = self.request(
                session,
                "POST",
                "/en/learning/sign-in/",
                cookie=f"csrftoken={page.cookies.get('csrftoken', '')}",
                data={"email": email, "csrfmiddlewaretoken": token.group(1) if token else ""},
            )
            if posted is not None and posted.status_code == 200:
                self.count("sign_in_accepted")

    def run(self):
        self.threads = [
            threading.Thread(target=self.visitor, daemon=True) for _ in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=60)


def outbox_sign_ins(manage: list[str], env: dict) -> int:
    code = (
        "from core.models import OutboxTask; print(OutboxTask.objects.filter("
        "task_name='learning.send_sign_in_link').count())"
    )
    result = subprocess.run(
        [*manage, "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.split()[-1])


def main() -> None:
    redis = Redis()
    try:
        drill(redis)
    finally:
        if redis.process is not None and redis.process.poll() is None:
            redis.stop()


def drill(redis: "Redis") -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    redis.start()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/s4c_fault"
        ),
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "S4C_ENV_FILE": "/dev/null",
        "REQUEST_LOG_LEVEL": "WARNING",
        # The drill is one address sending many sign-ins: lift the forms' limits.
        "SIGN_IN_RATE_LIMIT": "1000000",
        "EMAIL_RATE_LIMIT": "1000000",
    }
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "load_south4care"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    outbox_before = outbox_sign_ins(manage, env)
    log_path = Path(f"/tmp/s4c-fault-redis-{port}.log")
    log = log_path.open("wb")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "s4c.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        load = Load(f"http://127.0.0.1:{port}", args.clients)
        offsets = {}
        load.run()
        load.phase = "warm-up"
        time.sleep(args.seconds / 2)
        for phase, action in [("up", None), ("down", redis.stop), ("back", redis.start)]:
            if action is not None:
                action()
            load.phase = phase
            offsets[phase] = log_path.stat().st_size
            time.sleep(args.seconds)
        load.stop()
        offsets["end"] = log_path.stat().st_size
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log_path.read_bytes()
    print(
        f"{'phase':6} {'requests':>9} {'req/s':>7} {'5xx':>5} {'errors':>7} {'sign-ins':>9} "
        f"{'log lines':>10} {'log bytes':>10} {'tracebacks':>11}"
    )
    accepted = 0
    bounds = ["up", "down", "back", "end"]
    for phase, end in itertools.pairwise(bounds):
        stats = load.stats.get(phase, {})
        chunk = text[offsets[phase] : offsets[end]]
        accepted += stats.get("sign_in_accepted", 0)
        lines, tracebacks = chunk.count(b"\n"), chunk.count(b"Traceback")
        print(
            f"{phase:6} {stats.get('requests', 0):9} {stats.get('requests', 0) / args.seconds:7.1f} "
            f"{stats.get('5xx', 0):5} {stats.get('errors', 0):7} "
            f"{stats.get('sign_in_accepted', 0):9} {lines:10} {len(chunk):10} {tracebacks:11}"
        )
    print("median milliseconds per request:")
    paths = sorted({path for phase in bounds[:3] for path in load.times.get(phase, {})})
    for path in paths:
        medians = []
        for phase in bounds[:3]:
            values = sorted(load.times.get(phase, {}).get(path, [0]))
            medians.append(f"{phase} {1000 * values[len(values) // 2]:6.1f}")
        print(f"  {path:28} " + "  ".join(medians))
    outbox_after = outbox_sign_ins(manage, env)
    recorded = outbox_after - outbox_before
    print(
        f"sign-ins accepted: {accepted}; sign-in tasks in the outbox: {recorded} "
        f"({'nothing lost' if recorded >= accepted else 'LOST ' + str(accepted - recorded)})"
    )
    print("warnings from the breaker:")
    for line in text.decode(errors="replace").splitlines():
        if "core.outage" in line:
            print("  " + line[:200])
    sys.exit(0 if recorded >= accepted else 1)


if __name__ == "__main__":
    main()
