"""Every query the services need, one repository per aggregate, all on the unit of work's session.

Services never see the session: they ask a repository, which builds and finds rows.
"""
from evn.adapters.repositories.agents import AgentRepository, AuditRepository, LoginLimitRepository
from evn.adapters.repositories.base import Repository
from evn.adapters.repositories.channels import ChannelStateRepository, WidgetPresenceRepository, WidgetSessionRepository
from evn.adapters.repositories.customers import BillRepository, CustomerRepository, ReferenceRepository
from evn.adapters.repositories.handoffs import HandoffRepository
from evn.adapters.repositories.incidents import IncidentRepository
from evn.adapters.repositories.links import AccountLinkRepository, holding
from evn.adapters.repositories.meter_data import MeterDataRepository
from evn.adapters.repositories.notices import NoticeRepository
from evn.adapters.repositories.outbox import OutboxRepository
from evn.adapters.repositories.payments import PaymentRepository
from evn.adapters.repositories.pictures import PictureRepository
from evn.adapters.repositories.requests import RequestRepository
from evn.adapters.repositories.satisfaction import SatisfactionRepository
from evn.adapters.repositories.scam_checks import ScamCheckRepository
from evn.adapters.repositories.usage_alerts import UsageAlertRepository
from evn.adapters.repositories.verifications import RateLimitRepository, VerificationRepository

__all__ = [
    "Repository",
    "CustomerRepository",
    "BillRepository",
    "ReferenceRepository",
    "VerificationRepository",
    "RateLimitRepository",
    "ChannelStateRepository",
    "WidgetSessionRepository",
    "WidgetPresenceRepository",
    "PaymentRepository",
    "RequestRepository",
    "IncidentRepository",
    "HandoffRepository",
    "AccountLinkRepository",
    "holding",
    "AgentRepository",
    "AuditRepository",
    "LoginLimitRepository",
    "OutboxRepository",
    "NoticeRepository",
    "MeterDataRepository",
    "UsageAlertRepository",
    "ScamCheckRepository",
    "PictureRepository",
    "SatisfactionRepository",
]
