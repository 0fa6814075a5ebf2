"""Using units, draw requests, rounds, invitations, bookings, work records and leave.

Nothing here commits: the unit of work does (storage.uow). A booking's key
(expert, day) is what keeps two draws at once from holding one expert twice:
`book` inserts with ON CONFLICT DO NOTHING and reports whether every day was
taken, and the caller rolls back when one was not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.clock import local
from bot.domain.draws import HOLDS_DAY, Candidate, InvitationStatus
from bot.domain.registry import SERVING
from bot.services.draw_ports import (
    InvitationRow,
    NewRequest,
    RequestListRow,
    RequestRow,
    RoundRow,
    UsingUnitRow,
    WorkRow,
    WorkSummary,
)
from storage.db import DbSession, core
from storage.models import (
    Application,
    Booking,
    DrawEvent,
    DrawRequest,
    DrawRound,
    Expert,
    ExpertLeave,
    ExpertTerm,
    Invitation,
    UsingUnit,
    WorkRecord,
)


class DrawRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    def _dialect(self) -> Any:
        return postgresql if self.session.bind.dialect.name == "postgresql" else sqlite

    # using units ----------------------------------------------------------------------------

    async def add_using_unit(
        self, *, code: str, name: str, kind: str, district_id: int | None, unit_id: int | None,
        now: datetime,
    ) -> int:  # fmt: skip
        result = await self.session.execute(
            insert(UsingUnit)
            .values(
                code=code, name=name, kind=kind, district_id=district_id, unit_id=unit_id,
                created_at=now,
            )  # fmt: skip
            .returning(UsingUnit.id)
        )
        return int(result.scalar_one())

    async def using_unit(self, using_unit_id: int) -> UsingUnitRow | None:
        row = await self.session.get(UsingUnit, using_unit_id)
        return None if row is None else _using_unit(row)

    async def using_unit_by(self, *, code: str = "", name: str = "") -> UsingUnitRow | None:
        column, value = (UsingUnit.code, code) if code else (UsingUnit.name, name)
        row = await self.session.scalar(select(UsingUnit).where(column == value))
        return None if row is None else _using_unit(row)

    async def using_units(self) -> Sequence[UsingUnitRow]:
        rows = await self.session.scalars(select(UsingUnit).order_by(UsingUnit.id))
        return [_using_unit(r) for r in rows]

    # requests -------------------------------------------------------------------------------

    async def add_request(
        self, new: NewRequest, *, key_hex: str, commitment: str, now: datetime
    ) -> int:
        result = await self.session.execute(
            insert(DrawRequest)
            .values(
                using_unit_id=new.using_unit_id,
                requested_by=new.requested_by,
                groups=list(new.groups),
                days=[d.isoformat() for d in new.days],
                first_day=min(new.days),
                last_day=max(new.days),
                place=new.place,
                project=new.project,
                work_kind=new.work_kind,
                wanted=new.wanted,
                preferred_districts=list(new.preferred_districts),
                avoid_units=list(new.avoid_units),
                avoid_experts=list(new.avoid_experts),
                reply_hours=new.reply_hours,
                status="filed",
                key_hex=key_hex,
                commitment=commitment,
                version=1,
                filed_at=now,
            )
            .returning(DrawRequest.id)
        )
        return int(result.scalar_one())

    async def request(self, request_id: int) -> RequestRow | None:
        row = (
            await self.session.execute(
                select(DrawRequest, UsingUnit.name)
                .join(UsingUnit, UsingUnit.id == DrawRequest.using_unit_id)
                .where(DrawRequest.id == request_id)
            )
        ).first()
        return None if row is None else _request(row[0], row[1])

    async def lock_request(self, request_id: int) -> bool:
        """Takes the request for this unit of work: a write first, so that on PostgreSQL the row
        stays locked until the commit and on SQLite the write lock is held; what is read after it
        is what the last change to the request left. False when there is no such request."""
        result = await self.session.execute(
            update(DrawRequest)
            .where(DrawRequest.id == request_id)
            .values(version=DrawRequest.version + 1)
        )
        return bool(result.rowcount)

    async def set_key(self, request_id: int, key_hex: str) -> None:
        await self.session.execute(
            update(DrawRequest).where(DrawRequest.id == request_id).values(key_hex=key_hex)
        )

    async def set_request_status(
        self, request_id: int, version: int, status: str, *, reason: str | None = None,
        now: datetime | None = None,
    ) -> bool:  # fmt: skip
        values: dict[str, Any] = {"status": status, "version": version + 1}
        if status == "cancelled":
            values.update(cancelled_at=now, cancel_reason=reason)
        result = await self.session.execute(
            update(DrawRequest)
            .where(DrawRequest.id == request_id, DrawRequest.version == version)
            .values(**values)
        )
        return bool(result.rowcount)

    async def open_requests(self, using_unit_id: int, today: date) -> int:
        """The unit's requests not cancelled whose last day is today or later."""
        rows = await self.session.scalars(
            select(DrawRequest.days).where(
                DrawRequest.using_unit_id == using_unit_id, DrawRequest.status != "cancelled"
            )
        )
        return sum(1 for days in rows if date.fromisoformat(max(days)) >= today)

    async def requests_of(self, using_unit_ids: Sequence[int], limit: int) -> Sequence[RequestListRow]:
        counts = (
            select(
                Invitation.request_id,
                func.sum(case((Invitation.status == "accepted", 1), else_=0)).label("accepted"),
                func.sum(case((Invitation.status == "invited", 1), else_=0)).label("open"),
            )
            .group_by(Invitation.request_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(
                DrawRequest.id, DrawRequest.project, DrawRequest.days, DrawRequest.wanted,
                DrawRequest.status, DrawRequest.filed_at, counts.c.accepted, counts.c.open,
                UsingUnit.name.label("unit"),
            )  # fmt: skip
            .join(UsingUnit, UsingUnit.id == DrawRequest.using_unit_id)
            .outerjoin(counts, counts.c.request_id == DrawRequest.id)
            .where(DrawRequest.using_unit_id.in_(using_unit_ids))
            .order_by(DrawRequest.id.desc())
            .limit(limit)
        )
        return [
            RequestListRow(
                id=r.id,
                project=r.project,
                days=tuple(date.fromisoformat(d) for d in r.days),
                wanted=r.wanted,
                status=r.status,
                accepted=int(r.accepted or 0),
                open=int(r.open or 0),
                filed_at=r.filed_at,
                unit=r.unit,
            )
            for r in rows
        ]

    # the pool ---------------------------------------------------------------------------------

    async def candidates(
        self, groups: Sequence[str], days: Sequence[date]
    ) -> Sequence[Candidate]:
        """Experts of these groups in a term that covers every day, with whether they are on leave
        or held on one of the days; the domain decides the rest (bot.domain.draws.why_not).

        Core statements, no ORM loading: the days' bookings and leave as two sets, then the
        experts with only the columns the pool needs. Over a group's ~1,400 experts, per-row
        subqueries, converted dates and the ORM's row loading cost more than the query itself;
        joining the two sets in instead made SQLite's plan slower (benchmarks/draws.py)."""
        wanted = list(days)
        booking, leave = Booking.__table__.c, ExpertLeave.__table__.c
        expert, term = Expert.__table__.c, ExpertTerm.__table__.c
        held = set(
            (await core(self.session, select(booking.expert_id).where(booking.day.in_(wanted))))
            .scalars()
        )
        away = set(
            (await core(self.session, select(leave.expert_id).where(
                or_(*(and_(leave.starts_on <= d, leave.ends_on >= d) for d in wanted))
            ))).scalars()
        )  # fmt: skip
        rows = await core(
            self.session,
            select(
                expert.id,
                expert.professional_group,
                expert.withdrawal_asked_at.is_(None),
                expert.district_id,
                expert.unit_id,
                expert.unit_name,
            )
            .join_from(
                Expert.__table__,
                ExpertTerm.__table__,
                and_(
                    term.expert_id == expert.id,
                    term.ended_on.is_(None),
                    term.starts_on <= min(wanted),
                    term.ends_on >= max(wanted),
                ),
            )
            .where(
                expert.professional_group.in_(list(groups)),
                expert.standing.in_([s.value for s in SERVING]),
            ),
        )
        return [
            Candidate(
                expert_id=expert_id, group=group, district_id=district_id, unit_id=unit_id,
                unit_name=unit_name, serving=bool(serving), on_leave=expert_id in away,
                booked=expert_id in held,
            )  # fmt: skip
            for expert_id, group, serving, district_id, unit_id, unit_name in rows
        ]

    # rounds and invitations ---------------------------------------------------------------------

    async def add_round(
        self, *, request_id: int, round_no: int, wanted: int, pool: str, pool_hash: str,
        drawn: Sequence[int], reserve: Sequence[int], by: int | None, now: datetime,
    ) -> int:  # fmt: skip
        result = await self.session.execute(
            insert(DrawRound)
            .values(
                request_id=request_id, round_no=round_no, wanted=wanted, pool=pool,
                pool_hash=pool_hash,
                drawn=list(drawn), reserve=list(reserve), drawn_by=by, drawn_at=now,
            )  # fmt: skip
            .returning(DrawRound.id)
        )
        return int(result.scalar_one())

    async def rounds(self, request_id: int) -> Sequence[RoundRow]:
        rows = await self.session.scalars(
            select(DrawRound).where(DrawRound.request_id == request_id).order_by(DrawRound.round_no)
        )
        return [
            RoundRow(
                id=r.id, request_id=r.request_id, round_no=r.round_no, wanted=r.wanted, pool=r.pool,
                pool_hash=r.pool_hash, drawn=tuple(r.drawn), reserve=tuple(r.reserve),
                drawn_at=r.drawn_at,
            )  # fmt: skip
            for r in rows
        ]

    async def add_invitation(
        self, *, request_id: int, round_id: int, expert_id: int, position: int, status: str,
        reply_by: datetime | None, now: datetime,
    ) -> int:  # fmt: skip
        result = await self.session.execute(
            insert(Invitation)
            .values(
                request_id=request_id, round_id=round_id, expert_id=expert_id, position=position,
                status=status, invited_at=now, reply_by=reply_by, version=1,
            )  # fmt: skip
            .returning(Invitation.id)
        )
        return int(result.scalar_one())

    async def book(self, invitation_id: int, expert_id: int, days: Sequence[date]) -> bool:
        """Holds the expert's days for this invitation; False (nothing more to do but roll back)
        when another invitation holds one of them."""
        result = await self.session.execute(
            self._dialect()
            .insert(Booking)
            .values([{"expert_id": expert_id, "day": d, "invitation_id": invitation_id} for d in days])
            .on_conflict_do_nothing()
        )
        return result.rowcount == len(days)

    async def is_booked(self, expert_id: int, days: Sequence[date]) -> bool:
        found = await self.session.scalar(
            select(Booking.invitation_id).where(
                Booking.expert_id == expert_id, Booking.day.in_(list(days))
            ).limit(1)
        )
        return found is not None

    async def release(self, invitation_id: int) -> None:
        await self.session.execute(delete(Booking).where(Booking.invitation_id == invitation_id))

    async def invitations(self, request_id: int) -> Sequence[InvitationRow]:
        return await self._invitations(Invitation.request_id == request_id)

    async def invitation(self, invitation_id: int) -> InvitationRow | None:
        rows = await self._invitations(Invitation.id == invitation_id)
        return rows[0] if rows else None

    async def overdue(self, now: datetime, limit: int = 100) -> Sequence[InvitationRow]:
        """Open invitations whose reply deadline has passed."""
        return await self._invitations(
            Invitation.status == InvitationStatus.INVITED.value,
            Invitation.reply_by <= now,
            limit=limit,
        )

    async def holding(self, expert_id: int, since: date) -> Sequence[InvitationRow]:
        """The expert's invitations that hold their days (invited or accepted) in requests whose
        last day is `since` or later."""
        return await self._invitations(
            Invitation.expert_id == expert_id,
            Invitation.status.in_([s.value for s in HOLDS_DAY]),
            Invitation.request_id.in_(
                select(DrawRequest.id).where(DrawRequest.last_day >= since)
            ),
        )

    async def waiting_for(self, person_id: int, now: datetime) -> Sequence[InvitationRow]:
        """The person's invitations still open to an answer: invited, the reply deadline ahead."""
        return await self._invitations(
            Expert.person_id == person_id,
            Invitation.status == InvitationStatus.INVITED.value,
            Invitation.reply_by > now,
        )

    async def _invitations(self, *where: Any, limit: int | None = None) -> Sequence[InvitationRow]:
        query = (
            select(Invitation, Expert.person_id, Application.name, Application.unit_name)
            .join(Expert, Expert.id == Invitation.expert_id)
            .join(Application, Application.id == Expert.application_id)
            .where(*where)
            .order_by(Invitation.id)
        )
        if limit is not None:
            query = query.limit(limit)
        return [
            InvitationRow(
                id=i.id, request_id=i.request_id, round_id=i.round_id, expert_id=i.expert_id,
                person_id=person_id, name=name or "", unit=unit or "", position=i.position,
                status=i.status, invited_at=i.invited_at, reply_by=i.reply_by, reason=i.reason,
                version=i.version,
            )  # fmt: skip
            for i, person_id, name, unit in await self.session.execute(query)
        ]

    async def move_invitation(
        self, invitation_id: int, version: int, status: str, *, reason: str | None, now: datetime
    ) -> bool:
        result = await self.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id, Invitation.version == version)
            .values(status=status, reason=reason, answered_at=now, version=version + 1)
        )
        return bool(result.rowcount)

    async def accepted(
        self, *, starting: date, ended_after: date, ended_before: date
    ) -> Sequence[tuple[InvitationRow, RequestRow, bool]]:
        """Accepted invitations of requests not cancelled that start on `starting`, or whose last
        day is in [ended_after, ended_before) with the work not recorded; each with its request
        and whether its work is recorded. Bounded by the dates, however many draws there were."""
        wanted = (
            select(Invitation.id, DrawRequest.id, WorkRecord.invitation_id.is_not(None))
            .join(DrawRequest, DrawRequest.id == Invitation.request_id)
            .outerjoin(WorkRecord, WorkRecord.invitation_id == Invitation.id)
            .where(
                Invitation.status == InvitationStatus.ACCEPTED.value,
                DrawRequest.status != "cancelled",
                or_(
                    DrawRequest.first_day == starting,
                    and_(
                        DrawRequest.last_day >= ended_after,
                        DrawRequest.last_day < ended_before,
                        WorkRecord.invitation_id.is_(None),
                    ),
                ),
            )
        )
        found = {inv_id: (request_id, bool(worked)) for inv_id, request_id, worked in
                 await self.session.execute(wanted)}  # fmt: skip
        if not found:
            return []
        requests = {r: await self.request(r) for r in {r for r, _ in found.values()}}
        out = []
        for inv in await self._invitations(Invitation.id.in_(list(found))):
            request_id, worked = found[inv.id]
            request = requests[request_id]
            assert request is not None
            out.append((inv, request, worked))
        return out

    async def invited_experts(self, request_id: int) -> set[int]:
        return set(
            await self.session.scalars(
                select(Invitation.expert_id).where(Invitation.request_id == request_id)
            )
        )

    # work records ---------------------------------------------------------------------------------

    async def add_work(
        self, *, invitation_id: int, hours_tenths: int, rating: int, comment: str | None,
        fee_fen: int, by: int | None, now: datetime,
    ) -> bool:  # fmt: skip
        result = await self.session.execute(
            self._dialect()
            .insert(WorkRecord)
            .values(
                invitation_id=invitation_id, hours=hours_tenths, rating=rating, comment=comment,
                fee_fen=fee_fen, recorded_by=by, recorded_at=now,
            )  # fmt: skip
            .on_conflict_do_nothing()
        )
        return bool(result.rowcount)

    async def work(self, invitation_id: int) -> WorkRow | None:
        r = await self.session.get(WorkRecord, invitation_id)
        if r is None:
            return None
        return WorkRow(
            invitation_id=r.invitation_id, hours_tenths=r.hours, rating=r.rating,
            comment=r.comment, fee_fen=r.fee_fen, answer=r.answer, answer_note=r.answer_note,
        )  # fmt: skip

    async def worked(self, request_id: int) -> set[int]:
        """The request's invitations whose work is recorded."""
        return set(
            await self.session.scalars(
                select(WorkRecord.invitation_id)
                .join(Invitation, Invitation.id == WorkRecord.invitation_id)
                .where(Invitation.request_id == request_id)
            )
        )

    async def answer_work(
        self, invitation_id: int, answer: str, note: str | None, now: datetime
    ) -> bool:
        result = await self.session.execute(
            update(WorkRecord)
            .where(WorkRecord.invitation_id == invitation_id, WorkRecord.answer.is_(None))
            .values(answer=answer, answer_note=note, answered_at=now)
        )
        return bool(result.rowcount)

    async def work_years(self, expert_id: int) -> Sequence[tuple[int, WorkSummary]]:
        """The expert's recorded work per year of the work's first day, oldest first."""
        rows = await self.session.execute(
            select(DrawRequest.days, WorkRecord.hours, WorkRecord.rating, WorkRecord.fee_fen,
                   WorkRecord.answer)  # fmt: skip
            .join(Invitation, Invitation.id == WorkRecord.invitation_id)
            .join(DrawRequest, DrawRequest.id == Invitation.request_id)
            .where(Invitation.expert_id == expert_id)
        )
        years: dict[int, list[tuple[int, int, int, str | None]]] = {}
        for days, hours, rating, fee, answer in rows:
            years.setdefault(int(min(days)[:4]), []).append((hours, rating, fee, answer))
        return [
            (year, WorkSummary(
                count=len(w), hours_tenths=sum(x[0] for x in w),
                rating_avg=sum(x[1] for x in w) / len(w), fee_fen=sum(x[2] for x in w),
                disputed=sum(1 for x in w if x[3] == "disputed"),
            ))  # fmt: skip
            for year, w in sorted(years.items())
        ]

    # leave and audit ------------------------------------------------------------------------------

    async def add_leave(
        self, *, expert_id: int, starts_on: date, ends_on: date, reason: str | None,
        by: int | None, now: datetime,
    ) -> bool:  # fmt: skip
        """Whether it was added: not when a leave of the expert's already holds every day."""
        held = await self.session.scalar(
            select(ExpertLeave.id).where(
                ExpertLeave.expert_id == expert_id,
                ExpertLeave.starts_on <= starts_on,
                ExpertLeave.ends_on >= ends_on,
            ).limit(1)
        )
        if held is not None:
            return False
        await self.session.execute(
            insert(ExpertLeave).values(
                expert_id=expert_id, starts_on=starts_on, ends_on=ends_on, reason=reason,
                recorded_by=by, recorded_at=now,
            )  # fmt: skip
        )
        return True

    async def add_event(
        self, *, request_id: int, action: str, detail: dict[str, Any], actor_id: int | None,
        now: datetime, invitation_id: int | None = None,
    ) -> None:  # fmt: skip
        await self.session.execute(
            insert(DrawEvent).values(
                request_id=request_id, invitation_id=invitation_id, action=action, detail=detail,
                actor_id=actor_id, at=now,
            )  # fmt: skip
        )

    async def events(self, request_id: int) -> Sequence[tuple[str, dict[str, Any], int | None, datetime]]:
        rows = await self.session.execute(
            select(DrawEvent.action, DrawEvent.detail, DrawEvent.actor_id, DrawEvent.at)
            .where(DrawEvent.request_id == request_id)
            .order_by(DrawEvent.id)
        )
        return [(a, d, who, at) for a, d, who, at in rows]

    async def monthly_invitations(self, since: datetime) -> Sequence[tuple[str, int, int]]:
        """(YYYY-MM of the invitation in Asia/Shanghai, invitations, accepted) since a moment."""
        rows = await self.session.execute(
            select(Invitation.invited_at, Invitation.status)
            .where(Invitation.invited_at >= since, Invitation.status != "skipped")
        )
        months: dict[str, list[int]] = {}
        for at, status in rows:
            m = months.setdefault(f"{local(at):%Y-%m}", [0, 0])
            m[0] += 1
            m[1] += status == "accepted"
        return [(k, v[0], v[1]) for k, v in sorted(months.items())]


def _using_unit(r: UsingUnit) -> UsingUnitRow:
    return UsingUnitRow(r.id, r.code, r.name, r.kind, r.district_id, r.unit_id)


def _request(r: DrawRequest, unit_name: str) -> RequestRow:
    return RequestRow(
        id=r.id,
        using_unit_id=r.using_unit_id,
        unit_name=unit_name,
        requested_by=r.requested_by,
        groups=tuple(r.groups),
        days=tuple(date.fromisoformat(d) for d in r.days),
        place=r.place,
        project=r.project,
        work_kind=r.work_kind,
        wanted=r.wanted,
        preferred_districts=tuple(r.preferred_districts or ()),
        avoid_units=tuple(r.avoid_units or ()),
        avoid_experts=tuple(r.avoid_experts or ()),
        reply_hours=r.reply_hours,
        status=r.status,
        key_hex=r.key_hex,
        commitment=r.commitment,
        version=r.version,
        filed_at=r.filed_at,
        cancel_reason=r.cancel_reason,
    )
