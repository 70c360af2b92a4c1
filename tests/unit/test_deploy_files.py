"""docker-compose.yml, deploy/ and the Kubernetes note cannot run here: they are kept to the tested profile.

The tested profile is ops/production.py (+ ops/endpoints.py, ops/nginx_conf.py); these
checks fail when the container files drift from it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from evn.settings import Settings
from ops import nginx_conf
from ops.endpoints import shared_stores
from ops.production import COPIES, DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_the_committed_nginx_conf_is_the_profiles_configuration_with_compose_names():
    assert (ROOT / "deploy" / "nginx.conf").read_text() == nginx_conf.text(**nginx_conf.COMPOSE)


def test_compose_runs_the_same_processes_as_the_profile():
    for kind in ("rasa", "actions", "web"):
        assert sorted(name for name in SERVICES if name.startswith(f"{kind}-")) == [
            f"{kind}-{index}" for index in range(1, COPIES + 1)]
    assert {"worker", "nginx", "postgres", "redis", "rabbitmq", "migrate"} <= set(SERVICES)
    assert SERVICES["nginx"]["ports"] == ["8000:8000"]  # PROXY_PORT


def test_every_image_tag_is_pinned():
    for name, service in SERVICES.items():
        image = service.get("image")
        if image:
            assert re.fullmatch(r"[\w./-]+:\d[\w.-]*", image), f"{name}: {image} is not pinned to a version"
    stages = {stage: image for image, stage in re.findall(r"^FROM (\S+) AS (\w+)$", (ROOT / "Dockerfile").read_text(),
                                                           re.M)}
    assert re.fullmatch(r"python:3\.10\.\d+-slim-bookworm", stages["rasa"])
    assert re.fullmatch(r"python:3\.13\.\d+-slim-bookworm", stages["app"])


def test_only_the_rasa_servers_run_on_the_rasa_image():
    """Python 3.10 (no more security fixes) runs the Rasa servers alone; every other process has the application's
    image, which holds no Rasa: its action servers are rasa-sdk's own, never `rasa run actions`."""
    for name, service in SERVICES.items():
        if "build" not in service:
            continue
        expected = "rasa" if name.startswith("rasa-") else "app"
        assert service["build"] == {"context": ".", "target": expected}, name
        assert service["image"].startswith(f"evn-cskh-{expected}:"), name
        if expected == "app":
            assert not re.search(r"\brasa (run|train)\b", str(service["command"])), name
    for index in range(1, COPIES + 1):
        assert SERVICES[f"actions-{index}"]["command"].startswith("python -m rasa_sdk --actions actions")


def test_app_containers_use_the_profiles_stores_and_production_settings():
    for name in ("rasa-1", "rasa-2", "actions-1", "actions-2", "web-1", "web-2", "worker", "migrate"):
        env = SERVICES[name]["environment"]
        assert set(DEFAULTS) <= set(env), name  # DATABASE_URL, TRACKER_STORE_URL, REDIS_URL, RABBITMQ_URL
        assert env["APP_ENV"] == "production"
    for index in (1, 2):
        assert SERVICES[f"rasa-{index}"]["environment"]["ACTION_SERVER_URL"] == f"http://actions-{index}:5055/webhook"
        targets = SERVICES[f"web-{index}"]["environment"]["HEALTH_TARGETS"].split(",")
        assert sorted(targets) == sorted(
            [f"http://rasa-{i}:5005/" for i in (1, 2)] + [f"http://actions-{i}:5055/health" for i in (1, 2)]
            + [f"http://web-{i}:8080/health" for i in (1, 2)])


def test_every_compose_server_limits_request_bodies_as_the_profile_does():
    from ops.stack import BODY_LIMITS

    for kind, limit in BODY_LIMITS.items():
        for index in range(1, COPIES + 1):
            assert SERVICES[f"{kind}-{index}"]["environment"]["SANIC_REQUEST_MAX_SIZE"] == str(limit), (kind, index)


def test_every_compose_server_is_asked_whether_it_answers_as_the_supervisor_asks_it():
    paths = {"rasa": ":5005/'", "actions": ":5055/health'", "web": ":8080/health'"}
    for kind, path in paths.items():
        for index in range(1, COPIES + 1):
            check = SERVICES[f"{kind}-{index}"]["healthcheck"]
            assert path in check["test"][-1] and check["retries"] == 3, (kind, index)


def test_compose_asks_for_no_variable_the_example_does_not_document():
    text = (ROOT / "docker-compose.yml").read_text()
    asked = set(re.findall(r"\$\{(\w+)", text))
    example = (ROOT / ".env.production.example").read_text()
    listed = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    assert asked <= listed, asked - listed


def test_the_kubernetes_values_name_the_same_stores_as_the_profile():
    note = (ROOT / "docs" / "deployment.md").read_text()
    values = yaml.safe_load(note.split("```yaml", 1)[1].split("```", 1)[0])
    endpoints = values["applicationSettings"]["endpoints"]
    profile = shared_stores(Settings.from_env({
        "TRACKER_STORE_URL": "postgresql://evn:x@postgresql.evn.svc:5432/evn_rasa",
        "REDIS_URL": "redis://redis.evn.svc:6379/0", "RABBITMQ_URL": "amqp://evn:x@rabbitmq.evn.svc:5672/"}))
    for helm_key, rasa_key in (("trackerStore", "tracker_store"), ("lockStore", "lock_store"),
                               ("eventBroker", "event_broker")):
        helm = endpoints[helm_key]["customConfiguration"]
        ours = profile[rasa_key]
        assert {k: v for k, v in helm.items() if k != "password"} == {
            k: v for k, v in ours.items() if k != "password"}, helm_key
    assert values["replicaCount"] == COPIES


def test_make_runs_one_rasa_may_keep_conversations_in_sqlite_but_shared_stores_must_be_postgresql(tmp_path):
    from ops.endpoints import tracker_store

    assert tracker_store(f"sqlite:///{tmp_path}/rasa.sqlite3", one_process=True) == {
        "type": "SQL", "dialect": "sqlite", "db": f"{tmp_path}/rasa.sqlite3"}
    assert tracker_store("postgresql://evn:p%40ss@db:5433/evn_rasa", one_process=True)["password"] == "p@ss"
    with pytest.raises(ValueError):
        tracker_store("sqlite:///var/rasa.sqlite3")  # several Rasa processes never share a SQLite file
    with pytest.raises(ValueError):
        shared_stores(Settings.from_env({"TRACKER_STORE_URL": "sqlite:///var/rasa.sqlite3"}))


@pytest.mark.parametrize("environment", ["rasa", "app"])
def test_the_production_images_hold_no_test_tools(environment):
    """Each image installs its environment's production lock only; the tools that develop and test are in *-dev.txt."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    stage = dockerfile.split(f" AS {environment}\n", 1)[1].split("\nFROM ", 1)[0]
    assert re.findall(r"pip install[^\n]*-r (\S+)", stage) == [f"requirements/{environment}.txt"]
    production = {line.split("==")[0].lower() for line in
                  (ROOT / f"requirements/{environment}.txt").read_text().splitlines() if "==" in line}
    for tool in ("pytest", "playwright", "ruff", "mypy", "pyvi"):
        assert tool not in production
    development = (ROOT / f"requirements/{environment}-dev.txt").read_text().splitlines()
    assert f"-r {environment}.txt" in development and any(line.startswith("pytest==") for line in development)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"tests", "bench", "eval", "requirements/*-dev.*"} <= set(ignored)


def test_the_images_install_with_the_pip_the_environments_use():
    pinned = re.search(r"^PIP_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M)
    installs = re.findall(r'"pip==([^"]+)"', (ROOT / "Dockerfile").read_text())
    assert pinned and installs == [pinned.group(1)] * 2
