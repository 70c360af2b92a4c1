"""Every setting of every process, read and validated in one place (variable names are an interface).

The action server, the web app, the Rasa server's channels and the tools all call
`Settings.from_env()` once at start. In development a secret that is not set is
generated once and kept under var/secrets/, so every local process agrees on it with
no configuration. With APP_ENV=production nothing is generated: `check()` refuses to
start, naming the variable, when a secret is missing or a demo value, when the VietQR
account is the built-in demo account, or when the payment simulator is on.

The settings (model.py), reading them from the environment (environment.py), what
production refuses (production_refusals.py) and the demo defaults used outside production
(development_defaults.py) are apart; everything is imported from `evn.settings`.
"""
from evn.settings.development_defaults import DEMO_BANK_ACCOUNT, DEMO_BANK_BIN, development_secret
from evn.settings.environment import load_settings
from evn.settings.model import (
    DEFAULT_NOTICE_RATES,
    DEVELOPMENT,
    PRODUCTION,
    PROJECT_ROOT,
    SIMULATOR_TMN_CODE,
    VNPAY_VARIABLES,
    ChannelSettings,
    FacebookSettings,
    PaymentSettings,
    PictureSettings,
    Settings,
    SettingsError,
    ZaloSettings,
)
from evn.settings.production_refusals import (
    DEMO_SECRET_VALUES,
    MIN_SECRET_LENGTH,
    SANDBOX_HOSTS,
    secret_problem,
)

__all__ = [
    "DEFAULT_NOTICE_RATES", "DEMO_BANK_ACCOUNT", "DEMO_BANK_BIN", "DEMO_SECRET_VALUES", "DEVELOPMENT",
    "MIN_SECRET_LENGTH", "PRODUCTION", "PROJECT_ROOT", "SANDBOX_HOSTS", "SIMULATOR_TMN_CODE", "VNPAY_VARIABLES",
    "ChannelSettings", "FacebookSettings", "PaymentSettings", "PictureSettings", "Settings", "SettingsError",
    "ZaloSettings",
    "development_secret", "load_settings", "secret_problem",
]
