"""Use cases of an appointed expert's life: evaluations, renewal or not, withdrawal, dismissal.

The moves follow bot.domain.registry's table; each is the bureau admin's
(`by=None`: the command line), except asking to withdraw, which is the
expert's own. Every move is in the expert's audit trail, ends the running
term when it should, and tells the expert and their unit and district
reviewers through the reminder outbox in the same transaction. A move out of
service also ends the expert's invitations still to come (using units told,
reserves invited), in that transaction too. 不予续聘 and 解聘 return what the
written notice (书面函告) needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.clock import local
from bot.domain import keys, parsers
from bot.domain.errors import AlreadyHandled, NotAllowed, NotFound
from bot.domain.exports import Access
from bot.domain.registry import (
    DECIDED_AT_TERM_END,
    SERVING,
    TERM_REMINDERS,
    ExpertAction,
    Rating,
    Standing,
    certificate_number,
    decisions_open,
    due_reminder,
    flagged,
    next_standing,
    passed,
    series_of,
    term_end,
)
from bot.domain.reminders import Notice, NoticeKind
from bot.services.draw_ports import WorkSummary
from bot.services.draws import leave_draws
from bot.services.registry import bureau_actor
from bot.services.registry_ports import (
    ContactChangeRow,
    EvaluationRow,
    ExpertEventRow,
    ExpertFilter,
    ExpertListRow,
    ExpertRow,
    TermRow,
)
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.texts import registry as t

REASON_MAX = 500


async def _expert(uow: UnitOfWork, expert_id: int) -> ExpertRow:
    expert = await uow.registry.expert(expert_id)
    if expert is None:
        raise NotFound(t.EXPERT_NOT_FOUND.format(expert_id=expert_id))
    return expert


def check_reason(text: str) -> str:
    """A reason for the record and the written notice: said, and not too long."""
    reason = text.strip()
    if not reason or len(reason) > REASON_MAX:
        raise NotAllowed(t.REASON_LIMIT.format(limit=REASON_MAX))
    return reason


@dataclass(frozen=True)
class ExpertCard:
    """Everything the bureau sees of one expert."""

    row: ExpertListRow
    expert: ExpertRow
    terms: Sequence[TermRow]
    evaluations: Sequence[EvaluationRow]
    events: Sequence[ExpertEventRow]
    contact_changes: Sequence[ContactChangeRow] = ()
    """The expert's own changes of phone, e-mail and address, oldest first."""
    work: Sequence[tuple[int, WorkSummary]] = ()
    """Drawn work the using units recorded, per year (for the yearly evaluation)."""

    def running(self, today: date) -> TermRow:
        """The term in force `today`: the latest that has started (a renewal decided before the
        old term's end adds one that starts later), or the first, not started yet."""
        started = [term for term in self.terms if term.starts_on <= today]
        return started[-1] if started else self.terms[0]

    def from_running(self, today: date) -> Sequence[TermRow]:
        """The term in force `today` and any renewal after it: what leaving service ends."""
        return self.terms[list(self.terms).index(self.running(today)) :]

    def evaluated(self, year: int, kind: str = "year") -> bool:
        """Whether the yearly evaluation (`kind` "term": a 期满考核) of `year` is recorded already."""
        return any(e.kind == kind and e.year == year for e in self.evaluations)

    @property
    def flagged(self) -> bool:
        """不合格 twice in the running term."""
        term = self.terms[-1].id if self.terms else None
        return flagged([Rating(e.rating) for e in self.evaluations if e.kind == "year" and e.term_id == term])

    def term_review(self) -> EvaluationRow | None:
        """The latest 期满考核 of the running term, if any."""
        term = self.terms[-1].id if self.terms else None
        reviews = [e for e in self.evaluations if e.kind == "term" and e.term_id == term]
        return reviews[-1] if reviews else None

    def standing_refusal(self) -> str | None:
        """Why nothing on the card can be done (None: it can): the expert is out of service
        (解聘, 退出, 不再续聘), so a card shown before that is stale."""
        if Standing(self.expert.standing) not in SERVING:
            return t.EXPERT_WRONG_STANDING.format(
                standing=t.STANDING.get(self.expert.standing, self.expert.standing)
            )
        return None

    def decision_refusal(self, today: date) -> str | None:
        """Why 续聘 or 不予续聘 cannot be decided `today` (None: it can): not serving, 不予续聘
        decided already, or the running term's end is not within the reminders' window yet."""
        if why := self.standing_refusal():
            return why
        if not self.terms:
            return t.NO_TERM
        if decided := self.expert.not_renewed_on:
            return t.NOT_RENEWAL_DECIDED.format(decided_on=decided, ends_on=self.terms[-1].ends_on)
        return _too_early(self.terms[-1].ends_on, today)

    def term_review_refusal(self, today: date) -> str | None:
        """Why the 期满考核 cannot be recorded `today` (None: it can): it weighs the whole term
        (notice § 四(四): 聘用期满…进行考评), so it belongs to the term's last 90 days, when
        续聘 and 不予续聘 are decided, or after."""
        if why := self.standing_refusal():
            return why
        if not self.terms:
            return t.NO_TERM
        ends_on = self.terms[-1].ends_on
        if today < (opens := decisions_open(ends_on)):
            return t.TERM_REVIEW_EARLY.format(ends_on=ends_on, opens=opens, days=max(TERM_REMINDERS))
        return None

    def renewal_refusal(self, today: date) -> str | None:
        """Why 续聘 cannot be decided `today`: as `decision_refusal`, and the running term's
        期满考核 must be on record and passed (notice § 四(四): evaluated, then decided)."""
        if why := self.decision_refusal(today):
            return why
        review = self.term_review()
        if review is None:
            return t.RENEWAL_NEEDS_REVIEW
        if not passed(Rating(review.rating)):
            return t.RENEWAL_REVIEW_FAILED.format(rating=review.rating)
        return None

    def end_refusal(self, action: ExpertAction, today: date) -> str | None:
        """Why 解聘 (any day of service) or 不予续聘 (as `decision_refusal`, and after a 期满考核 of
        the term, whatever its result) cannot be decided `today`; None: it can."""
        if action is ExpertAction.NOT_RENEW:  # decided on the term's review, as 续聘 is
            why = self.decision_refusal(today)
            return why or (t.NOT_RENEWAL_NEEDS_REVIEW if self.term_review() is None else None)
        return self.standing_refusal() or (None if self.terms else t.NO_TERM)

    def effective_on(self, action: ExpertAction, today: date) -> date:
        """When 解聘 (today, or the term's last day if that has passed) or 不予续聘 (the term's
        last day: the expert serves to it, and leaves after it) takes effect."""
        ends_on = self.running(today).ends_on
        return min(today, ends_on) if action is ExpertAction.DISMISS else ends_on

    def withdrawal_refusal(self) -> str | None:
        """Why the bureau cannot confirm a withdrawal (None: it can): out of service, or none asked."""
        return self.standing_refusal() or (None if self.expert.withdrawal_reason else t.NO_WITHDRAWAL)

    def renewal_start_refusal(self, term_start: date) -> str | None:
        """A new term starts after the running one's last day: it never cuts it short."""
        ends_on = self.terms[-1].ends_on
        if term_start <= ends_on:
            return t.RENEWAL_TOO_EARLY.format(ends_on=ends_on, first=ends_on + timedelta(days=1))
        return None


def _too_early(ends_on: date, today: date) -> str | None:
    opens = decisions_open(ends_on)
    if today < opens:
        return t.TERM_DECISION_EARLY.format(
            ends_on=ends_on, opens=opens, days=max(TERM_REMINDERS)
        )
    return None


async def find_expert(
    uows: UnitOfWorkFactory, *, key: str, by: int | None, admin_ids: Iterable[int] = ()
) -> ExpertCard:
    """An expert by certificate number (CQGSYF-2022-0001) or by `#id`."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        key = key.strip()
        expert_id = (
            int(key[1:])
            if key.startswith("#") and key[1:].isdigit()
            else await uow.registry.expert_by_certificate(key.upper())
        )
        if expert_id is None:
            raise NotFound(t.EXPERT_UNKNOWN.format(key=key))
        return await _card(uow, expert_id)


async def _card(uow: UnitOfWork, expert_id: int) -> ExpertCard:
    expert = await _expert(uow, expert_id)
    rows, _ = await uow.registry.experts(ExpertFilter(person_id=expert.person_id), limit=1)
    return ExpertCard(
        row=rows[0],
        expert=expert,
        terms=await uow.registry.terms_of(expert_id),
        evaluations=await uow.registry.evaluations(expert_id),
        events=await uow.registry.expert_events(expert_id),
        contact_changes=await uow.registry.contact_changes(expert_id),
        work=await uow.draws.work_years(expert_id),
    )


async def _move(
    uow: UnitOfWork,
    expert: ExpertRow,
    action: ExpertAction,
    *,
    reason: str | None,
    by: int | None,
    actor_name: str,
    now: datetime,
    **values: object,
) -> Standing:
    """The move in the domain's table, audited. Leaving service (out of SERVING) leaves the
    expert's draws in the same unit of work; what that causes goes to the outbox."""
    after = next_standing(Standing(expert.standing), action)
    if after is None:
        raise NotAllowed(
            t.EXPERT_WRONG_STANDING.format(standing=t.STANDING.get(expert.standing, expert.standing))
        )
    if action in DECIDED_AT_TERM_END:  # 续聘, 不予续聘: only when the term is (nearly) over
        terms = await uow.registry.terms_of(expert.id)
        if terms and (why := _too_early(terms[-1].ends_on, local(now).date())):
            raise NotAllowed(why)
    if not await uow.registry.update_expert(
        expert.id, expert.version, now, standing=after.value, **values
    ):
        raise AlreadyHandled(t.CHANGED_ELSEWHERE)
    await uow.registry.add_expert_event(
        expert_id=expert.id,
        action=action.value,
        from_standing=expert.standing,
        to_standing=after.value,
        reason=reason,
        actor_id=by,
        actor_name=actor_name,
        now=now,
    )
    if expert.standing in SERVING and after not in SERVING:
        left = await leave_draws(uow, expert.id, actor_id=by, now=now)
        await uow.campaigns.add_notices(left, now)
    return after


async def _tell(
    uow: UnitOfWork, card: ExpertCard, what: str, now: datetime, **payload: object
) -> None:
    """The expert, and their unit's and district's reviewers, hear of the move once."""
    app = await uow.applications.application(card.expert.app_id)
    assert app is not None
    told = [card.expert.person_id, *await uow.people.district_reviewers(app.district_id)]
    if app.unit_id is not None and app.unit_confirmed:
        told += await uow.people.unit_reviewers(app.unit_id)
    stamp = f"{now:%Y%m%dT%H%M%S}"
    await uow.campaigns.add_notices(
        [
            Notice(
                key=f"s:{card.expert.id}:{what}:{stamp}:{person_id}",
                kind=NoticeKind.REGISTRY,
                recipient_id=person_id,
                campaign_id=app.campaign.id,
                payload={
                    "what": what,
                    "name": card.row.name,
                    "certificate_no": card.row.certificate_no,
                    "own": person_id == card.expert.person_id,
                    **payload,
                },
            )
            for person_id in dict.fromkeys(told)
        ],
        now,
    )


# terms ending -----------------------------------------------------------------------------------

async def term_notices(uow: UnitOfWork, today: date, admins: Sequence[int]) -> list[Notice]:
    """In the caller's unit of work: for every day on which terms end within 90 days, the
    latest reminder due (90, then 30 days before), one per bureau admin, naming everyone due
    that day. Keys make each go out once; a pass missed for days sends only the latest; a
    renewed expert's old term is not counted. Two queries per pass, whatever the numbers."""
    ending: dict[date, list[str]] = {}
    for ends_on, name, certificate_no in await uow.registry.terms_ending(
        today, today + timedelta(days=max(TERM_REMINDERS))
    ):
        ending.setdefault(ends_on, []).append(f"{name}（{certificate_no}）")
    notices = []
    for ends_on, names in ending.items():
        days = due_reminder(ends_on, today)
        if days is None:
            continue
        notices += [
            Notice(
                key=f"t:{ends_on:%Y%m%d}:{days}:{admin}",
                kind=NoticeKind.REGISTRY,
                recipient_id=admin,
                due_at=None,
                payload={
                    "what": "terms_ending",
                    "ends_on": ends_on.isoformat(),
                    "days": days,
                    "names": names,
                },
            )
            for admin in admins
        ]
    settled = await uow.campaigns.settled_keys([n.key for n in notices])
    return [n for n in notices if n.key not in settled]


async def end_terms(uows: UnitOfWorkFactory, now: datetime) -> int:
    """Moves every appointed expert whose term's last day has passed (Asia/Shanghai) to 聘期已满，
    待续聘, or to 不再续聘 when 不予续聘 was decided during the term (leaving their draws),
    audited like any move; returns how many moved. Its own unit of work, run by each reminder
    pass: a second pass, or one running at the same time, finds nobody or loses the version
    race and skips that expert."""
    moved = 0
    async with uows() as uow:
        for expert in await uow.registry.terms_over(local(now).date()):
            action = ExpertAction.NOT_RENEW if expert.not_renewed_on else ExpertAction.TERM_ENDS
            try:
                await _move(
                    uow, expert, action, reason=None, by=None, actor_name=t.TERM_CLOCK, now=now
                )
            except AlreadyHandled:
                continue
            moved += 1
        await uow.commit()
    return moved


# evaluations ------------------------------------------------------------------------------------


async def record_evaluation(
    uows: UnitOfWorkFactory,
    *,
    expert_id: int,
    year: int,
    rating: Rating,
    notes: str = "",
    term: bool = False,
    health: str | None = None,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> ExpertCard:
    """年度评价 (or, with `term`, the 期满考核 with health, from 90 days before the term's end)
    of an expert in service; 不合格 twice in a term is flagged on the card."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        card = await _card(uow, expert_id)
        today = local(now).date()
        if why := card.term_review_refusal(today) if term else card.standing_refusal():
            raise NotAllowed(why)
        if not card.terms:
            raise NotAllowed(t.NO_TERM)
        added = await uow.registry.add_evaluation(
            expert_id=expert_id,
            term_id=(card.terms[-1] if term else card.running(today)).id,
            kind="term" if term else "year",
            year=year,
            rating=rating.value,
            health=health,
            notes=notes.strip() or None,
            recorded_by=by,
            now=now,
        )
        if not added:
            raise AlreadyHandled(t.EVALUATED.format(year=year))
        card = await _card(uow, expert_id)
        await uow.commit()
    return card


# renewal ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Renewed:
    certificate_no: str
    starts_on: date
    ends_on: date
    card: ExpertCard
    """The expert as the renewal left them, for the card it was decided from."""


async def renew(
    uows: UnitOfWorkFactory,
    *,
    expert_id: int,
    term_start: date,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> Renewed:
    """续聘: a new five-year term from the day after the running one ends (or later) and a new
    certificate number; only within 90 days of the term's end or after it, and after a passing
    期满考核 of the term."""
    async with uows() as uow:
        actor_name = await bureau_actor(uow, by, admin_ids)
        card = await _card(uow, expert_id)
        if why := card.renewal_refusal(local(now).date()) or card.renewal_start_refusal(term_start):
            raise NotAllowed(why)
        app = await uow.applications.application(card.expert.app_id)
        assert app is not None
        template = await uow.registry.certificate_format(app.campaign.id)
        number = await uow.registry.next_certificate_number(
            series_of(template, term_start.year)
        )
        certificate_no = certificate_number(template, term_start.year, number)
        await _move(
            uow, card.expert, ExpertAction.RENEW, reason=certificate_no, by=by,
            actor_name=actor_name, now=now,
        )  # fmt: skip
        ends_on = term_end(term_start)
        await uow.registry.add_term(
            expert_id=expert_id,
            certificate_no=certificate_no,
            starts_on=term_start,
            ends_on=ends_on,
            batch_id=None,
            appointed_by=by,
            now=now,
        )
        await _tell(
            uow, card, "renewed", now, certificate_no=certificate_no,
            starts_on=term_start.isoformat(), ends_on=ends_on.isoformat(),
        )  # fmt: skip
        after = await _card(uow, expert_id)
        await uow.commit()
    return Renewed(certificate_no, term_start, ends_on, after)


@dataclass(frozen=True)
class Ended:
    """What the written notice (书面函告) of 不予续聘 or 解聘 needs."""

    action: ExpertAction
    name: str
    unit: str
    group: str
    certificate_no: str
    term_start: date
    term_end: date
    reason: str
    decided_on: date
    effective_on: date
    card: ExpertCard
    """The expert as the decision left them, for the card it was made from."""


async def not_renew(
    uows: UnitOfWorkFactory,
    *,
    expert_id: int,
    reason: str,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> Ended:
    """不予续聘: the term runs out and is not renewed; a letter to the expert and the unit. The
    decision is recorded now; the expert serves (and is drawn) to the term's last day, and the
    reminder pass after it moves them to 不再续聘 (`end_terms`). Decided after the term's last
    day (聘期已满，待续聘), it takes effect at once."""
    return await _end(uows, expert_id, ExpertAction.NOT_RENEW, reason, by, admin_ids, now)


async def dismiss(
    uows: UnitOfWorkFactory,
    *,
    expert_id: int,
    reason: str,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> Ended:
    """解聘 for a violation: the term ends today; a letter to the expert and the unit."""
    return await _end(uows, expert_id, ExpertAction.DISMISS, reason, by, admin_ids, now)


async def _end(
    uows: UnitOfWorkFactory,
    expert_id: int,
    action: ExpertAction,
    reason: str,
    by: int | None,
    admin_ids: Iterable[int],
    now: datetime,
) -> Ended:
    reason = check_reason(reason)
    today = local(now).date()
    async with uows() as uow:
        actor_name = await bureau_actor(uow, by, admin_ids)
        card = await _card(uow, expert_id)
        if why := card.end_refusal(action, today):
            raise NotAllowed(why)
        running = card.running(today)
        effective = card.effective_on(action, today)
        if action is ExpertAction.NOT_RENEW and today <= running.ends_on:
            await _decide_not_to_renew(uow, card.expert, reason, by, actor_name, now)
        else:
            await _move(
                uow, card.expert, action, reason=reason, by=by, actor_name=actor_name, now=now,
                **({"not_renewed_on": today} if action is ExpertAction.NOT_RENEW else {}),
            )  # fmt: skip
        if action is ExpertAction.DISMISS:
            for term in card.from_running(today):  # a renewal not started yet ends with it
                await uow.registry.end_term(term.id, effective)
        await _tell(uow, card, action.value, now, reason=reason, effective_on=effective.isoformat())
        await uow.documents.add_access(
            actor_id=by,
            action=Access.EXPORT_LETTER.value,
            target=f"expert:{expert_id}",
            detail={"decision": action.value},
            now=now,
        )
        after = await _card(uow, expert_id)
        await uow.commit()
    return Ended(
        action=action,
        name=card.row.name,
        unit=card.row.unit,
        group=card.row.group,
        certificate_no=running.certificate_no,
        term_start=running.starts_on,
        term_end=running.ends_on,
        reason=reason,
        decided_on=today,
        effective_on=effective,
        card=after,
    )


async def _decide_not_to_renew(
    uow: UnitOfWork, expert: ExpertRow, reason: str, by: int | None, actor_name: str,
    now: datetime,
) -> None:  # fmt: skip
    """不予续聘 during the term: recorded with its day and audited; the standing stays until
    the term is over."""
    await _note(
        uow, expert, "decide_not_renew", reason=reason, by=by, actor_name=actor_name, now=now,
        not_renewed_on=local(now).date(),
    )  # fmt: skip


async def _note(
    uow: UnitOfWork, expert: ExpertRow, action: str, *, reason: str, by: int | None,
    actor_name: str, now: datetime, **changes: Any,
) -> None:  # fmt: skip
    """A change to the expert that keeps their standing, on the version seen and audited."""
    if not await uow.registry.update_expert(expert.id, expert.version, now, **changes):
        raise AlreadyHandled(t.CHANGED_ELSEWHERE)
    await uow.registry.add_expert_event(
        expert_id=expert.id,
        action=action,
        from_standing=expert.standing,
        to_standing=expert.standing,
        reason=reason,
        actor_id=by,
        actor_name=actor_name,
        now=now,
    )


# withdrawal -------------------------------------------------------------------------------------


def _check_own(expert: ExpertRow | None, *, withdrawing: bool = False) -> None:
    """What an expert may do from /me: only in service, and ask to withdraw once."""
    if expert is None or Standing(expert.standing) not in SERVING:
        raise NotAllowed(t.NOT_EXPERT)
    if withdrawing and expert.withdrawal_reason:
        raise AlreadyHandled(t.WITHDRAWAL_WAITING)


async def check_own(uows: UnitOfWorkFactory, *, person_id: int, withdrawing: bool = False) -> None:
    """At the press of a /me button, before asking anything: whether `ask_withdrawal` or
    `change_contact` would refuse (they check again)."""
    async with uows() as uow:
        expert = await uow.registry.expert_of(person_id)
    _check_own(expert, withdrawing=withdrawing)


async def ask_withdrawal(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    reason: str,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> None:
    """申请退出: the expert's own request, waiting for the bureau's confirmation."""
    reason = check_reason(reason)
    async with uows() as uow:
        expert = await uow.registry.expert_of(person_id)
        _check_own(expert, withdrawing=True)
        assert expert is not None
        await _note(
            uow, expert, "ask_withdrawal", reason=reason, by=person_id,
            actor_name=await uow.people.person_name(person_id), now=now,
            withdrawal_reason=reason, withdrawal_asked_at=now,
        )  # fmt: skip
        admins = sorted({*admin_ids, *await uow.people.bureau_admins()})
        card = await _card(uow, expert.id)
        await uow.campaigns.add_notices(
            [
                Notice(
                    key=f"w:{expert.id}:{now:%Y%m%dT%H%M%S}:{admin}",
                    kind=NoticeKind.REGISTRY,
                    recipient_id=admin,
                    payload={
                        "what": "withdrawal_asked",
                        "name": card.row.name,
                        "certificate_no": card.row.certificate_no,
                        "reason": reason,
                    },
                )
                for admin in admins
            ],
            now,
        )
        await uow.commit()


async def confirm_withdrawal(
    uows: UnitOfWorkFactory,
    *,
    expert_id: int,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> ExpertCard:
    """The bureau confirms 申请退出: the term ends today, the history stays."""
    async with uows() as uow:
        actor_name = await bureau_actor(uow, by, admin_ids)
        card = await _card(uow, expert_id)
        if why := card.withdrawal_refusal():
            raise NotAllowed(why)
        reason = card.expert.withdrawal_reason
        await _move(
            uow, card.expert, ExpertAction.WITHDRAW, reason=reason, by=by,
            actor_name=actor_name, now=now, withdrawal_reason=None,
        )  # fmt: skip
        today = local(now).date()
        for term in card.from_running(today):  # a renewal not started yet ends with it
            await uow.registry.end_term(term.id, today)
        await _tell(uow, card, "withdrawn", now, reason=reason)
        card = await _card(uow, expert_id)
        await uow.commit()
    return card


# the expert's own contact details ------------------------------------------------------------------

CONTACT_PARSERS = {
    keys.MOBILE: parsers.parse_mobile,
    keys.EMAIL: parsers.parse_email,
    keys.HOME_ADDRESS: parsers.text_parser(parsers.MAX_ADDRESS),
}
"""What an expert may change from /me, checked as the form checks it."""


async def change_contact(
    uows: UnitOfWorkFactory, *, person_id: int, field: str, text: str, now: datetime
) -> str:
    """The expert's new phone, e-mail or home address (ValueError: say why and ask again); the
    old value is kept in the history the bureau sees. Returns the stored value."""
    parse = CONTACT_PARSERS.get(field)
    if parse is None:
        raise NotAllowed(t.STALE_ME)
    value = parse(text)
    async with uows() as uow:
        expert = await uow.registry.expert_of(person_id)
        _check_own(expert)
        assert expert is not None
        app = await uow.applications.application(expert.app_id)
        assert app is not None
        old = app.values.get(field)
        if old == value:
            return value
        if not await uow.applications.update_application(app.id, app.version, {field: value}, now):
            raise AlreadyHandled(t.CHANGED_ELSEWHERE)
        await uow.registry.add_contact_change(expert.id, field, old, value, now)
        await uow.commit()
    return value
