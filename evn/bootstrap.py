"""The one composition root: validated settings -> engine -> unit of work -> services -> the worker's deliveries.

The action server, the web app, the Rasa server's channels, the tools and the tests all
build the core here; tests pass fakes (a unit of work, a clock, gateways, handlers).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from evn import reference
from evn.adapters.db import make_engine, session_factory
from evn.adapters.gateways.base import Gateway
from evn.adapters.gateways.momo import MomoGateway
from evn.adapters.gateways.vnpay import VnpayGateway
from evn.adapters.gateways.zalopay import ZalopayGateway
from evn.adapters.notice_senders import ChatSender, MessengerUtilitySender, ZnsSender
from evn.adapters.passwords import Passwords
from evn.adapters.picture_fetcher import PictureFetcher
from evn.adapters.picture_store import PictureStore
from evn.adapters.rasa_notifier import RasaNotifier
from evn.adapters.rasa_tracker import RasaTrackerReader
from evn.adapters.unit_of_work import Factory
from evn.domain import working_days
from evn.domain.notices import QuietHours, Route
from evn.domain.outage_schedule import PlannedOutage, load_schedule
from evn.domain.scam_check.official import OfficialChannels
from evn.domain.service_catalogue import Catalogue
from evn.domain.time import vietnam_date
from evn.services.agents import AgentService
from evn.services.billing import BillingService
from evn.services.channel_state import ChannelStateService, TokenPair
from evn.services.clock import running_from, today_in_vietnam, utcnow
from evn.services.documents import DocumentService, DocumentSigning
from evn.services.handoffs import HandoffService
from evn.services.identity import IdentityService
from evn.services.incidents import IncidentService
from evn.services.links import AccountLinkService
from evn.services.notices import (
    ConversationState,
    NoticeDelivery,
    NoticePreferences,
    NoticeScanner,
    RateLimiter,
    Sender,
    WidgetPresence,
)
from evn.services.outbox import Handlers, OutboxDelivery
from evn.services.payments import PaymentService
from evn.services.pictures import PictureService
from evn.services.requests import RequestService
from evn.services.satisfaction import SatisfactionService
from evn.services.scam_checks import ScamCheckService
from evn.services.unit_of_work import UnitOfWorkFactory
from evn.services.usage import ChartSigning, UsageService
from evn.services.usage_alerts import UsageAlertService
from evn.services.widget_sessions import WidgetSessions
from evn.settings import Settings, load_settings

if TYPE_CHECKING:
    from evn.adapters.picture_codec import Reencoded


@dataclass(frozen=True)
class Core:
    settings: Settings
    uow: UnitOfWorkFactory
    identity: IdentityService
    billing: BillingService
    payments: PaymentService
    requests: RequestService
    incidents: IncidentService
    documents: DocumentService
    handoffs: HandoffService
    agents: AgentService
    links: AccountLinkService
    channel_state: ChannelStateService
    outbox: OutboxDelivery
    notices: NoticeDelivery
    notice_scanner: NoticeScanner
    notice_preferences: NoticePreferences
    widget_presence: WidgetPresence
    widget_sessions: WidgetSessions
    usage: UsageService
    usage_alerts: UsageAlertService
    scam_checks: ScamCheckService
    pictures: PictureService
    satisfaction: SatisfactionService
    clock: Callable[[], datetime] = utcnow
    engine: Engine | None = field(default=None, repr=False)

    def today(self) -> date:
        """The calendar day in Vietnam by this core's clock."""
        return vietnam_date(self.clock())


def gateways_for(settings: Settings) -> dict[str, Gateway]:
    """The gateways the merchant configured, and the VNPay simulator in their place when it runs."""
    found: dict[str, Gateway] = {}
    vnpay = settings.vnpay or settings.simulator_vnpay()
    if vnpay is not None:
        found["vnpay"] = VnpayGateway(vnpay)
    if settings.momo is not None:
        found["momo"] = MomoGateway(settings.momo)
    if settings.zalopay is not None:
        found["zalopay"] = ZalopayGateway(settings.zalopay)
    return found


def bootstrap(
    settings: Settings | None = None,
    *,
    uow: UnitOfWorkFactory | None = None,
    clock: Callable[[], datetime] | None = None,
    today: Callable[[], date] | None = None,
    gateways: Mapping[str, Gateway] | None = None,
    handlers: Handlers | None = None,
    catalogue: Catalogue | None = None,
    holidays: AbstractSet[date] | None = None,
    schedule: list[PlannedOutage] | None = None,
    pool_size: int | None = None,
    notice_senders: Mapping[Route, Sender] | None = None,
    conversation_state: Callable[[str], ConversationState] | None = None,
    passwords: Passwords | None = None,
) -> Core:
    settings = settings or load_settings()
    if clock is None:
        clock = utcnow if settings.demo_now is None else running_from(settings.demo_now)
    if today is None:
        today = today_in_vietnam if clock is utcnow else _today_of(clock)
    if holidays is None:
        holidays = working_days.load_holidays()
    engine = None
    if uow is None:
        engine = make_engine(settings.database_url, pool_size=pool_size or settings.db_pool_size)
        uow = Factory(session_factory(engine))
    identity = IdentityService(uow, clock=clock)
    if handlers is None:
        handlers = RasaNotifier(settings.rasa_url, settings.rasa_auth_token).handlers()
    if schedule is None:
        schedule = load_schedule()
    channel_state = ChannelStateService(uow, clock=clock)
    if notice_senders is None:
        notice_senders = _notice_senders(settings, channel_state)
    if conversation_state is None:
        reader = RasaTrackerReader(settings.rasa_url, settings.rasa_auth_token)

        def conversation_state(conversation: str) -> ConversationState:
            found = reader.conversation(conversation)
            return found.last_customer_message_at, found.paused
    billing = BillingService(uow, identity, today=today)
    usage = UsageService(uow, billing, ChartSigning(settings.payment.link_secret, settings.payment.public_base_url),
                         today=today, clock=clock)
    requests = RequestService(uow, identity, catalogue=catalogue, holidays=holidays, schedule=schedule, clock=clock)
    payments = PaymentService(
        uow, identity, settings.payment, gateways=gateways_for(settings) if gateways is None else gateways,
        clock=clock,
    )
    return Core(
        settings=settings,
        uow=uow,
        identity=identity,
        billing=billing,
        payments=payments,
        requests=requests,
        incidents=IncidentService(uow, schedule, clock=clock),
        documents=DocumentService(uow, billing, DocumentSigning(
            settings.payment.link_secret, settings.payment.public_base_url, settings.payment.link_ttl_hours),
            clock=clock),
        handoffs=HandoffService(
            uow, clock=clock, holidays=holidays, desk=reference.agent_desk(settings.agent_working_hours),
            wait=timedelta(seconds=settings.agent_wait_seconds),
        ),
        agents=AgentService(uow, billing, requests, identity, clock=clock, passwords=passwords),
        links=AccountLinkService(uow, identity, clock=clock),
        channel_state=channel_state,
        outbox=OutboxDelivery(uow, handlers, clock=clock),
        notices=NoticeDelivery(
            uow, notice_senders, conversation_state, payments.notice_link,
            quiet=QuietHours.parse(settings.notice_quiet_hours), zns_templates=settings.zns_templates,
            messenger_templates=settings.messenger_templates, limiter=RateLimiter(settings.notice_rate_limits),
            schedule=schedule, clock=clock,
        ),
        notice_scanner=NoticeScanner(uow, schedule, clock=clock),
        notice_preferences=NoticePreferences(uow, clock=clock),
        widget_presence=WidgetPresence(uow, clock=clock),
        widget_sessions=WidgetSessions(uow, clock=clock),
        usage=usage,
        usage_alerts=UsageAlertService(uow, billing, usage, clock=clock),
        scam_checks=ScamCheckService(uow, payments, _official_channels(settings), reference.banks(), schedule=schedule,
                                     today=today, clock=clock),
        pictures=PictureService(
            uow, settings.pictures, PictureFetcher(settings.pictures.ca_bundle, settings.pictures.allow_loopback),
            PictureStore(settings.pictures.directory), _reencoded, _read_codes, clock=clock),
        satisfaction=SatisfactionService(uow, clock=clock),
        clock=clock,
        engine=engine,
    )


def _reencoded(data: bytes) -> Reencoded:
    """Pillow, imported when a picture comes: the Rasa server's environment bootstraps the core without it."""
    from evn.adapters.picture_codec import reencoded

    return reencoded(data)


def _read_codes(data: bytes) -> list[str]:
    """zxing-cpp, imported when a picture is read (the application's environment only)."""
    from evn.adapters.qr_reader import read_codes

    return read_codes(data)


def _official_channels(settings: Settings) -> OfficialChannels:
    """The companies' channels, with this deployment's pay-link host and VietQR account."""
    own_host = urlsplit(settings.payment.public_base_url).hostname or ""
    return reference.official_channels((own_host,) if own_host else (),
                                       (settings.payment.bank_bin, settings.payment.bank_account))


def _notice_senders(settings: Settings, channel_state: ChannelStateService) -> dict[Route, Sender]:
    def zalo_access_token() -> str:
        """The newest pair the Zalo channel refreshed to (shared in the database), else the configured one."""
        configured = TokenPair(settings.zalo.access_token, settings.zalo.refresh_token)
        return channel_state.current_tokens("zalo", configured).access_token

    return {
        Route.CHAT: ChatSender(settings.rasa_url, settings.rasa_auth_token),
        Route.ZNS: ZnsSender(settings.zns_url, zalo_access_token),
        Route.UTILITY: MessengerUtilitySender(settings.facebook.graph_url, settings.facebook.page_access_token),
    }


def _today_of(clock: Callable[[], datetime]) -> Callable[[], date]:
    return lambda: vietnam_date(clock())
