"""Paying a link the way a customer does with the local VNPay simulator: pay page, gateway form, pay.

Used by the end-to-end tests and the load test.
"""
from __future__ import annotations

import html
import re

import requests


def pay_with_simulator(link: str, web_url: str) -> requests.Response:
    """Follows `link`'s VNPay button to the simulator and submits its form; the simulator's answer page."""
    start = requests.get(link + "/vnpay", allow_redirects=False, timeout=10)
    if start.status_code != 302 or "vnp_SecureHash=" not in start.headers.get("location", ""):
        raise ValueError(f"the pay page did not send the customer to VNPay (HTTP {start.status_code})")
    simulator = requests.get(start.headers["location"], timeout=10)
    form_html = simulator.text.split("</form>")[0]
    form = {k: html.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', form_html)}
    return requests.post(f"{web_url}/simulator/vnpay/pay", data=form, timeout=30)
