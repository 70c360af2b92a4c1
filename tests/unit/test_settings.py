"""One validated settings object: typed values, development secrets, and what production refuses."""
from __future__ import annotations

import pytest

from evn.settings import DEMO_BANK_ACCOUNT, Settings, SettingsError

STRONG = "s3cr3t-" + "x" * 30
PRODUCTION = {
    "APP_ENV": "production",
    "PAYMENT_LINK_SECRET": STRONG + "1",
    "RASA_AUTH_TOKEN": STRONG + "2",
    "REST_CHANNEL_TOKEN": STRONG + "3",
    "ACTION_SERVER_TOKEN": STRONG + "4",
    "WIDGET_SESSION_SECRET": STRONG + "5",
    "AGENT_API_TOKEN": STRONG + "6",
    "AGENT_SESSION_SECRET": STRONG + "7",
    "VIETQR_BANK_BIN": "970418",
    "VIETQR_ACCOUNT": "1234567890123",
    "PUBLIC_BASE_URL": "https://cskh.example.vn",
}


def test_a_complete_production_configuration_starts(tmp_path):
    settings = Settings.from_env(PRODUCTION, root=tmp_path).check()
    assert settings.production and settings.generated == ()
    assert not (tmp_path / "var").exists()  # production never generates a secret


@pytest.mark.parametrize("variable", ["PAYMENT_LINK_SECRET", "RASA_AUTH_TOKEN", "REST_CHANNEL_TOKEN",
                                      "ACTION_SERVER_TOKEN", "WIDGET_SESSION_SECRET", "AGENT_API_TOKEN",
                                      "AGENT_SESSION_SECRET"])
@pytest.mark.parametrize("value, why", [("", "is not set"), ("changeme", "is a demo value"),
                                        ("e2e-link-secret", "is a demo value"), ("short", "is shorter than 16")])
def test_production_names_the_secret_that_is_missing_or_a_demo_value(tmp_path, variable, value, why):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({**PRODUCTION, variable: value}, root=tmp_path).check()
    assert f"{variable} {why}" in str(refused.value)


@pytest.mark.parametrize("url", ["http://cskh.example.vn", "http://localhost:8080"])
def test_production_refuses_a_public_base_url_that_is_not_https(tmp_path, url):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({**PRODUCTION, "PUBLIC_BASE_URL": url}, root=tmp_path).check()
    assert "PUBLIC_BASE_URL is not https" in str(refused.value)


def test_production_refuses_the_demo_vietqr_account_and_the_simulator(tmp_path):
    env = {**PRODUCTION, "VIETQR_BANK_BIN": "", "VIETQR_ACCOUNT": "", "PAYMENT_SIMULATOR": "1"}
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env, root=tmp_path).check()
    assert "VIETQR_BANK_BIN / VIETQR_ACCOUNT is the built-in demo account" in str(refused.value)
    assert "PAYMENT_SIMULATOR is on" in str(refused.value)
    assert Settings.from_env(env, root=tmp_path).payment.bank_account == DEMO_BANK_ACCOUNT


def test_a_demo_clock_runs_from_its_start_and_production_refuses_it(tmp_path):
    from datetime import datetime

    from evn.bootstrap import bootstrap
    from tests.fakes.unit_of_work import FakeUnitOfWork, Store

    settings = Settings.from_env({"DEMO_NOW": "2026-12-01T20:00", "PAYMENT_LINK_SECRET": STRONG}, root=tmp_path)
    store = Store()
    core = bootstrap(settings, uow=lambda: FakeUnitOfWork(store))
    assert core.today().isoformat() == "2026-12-01"
    assert abs((core.clock() - datetime(2026, 12, 1, 13, 0)).total_seconds()) < 60  # 20:00 in Vietnam, in UTC
    with pytest.raises(SettingsError, match="DEMO_NOW is set"):
        Settings.from_env({**PRODUCTION, "DEMO_NOW": "2026-12-01T20:00"}, root=tmp_path).check()


def test_production_checks_the_secrets_of_enabled_channels_only(tmp_path):
    Settings.from_env(PRODUCTION, root=tmp_path).check()  # Messenger off: its secrets are not needed
    facebook = {"FACEBOOK_VERIFY_TOKEN": STRONG, "FACEBOOK_APP_SECRET": "e2e-app-secret",
                "FACEBOOK_PAGE_ACCESS_TOKEN": "page"}
    with pytest.raises(SettingsError, match="FACEBOOK_APP_SECRET is a demo value"):
        Settings.from_env({**PRODUCTION, **facebook}, root=tmp_path).check()


def test_half_a_vnpay_configuration_is_refused_in_production(tmp_path):
    with pytest.raises(SettingsError, match="VNPAY_HASH_SECRET, VNPAY_URL not set"):
        Settings.from_env({**PRODUCTION, "VNPAY_TMN_CODE": "REALTMN1"}, root=tmp_path).check()


def test_development_generates_secrets_once_and_every_process_agrees(tmp_path):
    first = Settings.from_env({}, root=tmp_path)
    second = Settings.from_env({}, root=tmp_path)
    assert first.payment.link_secret and first.payment.link_secret == second.payment.link_secret
    assert first.rest_channel_token == second.rest_channel_token != first.rasa_auth_token
    assert "PAYMENT_LINK_SECRET" in first.generated
    assert oct((tmp_path / "var" / "secrets" / "PAYMENT_LINK_SECRET").stat().st_mode)[-3:] == "600"
    # Rasa sends the action server's token from endpoints.yml, which cannot read var/: never generated.
    assert first.action_server_token == "" and "ACTION_SERVER_TOKEN" not in first.generated
    assert first.check() is first  # development starts with demo values


def test_the_environment_wins_over_generated_secrets(tmp_path):
    assert Settings.from_env({"REST_CHANNEL_TOKEN": "mine"}, root=tmp_path).rest_channel_token == "mine"


@pytest.mark.parametrize("env, named", [
    ({"APP_ENV": "staging"}, "APP_ENV"),
    ({"RASA_PORT": "http"}, "RASA_PORT"),
    ({"WEB_PORT": "70000"}, "WEB_PORT"),
    ({"PAYMENT_LINK_TTL_HOURS": "-1"}, "PAYMENT_LINK_TTL_HOURS"),
    ({"PAYMENT_SIMULATOR": "maybe"}, "PAYMENT_SIMULATOR"),
    ({"DEMO_NOW": "tomorrow"}, "DEMO_NOW"),
    ({"DEMO_NOW": "2026-12-01T20:00+07:00"}, "DEMO_NOW"),
    ({"PUBLIC_BASE_URL": "javascript:alert(1)"}, "PUBLIC_BASE_URL"),
    ({"TRUSTED_PROXIES": "127.0.0.1,not-an-ip"}, "TRUSTED_PROXIES"),
])
def test_a_value_of_the_wrong_form_is_named(tmp_path, env, named):
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env, root=tmp_path)


def test_the_simulator_never_runs_beside_real_vnpay_settings(tmp_path):
    simulated = Settings.from_env({"PAYMENT_SIMULATOR": "1", "PAYMENT_LINK_SECRET": STRONG}, root=tmp_path)
    config = simulated.simulator_vnpay()
    assert config is not None and config.tmn_code == "EVNSIM01" and STRONG not in config.hash_secret
    for variable in ("VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_URL"):
        real = Settings.from_env({"PAYMENT_SIMULATOR": "1", variable: "real-value"}, root=tmp_path)
        assert real.simulator_vnpay() is None and not real.simulator_active


def test_production_refuses_gateway_test_systems_weak_gateway_keys_and_shared_secrets(tmp_path):
    env = {**PRODUCTION, "VNPAY_TMN_CODE": "REALTMN1", "VNPAY_HASH_SECRET": "test",
           "VNPAY_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
           "MOMO_PARTNER_CODE": "MOMO1", "MOMO_ACCESS_KEY": STRONG + "a", "MOMO_SECRET_KEY": STRONG + "b",
           "MOMO_ENDPOINT": "http://test-payment.momo.vn/v2/gateway/api/create",
           "AGENT_API_TOKEN": PRODUCTION["RASA_AUTH_TOKEN"]}
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env, root=tmp_path).check()
    said = str(refused.value)
    assert "VNPAY_HASH_SECRET is a demo value" in said
    assert "VNPAY_URL is not a production https endpoint" in said and "MOMO_ENDPOINT is not a production" in said
    assert "AGENT_API_TOKEN is the same as RASA_AUTH_TOKEN" in said
    real = {**PRODUCTION, "VNPAY_TMN_CODE": "REALTMN1", "VNPAY_HASH_SECRET": STRONG + "v",
            "VNPAY_URL": "https://pay.vnpay.vn/vpcpay.html"}
    Settings.from_env(real, root=tmp_path).check()


class _Recording(dict):
    """An environment that remembers every variable asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


def test_the_production_example_lists_every_variable_the_settings_read(tmp_path):
    from pathlib import Path

    env = _Recording()
    Settings.from_env(env, root=tmp_path)
    example = (Path(__file__).resolve().parents[2] / ".env.production.example").read_text()
    listed = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    assert env.asked and env.asked <= listed, sorted(env.asked - listed)


def test_agent_desk_settings_are_checked_and_a_weak_agent_password_refused_in_production(tmp_path):
    with pytest.raises(SettingsError, match="AGENT_WORKING_HOURS"):
        Settings.from_env({"AGENT_WORKING_HOURS": "7h30-17h"}, root=tmp_path)
    assert Settings.from_env({"AGENT_WORKING_HOURS": "00:00-24:00"}, root=tmp_path).agent_working_hours
    with pytest.raises(SettingsError, match="AGENT_PASSWORD is a demo value"):
        Settings.from_env({**PRODUCTION, "AGENT_USER": "lan", "AGENT_PASSWORD": "password"}, root=tmp_path).check()
    Settings.from_env({**PRODUCTION, "AGENT_USER": "lan", "AGENT_PASSWORD": STRONG + "8"}, root=tmp_path).check()
