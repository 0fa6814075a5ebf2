"""The longest legal form, in emoji, Extension B and plain Chinese, goes all the way through:
filled, submitted, returned with the longest reason, every typed field changed, resubmitted,
approved by the unit and by the district, and shown in full. The offline session refuses what
Telegram refuses (UTF-16 limits), so a card that is too long fails here as it would there."""

from __future__ import annotations

import pytest

from bot.domain import parsers
from bot.offline import OfflineUser, OfflineWorld, Sent
from bot.texts import chat as ct
from bot.texts import review as rt
from bot.texts.limits import ALERT, MESSAGE, units
from tests.flows.helpers import PORTRAIT, VALID_ID, choose_unit, consent
from tests.flows.review_helpers import (
    DISTRICT_REVIEWER,
    UNIT_REVIEWER,
    application,
    standard_reviewers,
)

EMOJI, EXT_B, HAN = "😀", "𠀀", "中"
FIELDS_TYPED = ("职务", "社会兼职", "职称", "毕业学校", "所学专业", "单位地址", "家庭地址")


def longest(ch: str) -> dict[str, str]:
    """The longest text each typed field takes, written with `ch`."""
    name_ch = HAN if ch == EMOJI else ch  # a name takes Han and Extension B, not emoji
    return {
        "姓名": name_ch * parsers.MAX_NAME,
        "职务": ch * parsers.MAX_POSITION,
        "社会兼职": ch * parsers.MAX_PART_TIME,
        "职称": ch * parsers.MAX_TITLE,
        "毕业学校": ch * parsers.MAX_SCHOOL,
        "所学专业": ch * parsers.MAX_MAJOR,
        "主要从事专业": ch * parsers.MAX_SPECIALTY,
        "熟悉专业": ch * parsers.MAX_SPECIALTY,
        "单位地址": ch * parsers.MAX_ADDRESS,
        "家庭地址": ch * parsers.MAX_ADDRESS,
        "个人邮箱": ch * 200 + "@qq.com",
        "工作简历": "\n".join(
            f"{1990 + i}.01-{1991 + i}.01 {ch * parsers.MAX_RESUME_UNIT} "
            f"{ch * parsers.MAX_RESUME_POSITION}"
            for i in range(parsers.MAX_RESUME_ENTRIES)
        ),
        "放宽条件申请理由": ch * parsers.MAX_RELAXATION_REASON,
    }


def _fits(world: OfflineWorld) -> None:
    """Everything the bot sent is within Telegram's limits (the session would have refused it)."""
    for sent in world.session.requests:
        text = getattr(sent, "text", None) or getattr(sent, "caption", None)
        if isinstance(text, str):
            assert units(text) <= (ALERT if type(sent).__name__ == "AnswerCallbackQuery" else MESSAGE)


def _buttons(user: OfflineUser) -> list[str]:
    return [label for m in user.inbox() for label, _ in m.buttons()]


def _newest_with(user: OfflineUser, label: str) -> Sent:
    for sent in reversed(user.inbox()):
        if any(label in text for text, _ in sent.buttons()):
            return sent
    raise LookupError(label)


@pytest.mark.parametrize("ch", [EMOJI, EXT_B, HAN], ids=["emoji", "ext-b", "han"])
async def test_the_longest_form_goes_through_return_both_reviews_and_view_all(
    world: OfflineWorld, sessionmaker, ch: str
) -> None:
    await standard_reviewers(sessionmaker)
    v = longest(ch)
    applicant = world.user(1001, "三", last_name="张")
    await consent(applicant)
    await choose_unit(applicant)
    await applicant.press("矿山")
    await applicant.send(v["姓名"])
    await applicant.send(VALID_ID)
    await applicant.press("确认无误")
    await applicant.press("汉族")
    await applicant.send_photo(PORTRAIT)
    await applicant.send(v["职务"])
    await applicant.send(v["社会兼职"])
    await applicant.press("良好")
    await applicant.press("博士研究生")
    await applicant.send(v["职称"])
    await applicant.press("副高级")  # at a university: the title flag, so the reason is asked
    await applicant.press("否")
    await applicant.send(v["放宽条件申请理由"])  # asked as soon as the flag is raised
    await applicant.send(v["毕业学校"])
    await applicant.send(v["所学专业"])
    await applicant.press("安全科学与工程类")
    for key in ("主要从事专业", "熟悉专业"):
        for i in range(4):  # the fourth closes the list
            await applicant.send(v[key][:-1] + str(i))
    await applicant.send(v["单位地址"])
    await applicant.share_contact("+8613800000000")
    await applicant.send(v["家庭地址"])
    await applicant.send("023-65102345")
    await applicant.send(v["个人邮箱"])
    await applicant.send("13983000000")
    await applicant.send(v["工作简历"])
    assert ct.BUTTON_SIGN in _buttons(applicant), applicant.texts()[-3:]
    await applicant.press("签名提交")
    await applicant.send(v["姓名"])
    assert "申报已提交" in applicant.last().text, applicant.last().text

    unit = world.user(UNIT_REVIEWER, "单位")
    await unit.press(rt.DECISION["r"])
    await unit.send(HAN + ch * 499)  # a reason says something in words: not emoji alone
    assert (await application(sessionmaker)).status == "returned"

    other = longest(HAN if ch != HAN else EXT_B)
    for label in FIELDS_TYPED:
        await applicant.press(f"修改 {label}")
        await applicant.send(other[label])
    for label in ("个人邮箱", "工作简历", "放宽条件申请理由"):
        await applicant.press(f"修改 {label}")
        await applicant.send(other[label])
    for label in ("主要从事专业", "熟悉专业"):
        await applicant.press(f"修改 {label}")
        await applicant.press(ct.BUTTON_CLEAR_LIST)
        for i in range(4):
            await applicant.send(other[label][:-1] + str(i))
    await applicant.press("签名提交")
    await applicant.send(v["姓名"])
    assert "申报已提交" in applicant.last().text, applicant.last().text

    card = _newest_with(unit, rt.DECISION["a"])
    assert units(card.text) <= MESSAGE
    if ch != HAN:
        await unit.press(rt.BUTTON_VIEW_CHANGES, message=card)
        assert any(other["工作简历"].split("\n")[0].split(" ")[1] in m.text for m in unit.inbox())
    await unit.press(rt.DECISION["a"], message=card)
    assert (await application(sessionmaker)).status == "unit_approved"

    district = world.user(DISTRICT_REVIEWER, "区县")
    card = _newest_with(district, rt.DECISION["a"])
    await district.press(rt.BUTTON_VIEW_ALL, message=card)
    assert other["放宽条件申请理由"] in "\n".join(district.texts())
    await district.press(rt.DECISION["a"], message=card)
    assert (await application(sessionmaker)).status == "district_approved"
    _fits(world)
