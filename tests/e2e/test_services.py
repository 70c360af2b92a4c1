"""Service requests, outage reports and handoff through the running servers over REST."""
from __future__ import annotations

import uuid

import requests
from sqlalchemy import func, select

from evn.adapters import orm
from evn.adapters.db import make_engine
from tests.e2e.helpers import texts


def count_requests(sqlite_url: str, **where) -> int:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        query = select(func.count(orm.ServiceRequest.id))
        for column, value in where.items():
            query = query.where(getattr(orm.ServiceRequest, column) == value)
        count = connection.execute(query).scalar_one()
    engine.dispose()
    return count


def test_new_connection_filed_once_and_private(stack, sqlite_url):
    chat = f"e2e-svc-{uuid.uuid4().hex}"
    assert "họ và tên" in texts(stack.say(chat, "em muốn đăng ký cấp điện mới"))
    assert "12 chữ số" in texts(stack.say(chat, "Lê Văn Cường"))
    assert "12 chữ số" in texts(stack.say(chat, "0790880"))  # too short: asked again with the rule
    stack.say(chat, "079088001234")
    assert "địa chỉ" in texts(stack.say(chat, "0987654321"))
    assert "địa chỉ" in texts(stack.say(chat, "q5")).lower()  # too short an address is refused
    stack.say(chat, "25 Nguyễn Trãi, Phường 5, Quận 5, TP.HCM")
    summary = texts(stack.say(chat, "05/12/2027"))
    assert "tóm tắt" in summary and "098****321" in summary and "0987654321" not in summary
    filed = texts(stack.say(chat, "đồng ý"))
    ticket = next(word.strip(",.") for word in filed.split() if word.startswith("YC-"))
    assert "đã được ghi nhận trước đó" in texts(stack.say(chat, "đồng ý"))
    assert count_requests(sqlite_url, conversation_id=f"rest-{chat}") == 1
    assert ticket in texts(stack.say(chat, f"tra cứu {ticket}"))
    stranger = f"e2e-svc-{uuid.uuid4().hex}"
    assert "không tìm thấy" in texts(stack.say(stranger, f"phiếu {ticket} sao rồi"))


def test_two_outage_reports_of_one_place_share_a_ticket(stack, sqlite_url):
    address = "88 Nguyễn Trãi, Phường 5, Quận 5, TP.HCM"
    told = texts(stack.say(f"e2e-out-{uuid.uuid4().hex}", f"mất điện từ 20 phút trước ở {address}"))
    assert "MD-" in told  # a report that holds its place is filed at once
    tickets = []
    for _ in range(2):
        chat = f"e2e-out-{uuid.uuid4().hex}"
        stack.say(chat, "nhà em bị mất điện rồi")
        reply = texts(stack.say(chat, address))  # where is all a report needs
        tickets.append(next(word.strip(",.()") for word in reply.split() if word.startswith("MD-")))
    assert tickets[0] == tickets[1]
    assert count_requests(sqlite_url, ticket=tickets[0], priority="high") == 1


def test_handoff_is_listed_for_agents_only(stack):
    chat = f"e2e-ho-{uuid.uuid4().hex}"
    stack.say(chat, "sdt em 0912 345 678")
    assert "nhân viên" in texts(stack.say(chat, "cho tôi gặp nhân viên"))
    url = f"{stack.web_url}/agent/handoffs"
    assert requests.get(url, timeout=10).status_code == 403
    assert requests.get(url, headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 403
    listed = requests.get(url, headers={"Authorization": f"Bearer {stack.agent_token}"}, timeout=10).json()
    (mine,) = [h for h in listed["handoffs"] if h["conversation_id"] == f"rest-{chat}"]
    transcript = " ".join(turn["text"] for turn in mine["transcript"])
    assert "091****678" in transcript and "0912 345 678" not in transcript
