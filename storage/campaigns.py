"""Campaigns and their places: districts, units, deadlines and schedules, the reminder outbox, batch reports.

The outbox (`reminder` table) is written with one statement per row so that
"record before sending" is a conditional insert or a conditional takeover of
a stale claim: two passes running at once never both win the same key.
Nothing here commits: the unit of work does (storage.uow).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.application import Campaign
from bot.domain.reminders import (
    DeadlineKind,
    Notice,
    NoticeKind,
    Recorded,
    Schedule,
    Status,
)
from bot.services.export_ports import ReportRow
from bot.services.ports import DistrictRow, UnitRow
from bot.services.reminder_ports import CampaignPlan
from storage.db import DbSession, core
from storage.models import (
    BatchReport,
    CampaignSchedule,
    District,
    NudgeLog,
    Reminder,
    Unit,
)
from storage.models import Campaign as CampaignModel
from storage.rows import (
    CAMPAIGN_BY_ID,
    CURRENT_CAMPAIGN,
    DISTRICT_BY_CODE,
    DISTRICT_BY_ID,
    DISTRICTS,
    UNIT_BY_CODE,
    UNIT_BY_ID,
    UNITS_IN,
    campaign_of,
    notice_of,
    report_of,
    unit_of,
)


class CampaignRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def current_campaign(self) -> Campaign | None:
        row = (await core(self.session, CURRENT_CAMPAIGN)).one_or_none()
        return campaign_of(row) if row else None

    async def campaign(self, campaign_id: int) -> Campaign | None:
        row = (await core(self.session, CAMPAIGN_BY_ID, {"id": campaign_id})).one_or_none()
        return campaign_of(row) if row else None

    async def add_campaign(
        self, *, name: str, unit_deadline: datetime, district_deadline: datetime, now: datetime
    ) -> int:
        row = CampaignModel(
            name=name,
            unit_deadline=unit_deadline,
            district_deadline=district_deadline,
            is_open=True,
            created_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def districts(self) -> Sequence[DistrictRow]:
        rows = await core(self.session, DISTRICTS)
        return [DistrictRow(id=r.id, code=r.code, name=r.name) for r in rows]

    async def district(self, district_id: int) -> DistrictRow | None:
        r = (await core(self.session, DISTRICT_BY_ID, {"id": district_id})).one_or_none()
        return DistrictRow(id=r.id, code=r.code, name=r.name) if r else None

    async def district_by_code(self, code: str) -> DistrictRow | None:
        r = (await core(self.session, DISTRICT_BY_CODE, {"code": code})).one_or_none()
        return DistrictRow(id=r.id, code=r.code, name=r.name) if r else None

    async def units_in(self, district_id: int) -> Sequence[UnitRow]:
        rows = await core(self.session, UNITS_IN, {"district_id": district_id})
        return [unit_of(r) for r in rows]

    async def unit(self, unit_id: int) -> UnitRow | None:
        r = (await core(self.session, UNIT_BY_ID, {"id": unit_id})).one_or_none()
        return unit_of(r) if r else None

    async def unit_by_code(self, code: str) -> UnitRow | None:
        r = (await core(self.session, UNIT_BY_CODE, {"code": code})).one_or_none()
        return unit_of(r) if r else None

    async def add_unit(
        self, *, code: str, name: str, kind: str, district_id: int, now: datetime
    ) -> UnitRow:
        await self.session.execute(
            insert(Unit).values(
                code=code, name=name, kind=kind, district_id=district_id, created_at=now
            )
        )
        unit = await self.unit_by_code(code)
        assert unit is not None
        return unit

    async def campaigns(self) -> Sequence[Campaign]:
        rows = await self.session.scalars(select(CampaignModel).order_by(CampaignModel.id))
        return [campaign_of(c) for c in rows]

    async def plan(self, campaign_id: int) -> CampaignPlan | None:
        c = await self.session.get(CampaignModel, campaign_id)
        if c is None:
            return None
        s = await self.session.get(CampaignSchedule, campaign_id)
        if s is None:
            return CampaignPlan(
                campaign=campaign_of(c),
                schedule=Schedule(),
                unit_since=c.created_at,
                district_since=c.created_at,
            )
        return CampaignPlan(
            campaign=campaign_of(c),
            schedule=Schedule(
                offsets=tuple(s.offsets),
                quiet_start=time.fromisoformat(s.quiet_start),
                quiet_end=time.fromisoformat(s.quiet_end),
            ),
            unit_since=s.unit_deadline_since or c.created_at,
            district_since=s.district_deadline_since or c.created_at,
            custom=True,
        )

    async def _schedule_row(self, campaign_id: int) -> CampaignSchedule:
        s = await self.session.get(CampaignSchedule, campaign_id)
        if s is None:
            default = Schedule()
            s = CampaignSchedule(
                campaign_id=campaign_id,
                offsets=list(default.offsets),
                quiet_start=default.quiet_start.strftime("%H:%M"),
                quiet_end=default.quiet_end.strftime("%H:%M"),
            )
            self.session.add(s)
        return s

    async def save_schedule(self, campaign_id: int, schedule: Schedule) -> None:
        s = await self._schedule_row(campaign_id)
        s.offsets = list(schedule.offsets)
        s.quiet_start = schedule.quiet_start.strftime("%H:%M")
        s.quiet_end = schedule.quiet_end.strftime("%H:%M")
        await self.session.flush()

    async def set_deadline(
        self, campaign_id: int, kind: DeadlineKind, at: datetime, now: datetime
    ) -> None:
        column = "unit_deadline" if kind is DeadlineKind.UNIT else "district_deadline"
        await self.session.execute(
            update(CampaignModel).where(CampaignModel.id == campaign_id).values({column: at})
        )
        s = await self._schedule_row(campaign_id)
        setattr(s, f"{column}_since", now)
        await self.session.flush()

    async def set_open(self, campaign_id: int, is_open: bool) -> None:
        await self.session.execute(
            update(CampaignModel).where(CampaignModel.id == campaign_id).values(is_open=is_open)
        )

    async def rename_campaign(self, campaign_id: int, name: str) -> None:
        await self.session.execute(
            update(CampaignModel).where(CampaignModel.id == campaign_id).values(name=name)
        )

    async def recorded(self, campaign_id: int) -> dict[str, Recorded]:
        rows = await self.session.execute(
            select(Reminder.key, Reminder.status, Reminder.claimed_at).where(
                Reminder.campaign_id == campaign_id, Reminder.kind == NoticeKind.REMINDER.value
            )
        )
        return {k: Recorded(status=Status(s), claimed_at=c) for k, s, c in rows}

    async def settled_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these outbox keys are done with (sent, unreachable, failed, expired)."""
        if not keys:
            return set()
        return set(
            await self.session.scalars(
                select(Reminder.key).where(
                    Reminder.key.in_(list(keys)), Reminder.status != Status.PENDING.value
                )
            )
        )

    async def waiting_notices(self, now: datetime, lease: timedelta) -> Sequence[Notice]:
        rows = await self.session.scalars(
            select(Reminder)
            .where(
                Reminder.kind != NoticeKind.REMINDER.value,
                Reminder.status == Status.PENDING.value,
                or_(Reminder.claimed_at.is_(None), Reminder.claimed_at <= now - lease),
            )
            .order_by(Reminder.id)
        )
        return [notice_of(r) for r in rows]

    def _insert(self) -> Any:
        dialect = sqlite if self.session.bind.dialect.name == "sqlite" else postgresql
        return dialect.insert(Reminder)

    def _values(self, n: Notice, now: datetime, holder: str | None) -> dict[str, Any]:
        return {
            "key": n.key,
            "kind": n.kind.value,
            "campaign_id": n.campaign_id,
            "deadline_kind": n.deadline_kind.value if n.deadline_kind else None,
            "deadline_at": n.deadline_at,
            "offset_minutes": n.offset,
            "recipient_id": n.recipient_id,
            "application_id": n.app_id,
            "payload": n.payload,
            "due_at": n.due_at,
            "recorded_at": now,
            "claimed_at": now if holder else None,
            "claimed_by": holder,
            "status": Status.PENDING.value,
            "attempts": 1 if holder else 0,
        }

    async def add_notices(self, notices: Sequence[Notice], now: datetime) -> int:
        added = 0
        for n in notices:
            result = await self.session.execute(
                self._insert()
                .values(self._values(n, now, None))
                .on_conflict_do_nothing(index_elements=["key"])
            )
            added += result.rowcount or 0
        return added

    async def claim(
        self, notices: Sequence[Notice], now: datetime, lease: timedelta, holder: str
    ) -> list[Notice]:
        """Records the notices not recorded yet and takes over pending ones whose claim is free
        or older than `lease`, all for `holder`; returns those it got, in order."""
        if not notices:
            return []
        inserted = set(
            await self.session.scalars(
                self._insert()
                .values([self._values(n, now, holder) for n in notices])
                .on_conflict_do_nothing(index_elements=["key"])
                .returning(Reminder.key)
            )
        )
        rest = [n for n in notices if n.key not in inserted]
        taken: set[str] = set()
        if rest:
            taken = set(
                await self.session.scalars(
                    update(Reminder)
                    .where(
                        Reminder.key.in_([n.key for n in rest]),
                        Reminder.status == Status.PENDING.value,
                        or_(Reminder.claimed_at.is_(None), Reminder.claimed_at <= now - lease),
                    )
                    .values(claimed_at=now, claimed_by=holder, attempts=Reminder.attempts + 1)
                    .returning(Reminder.key)
                )
            )
        return [n for n in notices if n.key in inserted or n.key in taken]

    def _held(self, holder: str) -> Any:
        return (Reminder.claimed_by == holder, Reminder.status == Status.PENDING.value)

    async def extend(self, holder: str, now: datetime) -> int:
        """Renews every pending claim `holder` holds from `now`; how many."""
        result = await self.session.execute(
            update(Reminder).where(*self._held(holder)).values(claimed_at=now)
        )
        return result.rowcount or 0

    async def release(self, holder: str) -> int:
        """Gives up every pending claim `holder` holds: the next pass takes them at once."""
        result = await self.session.execute(
            update(Reminder).where(*self._held(holder)).values(claimed_at=None, claimed_by=None)
        )
        return result.rowcount or 0

    async def mark(
        self,
        key: str,
        status: Status,
        now: datetime,
        error: str | None = None,
        *,
        holder: str | None = None,
    ) -> bool:
        """Sets the outcome; with `holder`, only while that holder's claim on it is pending."""
        values: dict[str, Any] = {"status": status.value, "error": error[:200] if error else None}
        if status is Status.SENT:
            values["sent_at"] = now
        where = [Reminder.key == key, *(self._held(holder) if holder else ())]
        result = await self.session.execute(update(Reminder).where(*where).values(values))
        return bool(result.rowcount)

    async def mark_sent(self, keys: Sequence[str], now: datetime, holder: str) -> int:
        """Marks sent those of `keys` that `holder` still holds; how many."""
        result = await self.session.execute(
            update(Reminder)
            .where(Reminder.key.in_(keys), *self._held(holder))
            .values(status=Status.SENT.value, sent_at=now, error=None)
        )
        return result.rowcount or 0

    async def add_nudge(
        self, app_id: int, actor_id: int, now: datetime, window: timedelta
    ) -> datetime | None:
        last = await self.session.scalar(
            select(func.max(NudgeLog.at)).where(
                NudgeLog.application_id == app_id, NudgeLog.at > now - window
            )
        )
        if last is not None:
            return last
        self.session.add(NudgeLog(application_id=app_id, actor_id=actor_id, at=now))
        await self.session.flush()
        return None

    async def lock_reports(self, district_id: int) -> None:
        """Takes the district's reports for this unit of work, before they are read: two reports
        of one district at once then come one after the other, and the second reads the first.

        A write, not SELECT … FOR UPDATE: reads before a unit of work's first write run outside
        its transaction (`storage.db._writes`), so a read's lock would be let go at once. On
        PostgreSQL this no-op update locks the district's row until the commit (FOR NO KEY
        UPDATE: inserts that refer to the district are not held up); on SQLite it takes the
        write lock, as any first write does.
        """
        await self.session.execute(
            update(District).where(District.id == district_id).values(kind=District.kind)
        )

    async def reports(self, campaign_id: int, district_id: int) -> Sequence[ReportRow]:
        rows = await self.session.scalars(
            select(BatchReport)
            .where(BatchReport.campaign_id == campaign_id, BatchReport.district_id == district_id)
            .order_by(BatchReport.id.desc())
        )
        return [report_of(r) for r in rows]

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
        return report_of(row)
