"""An appointed expert's life: yearly evaluations, renewal or not, withdrawal and dismissal."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.clock import TZ, local
from bot.domain.errors import AlreadyHandled, NotAllowed
from bot.domain.registry import ExpertAction, Rating
from bot.services import experts, registry
from storage.models import ExpertTerm, Reminder
from storage.uow import unit_of_work_factory
from tests.flows.export_helpers import seed_app
from tests.flows.review_helpers import standard_reviewers
from tests.support.people import person

AT = datetime(2022, 10, 28, 15, 0, tzinfo=TZ)
LATER = datetime(2022, 11, 20, 9, 0, tzinfo=TZ)
DUE_SOON = datetime(2027, 9, 1, 9, 0, tzinfo=TZ)
"""Within 90 days of the terms' end (2027-11-14): 续聘 and 不予续聘 may be decided."""


@pytest.fixture
async def appointed(sessionmaker):
    """Two experts appointed from 2022-11-15; returns (uows, admin, admins, expert ids)."""
    uows = unit_of_work_factory(sessionmaker)
    await standard_reviewers(sessionmaker)
    admin = await person(uows, 900)
    admins = (admin,)
    apps = [
        await seed_app(sessionmaker, telegram_id=5001, unit_code="CQU001", status="qualified",
                       name="王建筑", group="建筑", id_number="500106198501011234"),
        await seed_app(sessionmaker, telegram_id=5002, unit_code="CQU001", status="qualified",
                       name="李矿山", group="矿山", id_number="500106198601011235"),
    ]  # fmt: skip
    who = {"by": admin, "admin_ids": admins}
    batch = await registry.record_batch(
        uows, meeting_on=date(2022, 10, 28), reference="纪要3号", app_ids=apps, now=AT, **who
    )
    await registry.open_publicity(
        uows,
        batch_id=batch.id,
        starts_on=date(2022, 11, 1),
        ends_on=date(2022, 11, 7),
        now=AT,
        **who,
    )
    done = await registry.appoint_batch(
        uows, batch_id=batch.id, term_start=date(2022, 11, 15), now=LATER, **who
    )
    return uows, who, [a.expert_id for a in done]


async def reviewed(uows, who, expert_id: int, now: datetime, rating: Rating = Rating.PASS) -> None:
    """期满考核 of the running term, which 续聘 needs (passed)."""
    await experts.record_evaluation(
        uows, expert_id=expert_id, year=local(now).year, rating=rating, notes="聘期内参加评审9次",
        term=True, health="健康", now=now, **who,
    )  # fmt: skip


async def kinds(sessionmaker) -> list[str]:
    async with sessionmaker() as session:
        payloads = await session.scalars(
            select(Reminder.payload).where(Reminder.kind == "registry")
        )
        return [p["what"] for p in payloads]


async def test_two_failed_yearly_evaluations_in_a_term_are_flagged(appointed) -> None:
    uows, who, (first, _) = appointed
    card = await experts.record_evaluation(
        uows, expert_id=first, year=2023, rating=Rating.FAIL, notes="未参加活动", now=LATER, **who
    )
    assert not card.flagged
    with pytest.raises(AlreadyHandled):
        await experts.record_evaluation(
            uows, expert_id=first, year=2023, rating=Rating.PASS, now=LATER, **who
        )
    card = await experts.record_evaluation(
        uows, expert_id=first, year=2024, rating=Rating.FAIL, now=LATER, **who
    )
    assert card.flagged
    card = await experts.find_expert(uows, key="CQGSYF-2022-0001", **who)
    assert card.flagged and [e.year for e in card.evaluations] == [2023, 2024]


async def test_renewal_starts_a_new_term_with_a_new_number(appointed, sessionmaker) -> None:
    uows, who, (first, _) = appointed
    await reviewed(uows, who, first, DUE_SOON)
    renewed = await experts.renew(
        uows, expert_id=first, term_start=date(2027, 11, 15), now=DUE_SOON, **who
    )
    assert (renewed.certificate_no, renewed.ends_on) == ("CQGSYF-2027-0001", date(2032, 11, 14))
    card = await experts.find_expert(uows, key=f"#{first}", **who)
    assert [t.certificate_no for t in card.terms] == ["CQGSYF-2022-0001", "CQGSYF-2027-0001"]
    assert card.row.certificate_no == "CQGSYF-2027-0001" and card.row.standing == "appointed"
    assert (await kinds(sessionmaker)).count("renewed") == 3, (
        "the expert, the district and the unit"
    )


async def test_not_renewed_ends_with_the_term_and_cannot_be_renewed_after(
    appointed, sessionmaker
) -> None:
    uows, who, (first, _) = appointed
    with pytest.raises(NotAllowed, match="理由"):
        await experts.not_renew(uows, expert_id=first, reason=" ", now=DUE_SOON, **who)
    await reviewed(uows, who, first, DUE_SOON, Rating.FAIL)
    ended = await experts.not_renew(
        uows, expert_id=first, reason="年度评价两次不合格", now=DUE_SOON, **who
    )
    assert ended.action is ExpertAction.NOT_RENEW and ended.effective_on == date(2027, 11, 14)
    assert ended.certificate_no == "CQGSYF-2022-0001" and ended.unit == "重庆大学"
    with pytest.raises(NotAllowed, match="不再续聘"):
        await experts.renew(
            uows, expert_id=first, term_start=date(2027, 11, 15), now=DUE_SOON, **who
        )


async def test_withdrawal_is_asked_by_the_expert_and_confirmed_by_the_bureau(
    appointed, sessionmaker
) -> None:
    uows, who, (first, second) = appointed
    expert_person = await person(uows, 5002)
    with pytest.raises(NotAllowed, match="没有待确认的退出申请"):
        await experts.confirm_withdrawal(uows, expert_id=second, now=LATER, **who)
    await experts.ask_withdrawal(
        uows,
        person_id=expert_person,
        reason="工作调动，精力有限",
        admin_ids=who["admin_ids"],
        now=LATER,
    )
    with pytest.raises(AlreadyHandled):
        await experts.ask_withdrawal(uows, person_id=expert_person, reason="再次申请", now=LATER)
    assert "withdrawal_asked" in await kinds(sessionmaker)
    card = await experts.confirm_withdrawal(uows, expert_id=second, now=LATER, **who)
    assert card.row.standing == "withdrawn" and card.terms[-1].ended_on == date(2022, 11, 20)
    assert [e.action for e in card.events] == ["appoint", "ask_withdrawal", "withdraw"]
    with pytest.raises(NotAllowed):
        await experts.ask_withdrawal(uows, person_id=expert_person, reason="又一次", now=LATER)


async def test_dismissal_ends_the_term_today(appointed, sessionmaker) -> None:
    uows, who, (first, _) = appointed
    ended = await experts.dismiss(
        uows, expert_id=first, reason="违反专家工作纪律", now=LATER, **who
    )
    assert ended.effective_on == date(2022, 11, 20)
    async with sessionmaker() as session:
        ends = (await session.scalars(select(ExpertTerm.ended_on).order_by(ExpertTerm.id))).all()
    assert ends == [date(2022, 11, 20), None]
    assert (await kinds(sessionmaker)).count("dismiss") == 3


async def test_the_bureau_hears_90_and_30_days_before_terms_end_once_each(
    appointed, sessionmaker
) -> None:
    from aiogram import Bot

    from bot.clock import FixedClock
    from bot.offline import OfflineSession
    from bot.ratelimit import RateLimiter
    from bot.services import reminders
    from handlers.sending import TelegramSender

    uows, who, _ = appointed
    session = OfflineSession()
    bot = Bot(token="42:TEST", session=session)

    async def instant(_: float) -> None:
        return None

    async def pass_at(day: datetime) -> list[str]:
        clock = FixedClock(day)
        sender = TelegramSender(bot, RateLimiter(sleep=instant), clock, uows)
        before = len(session.inbox(900))
        await reminders.send_due_reminders(uows, sender, clock, admin_ids=who["admin_ids"])
        return [m.text for m in session.inbox(900)[before:]]

    assert await pass_at(datetime(2027, 8, 15, 9, 0, tzinfo=TZ)) == [], "91 days before"
    [first] = await pass_at(datetime(2027, 8, 16, 9, 0, tzinfo=TZ))
    assert (
        "2027-11-14 届满（90 天内）" in first
        and "王建筑（CQGSYF-2022-0001）、李矿山（CQGSYF-2022-0002）" in first
    )
    assert await pass_at(datetime(2027, 8, 17, 9, 0, tzinfo=TZ)) == []
    first_expert = appointed[2][0]
    await reviewed(uows, who, first_expert, datetime(2027, 9, 1, tzinfo=TZ))
    await experts.renew(
        uows,
        expert_id=first_expert,
        term_start=date(2027, 11, 15),
        now=datetime(2027, 9, 1, tzinfo=TZ),
        **who,
    )
    [second] = await pass_at(datetime(2027, 10, 15, 9, 0, tzinfo=TZ))
    assert "（30 天内）" in second
    assert "王建筑" not in second and "李矿山（CQGSYF-2022-0002）" in second, "renewed: not due"
    assert await pass_at(datetime(2027, 10, 16, 9, 0, tzinfo=TZ)) == []
    await bot.session.close()


async def test_the_pass_moves_experts_whose_term_ended_to_due_once(appointed, sessionmaker) -> None:
    import asyncio

    from storage.models import Expert, ExpertEvent

    uows, who, (first, second) = appointed
    await experts.dismiss(uows, expert_id=second, reason="违反纪律", now=LATER, **who)
    last_day = datetime(2027, 11, 14, 23, 30, tzinfo=TZ)
    assert await experts.end_terms(uows, last_day) == 0, "the term's last day is still in it"
    next_morning = datetime(2027, 11, 15, 0, 30, tzinfo=TZ)  # 2027-11-14 16:30 UTC
    moved = await asyncio.gather(
        experts.end_terms(uows, next_morning), experts.end_terms(uows, next_morning)
    )
    assert sorted(moved) == [0, 1], "two passes at once move the expert once"
    assert await experts.end_terms(uows, next_morning) == 0
    async with sessionmaker() as session:
        standings = dict((await session.execute(select(Expert.id, Expert.standing))).all())
        events = (
            await session.execute(
                select(ExpertEvent.action, ExpertEvent.from_standing, ExpertEvent.to_standing, ExpertEvent.actor_name)
                .where(ExpertEvent.expert_id == first)
                .order_by(ExpertEvent.id)
            )
        ).all()  # fmt: skip
    assert standings == {first: "due", second: "dismissed"}
    assert events[-1] == (ExpertAction.TERM_ENDS.value, "appointed", "due", "系统（聘期届满）")
    await reviewed(uows, who, first, next_morning)
    card = await experts.renew(
        uows, expert_id=first, term_start=date(2027, 11, 15), now=next_morning, **who
    )
    assert card.certificate_no == "CQGSYF-2027-0001"
    assert await experts.end_terms(uows, next_morning) == 0, "the new term runs"


async def _unchanged(sessionmaker) -> tuple[list[tuple], list[str]]:
    from storage.models import Expert

    async with sessionmaker() as session:
        terms = (await session.execute(select(ExpertTerm.certificate_no, ExpertTerm.ends_on, ExpertTerm.ended_on).order_by(ExpertTerm.id))).all()  # fmt: skip
        standings = list(await session.scalars(select(Expert.standing).order_by(Expert.id)))
    return [tuple(t) for t in terms], standings + await kinds(sessionmaker)


async def test_renewal_waits_for_the_end_of_the_term_and_a_passing_term_review(
    appointed, sessionmaker
) -> None:
    """QA: three weeks into a term 续聘 cut it short, and 续聘 followed 期满考核：不合格. Notice
    § 四(四): when the term is over the bureau evaluates, then renewal is decided."""
    uows, who, (first, second) = appointed
    before = await _unchanged(sessionmaker)
    three_weeks_in = datetime(2022, 12, 6, 9, 0, tzinfo=TZ)
    for now in (three_weeks_in, datetime(2027, 8, 15, 9, 0, tzinfo=TZ)):
        with pytest.raises(NotAllowed, match="续聘或不予续聘须在届满前 90 天内决定，即 2027-08-16 起"):
            await experts.renew(uows, expert_id=first, term_start=date(2027, 11, 15), now=now, **who)
        with pytest.raises(NotAllowed, match="即 2027-08-16 起"):
            await experts.not_renew(uows, expert_id=second, reason="年度评价两次不合格", now=now, **who)  # fmt: skip
    with pytest.raises(NotAllowed, match="续聘前须先完成本聘期的期满考核"):
        await experts.renew(
            uows, expert_id=second, term_start=date(2027, 11, 15), now=DUE_SOON, **who
        )
    await reviewed(uows, who, second, DUE_SOON, Rating.FAIL)
    with pytest.raises(NotAllowed, match="本聘期的期满考核结果为“不合格”，不能续聘"):
        await experts.renew(
            uows, expert_id=second, term_start=date(2027, 11, 15), now=DUE_SOON, **who
        )
    assert await _unchanged(sessionmaker) == before, "a refusal changes nothing"

    await reviewed(uows, who, first, DUE_SOON)
    with pytest.raises(NotAllowed, match="新聘期须在当前聘期届满（2027-11-14）之后开始，请输入 2027-11-15"):
        await experts.renew(uows, expert_id=first, term_start=date(2027, 9, 1), now=DUE_SOON, **who)  # fmt: skip
    renewed = await experts.renew(
        uows, expert_id=first, term_start=date(2027, 11, 15), now=DUE_SOON, **who
    )
    assert renewed.certificate_no == "CQGSYF-2027-0001", "refusals used no number"
    card = await experts.find_expert(uows, key=f"#{first}", **who)
    assert [(t.ends_on, t.ended_on) for t in card.terms] == [
        (date(2027, 11, 14), None),
        (date(2032, 11, 14), None),
    ], "the first term runs to its end"
    assert card.renewal_refusal(DUE_SOON.date()) is not None, "the new term has no review yet"
    ended = await experts.not_renew(
        uows, expert_id=second, reason="期满考核不合格", now=DUE_SOON, **who
    )
    assert ended.effective_on == date(2027, 11, 14)


async def test_an_expert_out_of_service_is_not_evaluated(appointed, sessionmaker) -> None:
    uows, who, (first, _) = appointed
    await experts.dismiss(uows, expert_id=first, reason="违反纪律", now=LATER, **who)
    with pytest.raises(NotAllowed, match="该专家目前“已解聘”"):
        await experts.record_evaluation(
            uows, expert_id=first, year=2022, rating=Rating.PASS, now=LATER, **who
        )
    card = await experts.find_expert(uows, key=f"#{first}", **who)
    assert not card.evaluations


async def test_the_term_review_belongs_to_the_terms_end_and_non_renewal_follows_it(
    appointed, sessionmaker
) -> None:
    """QA: a 期满考核 could be recorded three weeks into a term, and 不予续聘 needed none. Notice
    § 四(四): when the term is over the bureau evaluates (考评), then renewal or not is decided."""
    uows, who, (first, _) = appointed
    for now in (datetime(2022, 12, 6, 9, 0, tzinfo=TZ), datetime(2027, 8, 15, 9, 0, tzinfo=TZ)):
        with pytest.raises(NotAllowed, match="期满考核在届满前 90 天内进行，即 2027-08-16 起"):
            await reviewed(uows, who, first, now)
    with pytest.raises(NotAllowed, match="不予续聘前须先完成本聘期的期满考核"):
        await experts.not_renew(uows, expert_id=first, reason="年度评价两次不合格", now=DUE_SOON, **who)  # fmt: skip
    card = await experts.find_expert(uows, key=f"#{first}", **who)
    assert not card.evaluations and card.row.standing == "appointed", "refusals change nothing"
    await reviewed(uows, who, first, datetime(2027, 8, 16, 9, 0, tzinfo=TZ), Rating.PASS)
    ended = await experts.not_renew(
        uows, expert_id=first, reason="本人不再适合现场工作", now=DUE_SOON, **who
    )
    assert ended.effective_on == date(2027, 11, 14), "a passing review may still end in 不予续聘"


async def test_not_renewed_serves_to_the_terms_end_unless_it_has_passed_already(
    appointed, sessionmaker
) -> None:
    """不予续聘 within the term's last 90 days is recorded with its day and the expert stays in
    service (and leaves the bureau's term reminders: nothing is left to decide); decided once
    the term is over (聘期已满，待续聘), it takes effect at once."""
    uows, who, (first, second) = appointed
    await reviewed(uows, who, first, DUE_SOON, Rating.FAIL)
    ended = await experts.not_renew(uows, expert_id=first, reason="期满考核不合格", now=DUE_SOON, **who)  # fmt: skip
    assert ended.effective_on == date(2027, 11, 14)
    card = await experts.find_expert(uows, key=f"#{first}", **who)
    assert card.row.standing == "appointed" and card.expert.not_renewed_on == date(2027, 9, 1)
    assert card.terms[-1].ended_on is None
    with pytest.raises(NotAllowed, match="市局已于 2027-09-01 决定聘期届满后不再续聘"):
        await experts.not_renew(uows, expert_id=first, reason="再次决定", now=DUE_SOON, **who)
    async with uows() as uow:
        notices = await experts.term_notices(uow, date(2027, 10, 15), who["admin_ids"])
    assert [n.payload["names"] for n in notices] == [["李矿山（CQGSYF-2022-0002）"]]

    after = datetime(2027, 11, 20, 9, 0, tzinfo=TZ)
    assert await experts.end_terms(uows, after) == 2
    async with uows() as uow:
        assert (await uow.registry.expert(first)).standing == "ended"
        assert (await uow.registry.expert(second)).standing == "due"
    await reviewed(uows, who, second, after, Rating.FAIL)
    late = await experts.not_renew(uows, expert_id=second, reason="期满考核不合格", now=after, **who)  # fmt: skip
    assert late.effective_on == date(2027, 11, 14)
    async with uows() as uow:
        expert = await uow.registry.expert(second)
    assert (expert.standing, expert.not_renewed_on) == ("ended", date(2027, 11, 20))


async def test_after_an_early_renewal_the_term_in_force_is_the_one_left_and_evaluated(
    appointed, sessionmaker
) -> None:
    """QA: renewed within the last 90 days, the expert holds the old term to its end and a new
    one from the day after. 解聘 then marked only the new term as ended early (the old one, in
    force, ran on to its end on the card), and the letter named the new certificate and term;
    a yearly evaluation went on the term not started yet."""
    from storage.models import ExpertEvaluation

    uows, who, (first, _) = appointed
    await reviewed(uows, who, first, DUE_SOON)
    await experts.renew(uows, expert_id=first, term_start=date(2027, 11, 15), now=DUE_SOON, **who)
    october = datetime(2027, 10, 8, 9, 0, tzinfo=TZ)
    await experts.record_evaluation(
        uows, expert_id=first, year=2027, rating=Rating.FAIL, now=october, **who
    )
    ended = await experts.dismiss(uows, expert_id=first, reason="违反纪律", now=october, **who)
    assert (ended.certificate_no, ended.term_start, ended.term_end, ended.effective_on) == (
        "CQGSYF-2022-0001", date(2022, 11, 15), date(2027, 11, 14), date(2027, 10, 8),
    )  # fmt: skip
    async with sessionmaker() as session:
        terms = (await session.execute(select(ExpertTerm.certificate_no, ExpertTerm.ended_on).where(ExpertTerm.expert_id == first).order_by(ExpertTerm.id))).all()  # fmt: skip
        evaluated = (await session.execute(select(ExpertEvaluation.kind, ExpertTerm.certificate_no).join(ExpertTerm, ExpertTerm.id == ExpertEvaluation.term_id).where(ExpertEvaluation.expert_id == first).order_by(ExpertEvaluation.id))).all()  # fmt: skip
    assert [tuple(t) for t in terms] == [
        ("CQGSYF-2022-0001", date(2027, 10, 8)),
        ("CQGSYF-2027-0001", date(2027, 10, 8)),
    ], "the term in force ends, and the renewal with it"
    assert [tuple(e) for e in evaluated] == [
        ("term", "CQGSYF-2022-0001"), ("year", "CQGSYF-2022-0001"),
    ]  # fmt: skip
    (row,) = [r for r in await registry.registry_rows(uows, now=october, **who) if r.expert_id == first]  # fmt: skip
    assert (row.certificate_no, row.starts_on, row.last_day) == (
        "CQGSYF-2022-0001", date(2022, 11, 15), date(2027, 10, 8),
    ), "the registry lists the term left, not the renewal that never began"  # fmt: skip


async def test_a_withdrawal_after_an_early_renewal_ends_the_term_in_force(
    appointed, sessionmaker
) -> None:
    uows, who, (first, _) = appointed
    await reviewed(uows, who, first, DUE_SOON)
    await experts.renew(uows, expert_id=first, term_start=date(2027, 11, 15), now=DUE_SOON, **who)
    october = datetime(2027, 10, 8, 9, 0, tzinfo=TZ)
    async with uows() as uow:
        expert = await uow.registry.expert(first)
    assert expert is not None
    await experts.ask_withdrawal(uows, person_id=expert.person_id, reason="工作调动", now=october)
    card = await experts.confirm_withdrawal(uows, expert_id=first, now=october, **who)
    assert [(t.certificate_no, t.ended_on) for t in card.terms] == [
        ("CQGSYF-2022-0001", date(2027, 10, 8)),
        ("CQGSYF-2027-0001", date(2027, 10, 8)),
    ]
