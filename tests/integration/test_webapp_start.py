"""`python -m webapp` (what `make run` and the production profile start) refuses to start without the socket.io client
it serves: it exits 1 at once, saying which file is missing and how to install it, before it binds a port."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The checkout's node_modules/ is shared by whatever else runs here: the web app is pointed at a missing file instead.
START_WITHOUT_THE_CLIENT = textwrap.dedent("""
    import runpy, sys
    from webapp import chat_page

    path, mime = chat_page.STATIC_FILES["socket.io.min.js"]
    chat_page.STATIC_FILES["socket.io.min.js"] = (path.with_name("gone-" + path.name), mime)
    runpy.run_module("webapp", run_name="__main__", alter_sys=True)
    print("started anyway", flush=True)
""")


def test_the_webapp_exits_at_once_without_the_socket_io_client():
    with socket.socket() as probe:  # a free port, should it start all the same (then it times out: a failure)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = subprocess.run([sys.executable, "-c", START_WITHOUT_THE_CLIENT], cwd=ROOT,
                            env={**os.environ, "WEB_PORT": str(port)}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Web app không khởi động" in result.stderr and "make install" in result.stderr
    assert "node_modules/socket.io-client/dist/gone-socket.io.min.js" in result.stderr
    assert "started anyway" not in result.stdout and "Starting worker" not in result.stdout + result.stderr
