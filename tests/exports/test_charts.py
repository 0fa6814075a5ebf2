"""The /stats charts: every label they can carry is drawn in the bundled font, with no empty box.

matplotlib warns "Glyph N (…) missing from font(s) …" for each character its
font lacks and draws a box instead; these tests turn that warning into an
error while they draw every chart with every district (as the migrations seed
the district table), status, professional group and title level.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date

import pytest
from PIL import Image

from bot.domain import vocab
from bot.domain.stats import (
    CHART_STATUSES,
    TITLE_LEVELS,
    Applications,
    Chart,
    DistrictStatusCount,
    DrawMonth,
    GroupLevelCount,
    Statistics,
    every_month,
    months_back,
)
from bot.texts.exports import STATUS as EXPORT_STATUS
from exports import chart_texts as t
from exports import charts
from storage.db import Database
from storage.uow import unit_of_work_factory

TODAY = date(2022, 11, 20)
CAMPAIGN = "2022年重庆市工伤预防专家库征集"
MISSING_GLYPH = r"Glyph \d+ .*missing from"


@contextmanager
def no_missing_glyph() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=MISSING_GLYPH)
        yield


async def seeded_districts(engine: Database) -> tuple[str, ...]:
    async with unit_of_work_factory(engine)() as uow:
        return tuple(d.name for d in await uow.campaigns.districts())


def every_status_in_every_district(districts: tuple[str, ...]) -> Applications:
    counts = tuple(
        DistrictStatusCount(d, s.value, 1 + (i + j) % 7)
        for i, d in enumerate(districts)
        for j, s in enumerate(CHART_STATUSES)
    )
    return Applications(CAMPAIGN, districts, counts, whole_city=True)


def every_group_and_level() -> tuple[GroupLevelCount, ...]:
    return tuple(
        GroupLevelCount(g, level, 10 + i * 3 + j)
        for i, g in enumerate(vocab.PROFESSIONAL_GROUPS)
        for j, level in enumerate([*TITLE_LEVELS, None])
    )


def a_year_of_draws() -> tuple[DrawMonth, ...]:
    months = months_back(TODAY)
    return tuple(DrawMonth(m, 4 * i, i if i % 4 else 0) for i, m in enumerate(months))


def size_of(png: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.size


def test_the_bundled_font_is_the_one_matplotlib_finds_for_its_family() -> None:
    from matplotlib.font_manager import FontProperties, findfont

    charts.drawable("")
    found = findfont(FontProperties(family=charts.FONT_FAMILY), fallback_to_default=False)
    assert found == str(charts.FONT_PATH)


async def test_every_chart_draws_every_label_with_no_missing_glyph(engine: Database) -> None:
    districts = await seeded_districts(engine)
    assert len(districts) == 41 and "西部科学城重庆高新区" in districts
    stats = Statistics(
        as_of=TODAY,
        applications=every_status_in_every_district(districts),
        experts=every_group_and_level(),
        draws=a_year_of_draws(),
    )
    with no_missing_glyph():
        files = charts.chart_files(stats)
        own = replace_whole_city(stats.applications, districts[:2])
        own_png = charts.applications_png(own)
        empty = [
            charts.applications_png(Applications(CAMPAIGN, districts[:1], (), whole_city=False)),
            charts.experts_png(()),
            charts.draws_png(every_month([], months_back(TODAY))),
        ]
    assert [f.chart for f in files] == [Chart.APPLICATIONS, Chart.EXPERTS, Chart.DRAWS]
    for png in [*(f.png for f in files), own_png, *empty]:
        width, height = size_of(png)
        assert 600 <= max(width, height) <= 2560 and width + height <= 10000


def replace_whole_city(data: Applications | None, districts: tuple[str, ...]) -> Applications:
    assert data is not None
    counts = tuple(c for c in data.counts if c.district in districts)
    return Applications(data.campaign, districts, counts, whole_city=False)


def test_a_label_the_font_lacks_fails_the_glyph_check() -> None:
    rare = Applications(CAMPAIGN, ("𪚥区",), (DistrictStatusCount("𪚥区", "submitted", 1),), False)
    with no_missing_glyph(), pytest.raises(UserWarning, match=MISSING_GLYPH):
        charts.applications_png(rare)


def test_a_campaign_name_the_font_cannot_draw_stays_out_of_the_image() -> None:
    assert charts.drawable(CAMPAIGN)
    assert not charts.drawable("𪚥2023年征集")
    data = Applications("𪚥2023年征集", ("沙坪坝区",), (), whole_city=False)
    with no_missing_glyph():
        charts.applications_png(data)


def test_every_text_the_charts_print_is_in_the_font() -> None:
    texts = [
        *t.STATUS.values(), t.LEVEL_UNKNOWN, t.EMPTY, t.APPLICATIONS_TITLE, t.APPLICATIONS_AXIS,
        t.APPLICATIONS_TITLE_OWN.format(districts="、".join(d.name for d in vocab.DISTRICTS)),
        t.EXPERTS_TITLE, t.EXPERTS_AXIS, t.DRAWS_TITLE.format(months=12), t.DRAWS_INVITED,
        t.DRAWS_ACCEPTED, t.DRAWS_RATE, t.DRAWS_AXIS, "0123456789%-",
        *vocab.PROFESSIONAL_GROUPS, *TITLE_LEVELS,
    ]  # fmt: skip
    assert [text for text in texts if not charts.drawable(text)] == []


def test_the_legend_names_statuses_as_the_full_export_does() -> None:
    assert {s.value: EXPORT_STATUS[s.value] for s in CHART_STATUSES} == t.STATUS


def test_captions_say_what_each_chart_counts() -> None:
    stats = Statistics(
        as_of=TODAY,
        applications=Applications(
            CAMPAIGN,
            ("沙坪坝区",),
            (DistrictStatusCount("沙坪坝区", "submitted", 3),
             DistrictStatusCount("沙坪坝区", "accepted", 2)),
            whole_city=False,
        ),
        experts=(GroupLevelCount("矿山", "正高级", 4), GroupLevelCount("建筑", None, 1)),
        draws=(DrawMonth("2022-10", 10, 6), DrawMonth("2022-11", 0, 0)),
    )  # fmt: skip
    files = charts.chart_files(stats)
    assert [f.filename for f in files] == [
        "申报情况_2022-11-20.png", "在聘专家_2022-11-20.png", "专家抽取_2022-11-20.png",
    ]  # fmt: skip
    captions = [f.caption for f in files]
    assert captions[0] == (
        f"沙坪坝区申报情况（按状态）\n{CAMPAIGN} · 共 5 份（不含草稿） · 截至 2022-11-20"
    )
    assert captions[1] == "在聘专家：专业组与职称等级\n共 5 人 · 截至 2022-11-20"
    assert re.search(r"邀请 10 次，接受 6 次，接受率 60%", captions[2])


def test_charts_drawn_in_threads_at_once_are_the_same_as_drawn_one_by_one() -> None:
    data = every_status_in_every_district(tuple(d.name for d in vocab.DISTRICTS[:12]))
    alone = [charts.applications_png(data), charts.experts_png(every_group_and_level())]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(
            pool.map(
                lambda job: job(),
                [
                    lambda: charts.applications_png(data),
                    lambda: charts.experts_png(every_group_and_level()),
                ]
                * 2,
            )
        )
    assert together == alone * 2
