"""The widget's files: the web app refuses to start without the socket.io client it serves (webapp/chat_page.py),
and `make install` installs node_modules/ in each checkout whatever the shared environment's stamp says
(ops/node_modules.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ops import node_modules
from webapp import chat_page

LOCK = {
    "name": "evn-cskh-widget", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
    "packages": {
        "": {"name": "evn-cskh-widget", "version": "1.0.0", "dependencies": {"socket.io-client": "4.8.4"}},
        "node_modules/socket.io-client": {"version": "4.8.4", "integrity": "sha512-client"},
        "node_modules/ms": {"version": "2.1.3", "integrity": "sha512-ms"},
    },
}


def test_the_web_app_refuses_to_start_without_the_socket_io_client(monkeypatch, tmp_path):
    served = tmp_path / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
    monkeypatch.setattr(chat_page, "ROOT", tmp_path)
    monkeypatch.setitem(chat_page.STATIC_FILES, "socket.io.min.js", (served, chat_page.JS))
    assert chat_page.missing_files() == [served]
    with pytest.raises(SystemExit) as refused:
        chat_page.require_files()
    message = str(refused.value.code)  # a message, not a number: Python prints it and exits with 1
    assert "Web app không khởi động" in message and "make install" in message and "npm ci" in message
    assert "node_modules/socket.io-client/dist/socket.io.min.js" in message and str(tmp_path) in message
    served.parent.mkdir(parents=True)
    served.write_text("/* socket.io */")
    assert chat_page.missing_files() == []
    chat_page.require_files()  # starts


def test_the_file_the_install_checks_is_the_one_the_web_app_serves():
    assert chat_page.ROOT / node_modules.SERVED == chat_page.SOCKET_IO == chat_page.STATIC_FILES["socket.io.min.js"][0]
    assert node_modules.ROOT == chat_page.ROOT


def installed(root: Path) -> Path:
    """A checkout whose node_modules/ npm ci installed from LOCK (recorded in node_modules/.package-lock.json)."""
    (root / "package-lock.json").write_text(json.dumps(LOCK))
    (root / "node_modules").mkdir()
    hidden = {**LOCK, "packages": {name: entry for name, entry in LOCK["packages"].items() if name}}
    (root / "node_modules" / ".package-lock.json").write_text(json.dumps(hidden))
    for name, entry in hidden["packages"].items():
        (root / name).mkdir(parents=True)
        (root / name / "package.json").write_text(json.dumps({"name": name.split("/", 1)[1], **entry}))
    (root / node_modules.SERVED).parent.mkdir(parents=True)
    (root / node_modules.SERVED).write_text("/* socket.io */")
    return root


def test_node_modules_installed_from_the_lock_need_nothing(tmp_path):
    assert node_modules.problem(installed(tmp_path)) is None


def test_a_checkout_without_node_modules_needs_npm_ci(tmp_path):
    (tmp_path / "package-lock.json").write_text(json.dumps(LOCK))
    assert node_modules.problem(tmp_path) == "node_modules/ is missing"


def test_node_modules_not_from_npm_ci_need_npm_ci(tmp_path):
    (installed(tmp_path) / "node_modules" / ".package-lock.json").unlink()
    assert "not installed by npm ci" in node_modules.problem(tmp_path)


def test_a_changed_lock_needs_npm_ci(tmp_path):
    root = installed(tmp_path)
    changed = json.loads(json.dumps(LOCK))
    changed["packages"]["node_modules/socket.io-client"] = {"version": "4.8.5", "integrity": "sha512-newer"}
    (root / "package-lock.json").write_text(json.dumps(changed))
    assert node_modules.problem(root) == (
        "node_modules/socket.io-client is not installed at 4.8.5 as package-lock.json says")


def test_a_package_changed_on_disk_needs_npm_ci(tmp_path):
    root = installed(tmp_path)
    (root / "node_modules" / "ms" / "package.json").write_text(json.dumps({"name": "ms", "version": "2.0.0"}))
    assert node_modules.problem(root) == "node_modules/ms is 2.0.0 on disk, 2.1.3 in package-lock.json"
    (root / "node_modules" / "ms" / "package.json").unlink()
    assert node_modules.problem(root) == "node_modules/ms/package.json is missing or unreadable"


def test_a_package_the_lock_no_longer_has_needs_npm_ci(tmp_path):
    root = installed(tmp_path)
    smaller = json.loads(json.dumps(LOCK))
    del smaller["packages"]["node_modules/ms"]
    (root / "package-lock.json").write_text(json.dumps(smaller))
    assert node_modules.problem(root) == "node_modules/ holds packages package-lock.json does not: node_modules/ms"


def test_the_served_file_missing_needs_npm_ci(tmp_path):
    (installed(tmp_path) / node_modules.SERVED).unlink()
    assert node_modules.problem(tmp_path) == "node_modules/socket.io-client/dist/socket.io.min.js is missing"
