"""Cache and broker on two Redis instances configured as docker-compose.yml configures them:
anonymous traffic that fills the cache stays within its memory limit and never touches a task
queued in the broker. Real redis-server processes on loopback ports."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
CACHE_MAXMEMORY = 4 * 1024 * 1024  # compose gives 256mb; a small limit fills in a second

FLOOD = """
import json, os, secrets
import django
django.setup()
import redis
from django.core.cache import cache
from s4c.celery import app

app.send_task("s4c.ping")  # queued; no worker runs in this test
# Each unique anonymous search stores a few KiB (issue 14: ~5.5 KiB); 3,000 of them is ~3x the limit.
for n in range(3000):
    cache.set(f"hub:list:{n}:{secrets.token_hex(4)}", secrets.token_bytes(5600), 3600)
broker = redis.Redis.from_url(os.environ["REDIS_URL"])
memory = redis.Redis.from_url(os.environ["CACHE_REDIS_URL"]).info("memory")
print(json.dumps({
    "queued": broker.llen("celery"),
    "broker_keys": sorted(k.decode() for k in broker.keys("*")),
    "cache_used": memory["used_memory"],
    "cache_max": memory["maxmemory"],
    "evicted": redis.Redis.from_url(os.environ["CACHE_REDIS_URL"]).info("stats")["evicted_keys"],
}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _compose_redis_arguments(service: str) -> list[str]:
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][service][
        "command"
    ]
    args = command.split()[1:]
    return [a.strip('"') if a != '""' else "" for a in args]


@pytest.fixture
def two_redis(tmp_path):
    if REDIS_SERVER is None:
        if os.environ.get("S4C_REQUIRE_SERVICES") == "1":
            pytest.fail("CI requires redis-server", pytrace=False)
        pytest.skip("needs redis-server")
    processes, urls = [], {}
    for service in ("cache", "broker"):
        port = _free_port()
        args = _compose_redis_arguments(service)
        if "--maxmemory" in args:
            args[args.index("--maxmemory") + 1] = str(CACHE_MAXMEMORY)
        (tmp_path / service).mkdir()
        processes.append(
            subprocess.Popen(
                [
                    REDIS_SERVER,
                    *args,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    str(tmp_path / service),
                    "--save",
                    "",
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        urls[service] = f"redis://127.0.0.1:{port}/0"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
    yield urls
    for process in processes:
        process.terminate()
        process.wait(10)


def _run(script: str, env: dict) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CACHE_REDIS"))}
    result = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        cwd=ROOT,
        env={**base, "S4C_TESTING": "1", "DJANGO_SETTINGS_MODULE": "s4c.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_a_flood_of_anonymous_cache_writes_stays_bounded_and_spares_the_broker(two_redis):
    out = json.loads(
        _run(FLOOD, {"REDIS_URL": two_redis["broker"], "CACHE_REDIS_URL": two_redis["cache"]})
    )

    assert out["queued"] == 1  # the task waits for its worker, whatever the cache went through
    assert not [k for k in out["broker_keys"] if "hub:list" in k]  # no cache entry there
    assert out["cache_max"] == CACHE_MAXMEMORY
    assert out["evicted"] > 0
    assert out["cache_used"] <= CACHE_MAXMEMORY * 1.1


def test_the_cache_uses_the_broker_server_unless_told_otherwise():
    script = "import django; django.setup(); from django.conf import settings; " + (
        "print(settings.CACHES['default'].get('LOCATION'))"
    )
    assert _run(script, {"REDIS_URL": "redis://127.0.0.1:6399/3"}) == "redis://127.0.0.1:6399/3"
    assert (
        _run(
            script,
            {"REDIS_URL": "redis://broker:6379/0", "CACHE_REDIS_URL": "redis://cache:6379/0"},
        )
        == "redis://cache:6379/0"
    )
