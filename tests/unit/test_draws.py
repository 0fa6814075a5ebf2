"""The draw's pure rules: who is in the pool, the order, its proof, and the invitation moves."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from collections import Counter
from datetime import date

import pytest

from bot.domain import draws as d

DAY = date(2022, 12, 10)


def candidate(**kw: object) -> d.Candidate:
    base: dict[str, object] = dict(
        expert_id=1, group="矿山", district_id=1, unit_id=1, unit_name="重庆大学", serving=True,
    )  # fmt: skip
    return d.Candidate(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({}, None),
        ({"group": "危化"}, "group"),
        ({"serving": False}, "standing"),
        ({"on_leave": True}, "leave"),
        ({"expert_id": 7}, "avoid_person"),
        ({"unit_id": 9}, "avoid_unit"),
        ({"unit_id": None, "unit_name": "重庆 交通（集团）"}, "avoid_unit"),
        ({"booked": True}, "booked"),
    ],
)
def test_why_an_expert_is_not_in_the_pool(change: dict[str, object], why: str | None) -> None:
    avoid = d.Avoid(
        unit_ids=frozenset({9}), unit_names=frozenset({d.unit_key("重庆交通(集团)")}),
        expert_ids=frozenset({7}),
    )  # fmt: skip
    assert d.why_not(candidate(**change), frozenset({"矿山"}), avoid) == why


def test_every_invitation_move_is_in_the_table_or_refused() -> None:
    allowed = {
        (s, a)
        for s, a in itertools.product(d.InvitationStatus, d.InvitationAction)
        if d.next_invitation(s, a) is not None
    }
    assert allowed == set(d.INVITATION_MOVES)
    for status in (d.IS.DECLINED, d.IS.EXPIRED, d.IS.SKIPPED, d.IS.CANCELLED, d.IS.LEFT):
        assert all(d.next_invitation(status, a) is None for a in d.InvitationAction), status
    assert d.next_invitation(d.IS.ACCEPTED, d.IA.ACCEPT) is None
    assert d.next_invitation(d.IS.ACCEPTED, d.IA.EXPIRE) is None, "an acceptance does not time out"
    assert {d.next_invitation(s, d.IA.LEAVE) for s in d.HOLDS_DAY} == {d.IS.LEFT}, (
        "an expert who leaves service leaves whatever holds their days"
    )


def test_the_order_is_the_scores_and_anyone_can_recompute_it() -> None:
    key = bytes(range(32))
    pool = [d.PoolEntry(i, preferred=False) for i in range(1, 51)]
    result = d.draw(key, request_id=3, round_no=1, pool=pool, wanted=2)
    seed = hmac.new(key, b"draw:3:1", hashlib.sha256).digest()
    by_hand = sorted(range(1, 51), key=lambda i: hmac.new(seed, str(i).encode(), "sha256").digest())
    assert result.drawn == tuple(by_hand[:2])
    assert result.reserve == tuple(by_hand[2:7]), "max(2N, 5) in reserve"
    assert result.pool == ",".join(str(i) for i in range(1, 51))
    assert result.pool_hash == hashlib.sha256(result.pool.encode()).hexdigest()


def test_preferred_districts_come_first() -> None:
    pool = [d.PoolEntry(i, preferred=i in (40, 41)) for i in range(1, 51)]
    result = d.draw(b"k" * 32, 1, 1, pool, wanted=3)
    assert set(result.drawn[:2]) == {40, 41}


def test_the_draw_is_uniform_over_the_pool() -> None:
    pool = [d.PoolEntry(i, preferred=False) for i in range(10)]
    counts = Counter(d.draw(bytes([n % 256, n // 256]) * 16, n, 1, pool, 1).drawn[0] for n in range(5000))
    assert set(counts) == set(range(10))
    assert max(counts.values()) - min(counts.values()) < 160, counts  # ~500 each


def test_verify_finds_any_change_to_the_record() -> None:
    key = d.new_key()
    pool = [d.PoolEntry(i, preferred=i == 5) for i in (3, 5, 8, 13, 21, 34)]
    result = d.draw(key, 9, 2, pool, 2)
    record = d.Record(
        request_id=9, round_no=2, commitment=d.commitment(key), key_hex=key.hex(),
        pool=result.pool, pool_hash=result.pool_hash, wanted=2, drawn=result.drawn,
        reserve=result.reserve,
    )  # fmt: skip
    assert d.verify(record) == []
    fake = d.Record(**{**record.__dict__, "key_hex": d.new_key().hex()})
    assert "commitment" in d.verify(fake)
    assert "pool_hash" in d.verify(d.Record(**{**record.__dict__, "pool": "3,5*,8,13,21"}))
    swapped = d.Record(**{**record.__dict__, "drawn": result.drawn[::-1]})
    assert d.verify(swapped) == ["drawn"]


def test_days_and_the_reply_window() -> None:
    today = date(2022, 12, 1)
    assert d.check_days([DAY, DAY, date(2022, 12, 9)], today) == (date(2022, 12, 9), DAY)
    eleven = [date(2022, 12, 2 + i) for i in range(d.MAX_DAYS + 1)]
    for bad in ([], [today], eleven):
        with pytest.raises(ValueError):
            d.check_days(bad, today)
    assert d.reply_deadline_hours(DAY, today) == 24
    assert d.reply_deadline_hours(date(2022, 12, 2), today) == 6


def test_invitations_must_go_down_the_order_without_a_gap() -> None:
    order = (7, 3, 9, 1)
    assert d.followed_order(order, [(1, 7), (2, 3), (3, 9)])
    assert d.followed_order(order, [])
    assert not d.followed_order(order, [(1, 7), (2, 9)]), "9 is third"
    assert not d.followed_order(order, [(1, 7), (3, 9)]), "a gap: the second was passed over"
    assert not d.followed_order(order, [(1, 7), (2, 3), (3, 9), (4, 1), (5, 8)]), "beyond the order"


@pytest.mark.parametrize(
    ("text", "wanted"),
    [("3", 3), ("３", 3), ("２０", 20), ("3人", 3), (" 2 位", 2), ("二", 2), ("两", 2), ("三", 3),
     ("十", 10), ("两人", 2), ("三名", 3), ("十二位", 12), ("二十", 20), ("一个", 1)],
)  # fmt: skip
def test_how_many_is_read_as_a_chinese_keyboard_types_it(text: str, wanted: int) -> None:
    assert d.parse_wanted(text) == wanted


@pytest.mark.parametrize(
    "text", ["0", "21", "²", "3.5", "-1", "", "人", "零", "二十一", "两十", "十两", "一百", "三四"]
)
def test_how_many_refuses_anything_else_with_the_range(text: str) -> None:
    with pytest.raises(ValueError, match="请输入 1–20 之间的整数"):
        d.parse_wanted(text)


def test_read_days_is_none_unless_the_text_is_only_days() -> None:
    today = date(2022, 12, 1)
    assert d.read_days("2022-12-10，2022/12/11", today) == [DAY, date(2022, 12, 11)]
    assert d.read_days("渝北区 2022-12-10", today) is None
    assert d.read_days("  ", today) is None
    assert d.read_days("渝北区", today) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12月20日", date(2022, 12, 20)),
        ("12-20", date(2022, 12, 20)),
        ("１２／２０", date(2022, 12, 20)),
        ("12月1日", date(2022, 12, 1)),  # today is still today (and refused as not after it)
        ("11月30日", date(2023, 11, 30)),  # gone this year: the next one
        ("1-5", date(2023, 1, 5)),
        ("2月29日", date(2024, 2, 29)),  # the next leap year's
        ("明天", date(2022, 12, 2)),
        ("后天", date(2022, 12, 3)),
        ("今天", date(2022, 12, 1)),  # read, and refused as not after today
        ("大后天", date(2022, 12, 4)),
        # 2022-12-01 is a Thursday
        ("周五", date(2022, 12, 2)),
        ("星期五", date(2022, 12, 2)),
        ("礼拜五", date(2022, 12, 2)),
        ("本周五", date(2022, 12, 2)),
        ("这周六", date(2022, 12, 3)),
        ("周日", date(2022, 12, 4)),
        ("星期天", date(2022, 12, 4)),
        ("周一", date(2022, 12, 5)),  # this week's is past: the next
        ("周四", date(2022, 12, 1)),  # today, and refused as not after it
        ("本周一", date(2022, 11, 28)),  # said so: refused as past
        ("下周一", date(2022, 12, 5)),
        ("下周四", date(2022, 12, 8)),
        ("下星期日", date(2022, 12, 11)),
        ("上周五", date(2022, 11, 25)),  # read, and refused as past
        ("5号", date(2022, 12, 5)),
        ("20日", date(2022, 12, 20)),
        ("１号", date(2022, 12, 1)),
        ("31号", date(2022, 12, 31)),
        ("12月20号", date(2022, 12, 20)),
    ],
)
def test_a_day_without_a_year_is_the_next_such_day(text: str, day: date) -> None:
    assert d.read_days(text, date(2022, 12, 1)) == [day]


def test_a_day_of_the_month_missing_from_the_next_month_is_the_next_that_has_it() -> None:
    assert d.read_days("31号", date(2023, 1, 31)) == [date(2023, 1, 31)]
    assert d.read_days("30号", date(2023, 2, 1)) == [date(2023, 3, 30)]
    assert d.read_days("周五、下周一", date(2022, 12, 1)) == [date(2022, 12, 2), date(2022, 12, 5)]


@pytest.mark.parametrize("text", ["13月5日", "2月30日", "12-32", "0-5", "32号", "0号", "周八", "昨天"])
def test_a_month_and_day_that_is_no_day_is_refused(text: str) -> None:
    assert d.read_days(text, date(2022, 12, 1)) is None


def test_avoid_entries_sent_over_several_messages_add_up_without_repeats():
    from bot.domain.draws import AvoidEntry, AvoidForm

    first, added, repeated = AvoidForm().with_entries(
        [AvoidEntry("单位：重庆大学", unit="重庆大学"), AvoidEntry("张三（C-1）", certificate="C-1")]
    )
    assert (added, repeated) == (["单位：重庆大学", "张三（C-1）"], [])
    second, added, repeated = first.with_entries(
        [AvoidEntry("单位：重庆大学", unit="重庆大学"), AvoidEntry("李四（C-2）", certificate="C-2")]
    )
    assert (added, repeated) == (["李四（C-2）"], ["单位：重庆大学"])
    assert second.shown == ("单位：重庆大学", "张三（C-1）", "李四（C-2）")
    assert (second.units, second.certificates) == (("重庆大学",), ("C-1", "C-2"))


def test_names_typed_as_the_buttons_read_are_their_ids_and_anything_else_none() -> None:
    ids = {"矿山": 0, "危化": 1, "渝北区": 7}
    assert d.read_names("矿山、危化", ids) == {0, 1}
    assert d.read_names(" 渝北区 ", ids) == {7}
    assert d.read_names("矿山 渝北", ids) is None
    assert d.read_names("  ", ids) is None
