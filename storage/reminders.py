"""The `ReminderStore` port over SQLAlchemy: campaigns' schedules, who has work left, the outbox.

The outbox (`reminder` table) is written with one statement per row so that
"record before sending" is a conditional insert or a conditional takeover of
a stale claim: two passes running at once never both win the same key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.reminders import (
    Audience,
    DeadlineKind,
    DistrictReviewer,
    Notice,
    NoticeKind,
    Recorded,
    Schedule,
    Status,
    Todo,
)
from bot.domain.workflow import Status as AppStatus
from bot.services.reminder_ports import BatchFacts, CampaignPlan, GrantRow
from storage.db import Database, store_opener
from storage.models import (
    Application,
    BatchReport,
    CampaignSchedule,
    District,
    NudgeLog,
    Person,
    Reminder,
    Role,
    Unit,
)
from storage.models import Campaign as CampaignModel
from storage.repositories import SqlStore, _campaign, _snapshot


class SqlReminderStore(SqlStore):
    # campaigns -------------------------------------------------------------------

    async def campaigns(self) -> Sequence[Campaign]:
        rows = await self.session.scalars(select(CampaignModel).order_by(CampaignModel.id))
        return [_campaign(c) for c in rows]

    async def plan(self, campaign_id: int) -> CampaignPlan | None:
        c = await self.session.get(CampaignModel, campaign_id)
        if c is None:
            return None
        s = await self.session.get(CampaignSchedule, campaign_id)
        if s is None:
            return CampaignPlan(
                campaign=_campaign(c),
                schedule=Schedule(),
                unit_since=c.created_at,
                district_since=c.created_at,
            )
        return CampaignPlan(
            campaign=_campaign(c),
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

    # who has work left ---------------------------------------------------------------

    async def open_forms(self, campaign_id: int) -> Sequence[ApplicationSnapshot]:
        rows = await self.session.execute(
            self._applications()
            .join(Person, Person.id == Application.person_id)
            .where(
                Application.campaign_id == campaign_id,
                Application.status.in_([AppStatus.DRAFT.value, AppStatus.RETURNED.value]),
                Person.unreachable.is_(False),
            )
            .order_by(Application.id)
        )
        return [_snapshot(r) for r in rows]

    def _reachable_unit_reviewer(self, unit_id: Any) -> Any:
        reviewer = aliased(Role)
        person = aliased(Person)
        return exists().where(
            reviewer.role == "unit",
            reviewer.unit_id == unit_id,
            person.id == reviewer.person_id,
            person.unreachable.is_(False),
        )

    async def unit_pending(self, campaign_id: int) -> Sequence[Todo]:
        rows = await self.session.execute(
            select(Role.person_id, Role.unit_id, Unit.name, func.count(Application.id))
            .join(Person, Person.id == Role.person_id)
            .join(Unit, Unit.id == Role.unit_id)
            .join(Application, Application.unit_id == Role.unit_id)
            .where(
                Role.role == "unit",
                Person.unreachable.is_(False),
                Application.campaign_id == campaign_id,
                Application.status == AppStatus.SUBMITTED.value,
                Application.unit_confirmed.is_(True),
            )
            .group_by(Role.person_id, Role.unit_id, Unit.name)
            .order_by(Role.person_id, Role.unit_id)
        )
        return [
            Todo(recipient_id=p, audience=Audience.UNIT_PENDING, scope=u, count=n, label=name)
            for p, u, name, n in rows
        ]

    async def district_pending(self, campaign_id: int) -> Sequence[Todo]:
        waiting_for_district = or_(
            Application.status == AppStatus.UNIT_APPROVED.value,
            and_(
                Application.status == AppStatus.SUBMITTED.value,
                or_(
                    Application.unit_confirmed.is_(False),
                    Application.unit_id.is_(None),
                    ~self._reachable_unit_reviewer(Application.unit_id),
                ),
            ),
        )
        rows = await self.session.execute(
            select(Role.person_id, Role.district_id, District.name, func.count(Application.id))
            .join(Person, Person.id == Role.person_id)
            .join(District, District.id == Role.district_id)
            .join(Application, Application.district_id == Role.district_id)
            .where(
                Role.role == "district",
                Person.unreachable.is_(False),
                Application.campaign_id == campaign_id,
                waiting_for_district,
            )
            .group_by(Role.person_id, Role.district_id, District.name)
            .order_by(Role.person_id, Role.district_id)
        )
        return [
            Todo(recipient_id=p, audience=Audience.DISTRICT_PENDING, scope=d, count=n, label=name)
            for p, d, name, n in rows
        ]

    async def batch_facts(self, campaign_id: int) -> BatchFacts:
        approved = {
            d: n
            for d, n in await self.session.execute(
                select(Application.district_id, func.count(Application.id))
                .where(
                    Application.campaign_id == campaign_id,
                    Application.status == AppStatus.DISTRICT_APPROVED.value,
                )
                .group_by(Application.district_id)
            )
        }
        if not approved:
            return BatchFacts(approved={})
        reported = frozenset(
            await self.session.scalars(
                select(BatchReport.district_id)
                .where(
                    BatchReport.campaign_id == campaign_id,
                    BatchReport.replaced.is_(False),
                )
                .distinct()
            )
        )
        rows = await self.session.execute(
            select(Role.person_id, Role.district_id, District.name)
            .join(Person, Person.id == Role.person_id)
            .join(District, District.id == Role.district_id)
            .where(
                Role.role == "district",
                Person.unreachable.is_(False),
                Role.district_id.in_(sorted(approved)),
            )
            .distinct()
            .order_by(Role.person_id, Role.district_id)
        )
        reviewers = [DistrictReviewer(person_id=p, district_id=d, label=name) for p, d, name in rows]
        return BatchFacts(reviewers=reviewers, approved=approved, reported=reported)

    async def grants_of(self, person_id: int) -> Sequence[GrantRow]:
        rows = await self.session.execute(
            select(Role.role, Role.district_id, Role.unit_id, District.name, Unit.name)
            .outerjoin(District, District.id == Role.district_id)
            .outerjoin(Unit, Unit.id == Role.unit_id)
            .where(Role.person_id == person_id)
            .order_by(Role.id)
        )
        return [
            GrantRow(role=r, district_id=d, unit_id=u, label=(un or dn or ""))
            for r, d, u, dn, un in rows
        ]

    async def _reviewers(self, *where: Any) -> Sequence[int]:
        rows = await self.session.scalars(
            select(Role.person_id)
            .join(Person, Person.id == Role.person_id)
            .where(Person.unreachable.is_(False), *where)
            .distinct()
            .order_by(Role.person_id)
        )
        return list(rows)

    async def unit_reviewers(self, unit_id: int) -> Sequence[int]:
        return await self._reviewers(Role.role == "unit", Role.unit_id == unit_id)

    async def district_reviewers(self, district_id: int) -> Sequence[int]:
        return await self._reviewers(Role.role == "district", Role.district_id == district_id)

    async def bureau_admins(self) -> Sequence[int]:
        return await self._reviewers(Role.role == "bureau")

    async def person_name(self, person_id: int) -> str:
        return await self.session.scalar(select(Person.full_name).where(Person.id == person_id)) or ""

    # the outbox ---------------------------------------------------------------------

    async def recorded(self, campaign_id: int) -> dict[str, Recorded]:
        rows = await self.session.execute(
            select(Reminder.key, Reminder.status, Reminder.claimed_at).where(
                Reminder.campaign_id == campaign_id, Reminder.kind == NoticeKind.REMINDER.value
            )
        )
        return {k: Recorded(status=Status(s), claimed_at=c) for k, s, c in rows}

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
        return [_notice(r) for r in rows]

    def _insert(self) -> Any:
        dialect = sqlite if self.session.bind.dialect.name == "sqlite" else postgresql
        return dialect.insert(Reminder)

    def _values(self, n: Notice, now: datetime, claimed: datetime | None) -> dict[str, Any]:
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
            "claimed_at": claimed,
            "status": Status.PENDING.value,
            "attempts": 1 if claimed else 0,
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
        self, notices: Sequence[Notice], now: datetime, lease: timedelta
    ) -> list[Notice]:
        if not notices:
            return []
        inserted = set(
            await self.session.scalars(
                self._insert()
                .values([self._values(n, now, now) for n in notices])
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
                    .values(claimed_at=now, attempts=Reminder.attempts + 1)
                    .returning(Reminder.key)
                )
            )
        return [n for n in notices if n.key in inserted or n.key in taken]

    async def mark(self, key: str, status: Status, now: datetime, error: str | None = None) -> None:
        values: dict[str, Any] = {"status": status.value, "error": error[:200] if error else None}
        if status is Status.SENT:
            values["sent_at"] = now
        await self.session.execute(update(Reminder).where(Reminder.key == key).values(values))

    async def mark_sent(self, keys: Sequence[str], now: datetime) -> None:
        await self.session.execute(
            update(Reminder)
            .where(Reminder.key.in_(keys))
            .values(status=Status.SENT.value, sent_at=now, error=None)
        )

    async def mark_unreachable(self, person_id: int) -> bool:
        result = await self.session.execute(
            update(Person)
            .where(Person.id == person_id, Person.unreachable.is_(False))
            .values(unreachable=True)
        )
        return bool(result.rowcount)

    async def set_reachable(self, person_id: int, reachable: bool) -> bool:
        result = await self.session.execute(
            update(Person)
            .where(Person.id == person_id, Person.unreachable.is_(reachable))
            .values(unreachable=not reachable)
        )
        return bool(result.rowcount)

    async def is_unreachable(self, person_id: int) -> bool:
        return bool(
            await self.session.scalar(select(Person.unreachable).where(Person.id == person_id))
        )

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


def _notice(r: Reminder) -> Notice:
    return Notice(
        key=r.key,
        kind=NoticeKind(r.kind),
        recipient_id=r.recipient_id,
        campaign_id=r.campaign_id,
        payload=dict(r.payload or {}),
        deadline_kind=DeadlineKind(r.deadline_kind) if r.deadline_kind else None,
        deadline_at=r.deadline_at,
        offset=r.offset_minutes,
        app_id=r.application_id,
        due_at=r.due_at,
    )


def reminder_store_factory(database: Database) -> Any:
    """Opens a reminder store whose session rolls back unless committed."""
    return store_opener(database, SqlReminderStore)
