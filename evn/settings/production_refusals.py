"""What the production profile refuses to start with: missing, demo or shared secrets, and unsafe values.

One place decides it, so that every process refuses the same configuration with the same message
naming the variable (`Settings.check()`); development accepts all of it.
"""
from __future__ import annotations

from evn.settings.development_defaults import DEMO_BANK_ACCOUNT, DEMO_BANK_BIN
from evn.settings.model import VNPAY_VARIABLES, Settings

# Values found in this repository's examples and tests; never acceptable in production.
DEMO_SECRET_VALUES = frozenset({
    "changeme", "change-me", "secret", "demo", "test", "password", "token", "xxx",
    "e2e-link-secret", "e2e-app-secret", "e2e-page-token", "e2e-verify-token", "e2e-oa-secret",
})
MIN_SECRET_LENGTH = 16
# Gateways' test systems accept public test cards: a bill "paid" there was not paid.
SANDBOX_HOSTS = ("sandbox.vnpayment.vn", "test-payment.momo.vn", "sb-openapi.zalopay.vn", "sandbox", "localhost",
                 "127.0.0.1")


def secret_problem(value: str) -> str | None:
    """What is wrong with a production secret, or None."""
    if not value:
        return "is not set"
    if value.strip().lower() in DEMO_SECRET_VALUES:
        return "is a demo value"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    return None


def production_problems(settings: Settings) -> list[str]:
    """Why this configuration must not serve customers, one line per variable."""
    problems = []
    named = [
        ("PAYMENT_LINK_SECRET", settings.payment.link_secret),
        ("RASA_AUTH_TOKEN", settings.rasa_auth_token),
        ("REST_CHANNEL_TOKEN", settings.rest_channel_token),
        ("ACTION_SERVER_TOKEN", settings.action_server_token),
        ("WIDGET_SESSION_SECRET", settings.widget_session_secret),
        ("AGENT_API_TOKEN", settings.agent_api_token),
        ("AGENT_SESSION_SECRET", settings.agent_session_secret),
        *_enabled_channel_secrets(settings),
        *_gateway_secrets(settings),
    ]
    for name, value in named:
        problem = secret_problem(value)
        if problem:
            problems.append(f"{name} {problem}")
    seen: dict[str, str] = {}
    for name, value in named:
        if value and value in seen:
            problems.append(f"{name} is the same as {seen[value]}: each role needs its own secret")
        seen.setdefault(value, name)
    for name, url in _gateway_urls(settings):
        if not url.startswith("https://") or any(host in url.lower() for host in SANDBOX_HOSTS):
            problems.append(f"{name} is not a production https endpoint of the gateway: {url[:60]}")
    if not settings.payment.public_base_url.startswith("https://"):
        problems.append("PUBLIC_BASE_URL is not https: payment links would travel in clear and the console's "
                        "login cookie would lose its Secure flag")
    if (settings.payment.bank_bin, settings.payment.bank_account) == (DEMO_BANK_BIN, DEMO_BANK_ACCOUNT):
        problems.append("VIETQR_BANK_BIN / VIETQR_ACCOUNT is the built-in demo account: set the company's account")
    if settings.agent_user and secret_problem(settings.agent_password):
        problems.append(f"AGENT_PASSWORD {secret_problem(settings.agent_password)} (for AGENT_USER)")
    if settings.demo_now is not None:
        problems.append("DEMO_NOW is set: customers would be answered for another day than today")
    if settings.payment.simulator:
        problems.append("PAYMENT_SIMULATOR is on: the VNPay simulator marks bills paid without money")
    if settings.vnpay_variables_set and settings.vnpay is None:
        missing = [name for name in VNPAY_VARIABLES if name not in settings.vnpay_variables_set]
        problems.append(f"{', '.join(missing)} not set while other VNPAY_* variables are")
    return problems


def _gateway_secrets(settings: Settings) -> list[tuple[str, str]]:
    found = []
    if settings.vnpay is not None:
        found.append(("VNPAY_HASH_SECRET", settings.vnpay.hash_secret))
    if settings.momo is not None:
        found += [("MOMO_ACCESS_KEY", settings.momo.access_key), ("MOMO_SECRET_KEY", settings.momo.secret_key)]
    if settings.zalopay is not None:
        found += [("ZALOPAY_KEY1", settings.zalopay.key1), ("ZALOPAY_KEY2", settings.zalopay.key2)]
    return found


def _gateway_urls(settings: Settings) -> list[tuple[str, str]]:
    return [(name, url) for name, url in (
        ("VNPAY_URL", settings.vnpay.pay_url if settings.vnpay else ""),
        ("MOMO_ENDPOINT", settings.momo.endpoint if settings.momo else ""),
        ("ZALOPAY_ENDPOINT", settings.zalopay.endpoint if settings.zalopay else ""),
    ) if url]


def _enabled_channel_secrets(settings: Settings) -> list[tuple[str, str]]:
    found = []
    if settings.facebook.enabled:
        found += [("FACEBOOK_APP_SECRET", settings.facebook.app_secret),
                  ("FACEBOOK_VERIFY_TOKEN", settings.facebook.verify_token)]
    if settings.zalo.enabled:
        found += [("ZALO_OA_SECRET_KEY", settings.zalo.oa_secret_key)]
    return found
