"""What a use case refuses, for the entrypoints to answer in words."""
from __future__ import annotations

from datetime import datetime


class NotVerified(Exception):
    """Personal data was asked for before the customer proved who they are."""


class UnknownCustomer(Exception):
    """No customer has this code (only reachable after a verification, so it is a data error)."""


class RateLimited(Exception):
    """This source acted too often; it may again at `until` (UTC)."""

    def __init__(self, scope: str, until: datetime) -> None:
        super().__init__(scope)
        self.scope = scope
        self.until = until


class GatewayNotConfigured(Exception):
    """The merchant credentials for this gateway are not set."""


class LinkNotPayable(LookupError):
    """The payment link is forged, unknown, expired or paid (args[0] is the state)."""

    @property
    def state(self) -> str:
        return str(self.args[0])


class GatewayFailed(Exception):
    """The gateway refused to start a payment or could not be reached."""


class TariffNotCovered(Exception):
    """No dated tariff of this customer group in the reference data: say so, never guess a price."""

    def __init__(self, group: str) -> None:
        super().__init__(group)
        self.group = group


class Conflict(Exception):
    """The store refused a write that another one made first (a unique key: the same payment reference,
    the same draft, the same ticket number at once). Raised by the unit of work in place of the driver's."""


class StoreBusy(Exception):
    """The store could not serve the unit of work now (a lock held too long, a timeout, a lost connection):
    worth trying again later. Raised by the unit of work in place of the driver's."""


class StoreUnreadable(Exception):
    """A read-only source (the tracker store the report reads) could not be read."""
