"""What services need from the outside world, as narrow Protocols.

storage implements `Store`; handlers implement `Notifier` over Telegram; tests
use recording fakes. Services never import aiogram or SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain.application import ApplicationSnapshot, Campaign


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


class StoreFactory(Protocol):
    def __call__(self) -> AbstractAsyncContextManager[Store]: ...


class Notifier(Protocol):
    """Tells people what happened; the Telegram adapter lives in handlers."""

    async def application_submitted(self, app: ApplicationSnapshot) -> None: ...
