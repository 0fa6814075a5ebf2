"""A simulated applicant's way from /start to the signature, with the mistakes people make.

A plan is plain data made from a seed: the same seed and applicant number give
the same updates, mistakes included. `perform` sends one action through an
OfflineUser and checks the bot's answer: a wrong answer must be refused and
the same field asked again, the signature must end in 申报已提交. A plan
leaves the form in the same state as `tests.flows.helpers.fill_form`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.domain.idcard import check_character
from bot.texts.chat import INTERNAL_ERROR
from tests.flows.helpers import ANSWERS_TEXT, PORTRAIT

if TYPE_CHECKING:
    from bot.offline import OfflineUser, Sent

Verb = Literal["send", "press", "photo", "file", "contact"]

SUBMITTED = "申报已提交"
MOBILE = "+8613800000000"

FILES: dict[str, tuple[bytes, str]] = {
    # What a phone sends when the portrait is attached "as a file": an iPhone's HEIC,
    # or a scan saved as PDF. (A JPEG or PNG sent as a file is accepted, so not a mistake.)
    "IMG_2094.HEIC": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(4000), "image/heic"),
    "证件照.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(4000), "application/pdf"),
}


class UpdateFailed(Exception):
    """The bot answered with its internal-error message: nothing was taken, send it again."""


@dataclass(frozen=True, slots=True)
class Action:
    """One update an applicant sends."""

    verb: Verb
    value: str = ""
    """Text to send, button label to press, file name to attach, or phone to share."""
    asks_again: str | None = None
    """Set on a wrong answer: the label of the field the bot must refuse and ask again."""
    expect: str | None = None
    """A fragment the bot's last message must hold after this action."""


@dataclass(frozen=True, slots=True)
class Mistake:
    """Wrong first answers that fit one step; the field's label is what must be asked again."""

    label: str
    wrong: tuple[Action, ...]


def id_number(i: int) -> str:
    """A valid, distinct ID number for applicant `i` (distinct up to 336,000 applicants)."""
    month, day = 1 + i // 1000 % 12, 1 + i // 12_000 % 28
    first17 = f"500103{1960 + i % 40}{month:02d}{day:02d}{i % 1000:03d}"
    return first17 + check_character(first17)


def _texts(*values: str) -> tuple[Action, ...]:
    return tuple(Action("send", v) for v in values)


def _steps(name: str, id_no: str) -> list[tuple[Action, Mistake | None]]:
    """The right answers in order, each with the mistakes that fit it (None: no mistake here)."""
    a = ANSWERS_TEXT
    wrong_check = tuple(Action("send", id_no[:-1] + c) for c in "0123456789X" if c != id_no[-1])
    return [
        (Action("send", "/start"), None),
        (Action("press", "全部同意"), None),
        (Action("press", "沙坪坝区"), None),
        (Action("press", "重庆大学"), None),
        (Action("press", "矿山"), Mistake("拟报专业组", _texts("不确定", "安全生产"))),
        (Action("send", name), None),
        (Action("send", id_no), Mistake("身份证号", wrong_check)),
        (Action("press", "确认无误"), Mistake("出生年月与性别", _texts("对", "是的"))),
        (Action("press", "汉族"), Mistake("民族", _texts("中国",))),
        (Action("photo"), Mistake("照片", tuple(Action("file", f) for f in FILES))),
        (Action("send", a["position"]), None),
        (Action("press", "跳过"), None),
        (Action("press", "良好"), Mistake("健康状况", _texts("还行",))),
        (Action("press", "博士研究生"), Mistake("学历", _texts("研究生",))),
        (Action("send", a["title"]), None),
        (Action("press", "正高级"), Mistake("职称等级", _texts("高级",))),
        (Action("press", "否"), Mistake("重庆市应急管理专家资格", _texts("不清楚",))),
        (Action("send", a["school"]), None),
        (Action("send", a["major"]), None),
        (Action("press", "安全科学与工程类"), Mistake("学科类别", _texts("工程",))),
        (Action("send", "矿山安全"), None),
        (Action("send", "职业卫生"), None),
        (Action("press", "完成"), None),
        (Action("send", "应急管理"), None),
        (Action("press", "完成"), None),
        (Action("send", a["unit_address"]), None),
        # Typed instead of shared, with a letter O or l among the digits.
        (Action("contact", MOBILE), Mistake("移动电话", _texts("1380000000O", "l3800000000"))),
        (Action("send", a["home_address"]), None),
        (Action("send", a["office_phone"]), Mistake("办公电话", _texts("023-6510234O", "023-65l02345"))),
        (Action("send", a["email"]), None),
        (Action("send", a["emergency_phone"]), Mistake("紧急电话", _texts("1398300000O", "139830OOOOO"))),
        (Action("send", a["resume"]), None),
        (Action("press", "签名提交"), None),
        (Action("send", name, expect=SUBMITTED), None),
    ]


RIGHT_ANSWERS = len(_steps("张三", id_number(0)))
"""Updates in a plan without mistakes."""
MISTAKE_SITES = sum(1 for _a, m in _steps("张三", id_number(0)) if m)


def plan(i: int, seed: int, mistake_rate: float = 0.1, name: str = "张三") -> list[Action]:
    """Applicant `i`'s updates: on average `mistake_rate` of its right answers are first given wrong.

    Mistakes fit only some steps (MISTAKE_SITES of RIGHT_ANSWERS), so each of
    those is got wrong first with probability mistake_rate × RIGHT_ANSWERS /
    MISTAKE_SITES (0.26 at 0.1). A wrong answer is fixed by the next message.
    """
    rng = random.Random(f"{seed}/{i}")
    p = min(1.0, mistake_rate * RIGHT_ANSWERS / MISTAKE_SITES)
    actions: list[Action] = []
    for right, mistake in _steps(name, id_number(i)):
        if mistake is not None and rng.random() < p:
            wrong = rng.choice(mistake.wrong)
            actions.append(Action(wrong.verb, wrong.value, asks_again=mistake.label))
        actions.append(right)
    return actions


RESUME = Action("send", "/start")
"""What a person sends when the bot failed and took the button away: it resumes where they were."""

RETRIES = 5
"""Failures in a row on one action before the run gives up on the bot."""


def next_update(user: OfflineUser, action: Action, tries: int, resumed: bool) -> Action:
    """What the applicant sends for `action` after `tries` failed tries (and /start, if `resumed`).

    The same again, unless the failure took the button away (the consent
    handler removes its buttons before it opens a store): then /start once.
    """
    if tries > RETRIES:
        raise RuntimeError(
            f"user {user.id}: the bot failed {tries} times on {action}; its first error is logged above"
        )
    if tries and action.verb == "press" and not can_press(user, action.value):
        if resumed:
            raise RuntimeError(f"user {user.id}: after a failure and /start, no button {action.value!r}")
        return RESUME
    return action


def can_press(user: OfflineUser, label: str) -> bool:
    return any(label in text for sent in user.inbox() for text, _data in sent.buttons())


def mistakes_in(actions: list[Action]) -> int:
    return sum(1 for a in actions if a.asks_again)


async def perform(user: OfflineUser, action: Action) -> list[Sent]:
    """Sends one action as the user and checks the answer; returns the new messages.

    Raises UpdateFailed when the bot said it failed, as a person would see it.
    """
    match action.verb:
        case "send":
            replies = await user.send(action.value)
        case "press":
            replies = await user.press(action.value)
        case "photo":
            replies = await user.send_photo(PORTRAIT)
        case "file":
            data, mime = FILES[action.value]
            replies = await user.send_file(data, action.value, mime)
        case "contact":
            replies = await user.share_contact(action.value)
    if any(r.text == INTERNAL_ERROR for r in replies) or (
        action.verb == "press" and user.alert == INTERNAL_ERROR
    ):
        raise UpdateFailed(user.id, action)
    if action.asks_again is not None:
        check_asked_again(action, replies)
    if action.expect is not None:
        assert action.expect in user.last().text, (user.id, action, user.last().text)
    return replies


def check_asked_again(action: Action, replies: list[Sent]) -> None:
    """A wrong answer gets a reason first, then the same field's question (its 第 n/N 项 line)."""
    marker = f"项 · {action.asks_again}"
    texts = [r.text for r in replies]
    assert len(texts) >= 2, (action, texts)
    assert marker not in texts[0], (action, texts)
    assert marker in texts[-1].split("\n", 1)[0], (action, texts)
