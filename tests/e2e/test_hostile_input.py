"""The hostile corpus (tests/hostile/) against every public endpoint of the running stack.

Expected everywhere: no 5xx, no traceback in any process's log, every process still
up, nothing written to the database for input that was refused. The counts tried per
endpoint are printed (run pytest with -s to see the table).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import http.client
import json
import socket
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import socketio
from sqlalchemy import func, select

from evn.adapters import orm
from evn.adapters.db import make_engine
from evn.adapters.gateways.momo import MomoConfig, sign_ipn
from evn.adapters.gateways.zalopay import ZalopayConfig, sign_callback
from tests.e2e.stack_settings import FACEBOOK, MOMO, ZALO, ZALOPAY
from tests.fakes.zalo_signing import zalo_mac
from tests.hostile import corpus

TRIED: Counter[str] = Counter()
STATUSES: dict[str, Counter[int]] = {}
GUARDED_TABLES = (orm.Customer, orm.Bill, orm.Payment, orm.PaymentLink, orm.PaymentOrder, orm.ServiceRequest,
                  orm.RequestEvent, orm.Handoff, orm.VerificationAttempt, orm.ChannelToken, orm.RateLimitEvent)
BIG = 200_000  # bodies above this go only where a big body is the point (they cost seconds each)


FAILURES: list[str] = []


def record(endpoint: str, status: int, what: object = "") -> None:
    TRIED[endpoint] += 1
    STATUSES.setdefault(endpoint, Counter())[status] += 1
    if status >= 500:
        FAILURES.append(f"{endpoint} answered {status} to {what!r:.120}")


def no_failures() -> None:
    failures, FAILURES[:] = list(FAILURES), []
    assert not failures, "\n".join(failures[:50])


def bodies(limit: int | None = None) -> list[bytes]:
    every = [entry for entries in corpus.load().values() for entry in entries]
    return [b for b in every if limit is None or len(b) <= limit]


def texts(limit: int = BIG) -> list[str]:
    return [t for t in corpus.texts() if len(t) <= limit]


def values() -> list[object]:
    return [v for v in corpus.values() if len(json.dumps(v, ensure_ascii=False)) <= BIG]


def table_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = {t.__tablename__: connection.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in GUARDED_TABLES}
    engine.dispose()
    return counts


def raw_line(port: int, request: bytes) -> int:
    """Send raw bytes; the status line's code, or 400 when the server closes without one."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        answer = connection.recv(64)
    return int(answer.split()[1]) if answer.startswith(b"HTTP/") else 400


def raw_request(url: str, method: str, path: str, headers: dict[str, bytes | str], body: bytes = b"") -> int:
    """A request whose header values may hold any byte (requests refuses some)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture(scope="module")
def sweep(stack, sqlite_url):
    """Log sizes and table counts before the sweep; the checks that hold after all of it."""
    logs = {path: path.stat().st_size for path in Path(stack.log_dir).glob("*.log")}
    yield {"counts": table_counts(sqlite_url)}
    time.sleep(3)  # background work of the webhooks (Messenger, Zalo) finishes
    new_lines = "".join(path.read_text(errors="replace")[size:] for path, size in logs.items())
    tracebacks = [new_lines[i:i + 1500] for i in _positions(new_lines, "Traceback")[:3]]
    assert not tracebacks, "\n----\n".join(tracebacks)
    # The supervisor would restart a crashed process: a restart is a crash all the same.
    crashed = [s.name for s in stack.supervisor.services if s.restarts or not s.running]
    assert not crashed, f"died during the sweep: {crashed}"
    for url in (f"{stack.web_url}/health", f"{stack.rasa_url}/", f"http://127.0.0.1:{stack.actions_port}/health"):
        assert requests.get(url, timeout=10).ok, url
    width = max(len(name) for name in TRIED)
    print(f"\n{'endpoint':<{width}}  tried  statuses")
    for name, count in sorted(TRIED.items()):
        print(f"{name:<{width}}  {count:>5}  {dict(sorted(STATUSES[name].items()))}")
    print(f"{'total':<{width}}  {sum(TRIED.values()):>5}")


def _positions(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


# ---- refused input: nothing may be written -----------------------------------------------------------


def test_refused_bodies_and_credentials_write_nothing(stack, sweep, sqlite_url):
    session = requests.Session()
    rest = f"{stack.rasa_url}/webhooks/rest/webhook"
    for body in bodies():
        record("REST without token", session.post(rest, data=body, headers={"Content-Type": "application/json"},
                                                  timeout=60).status_code)
    for body in bodies():
        status = session.post(rest, data=body, headers={"Content-Type": "application/json", **stack.rest_headers},
                              timeout=60).status_code
        record("REST raw bodies", status)
    for value in values():
        record("REST sender/metadata", session.post(rest, json={"sender": value, "message": "xin chào"},
                                                    headers=stack.rest_headers, timeout=60).status_code)
        if not isinstance(value, dict) and value is not None:
            record("REST sender/metadata", session.post(rest, json={"sender": "ok", "message": "hi", "metadata": value},
                                                        headers=stack.rest_headers, timeout=60).status_code)
    for header in bodies(limit=10_000):
        for target in ("rest", "agent"):
            url = stack.rasa_url if target == "rest" else stack.web_url
            path = "/webhooks/rest/webhook" if target == "rest" else "/agent/handoffs"
            method = "POST" if target == "rest" else "GET"
            status = raw_request(url, method, path, {"Authorization": b"Bearer " + header.replace(b"\r", b"").replace(
                b"\n", b""), "Content-Type": "application/json"}, b'{"sender": "x", "message": "hi"}')
            record(f"{'REST' if target == 'rest' else 'agent handoffs'} Authorization", status)

    messenger = f"{stack.rasa_url}/webhooks/facebook/webhook"
    for body in bodies():
        record("Messenger unsigned", session.post(messenger, data=body, timeout=60).status_code)
    for header in bodies(limit=10_000):
        clean = header.replace(b"\r", b"").replace(b"\n", b"")
        record("Messenger signature header", raw_request(stack.rasa_url, "POST", "/webhooks/facebook/webhook",
                                                         {"X-Hub-Signature-256": clean},
                                                         b'{"object":"page","entry":[]}'))
    for body in bodies():
        signed = "sha256=" + hmac.new(FACEBOOK["FACEBOOK_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest()
        status = session.post(messenger, data=body, headers={"X-Hub-Signature-256": signed}, timeout=60).status_code
        record("Messenger signed garbage", status)
    for value in texts(limit=10_000):
        record("Messenger verification", session.get(messenger, params={
            "hub.mode": value, "hub.verify_token": value, "hub.challenge": value}, timeout=60).status_code)

    zalo = f"{stack.rasa_url}/webhooks/zalo/webhook"
    for body in bodies():
        record("Zalo unsigned", session.post(zalo, data=body, timeout=60).status_code)
        forged = {"X-ZEvent-Signature": "mac=" + hashlib.sha256(body).hexdigest()}
        record("Zalo forged signature", session.post(zalo, data=body, headers=forged, timeout=60).status_code)
    for header in bodies(limit=10_000):
        event = zalo_event("zu-hostile", "xin chào")
        clean = header.replace(b"\r", b"").replace(b"\n", b"")
        record("Zalo signature header", raw_request(stack.rasa_url, "POST", "/webhooks/zalo/webhook",
                                                    {"X-ZEvent-Signature": clean}, json.dumps(event).encode()))
    for value in values():
        for field in ("app_id", "timestamp", "event_name"):
            event = zalo_event(f"zu{uuid.uuid4().hex[:12]}", "xin chào")
            event[field] = value
            record("Zalo signed malformed events", post_zalo(session, stack, event).status_code)
        event = zalo_event(f"zu{uuid.uuid4().hex[:12]}", "xin chào")
        event["sender"] = {"id": value}
        record("Zalo signed malformed events", post_zalo(session, stack, event).status_code)

    web = stack.web_url
    for token in texts(limit=12_000):
        safe = quote(token, safe="")
        for suffix in ("", "/qr.png", "/vnpay", "/momo", "/zalopay", "/../../etc/passwd"):
            record("pay pages", session.get(f"{web}/pay/{safe}{suffix}", timeout=60).status_code)
        record("static files", session.get(f"{web}/static/{safe}", timeout=60).status_code)
    for value in texts(limit=12_000):
        params = {"vnp_Amount": value, "vnp_TxnRef": value, "vnp_SecureHash": value, "vnp_ResponseCode": value,
                  "vnp_TransactionStatus": value, "vnp_TmnCode": value}
        record("VNPay IPN", session.get(f"{web}/payments/vnpay/ipn", params=params, timeout=60).status_code)
        record("VNPay return", session.get(f"{web}/payments/vnpay/return", params=params, timeout=60).status_code)
        record("MoMo return", session.get(f"{web}/payments/momo/return", params={"resultCode": value}, timeout=60)
               .status_code)
        record("ZaloPay return", session.get(f"{web}/payments/zalopay/return", params={"status": value}, timeout=60)
               .status_code)
        record("VNPay simulator", session.get(f"{web}/simulator/vnpay/pay", params=params, timeout=60).status_code)
        record("VNPay simulator", session.post(f"{web}/simulator/vnpay/pay", data=params, timeout=60).status_code)
    for body in bodies():
        for path in ("/payments/momo/ipn", "/payments/zalopay/ipn"):
            record(f"{path.split('/')[2].capitalize()} IPN", session.post(
                f"{web}{path}", data=body, headers={"Content-Type": "application/json"}, timeout=60).status_code)
    for value in values():
        record("Momo IPN", session.post(f"{web}/payments/momo/ipn", json={
            "orderId": value, "amount": value, "resultCode": value, "signature": value, "partnerCode": value},
            timeout=60).status_code)
        record("Zalopay IPN", session.post(f"{web}/payments/zalopay/ipn", json={"data": value, "mac": value},
                                           timeout=60).status_code)
        record("Zalopay IPN", session.post(f"{web}/payments/zalopay/ipn", json={
            "data": json.dumps({"app_trans_id": value, "amount": value}) if _jsonable(value) else "x", "mac": "0" * 64},
            timeout=60).status_code)
    momo = MomoConfig(*MOMO.values())
    zalopay = ZalopayConfig(*ZALOPAY.values())
    for value in texts(limit=12_000):  # genuinely signed callbacks carrying hostile values
        ipn = {"partnerCode": momo.partner_code, "orderId": value, "requestId": value, "amount": value,
               "orderInfo": value, "orderType": "momo_wallet", "transId": value, "resultCode": 0, "message": value,
               "payType": "qr", "responseTime": 1, "extraData": value}
        ipn["signature"] = sign_ipn(momo, ipn)
        record("Momo IPN, signed", session.post(f"{web}/payments/momo/ipn", json=ipn, timeout=60).status_code)
        data = json.dumps({"app_id": 2553, "app_trans_id": value, "amount": value, "zp_trans_id": value})
        record("Zalopay IPN, signed", session.post(f"{web}/payments/zalopay/ipn", json={
            "data": data, "mac": sign_callback(zalopay, data), "type": 1}, timeout=60).status_code)
    for body in bodies(limit=BIG):
        record("chat session", session.post(f"{web}/chat/session", data=body, timeout=60).status_code)
        record("chat page", session.get(f"{web}/chat", params={"q": body[:2000]}, timeout=60).status_code)

    for value in texts(limit=12_000):
        safe = quote(value, safe="")
        for method, path in (("get", f"/conversations/{safe}/tracker"),
                             ("post", f"/conversations/{safe}/trigger_intent"),
                             ("post", "/model/parse"), ("get", "/status"), ("post", f"/conversations/{safe}/messages")):
            record("Rasa HTTP API, any token", getattr(session, method)(
                f"{stack.rasa_url}{path}", params={"token": value}, data=value.encode(), timeout=60).status_code)
    actions = f"http://127.0.0.1:{stack.actions_port}"
    for body in bodies():
        record("action server without token", session.post(f"{actions}/webhook", data=body, timeout=60).status_code)
        record("action server with token", session.post(
            f"{actions}/webhook", data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {stack.action_token}"},
            timeout=60).status_code)
    for value in values():
        record("action server with token", session.post(
            f"{actions}/webhook", json={"next_action": value, "tracker": value, "domain": value, "sender_id": value},
            headers={"Authorization": f"Bearer {stack.action_token}"}, timeout=60).status_code)
    for entry in corpus.load()["invalid_utf8"]:  # bytes no HTTP client library would send in a path
        for port in (stack.web_port, stack.rasa_port, stack.actions_port):
            request = b"GET /pay/" + entry.replace(b"\r", b"").replace(b"\n", b"").replace(b" ", b"") + \
                b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            record("non-UTF-8 request lines", raw_line(port, request))
    no_failures()
    assert table_counts(sqlite_url) == sweep["counts"]


# ---- accepted channels: hostile words are answered politely ------------------------------------------


def zalo_event(user: str, text) -> dict:
    return {"event_name": "user_send_text", "app_id": ZALO["ZALO_APP_ID"], "sender": {"id": user},
            "recipient": {"id": "579745863508352884"}, "message": {"msg_id": uuid.uuid4().hex, "text": text},
            "timestamp": str(int(time.time() * 1000))}


def post_zalo(session, stack, event: dict) -> requests.Response:
    raw = json.dumps(event, ensure_ascii=False).encode()
    mac = zalo_mac(str(event.get("app_id")), raw, str(event.get("timestamp")), ZALO["ZALO_OA_SECRET_KEY"])
    return session.post(f"{stack.rasa_url}/webhooks/zalo/webhook", data=raw,
                        headers={"X-ZEvent-Signature": f"mac={mac}"}, timeout=60)


def _jsonable(value) -> bool:
    try:
        json.dumps(value)
        return True
    except ValueError:
        return False


def test_hostile_words_in_every_chat_channel_get_an_answer(stack, sweep, fake_graph, fake_zalo):
    session = requests.Session()
    rest = f"{stack.rasa_url}/webhooks/rest/webhook"
    for value in values():
        answer = session.post(rest, json={"sender": f"h-{uuid.uuid4().hex}", "message": value},
                              headers=stack.rest_headers, timeout=120)
        record("REST messages", answer.status_code)
        assert answer.json(), f"no answer to {value!r:.80}"

    messenger = f"{stack.rasa_url}/webhooks/facebook/webhook"
    for text in texts():
        psid = str(uuid.uuid4().int % 10**16)
        body = json.dumps({"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
            {"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": 1,
             "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text}}]}]}).encode()
        signed = "sha256=" + hmac.new(FACEBOOK["FACEBOOK_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest()
        record("Messenger messages", session.post(messenger, data=body, headers={"X-Hub-Signature-256": signed},
                                                  timeout=60).status_code)
        time.sleep(0.02)  # about Messenger's pace; the Rasa server works through them in the background

    for text in texts():
        record("Zalo messages", post_zalo(session, stack, zalo_event(f"zu{uuid.uuid4().hex[:16]}", text)).status_code)
        time.sleep(0.02)

    # python-socketio's own client cannot encode lists nested hundreds deep; those go raw below.
    shallow = [value for value in values() if depth(value) < 50]

    async def widget() -> None:
        client = socketio.AsyncClient(reconnection=False)
        answers: list = []
        client.on("bot_uttered", answers.append)
        await client.connect(stack.rasa_url, socketio_path="/socket.io", transports=["polling"])
        for value in shallow:  # one at a time, as a person types
            await client.emit("session_request", {"session_id": value})
            before = len(answers)
            await client.emit("user_uttered", {"message": value, "session_id": value})
            TRIED["socket.io events"] += 2
            deadline = time.monotonic() + 60
            while len(answers) == before and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            if len(answers) == before:
                FAILURES.append(f"socket.io: no answer to {value!r:.80}")
        flood = len(answers)
        for start in range(0, 60, 10):  # then a flood: the backlog is bounded, the rest told to slow down
            for value in shallow[start:start + 10]:
                await client.emit("user_uttered", value)
                TRIED["socket.io events"] += 1
                # Each in a polling request of its own, without waiting for an answer: how many the client packs in
                # one request otherwise depends on timing, and Engine.IO refuses more than 16 packets, or a body
                # over its buffer size (some of these values are 100 KB), in one.
                taken_by = time.monotonic() + 60
                while not client.eio.queue.empty() and time.monotonic() < taken_by:
                    await asyncio.sleep(0.005)
        deadline = time.monotonic() + 120
        while len(answers) < flood + 60 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        assert client.connected, "the widget's socket was dropped"
        await client.disconnect()
        STATUSES["socket.io events"] = Counter({"answered": len(answers)})

    asyncio.new_event_loop().run_until_complete(widget())
    no_failures()
    assert STATUSES["socket.io events"]["answered"] >= len(shallow) + 60
    for body in bodies(limit=BIG):
        record("socket.io raw packets", raw_socketio_packet(stack, b'42["user_uttered",' + body + b"]"))
        record("socket.io raw packets", raw_socketio_packet(stack, b"42" + body))
    no_failures()


def depth(value) -> int:
    """How deeply lists and objects nest in `value` (scanning its JSON text, not recursing)."""
    deepest = level = 0
    in_string = escaped = False
    for char in json.dumps(value):
        if in_string:
            escaped, in_string = (not escaped and char == "\\"), in_string and (escaped or char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
    return deepest


def raw_socketio_packet(stack, packet: bytes) -> int:
    """An Engine.IO polling session that connects, then posts one raw Socket.IO packet."""
    base = f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling"
    opened = requests.get(base, timeout=30)
    if opened.status_code >= 500:
        return opened.status_code
    sid = json.loads(opened.text[1:])["sid"]
    url = f"{base}&sid={sid}"
    requests.post(url, data=b"40", timeout=30)
    requests.get(url, timeout=30)
    return requests.post(url, data=packet, headers={"Content-Type": "text/plain;charset=UTF-8"}, timeout=30).status_code


# ---- pictures: nothing refused is kept ---------------------------------------------------------------------


def picture_rows(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(orm.Picture)).scalar_one()
    engine.dispose()
    return count


def test_hostile_pictures_on_every_channel_keep_nothing(stack, sweep, sqlite_url, fake_graph, fake_zalo, picture_cdn,
                                                         picture_dir):
    from tests.support import pictures

    kept_before, rows_before = sorted(p.name for p in picture_dir.iterdir()), picture_rows(sqlite_url)
    hostile = {"/huge.png": ("image/png", pictures.oversized_png()), "/bomb.png": ("image/png", pictures.bomb_png()),
               "/page.png": ("image/png", pictures.NOT_AN_IMAGE), "/pdf.jpg": ("image/jpeg", b"%PDF-1.7\n" * 500),
               "/cut.png": ("image/png", pictures.TRUNCATED_PNG), "/svg.png": ("image/svg+xml", b"<svg onload=x>")}
    picture_cdn.files.update(hostile)
    picture_cdn.redirects.update({"/away.png": "https://evil.example/a.png", "/plain.png": "http://localhost/a.png",
                                  "/inside.png": "https://127.0.0.1:22/a.png"})
    port = picture_cdn.url.rsplit(":", 1)[1]
    urls = [f"{picture_cdn.url}{path}" for path in [*hostile, "/away.png", "/plain.png", "/inside.png", "/none.png"]]
    urls += [f"https://127.0.0.1:{port}/huge.png", "https://evil.example/a.png", f"http://localhost:{port}/bomb.png",
             "file:///etc/passwd", "javascript:alert(1)", "https://localhost:1/x.png", "x" * 5000]
    session = requests.Session()
    messenger = f"{stack.rasa_url}/webhooks/facebook/webhook"
    users = []
    for url in urls:
        psid, user = str(uuid.uuid4().int % 10**16), f"zu{uuid.uuid4().hex[:16]}"
        users.append((psid, user))
        image = {"mid": f"m_{uuid.uuid4().hex}", "attachments": [{"type": "image", "payload": {"url": url}}]}
        body = json.dumps({"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
            {"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": 1, "message": image}]}]}).encode()
        signed = "sha256=" + hmac.new(FACEBOOK["FACEBOOK_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest()
        record("Messenger pictures", session.post(messenger, data=body, headers={"X-Hub-Signature-256": signed},
                                                  timeout=60).status_code, url)
        event = zalo_event(user, None)
        event["event_name"] = "user_send_image"
        event["message"] = {"msg_id": uuid.uuid4().hex, "attachments": [{"type": "image", "payload": {"url": url}}]}
        record("Zalo pictures", post_zalo(session, stack, event).status_code, url)
    upload = f"{stack.web_url}/widget/pictures"
    token = session.post(f"{stack.web_url}/chat/session", timeout=30).json()["session_id"]
    for name, (_kind, data) in hostile.items():
        for headers in ({"X-Widget-Session": token}, {}, {"X-Widget-Session": token[:-2] + "xx"}):
            answer = session.post(upload, data=data, headers=headers, timeout=60)
            record("widget picture uploads", answer.status_code, name)
            assert answer.status_code in (400, 403, 413, 415, 429) and "picture" not in answer.json(), name
    record("widget picture uploads", raw_request(stack.web_url, "POST", "/widget/pictures", {
        "X-Widget-Session": token, "Content-Type": "image/png"}, b"\x89PNG" + b"\x00" * 64), "a declared length")
    no_failures()
    deadline = time.monotonic() + 120  # every picture is answered, each with why it was refused
    while time.monotonic() < deadline and not all(
            fake_graph.texts_for(psid) and fake_zalo.messages_for(user) for psid, user in users):
        time.sleep(0.5)
    unanswered = [url for url, (psid, user) in zip(urls, users, strict=True)
                  if not fake_graph.texts_for(psid) or not fake_zalo.messages_for(user)]
    assert not unanswered, unanswered
    assert sorted(p.name for p in picture_dir.iterdir()) == kept_before
    assert picture_rows(sqlite_url) == rows_before
