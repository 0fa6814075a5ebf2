"""The rows services pass around, and the Notifier port.

Repositories return these plain rows (bot.services.repositories); handlers
implement `Notifier` over Telegram. Services never import aiogram or SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain.application import ApplicationSnapshot
from bot.domain.workflow import Status


@dataclass(frozen=True, kw_only=True)
class DistrictRow:
    id: int
    code: str
    name: str


@dataclass(frozen=True, kw_only=True)
class UnitRow:
    id: int
    code: str
    name: str
    kind: str
    district_id: int
    district_name: str


@dataclass(frozen=True, kw_only=True)
class PersonRow:
    id: int
    full_name: str
    consent_version: str | None
    sensitive_consent_at: datetime | None
    transfer_consent_at: datetime | None


@dataclass(frozen=True)
class AccountRow:
    """A person's attached account on one channel."""

    id: int
    person_id: int
    chat_id: str
    username: str | None
    display_name: str
    unreachable: bool
    last_seen_at: datetime | None
    consented: bool
    """The person agreed to the processing notice: until then no name or username is kept."""


@dataclass(frozen=True)
class RoleHolder:
    """One role held, with the district it lies in (a unit's district for a unit role)."""

    person_id: int
    name: str
    role: str
    district_id: int | None


@dataclass(frozen=True)
class RebindRow:
    """A one-time permission to move a person to another account (storage.models.Rebind)."""

    id: int
    person_id: int
    kind: str
    secret_hash: str
    for_account_id: int | None
    created_by: int | None
    expires_at: datetime
    attempts: int
    used_at: datetime | None
    revoked_at: datetime | None


class Notifier(Protocol):
    """Tells people what happened; the Telegram adapter lives in handlers."""

    async def application_submitted(self, submitted: Any) -> None:
        """An applicant submitted (`bot.services.applicant.Submitted`)."""
        ...

    async def application_decided(self, outcome: Any) -> None:
        """A reviewer decided (`bot.services.review.Outcome`)."""
        ...

    async def application_withdrawn(self, app: ApplicationSnapshot, previous: str) -> None:
        """The applicant withdrew an application that was in state `previous`."""
        ...


@dataclass(frozen=True, kw_only=True)
class EventRow:
    """One audit event of an application."""

    app_id: int
    actor_id: int | None
    actor_name: str
    action: str
    from_status: str | None
    to_status: str
    note: str | None
    changes: dict[str, Any] | None
    at: datetime


@dataclass(frozen=True, kw_only=True)
class DuplicateRow:
    """Another application with the same ID number (by its keyed hash), for the bureau's card."""

    app_id: int
    campaign: str
    district: str
    unit: str
    status: Status


@dataclass(frozen=True, kw_only=True)
class InviteRow:
    id: int
    role: str
    district_id: int | None
    unit_id: int | None
    using_unit_id: int | None
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    used_by: int | None
    used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class ListFilter:
    """Which applications a list shows, within a scope; None means any."""

    status: str | None = None
    unit_id: int | None = None
    group: str | None = None
    pending_only: bool = False
    """Only what waits for a decision by the scope's holder (unit or district level)."""
    not_of_person: int | None = None
    """Leaves out this person's own application: a reviewer's queue never holds it (回避)."""


