"""Messages that are never the answer to a question the assistant asked, whatever it asked: a danger told, and the
news the web app reports through Rasa's HTTP API (a payment, an agent's turns, a notice). The rules take them; a
form, a follow-up or the satisfaction question then goes on or gives way (actions/forms.py, dialogue_policies/)."""
from __future__ import annotations

NEWS_FROM_OUTSIDE = frozenset({"EXTERNAL_payment_received", "EXTERNAL_agent_joined", "EXTERNAL_handoff_closed",
                               "EXTERNAL_handoff_unanswered", "EXTERNAL_notice"})
INTERRUPTIONS = frozenset({"report_hazard", *NEWS_FROM_OUTSIDE})
