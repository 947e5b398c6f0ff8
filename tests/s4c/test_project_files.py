"""What can be checked of the deployment files without a Docker engine."""

import re
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_defines_the_production_services_with_health_checks_and_volumes():
    compose = _compose()
    assert set(compose["services"]) == {
        "db",
        "cache",
        "broker",
        "web",
        "worker",
        "beat",
        "proxy",
    }
    for name in ("db", "cache", "broker", "web", "proxy"):
        assert "healthcheck" in compose["services"][name], name
    assert {"postgres-data", "media"} <= set(compose["volumes"])


def test_compose_commands_exist_in_the_project():
    compose = _compose()
    commands = get_commands()
    for service in compose["services"].values():
        command = service.get("command", "")
        command = " ".join(command) if isinstance(command, list) else command
        for name in re.findall(r"manage\.py (\w+)", command):
            assert name in commands, name
        if "celery" in command:
            assert "-A s4c" in command
        if "gunicorn" in command:
            assert "s4c.wsgi" in command
    assert (ROOT / "Dockerfile").exists()


def test_compose_environment_variables_are_documented_settings():
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    settings_source = (ROOT / "s4c" / "settings.py").read_text()
    for service_name, service in _compose()["services"].items():
        if service_name == "proxy":
            continue  # nginx's own settings, read by deploy/nginx/render.sh
        for name in service.get("environment", {}) or {}:
            if name.startswith("POSTGRES_"):
                continue
            assert name in documented, f"{name} is not in .env.example"
            assert f'"{name}"' in settings_source, f"{name} is not read by settings"


def test_a_deploy_or_restart_runs_migrations_only_and_only_the_proxy_is_published():
    services = _compose()["services"]
    assert "load_south4care" not in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    assert "/en/" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_the_cache_may_evict_and_the_broker_never_does():
    services = _compose()["services"]
    cache, broker = services["cache"]["command"], services["broker"]["command"]
    assert "--maxmemory " in cache
    assert "--maxmemory-policy allkeys-lru" in cache
    assert "--maxmemory-policy noeviction" in broker
    assert "--appendonly yes" in broker
    environment = services["web"]["environment"]
    assert environment["REDIS_URL"].startswith("redis://broker:")
    assert environment["CACHE_REDIS_URL"].startswith("redis://cache:")
