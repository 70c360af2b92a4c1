"""/healthz is public: in production it says whether the deployment serves, never which internal address fails."""
from __future__ import annotations

from webapp import health


def test_production_answers_the_verdict_without_internal_addresses():
    status, body = health.report(("http://127.0.0.1:9/health",), None)  # port 9: nothing listens
    assert status == 503
    assert health.shown(body, production=True) == {"status": "down"}
    assert "http://127.0.0.1:9/health" in health.shown(body, production=False)["checks"]
