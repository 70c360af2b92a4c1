"""The web app served in-process on a port of its own, for tests that speak HTTP to it."""
from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sanic import Sanic


@asynccontextmanager
async def served(app: Sanic) -> AsyncIterator[str]:
    """The app listening on a free port of 127.0.0.1 (its base URL) until the block ends.

    The socket is bound here: Sanic 21 reads `port=0` as its default port 8000, which another test run or a
    running stack may hold.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = await app.create_server(sock=sock, return_asyncio_server=True)
    if server is None:
        raise RuntimeError("the web app did not start")
    await server.startup()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.close()
        await server.wait_closed()
        await server.after_stop()
