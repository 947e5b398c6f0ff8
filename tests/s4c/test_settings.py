"""Production mode: `check --deploy` is clean with the documented environment, and bad settings stop start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p7Vq2LxN9sT4wZ8cR1mK6yH3jB5fD0gA-uE_oI7nQ2vX9sL4tW8zC1rM6kY3hJ5b",
    "ALLOWED_HOSTS": "south4care.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://south4care.example.org",
    "DATABASE_URL": "sqlite:////tmp/s4c-deploy-check.sqlite3",
    # The cache on its own Redis, as the shipped stack has it (never reached by the check).
    "CACHE_REDIS_URL": "redis://127.0.0.1:6390/0",
}


def _manage(*args, env_overrides: dict, drop: tuple = ()):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "S4C_TESTING",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            *drop,
        }
    }
    env.update(env_overrides)
    # An empty .env path keeps a developer's .env (debug mode) out of this check.
    env["S4C_ENV_FILE"] = "/dev/null"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_cache_and_the_broker_share_a_redis():
    shared = {**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    shared["CACHE_REDIS_URL"] = "redis://127.0.0.1:6379/3"
    result = _manage("check", "--deploy", env_overrides=shared)
    assert "s4c.W001" in result.stdout + result.stderr
    assert "share one Redis server (127.0.0.1:6379)" in result.stdout + result.stderr


def test_check_deploy_warns_when_webhooks_may_reach_private_addresses_or_plain_http():
    local = {**PRODUCTION_ENV, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true", "WEBHOOK_ALLOW_HTTP": "1"}
    result = _manage("check", "--deploy", env_overrides=local)
    output = result.stdout + result.stderr
    assert "s4c.W002" in output
    assert "s4c.W003" in output


@pytest.mark.parametrize("name", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_missing_required_setting_stops_start_up_naming_it(name):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
    result = _manage("check", env_overrides=env, drop=(name,))
    assert result.returncode != 0
    assert f"The setting {name} is required" in result.stderr


def test_weak_secret_key_is_refused():
    result = _manage("check", env_overrides={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_malformed_boolean_is_refused_naming_the_setting():
    result = _manage("check", env_overrides={**PRODUCTION_ENV, "DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG" in result.stderr
