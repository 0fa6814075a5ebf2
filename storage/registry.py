"""The expert database: joint meeting batches, publicity, objections, experts, terms, numbers.

Nothing here commits: the unit of work does (storage.uow). Batches are only
ever inserted; a correction is a new batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, case, exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from bot.domain.registry import SERVING, Standing
from bot.domain.vocab import PROFESSIONAL_GROUPS
from bot.services.registry_ports import (
    BatchRow,
    ContactChangeRow,
    EvaluationRow,
    ExpertEventRow,
    ExpertFilter,
    ExpertListRow,
    ExpertRow,
    ObjectionRow,
    PublicityRow,
    TermRow,
)
from storage.db import DbSession, core
from storage.models import (
    Application,
    Campaign,
    CertificateCounter,
    District,
    Expert,
    ExpertContactChange,
    ExpertEvaluation,
    ExpertEvent,
    ExpertTerm,
    MeetingBatch,
    MeetingBatchEntry,
    Objection,
    Publicity,
)
from storage.rows import EXPERT_OF_PERSON

_IN_NOTICE_ORDER = case(
    {group: i for i, group in enumerate(PROFESSIONAL_GROUPS)},
    value=Expert.professional_group,
    else_=len(PROFESSIONAL_GROUPS),
)
"""The professional groups as the notice lists them (矿山, 危化, 建筑, …), not by character code."""


class RegistryRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    # batches --------------------------------------------------------------------------------

    async def add_batch(
        self,
        *,
        campaign_id: int,
        meeting_on: date,
        reference: str,
        corrects_id: int | None,
        app_ids: Sequence[int],
        recorded_by: int | None,
        now: datetime,
    ) -> int:
        batch_id = (
            await self.session.execute(
                insert(MeetingBatch)
                .values(
                    campaign_id=campaign_id,
                    meeting_on=meeting_on,
                    reference=reference,
                    corrects_id=corrects_id,
                    recorded_by=recorded_by,
                    recorded_at=now,
                )
                .returning(MeetingBatch.id)
            )
        ).scalar_one()
        if app_ids:
            await self.session.execute(
                insert(MeetingBatchEntry),
                [{"batch_id": batch_id, "application_id": a} for a in app_ids],
            )
        return batch_id

    async def batch(self, batch_id: int) -> BatchRow | None:
        row = await self.session.get(MeetingBatch, batch_id)
        if row is None:
            return None
        app_ids = await self.session.scalars(
            select(MeetingBatchEntry.application_id)
            .where(MeetingBatchEntry.batch_id == batch_id)
            .order_by(MeetingBatchEntry.application_id)
        )
        corrected_by = await self.session.scalar(
            select(MeetingBatch.id).where(MeetingBatch.corrects_id == batch_id)
        )
        return BatchRow(
            id=row.id,
            campaign_id=row.campaign_id,
            meeting_on=row.meeting_on,
            reference=row.reference,
            corrects_id=row.corrects_id,
            corrected_by_id=corrected_by,
            app_ids=tuple(app_ids),
            recorded_at=row.recorded_at,
        )

    async def batches(self, campaign_id: int) -> Sequence[int]:
        return list(
            await self.session.scalars(
                select(MeetingBatch.id)
                .where(MeetingBatch.campaign_id == campaign_id)
                .order_by(MeetingBatch.id)
            )
        )

    # publicity and objections ---------------------------------------------------------------

    async def add_publicity(
        self, batch_id: int, starts_on: date, ends_on: date, opened_by: int | None, now: datetime
    ) -> int:
        return (
            await self.session.execute(
                insert(Publicity)
                .values(
                    batch_id=batch_id,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    opened_by=opened_by,
                    opened_at=now,
                )
                .returning(Publicity.id)
            )
        ).scalar_one()

    async def publicity_of(self, batch_id: int) -> PublicityRow | None:
        row = await self.session.scalar(select(Publicity).where(Publicity.batch_id == batch_id))
        if row is None:
            return None
        return PublicityRow(row.id, row.batch_id, row.starts_on, row.ends_on)

    async def add_objection(
        self,
        *,
        publicity_id: int,
        app_id: int,
        received_on: date,
        summary: str,
        recorded_by: int | None,
        now: datetime,
    ) -> int:
        return (
            await self.session.execute(
                insert(Objection)
                .values(
                    publicity_id=publicity_id,
                    application_id=app_id,
                    received_on=received_on,
                    summary=summary,
                    outcome="open",
                    recorded_by=recorded_by,
                    recorded_at=now,
                )
                .returning(Objection.id)
            )
        ).scalar_one()

    async def objection(self, objection_id: int) -> ObjectionRow | None:
        row = await self.session.get(Objection, objection_id)
        if row is None:
            return None
        return ObjectionRow(
            id=row.id,
            publicity_id=row.publicity_id,
            app_id=row.application_id,
            received_on=row.received_on,
            summary=row.summary,
            outcome=row.outcome,
            reason=row.reason,
        )

    async def objections(self, publicity_id: int) -> Sequence[ObjectionRow]:
        rows = await self.session.scalars(
            select(Objection).where(Objection.publicity_id == publicity_id).order_by(Objection.id)
        )
        return [
            ObjectionRow(
                r.id,
                r.publicity_id,
                r.application_id,
                r.received_on,
                r.summary,
                r.outcome,
                r.reason,
            )
            for r in rows
        ]

    async def decide_objection(
        self, objection_id: int, outcome: str, reason: str, by: int | None, now: datetime
    ) -> bool:
        """Records the outcome once: False when it was decided meanwhile."""
        result = await self.session.execute(
            update(Objection)
            .where(Objection.id == objection_id, Objection.outcome == "open")
            .values(outcome=outcome, reason=reason, decided_by=by, decided_at=now)
        )
        return result.rowcount == 1

    async def close_open_objections(
        self, app_id: int, reason: str, by: int | None, now: datetime
    ) -> Sequence[int]:
        """Closes every objection still open against the application as `moot`; their ids."""
        ids = list(
            await self.session.scalars(
                select(Objection.id)
                .where(Objection.application_id == app_id, Objection.outcome == "open")
                .order_by(Objection.id)
            )
        )
        if ids:
            await self.session.execute(
                update(Objection)
                .where(Objection.id.in_(ids), Objection.outcome == "open")
                .values(outcome="moot", reason=reason, decided_by=by, decided_at=now)
            )
        return ids

    # experts and terms ----------------------------------------------------------------------

    async def expert_of(self, person_id: int) -> ExpertRow | None:
        row = (await core(self.session, EXPERT_OF_PERSON, {"person_id": person_id})).first()
        return None if row is None else _expert(row)

    async def add_expert(
        self, *, person_id: int, app_id: int, group: str, standing: str, now: datetime,
        district_id: int | None = None, unit_id: int | None = None, unit_name: str = "",
    ) -> int:  # fmt: skip
        return (
            await self.session.execute(
                insert(Expert)
                .values(
                    person_id=person_id,
                    application_id=app_id,
                    professional_group=group,
                    standing=standing,
                    district_id=district_id,
                    unit_id=unit_id,
                    unit_name=unit_name,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                .returning(Expert.id)
            )
        ).scalar_one()

    async def update_expert(
        self, expert_id: int, version: int, now: datetime, **values: object
    ) -> bool:
        """Writes `values` if the expert is still at `version`; False when someone was first."""
        result = await self.session.execute(
            update(Expert)
            .where(Expert.id == expert_id, Expert.version == version)
            .values(**values, version=version + 1, updated_at=now)
        )
        return result.rowcount == 1

    async def certificate_format(self, campaign_id: int) -> str:
        return (
            await self.session.scalar(
                select(Campaign.certificate_format).where(Campaign.id == campaign_id)
            )
            or ""
        )

    async def certificate_formats(self) -> dict[int, str]:
        """Every campaign's format, by campaign id."""
        rows = await self.session.execute(select(Campaign.id, Campaign.certificate_format))
        return {key: value for key, value in rows}

    async def set_certificate_format(self, campaign_id: int, template: str) -> None:
        await self.session.execute(
            update(Campaign).where(Campaign.id == campaign_id).values(certificate_format=template)
        )

    async def certificate_numbers(self) -> Sequence[str]:
        """Every certificate number given so far."""
        return list(await self.session.scalars(select(ExpertTerm.certificate_no)))

    async def certificate_counters(self) -> dict[str, int]:
        """The last number taken in each series."""
        rows = await self.session.execute(
            select(CertificateCounter.series, CertificateCounter.last_number)
        )
        return {key: value for key, value in rows}

    async def next_certificate_number(self, series: str) -> int:
        """The next number of `series`, taken for good (one atomic statement, never reused)."""
        dialect = postgresql if self.session.bind.dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(CertificateCounter)
            .values(series=series, last_number=1)
            .on_conflict_do_update(
                index_elements=["series"],
                set_={"last_number": CertificateCounter.last_number + 1},
            )
            .returning(CertificateCounter.last_number)
        )
        return int((await self.session.execute(statement)).scalar_one())

    async def add_term(
        self,
        *,
        expert_id: int,
        certificate_no: str,
        starts_on: date,
        ends_on: date,
        batch_id: int | None,
        appointed_by: int | None,
        now: datetime,
    ) -> int:
        return (
            await self.session.execute(
                insert(ExpertTerm)
                .values(
                    expert_id=expert_id,
                    certificate_no=certificate_no,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    batch_id=batch_id,
                    appointed_by=appointed_by,
                    appointed_at=now,
                )
                .returning(ExpertTerm.id)
            )
        ).scalar_one()

    async def terms_of(self, expert_id: int) -> Sequence[TermRow]:
        rows = await self.session.scalars(
            select(ExpertTerm).where(ExpertTerm.expert_id == expert_id).order_by(ExpertTerm.id)
        )
        return [
            TermRow(r.id, r.certificate_no, r.starts_on, r.ends_on, r.ended_on, r.batch_id)
            for r in rows
        ]

    async def terms_of_experts(self, expert_ids: Sequence[int]) -> dict[int, list[TermRow]]:
        """Each expert's terms, oldest first (an expert without terms is absent): one query a
        thousand experts, well under the drivers' limits on bound parameters."""
        ids = list(expert_ids)
        terms: dict[int, list[TermRow]] = {}
        for first in range(0, len(ids), 1000):
            rows = await self.session.scalars(
                select(ExpertTerm)
                .where(ExpertTerm.expert_id.in_(ids[first : first + 1000]))
                .order_by(ExpertTerm.id)
            )
            for r in rows:
                terms.setdefault(r.expert_id, []).append(
                    TermRow(r.id, r.certificate_no, r.starts_on, r.ends_on, r.ended_on, r.batch_id)
                )
        return terms

    async def latest_certificates(self, expert_ids: Sequence[int]) -> dict[int, str]:
        """Each expert's certificate number of their latest term, in one query."""
        if not expert_ids:
            return {}
        rows = await self.session.execute(
            select(ExpertTerm.expert_id, ExpertTerm.certificate_no)
            .where(ExpertTerm.expert_id.in_(list(expert_ids)))
            .order_by(ExpertTerm.id)
        )
        return {expert_id: certificate for expert_id, certificate in rows}

    async def expert(self, expert_id: int) -> ExpertRow | None:
        row = await self.session.get(Expert, expert_id)
        return None if row is None else _expert(row)

    async def expert_by_certificate(self, certificate_no: str) -> int | None:
        return await self.session.scalar(
            select(ExpertTerm.expert_id).where(ExpertTerm.certificate_no == certificate_no)
        )

    async def end_term(self, term_id: int, ended_on: date) -> None:
        await self.session.execute(
            update(ExpertTerm).where(ExpertTerm.id == term_id).values(ended_on=ended_on)
        )

    async def add_expert_event(
        self,
        *,
        expert_id: int,
        action: str,
        from_standing: str | None,
        to_standing: str,
        reason: str | None,
        actor_id: int | None,
        actor_name: str,
        now: datetime,
    ) -> None:
        await self.session.execute(
            insert(ExpertEvent).values(
                expert_id=expert_id,
                action=action,
                from_standing=from_standing,
                to_standing=to_standing,
                reason=reason,
                actor_id=actor_id,
                actor_name=actor_name,
                at=now,
            )
        )

    async def expert_events(self, expert_id: int) -> Sequence[ExpertEventRow]:
        rows = await self.session.scalars(
            select(ExpertEvent).where(ExpertEvent.expert_id == expert_id).order_by(ExpertEvent.id)
        )
        return [
            ExpertEventRow(r.action, r.from_standing, r.to_standing, r.reason, r.actor_name, r.at)
            for r in rows
        ]

    async def add_evaluation(
        self,
        *,
        expert_id: int,
        term_id: int,
        kind: str,
        year: int,
        rating: str,
        health: str | None,
        notes: str | None,
        recorded_by: int | None,
        now: datetime,
    ) -> bool:
        """False when the expert already has this kind of evaluation for `year`."""
        dialect = postgresql if self.session.bind.dialect.name == "postgresql" else sqlite
        result = await self.session.execute(
            dialect.insert(ExpertEvaluation)
            .values(
                expert_id=expert_id,
                term_id=term_id,
                kind=kind,
                year=year,
                rating=rating,
                health=health,
                notes=notes,
                recorded_by=recorded_by,
                recorded_at=now,
            )
            .on_conflict_do_nothing(index_elements=["expert_id", "kind", "year"])
        )
        return result.rowcount == 1

    async def evaluations(self, expert_id: int) -> Sequence[EvaluationRow]:
        rows = await self.session.scalars(
            select(ExpertEvaluation)
            .where(ExpertEvaluation.expert_id == expert_id)
            .order_by(ExpertEvaluation.year, ExpertEvaluation.id)
        )
        return [EvaluationRow(r.kind, r.year, r.rating, r.health, r.notes, r.term_id) for r in rows]

    async def terms_ending(self, first: date, last: date) -> Sequence[tuple[date, str, str]]:
        """(end, name, certificate number) of the running terms, each an expert's latest, that
        end between the two days, whose renewal is still to decide (not 不予续聘 already)."""
        later = aliased(ExpertTerm)
        rows = await self.session.execute(
            select(ExpertTerm.ends_on, Application.name, ExpertTerm.certificate_no)
            .join(Expert, Expert.id == ExpertTerm.expert_id)
            .join(Application, Application.id == Expert.application_id)
            .where(
                ExpertTerm.ends_on >= first,
                ExpertTerm.ends_on <= last,
                ExpertTerm.ended_on.is_(None),
                Expert.standing.in_([s.value for s in SERVING]),
                Expert.not_renewed_on.is_(None),
                ~exists().where(later.expert_id == ExpertTerm.expert_id, later.id > ExpertTerm.id),
            )
            .order_by(ExpertTerm.ends_on, ExpertTerm.id)
        )
        return [(r.ends_on, r.name or "", r.certificate_no) for r in rows]

    async def terms_over(self, today: date) -> Sequence[ExpertRow]:
        """Appointed experts whose latest term's last day is before `today` (not ended early)."""
        later = aliased(ExpertTerm)
        rows = await self.session.scalars(
            select(Expert)
            .join(ExpertTerm, ExpertTerm.expert_id == Expert.id)
            .where(
                Expert.standing == Standing.APPOINTED.value,
                ExpertTerm.ends_on < today,
                ExpertTerm.ended_on.is_(None),
                ~exists().where(later.expert_id == ExpertTerm.expert_id, later.id > ExpertTerm.id),
            )
            .order_by(Expert.id)
        )
        return [_expert(r) for r in rows]

    async def add_contact_change(
        self, expert_id: int, field: str, old: str | None, new: str | None, now: datetime
    ) -> None:
        await self.session.execute(
            insert(ExpertContactChange).values(
                expert_id=expert_id, field=field, old_value=old, new_value=new, at=now
            )
        )

    async def contact_changes(self, expert_id: int) -> Sequence[ContactChangeRow]:
        rows = await self.session.scalars(
            select(ExpertContactChange)
            .where(ExpertContactChange.expert_id == expert_id)
            .order_by(ExpertContactChange.id)
        )
        return [ContactChangeRow(r.field, r.old_value, r.new_value, r.at) for r in rows]

    async def group_title_counts(self) -> Sequence[tuple[str, str | None, str | None, int]]:
        """(group, title level, title, how many) of the experts in a term, from the application
        that made each an expert; bot.domain.stats.fold_levels adds them up by level."""
        rows = await self.session.execute(
            select(
                Expert.professional_group, Application.title_level, Application.title, func.count()
            )
            .join(Application, Application.id == Expert.application_id)
            .where(Expert.standing.in_([s.value for s in SERVING]))
            .group_by(Expert.professional_group, Application.title_level, Application.title)
        )
        return [(group, level, title, count) for group, level, title, count in rows]

    def _listing(self, what: ExpertFilter) -> Any:
        # The latest term, passing over a renewal ended before it began (解聘 or 退出 between
        # 续聘 and the new term's first day): the row shows the term the expert left.
        held = case(
            (
                or_(ExpertTerm.ended_on.is_(None), ExpertTerm.ended_on >= ExpertTerm.starts_on),
                ExpertTerm.id,
            )
        )
        latest = (
            select(
                ExpertTerm.expert_id,
                func.coalesce(func.max(held), func.max(ExpertTerm.id)).label("term_id"),
            )
            .group_by(ExpertTerm.expert_id)
            .subquery()
        )
        query = (
            select(
                Expert.id.label("expert_id"),
                Expert.person_id,
                Expert.application_id.label("app_id"),
                Application.name,
                Application.gender,
                Application.unit_name,
                Application.position,
                Application.title,
                District.name.label("district"),
                Expert.professional_group.label("group"),
                Expert.standing,
                ExpertTerm.certificate_no,
                ExpertTerm.starts_on,
                ExpertTerm.ends_on,
                ExpertTerm.ended_on,
                Application.mobile,
                Expert.not_renewed_on,
            )
            .join(Application, Application.id == Expert.application_id)
            .join(District, District.id == Application.district_id)
            .join(latest, latest.c.expert_id == Expert.id)
            .join(ExpertTerm, ExpertTerm.id == latest.c.term_id)
        )
        if what.group:
            query = query.where(Expert.professional_group == what.group)
        if what.district_id:
            query = query.where(Application.district_id == what.district_id)
        if what.standing:
            query = query.where(Expert.standing == what.standing)
        if what.person_id is not None:
            query = query.where(Expert.person_id == what.person_id)
        if what.ends_from or what.ends_to:
            query = query.where(Expert.standing.in_([s.value for s in SERVING]))
        if what.ends_from:
            query = query.where(ExpertTerm.ends_on >= what.ends_from)
        if what.ends_to:
            query = query.where(ExpertTerm.ends_on <= what.ends_to)
        if what.undecided:
            query = query.where(Expert.not_renewed_on.is_(None))
        if what.search:
            # A certificate number of any of the expert's terms: after an early 续聘 the row
            # shows the term to come, while the number in force (on the paper) is the older.
            needle = what.search.strip()
            held = aliased(ExpertTerm)
            query = query.where(
                or_(
                    Application.name.contains(needle, autoescape=True),
                    exists().where(
                        held.expert_id == Expert.id, held.certificate_no == needle.upper()
                    ),
                )
            )
        return query

    async def experts(
        self, what: ExpertFilter, *, limit: int | None = None, offset: int = 0
    ) -> tuple[Sequence[ExpertListRow], int]:
        """One page of the registry (by group in the notice's order, then name) and how many
        match in all."""
        query = self._listing(what)
        total = int(
            await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        )
        page = query.order_by(_IN_NOTICE_ORDER, Application.name, Expert.id).offset(offset)
        if limit is not None:
            page = page.limit(limit)
        rows = await self.session.execute(page)
        return [
            ExpertListRow(
                expert_id=r.expert_id,
                person_id=r.person_id,
                app_id=r.app_id,
                name=r.name or "",
                gender=r.gender or "",
                unit=r.unit_name or "",
                position=r.position or "",
                title=r.title or "",
                district=r.district,
                group=r.group,
                standing=r.standing,
                certificate_no=r.certificate_no,
                starts_on=r.starts_on,
                ends_on=r.ends_on,
                ended_on=r.ended_on,
                mobile=r.mobile or "",
                not_renewed_on=r.not_renewed_on,
            )
            for r in rows
        ], total


def _expert(row: Expert | Row[Any]) -> ExpertRow:
    return ExpertRow(
        id=row.id,
        person_id=row.person_id,
        app_id=row.application_id,
        group=row.professional_group,
        standing=row.standing,
        version=row.version,
        withdrawal_reason=row.withdrawal_reason,
        not_renewed_on=row.not_renewed_on,
    )
