"""The settings the shared end-to-end stack runs with (tests/e2e/conftest.py): the channels' and merchants' secrets,
the notices' templates and the payment links' secret, so that tests can sign, check and expect what the stack does."""
from __future__ import annotations

LINK_SECRET = "e2e-link-secret"
FACEBOOK = {"FACEBOOK_VERIFY_TOKEN": "e2e-verify-token", "FACEBOOK_APP_SECRET": "e2e-app-secret",
            "FACEBOOK_PAGE_ACCESS_TOKEN": "e2e-page-token"}
# MoMo and ZaloPay merchants, so their callbacks are parsed and checked for real (payments are not
# started against them: their create endpoints point nowhere).
MOMO = {"MOMO_PARTNER_CODE": "MOMOE2E", "MOMO_ACCESS_KEY": "e2e-momo-access", "MOMO_SECRET_KEY": "e2e-momo-secret",
        "MOMO_ENDPOINT": "http://127.0.0.1:9/v2/gateway/api/create"}
ZALOPAY = {"ZALOPAY_APP_ID": "2553", "ZALOPAY_KEY1": "e2e-zalopay-key1", "ZALOPAY_KEY2": "e2e-zalopay-key2",
           "ZALOPAY_ENDPOINT": "http://127.0.0.1:9/v2/create"}
ZNS_TEMPLATE, MESSENGER_TEMPLATE = "401", "evn_bill_issued"
ZALO = {"ZALO_APP_ID": "1234567890", "ZALO_OA_SECRET_KEY": "e2e-oa-secret", "ZALO_ACCESS_TOKEN": "e2e-access-1",
        "ZALO_REFRESH_TOKEN": "e2e-refresh-1"}
