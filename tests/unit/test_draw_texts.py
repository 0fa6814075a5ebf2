"""What a unit reads about a draw, as pure functions of the numbers: the shortfall once the
reserve is used up, and the 回避 step's reply."""

from __future__ import annotations

import pytest

from bot.services.draw_notices import shortfall_text
from bot.texts import draws as t
from handlers.render_draws import avoid_reply


@pytest.mark.parametrize(
    ("pending", "missing", "pool", "on_card", "said"),
    [
        (2, 1, 0, False, "备选名单中已没有可邀请的专家。还有 2 份邀请在等待答复，即使都接受，仍缺 1 人。"
                         "目前没有其他符合条件的专家，暂不能重新抽取。"),
        (0, 2, 5, False, "备选名单中已没有可邀请的专家，仍缺 2 人。"
                         "可在 /draws 打开这份申请重新抽取：目前符合条件的专家 5 人。"),
        (0, 3, 1, True, "备选名单中已没有可邀请的专家，仍缺 3 人。"
                        "可以点“重新抽取（补足人数）”：目前符合条件的专家 1 人。重新抽取后仍会少 2 人。"),
    ],
)  # fmt: skip
def test_the_shortfall_says_what_waits_what_is_missing_and_what_a_redraw_can_do(
    pending: int, missing: int, pool: int, on_card: bool, said: str
) -> None:
    assert shortfall_text(pending=pending, missing=missing, pool=pool, on_card=on_card) == said


def test_the_avoid_reply_says_what_was_added_and_how_to_finish() -> None:
    reply = avoid_reply(
        added=["单位：重庆大学"], repeated=["CQGSYF-2022-9002"], unknown=["CQ-1"],
        listed=["CQGSYF-2022-9002", "单位：重庆大学"],
    )  # fmt: skip
    assert reply.splitlines() == [
        "已加入回避：单位：重庆大学。",
        "已在回避名单中：CQGSYF-2022-9002。",
        "找不到证书编号 CQ-1，没有加入，请检查后重新发送。",
        "目前回避：本单位；CQGSYF-2022-9002、单位：重庆大学。",
        t.AVOID_MORE,
    ]
    assert avoid_reply(listed=[], cleared=True).splitlines() == [
        t.AVOID_CLEARED, t.AVOID_ONLY_OWN, t.AVOID_MORE
    ]


def test_every_audit_entry_of_a_request_has_a_chinese_name() -> None:
    """`draw show` prints each entry by name: every action a use case writes has one."""
    from bot.domain import draws as d

    written = {"filed", "drawn", "invited", "skipped", "cancelled", "work"}
    written |= {a.value for a in d.InvitationAction}
    written |= {f"work_{a.value}" for a in d.WorkAnswer}
    assert written <= set(t.EVENT_ACTIONS)
    assert t.event_action("drawn") == "抽取（drawn）"


def test_the_pool_is_the_candidate_pool_and_the_reserve_is_the_reserve() -> None:
    """备选 is the reserve (备选名单); the pool the draw is made from is 候选池, as on the card."""
    from bot.texts import cli

    assert "候选池" in t.CARD_ROUND and "候选池" in cli.VERIFY_ROUND
    assert cli.VERIFY_PROBLEMS["pool_hash"] == "候选池摘要"
    assert cli.VERIFY_PROBLEMS["pool_form"] == "候选池格式"
    assert cli.VERIFY_PROBLEMS["reserve"] == "备选名单"
    texts = [v for m in (t, cli) for v in vars(m).values() if isinstance(v, str)]
    texts += [v for v in cli.VERIFY_PROBLEMS.values()]
    assert not [x for x in texts if "备选池" in x]
