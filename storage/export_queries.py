"""The `ExportStore` port over SQLAlchemy: rows to export, decision times, batch reports, access log.

`SqlStore` plus these queries; like the rest of it, nothing here commits. Personal
columns are read through the ORM, so they come back as the models decode them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.application import ApplicationSnapshot
from bot.domain.workflow import Status
from bot.services.export_ports import AccessRow, ReportRow
from storage.db import Database, store_opener
from storage.models import AccessLog, Application, ApplicationEvent, BatchReport
from storage.repositories import SqlStore, _snapshot


class AccessLogging:
    """Writes access-log rows; shared by every store whose reads must be logged."""

    session: AsyncSession

    async def add_access(
        self,
        *,
        actor_id: int | None,
        action: str,
        target: str,
        detail: dict[str, Any],
        now: datetime,
    ) -> None:
        await self.session.execute(
            insert(AccessLog).values(
                actor_id=actor_id, action=action, target=target[:60], detail=detail, at=now
            )
        )


class SqlExportStore(AccessLogging, SqlStore):
    async def export_applications(
        self,
        campaign_id: int,
        *,
        statuses: frozenset[Status],
        district_id: int | None = None,
        unit_id: int | None = None,
        group: str | None = None,
    ) -> Sequence[ApplicationSnapshot]:
        clauses: list[Any] = [
            Application.campaign_id == campaign_id,
            Application.status.in_(sorted(s.value for s in statuses)),
        ]
        if district_id is not None:
            clauses.append(Application.district_id == district_id)
        if unit_id is not None:
            clauses.append(Application.unit_id == unit_id)
        if group is not None:
            clauses.append(Application.group == group)
        rows = await self.session.execute(
            self._applications().where(*clauses).order_by(Application.id)
        )
        return [_snapshot(r) for r in rows]

    async def decision_times(self, campaign_id: int) -> dict[int, dict[str, datetime]]:
        rows = await self.session.execute(
            select(
                ApplicationEvent.application_id,
                ApplicationEvent.to_status,
                func.max(ApplicationEvent.at).label("at"),
            )
            .join(Application, Application.id == ApplicationEvent.application_id)
            .where(Application.campaign_id == campaign_id)
            .group_by(ApplicationEvent.application_id, ApplicationEvent.to_status)
        )
        times: dict[int, dict[str, datetime]] = {}
        for app_id, to_status, at in rows:
            times.setdefault(app_id, {})[to_status] = _aware(at)
        return times

    async def reports(self, campaign_id: int, district_id: int) -> Sequence[ReportRow]:
        rows = await self.session.scalars(
            select(BatchReport)
            .where(BatchReport.campaign_id == campaign_id, BatchReport.district_id == district_id)
            .order_by(BatchReport.id.desc())
        )
        return [_report(r) for r in rows]

    async def add_report(
        self, *, campaign_id: int, district_id: int, reported_by: int, row_count: int, now: datetime
    ) -> ReportRow:
        await self.session.execute(
            update(BatchReport)
            .where(
                BatchReport.campaign_id == campaign_id,
                BatchReport.district_id == district_id,
                BatchReport.replaced.is_(False),
            )
            .values(replaced=True)
        )
        row = BatchReport(
            campaign_id=campaign_id,
            district_id=district_id,
            reported_at=now,
            reported_by=reported_by,
            row_count=row_count,
            replaced=False,
        )
        self.session.add(row)
        await self.session.flush()
        return _report(row)


    async def access_log(self, limit: int) -> Sequence[AccessRow]:
        rows = await self.session.scalars(
            select(AccessLog).order_by(AccessLog.id.desc()).limit(limit)
        )
        return [
            AccessRow(
                id=r.id,
                actor_id=r.actor_id,
                action=r.action,
                target=r.target,
                detail=dict(r.detail or {}),
                at=r.at,
            )
            for r in rows
        ]


def _aware(value: Any) -> datetime:
    """MAX() over a UTCDateTime column comes back without the type's decoding on some backends."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _report(r: BatchReport) -> ReportRow:
    return ReportRow(
        id=r.id,
        campaign_id=r.campaign_id,
        district_id=r.district_id,
        reported_at=r.reported_at,
        reported_by=r.reported_by,
        row_count=r.row_count,
        replaced=r.replaced,
    )


def export_store_factory(database: Database) -> Any:
    """Returns a callable opening an export store whose session rolls back unless committed."""
    return store_opener(database, SqlExportStore)
