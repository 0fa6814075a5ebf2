"""What the export, report and audit use cases need from storage, beside the review port."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.domain.application import ApplicationSnapshot
from bot.domain.workflow import Status
from bot.services.ports import ReviewStore


@dataclass(frozen=True, kw_only=True)
class ReportRow:
    """One report of a district's batch to the bureau."""

    id: int
    campaign_id: int
    district_id: int
    reported_at: datetime
    reported_by: int
    row_count: int
    replaced: bool


@dataclass(frozen=True, kw_only=True)
class AccessRow:
    id: int
    actor_id: int | None
    action: str
    target: str
    detail: dict[str, Any] = field(default_factory=dict)
    at: datetime


class ExportStore(ReviewStore, Protocol):
    async def export_applications(
        self,
        campaign_id: int,
        *,
        statuses: frozenset[Status],
        district_id: int | None = None,
        unit_id: int | None = None,
        group: str | None = None,
    ) -> Sequence[ApplicationSnapshot]:
        """Applications of the campaign in these states, within the district/unit/group if given."""
        ...

    async def decision_times(self, campaign_id: int) -> dict[int, dict[str, datetime]]:
        """Per application id, the latest moment it entered each state (by status value)."""
        ...

    async def reports(self, campaign_id: int, district_id: int) -> Sequence[ReportRow]:
        """The district's reports in this campaign, newest first."""
        ...

    async def add_report(
        self, *, campaign_id: int, district_id: int, reported_by: int, row_count: int, now: datetime
    ) -> ReportRow:
        """Records a report; earlier ones of the same campaign and district are marked replaced."""
        ...

    async def add_access(
        self,
        *,
        actor_id: int | None,
        action: str,
        target: str,
        detail: dict[str, Any],
        now: datetime,
    ) -> None: ...

    async def access_log(self, limit: int) -> Sequence[AccessRow]:
        """The newest `limit` rows, newest first."""
        ...


class ExportStoreFactory(Protocol):
    def __call__(self) -> AbstractAsyncContextManager[ExportStore]: ...
