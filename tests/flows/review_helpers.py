"""Reviewers and submitted applications for the review flow tests."""

from __future__ import annotations

from datetime import datetime

from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import TZ
from bot.domain.review import RoleKind
from bot.offline import OfflineUser, OfflineWorld, Sent
from bot.services import roles
from bot.services.accounts import person_of_telegram
from storage.models import Application, ApplicationEvent
from storage.uow import unit_of_work_factory
from tests.flows.helpers import choose_typed_unit, choose_unit, consent, fill_form

APPLICANT = 1001
UNIT_REVIEWER = 2001
UNIT_REVIEWER_2 = 2002
OTHER_UNIT_REVIEWER = 2101
DISTRICT_REVIEWER = 3001
BUREAU_ADMIN = 900
"""From the `settings` fixture's BUREAU_ADMIN_IDS."""

GRANTED_AT = datetime(2022, 9, 1, 9, 0, tzinfo=TZ)


async def grant(
    sessionmaker: async_sessionmaker[AsyncSession],
    telegram_id: int,
    name: str,
    role: RoleKind,
    code: str,
) -> int:
    """Grants a unit role by unit code, or a district role by district code, to the person of
    this Telegram account (met now if new), as `expertbot grant` does; returns the person id."""
    uows = unit_of_work_factory(sessionmaker)
    target = await roles.find_target(uows, role, code)
    assert target is not None
    person_id = await person_of_telegram(uows, telegram_id, GRANTED_AT)
    await roles.grant(uows, person_id, target, granted_by=None, full_name=name, now=GRANTED_AT)
    return person_id


async def standard_reviewers(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Unit reviewer of 重庆大学, district reviewer of 沙坪坝区, and a reviewer of another unit."""
    await grant(sessionmaker, UNIT_REVIEWER, "王单位", RoleKind.UNIT, "CQU001")
    await grant(sessionmaker, DISTRICT_REVIEWER, "赵区县", RoleKind.DISTRICT, "500106")
    await grant(sessionmaker, OTHER_UNIT_REVIEWER, "孙交通", RoleKind.UNIT, "CQJT01")


async def submitted_application(
    world: OfflineWorld,
    user_id: int = APPLICANT,
    *,
    reviewer: bool = False,
    typed_unit: str | None = None,
) -> OfflineUser:
    """张三's application to 重庆大学, submitted; `reviewer`: the user holds a role and starts
    with 本人申报 on their home screen; `typed_unit`: to a unit of 沙坪坝区 he typed instead."""
    user = world.user(user_id, "三", last_name="张")
    if reviewer:
        await user.send("/start")
        await user.press("本人申报")
        await user.press("全部同意")
    else:
        await consent(user)
    if typed_unit:
        await choose_typed_unit(user, typed_unit)
    else:
        await choose_unit(user)
    await fill_form(user)
    await user.press("签名提交")
    await user.send("张三")
    assert "申报已提交" in user.last().text
    return user


def answers(world: OfflineWorld) -> list[str]:
    """Texts of every answerCallbackQuery so far, oldest first."""
    return [m.text or "" for m in world.session.requests if isinstance(m, AnswerCallbackQuery)]


def last_answer(world: OfflineWorld) -> str:
    return answers(world)[-1]


async def application(sessionmaker: async_sessionmaker[AsyncSession]) -> Application:
    async with sessionmaker() as session:
        return (await session.execute(select(Application))).scalar_one()


async def events(sessionmaker: async_sessionmaker[AsyncSession]) -> list[tuple[str, str, str]]:
    """(action, to_status, actor_name) of every event, oldest first."""
    async with sessionmaker() as session:
        rows = (
            await session.execute(select(ApplicationEvent).order_by(ApplicationEvent.id))
        ).scalars()
        return [(e.action, e.to_status, e.actor_name) for e in rows]


def card_of(user: OfflineUser) -> Sent:
    """The newest message in the user's chat that carries review buttons."""
    for sent in reversed(user.inbox()):
        if any(data.startswith("rv:") for _, data in sent.buttons()):
            return sent
    raise LookupError(f"no review card for {user.id}")


def review_data(user: OfflineUser) -> dict[str, str]:
    """Decision label -> callback data on the user's newest card."""
    return {text: data for text, data in card_of(user).buttons() if data.startswith("rv:")}
