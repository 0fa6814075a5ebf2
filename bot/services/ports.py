"""What services need from the outside world, as narrow Protocols.

storage implements `Store`; handlers implement `Notifier` over Telegram; tests
use recording fakes. Services never import aiogram or SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.review import Grant, Scope


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


class Store(Protocol):
    async def commit(self) -> None: ...

    async def current_campaign(self) -> Campaign | None: ...
    async def campaign(self, campaign_id: int) -> Campaign | None: ...
    async def add_campaign(
        self, *, name: str, unit_deadline: datetime, district_deadline: datetime, now: datetime
    ) -> int: ...

    async def districts(self) -> Sequence[DistrictRow]: ...
    async def district(self, district_id: int) -> DistrictRow | None: ...
    async def district_by_code(self, code: str) -> DistrictRow | None: ...
    async def units_in(self, district_id: int) -> Sequence[UnitRow]: ...
    async def unit(self, unit_id: int) -> UnitRow | None: ...
    async def unit_by_code(self, code: str) -> UnitRow | None: ...
    async def add_unit(
        self, *, code: str, name: str, kind: str, district_id: int, now: datetime
    ) -> UnitRow: ...

    async def person(self, person_id: int) -> PersonRow | None: ...
    async def save_person(self, person_id: int, full_name: str, now: datetime) -> None: ...
    async def record_consent(self, person_id: int, version: str, now: datetime) -> None: ...

    async def application(self, app_id: int) -> ApplicationSnapshot | None: ...
    async def live_application(
        self, person_id: int, campaign_id: int
    ) -> ApplicationSnapshot | None: ...
    async def applications_of(self, person_id: int) -> Sequence[ApplicationSnapshot]: ...
    async def id_number_in_use(self, campaign_id: int, id_number: str, except_id: int) -> bool: ...
    async def add_application(
        self,
        *,
        campaign_id: int,
        person_id: int,
        district_id: int,
        unit_id: int | None,
        unit_name: str,
        unit_confirmed: bool,
        cursor: str,
        now: datetime,
    ) -> int: ...
    async def update_application(
        self, app_id: int, version: int, values: dict[str, Any], now: datetime
    ) -> bool:
        """Writes `values` if the version still matches; bumps it. False: someone was first."""
        ...

    async def save_photo(
        self, app_id: int, jpeg: bytes, width: int, height: int, file_unique_id: str | None
    ) -> None: ...
    async def photo(self, app_id: int) -> bytes | None: ...
    async def add_event(
        self,
        *,
        app_id: int,
        actor_id: int | None,
        actor_name: str,
        action: str,
        from_status: str | None,
        to_status: str,
        note: str | None,
        now: datetime,
        changes: dict[str, Any] | None = None,
    ) -> None: ...


class Notifier(Protocol):
    """Tells people what happened; the Telegram adapter lives in handlers."""

    async def application_submitted(self, app: ApplicationSnapshot) -> None: ...
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
class InviteRow:
    id: int
    role: str
    district_id: int | None
    unit_id: int | None
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


class ReviewStore(Store, Protocol):
    """What the review and role services need besides the applicant's `Store`."""

    async def ensure_person(self, person_id: int, full_name: str, now: datetime) -> None: ...
    async def person_names(self, person_ids: Sequence[int]) -> dict[int, str]: ...
    async def mark_unreachable(self, person_id: int, unreachable: bool) -> None: ...

    async def grants_of(self, person_id: int) -> Sequence[Grant]: ...
    async def add_grant(
        self, person_id: int, grant: Grant, granted_by: int | None, now: datetime
    ) -> bool:
        """False when the person already holds it."""
        ...

    async def remove_grant(self, person_id: int, grant: Grant) -> bool: ...
    async def reviewer_ids(self, grant: Grant) -> Sequence[int]:
        """People holding exactly this grant (role and district or unit)."""
        ...

    async def unit_has_reviewer(self, unit_id: int) -> bool: ...

    async def add_invite(
        self,
        *,
        token_hash: str,
        grant: Grant,
        created_by: int | None,
        now: datetime,
        expires_at: datetime,
    ) -> int: ...
    async def invite(self, invite_id: int) -> InviteRow | None: ...
    async def invite_by_hash(self, token_hash: str) -> InviteRow | None: ...
    async def use_invite(self, invite_id: int, person_id: int, now: datetime) -> bool:
        """Marks it used if it is still unused, unrevoked and unexpired; False otherwise."""
        ...

    async def revoke_invite(self, invite_id: int, now: datetime) -> bool: ...
    async def invites(self, *, active_at: datetime | None) -> Sequence[InviteRow]: ...

    async def events_of(self, app_id: int) -> Sequence[EventRow]: ...
    async def set_return_reason(self, app_id: int, reason: str | None) -> None: ...

    async def add_card_message(
        self, app_id: int, chat_id: int, message_id: int, now: datetime
    ) -> None: ...
    async def card_messages(self, app_id: int) -> Sequence[tuple[int, int]]: ...
    async def drop_card_messages(self, app_id: int) -> None: ...

    async def list_applications(
        self, scope: Scope, campaign_id: int, what: ListFilter, offset: int, limit: int
    ) -> tuple[Sequence[ApplicationSnapshot], int]:
        """One page of the scope's applications, oldest submission first, and the total."""
        ...

    async def status_counts(self, scope: Scope, campaign_id: int) -> dict[str, int]: ...
