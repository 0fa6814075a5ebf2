"""The bureau's statistics as PNG charts (/stats, `expertbot stats --png`): pure functions from
the rows of bot.domain.stats to image bytes, one function per chart.

matplotlib's object-oriented API only: each call builds its own Figure on an
Agg canvas and lets it go, with no pyplot and no change to rcParams, so charts
may be drawn in worker threads at the same time. Every text is set in the
bundled font (fonts/ExpertbotSansSC-Regular.otf, a subset of Noto Sans CJK SC
under the SIL OFL, see fonts/README.md), registered with matplotlib's font
manager by its path: what happens to be installed plays no part.
matplotlib is imported on the first chart, so importing this module is cheap.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.domain import vocab
from bot.domain.stats import (
    CHART_STATUSES,
    TITLE_LEVELS,
    Applications,
    Chart,
    DrawMonth,
    GroupLevelCount,
    Statistics,
)
from bot.domain.workflow import Status
from exports import chart_texts as t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FONT_PATH = Path(__file__).with_name("fonts") / "ExpertbotSansSC-Regular.otf"
FONT_FAMILY = "Expertbot Sans SC"
DPI = 110
WIDTH = 9.0
"""Inches: at DPI, about 1,000 pixels, which Telegram shows without shrinking the labels."""
LABEL_SIZE = 10
PNG_COMPRESSION = 3
"""zlib level: 6 (the default) took about 0.07 s more a chart for files at most 5 % smaller."""
TITLE_SIZE = 15

STATUS_COLORS: dict[Status, str] = {
    Status.SUBMITTED: "#9ecae1",
    Status.UNIT_APPROVED: "#6baed6",
    Status.DISTRICT_APPROVED: "#2171b5",
    Status.QUALIFIED: "#a1d99b",
    Status.CONFIRMED: "#41ab5d",
    Status.ACCEPTED: "#006d2c",
    Status.RETURNED: "#fdae6b",
    Status.DECLINED: "#ef3b2c",
    Status.NOT_QUALIFIED: "#fc9272",
    Status.NOT_ACCEPTED: "#a50f15",
    Status.WITHDRAWN: "#bdbdbd",
}
"""Blues on the way, greens at the bureau, orange returned, reds refused, grey withdrawn."""
LEVEL_COLORS: dict[str | None, str] = {
    "正高级": "#08519c",
    "副高级": "#3182bd",
    "中级": "#6baed6",
    "初级": "#bdd7e7",
    "无": "#fdd0a2",
    None: "#bdbdbd",
}
INVITED_COLOR = "#9ecae1"
ACCEPTED_COLOR = "#2171b5"
RATE_COLOR = "#e6550d"
TEXT_COLOR = "#333333"
GRID_COLOR = "#e0e0e0"
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


@dataclass(frozen=True)
class ChartFile:
    chart: Chart
    filename: str
    png: bytes
    caption: str
    """Under the photo in chat: what the chart shows, the totals, the day."""


def chart_files(stats: Statistics) -> list[ChartFile]:
    """Every chart `stats` holds rows for, in the order /stats sends them."""
    as_of = stats.as_of.isoformat()
    files = []
    if stats.applications is not None:
        a = stats.applications
        files.append(
            ChartFile(
                Chart.APPLICATIONS,
                t.FILENAMES[Chart.APPLICATIONS].format(as_of=as_of),
                applications_png(a),
                t.APPLICATIONS_CAPTION.format(
                    title=_applications_title(a), campaign=a.campaign, total=a.total, as_of=as_of
                ),
            )
        )
    if stats.experts is not None:
        files.append(
            ChartFile(
                Chart.EXPERTS,
                t.FILENAMES[Chart.EXPERTS].format(as_of=as_of),
                experts_png(stats.experts),
                t.EXPERTS_CAPTION.format(
                    title=t.EXPERTS_TITLE, total=sum(r.count for r in stats.experts), as_of=as_of
                ),
            )
        )
    if stats.draws is not None:
        invited = sum(m.invited for m in stats.draws)
        accepted = sum(m.accepted for m in stats.draws)
        rate = t.DRAWS_CAPTION_RATE.format(rate=accepted / invited) if invited else ""
        files.append(
            ChartFile(
                Chart.DRAWS,
                t.FILENAMES[Chart.DRAWS].format(as_of=as_of),
                draws_png(stats.draws),
                t.DRAWS_CAPTION.format(
                    title=_draws_title(stats.draws),
                    invited=invited,
                    accepted=accepted,
                    rate=rate,
                    as_of=as_of,
                ),
            )
        )
    return files


# the charts -----------------------------------------------------------------------------------


def applications_png(data: Applications) -> bytes:
    """Stacked horizontal bars, one per district, by status; the total at the end of each."""
    districts = list(data.districts)
    counts = {(c.district, c.status): c.count for c in data.counts}
    shown = [s for s in CHART_STATUSES if any(counts.get((d, s.value)) for d in districts)]
    height = max(3.2, 2.2 + 0.27 * len(districts))

    def draw(fig: Figure, ax: Axes) -> None:
        rows = range(len(districts))
        layers = [
            (t.STATUS[s.value], STATUS_COLORS[s], [counts.get((d, s.value), 0) for d in districts])
            for s in shown
        ]
        left = _stacked(ax, layers, len(districts), 0.72 if len(districts) > 3 else 0.45, True)
        for row, total in zip(rows, left, strict=True):
            if total:
                ax.text(total, row, f" {total}", va="center", fontsize=LABEL_SIZE - 1, **_font())
        ax.set_yticks(list(rows), districts)
        ax.set_ylim(len(districts) - 0.5, -0.5)
        ax.set_xlabel(t.APPLICATIONS_AXIS, **_font())
        _count_axis(ax.xaxis, max(left, default=0))
        ax.grid(axis="x", color=GRID_COLOR)
        _titles(fig, _applications_title(data), data.campaign)
        if shown:
            _legend(fig, ncols=min(len(shown), 6))
        else:
            _empty(ax)

    return _render(WIDTH, height, draw)


def experts_png(rows: Sequence[GroupLevelCount]) -> bytes:
    """Stacked columns, one per professional group, by title level; the total above each."""
    known = list(vocab.PROFESSIONAL_GROUPS)
    groups = known + sorted({r.group for r in rows} - set(known))
    counts = {(r.group, r.level): r.count for r in rows}
    levels: list[str | None] = [*TITLE_LEVELS, None]
    shown = [lv for lv in levels if any(counts.get((g, lv)) for g in groups)]

    def draw(fig: Figure, ax: Axes) -> None:
        columns = range(len(groups))
        layers = [
            (
                level or t.LEVEL_UNKNOWN,
                LEVEL_COLORS.get(level, LEVEL_COLORS[None]),
                [counts.get((g, level), 0) for g in groups],
            )
            for level in shown
        ]
        bottom = _stacked(ax, layers, len(groups), 0.7, False)
        for column, total in zip(columns, bottom, strict=True):
            if total:
                ax.text(column, total, str(total), ha="center", va="bottom",
                        fontsize=LABEL_SIZE - 1, **_font())  # fmt: skip
        ax.set_xticks(list(columns), groups)
        ax.set_xlim(-0.6, len(groups) - 0.4)
        ax.set_ylabel(t.EXPERTS_AXIS, **_font())
        _count_axis(ax.yaxis, max(bottom, default=0), headroom=1.08)
        ax.grid(axis="y", color=GRID_COLOR)
        _titles(fig, t.EXPERTS_TITLE, None)
        if shown:
            _legend(fig, ncols=len(shown))
        else:
            _empty(ax)

    return _render(WIDTH, 5.8, draw)


def draws_png(months: Sequence[DrawMonth]) -> bytes:
    """Invitations per month as columns, the accepted ones inside them, the acceptance rate as a
    line on its own axis with the percentage at each point."""
    from matplotlib.ticker import PercentFormatter

    def draw(fig: Figure, ax: Axes) -> None:
        columns = list(range(len(months)))
        invited = [m.invited for m in months]
        ax.bar(columns, invited, width=0.7, color=INVITED_COLOR, label=t.DRAWS_INVITED)
        ax.bar(columns, [m.accepted for m in months], width=0.42, color=ACCEPTED_COLOR,
               label=t.DRAWS_ACCEPTED)  # fmt: skip
        ax.set_xticks(columns, [m.month for m in months])
        ax.set_ylabel(t.DRAWS_AXIS, **_font())
        _count_axis(ax.yaxis, max(invited, default=0), headroom=1.1)
        ax.grid(axis="y", color=GRID_COLOR)
        rate_ax = ax.twinx()
        rates = [m.acceptance for m in months]
        if any(r is not None for r in rates):
            # A month without invitations has no rate: the line breaks there (NaN).
            rate_ax.plot(columns, [math.nan if r is None else r for r in rates], color=RATE_COLOR,
                         marker="o", linewidth=2, label=t.DRAWS_RATE)  # fmt: skip
            for column, rate in zip(columns, rates, strict=True):
                if rate is not None:
                    rate_ax.annotate(f"{rate:.0%}", (column, rate), textcoords="offset points",
                                     xytext=(0, 8), ha="center", color=RATE_COLOR,
                                     fontsize=LABEL_SIZE - 1, bbox=LABEL_BOX, **_font())  # fmt: skip
        rate_ax.set_ylim(0, 1.15)
        rate_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        rate_ax.set_ylabel(t.DRAWS_RATE, color=RATE_COLOR, **_font())
        _style(rate_ax)
        rate_ax.spines["right"].set_visible(True)
        _titles(fig, _draws_title(months), None)
        _legend(fig, ncols=3, axes=(ax, rate_ax))
        if not any(invited):
            _empty(ax)

    return _render(WIDTH, 5.4, draw)


def _applications_title(data: Applications) -> str:
    if data.whole_city:
        return t.APPLICATIONS_TITLE
    return t.APPLICATIONS_TITLE_OWN.format(districts="、".join(data.districts))


def _draws_title(months: Sequence[DrawMonth]) -> str:
    return t.DRAWS_TITLE.format(months=len(months))


# drawing --------------------------------------------------------------------------------------

_setup = threading.Lock()
_charmap: frozenset[int] | None = None


def _load_font() -> frozenset[int]:
    """Registers the bundled font with matplotlib once per process; the characters it has."""
    global _charmap
    with _setup:
        if _charmap is None:
            from matplotlib import font_manager

            font_manager.fontManager.addfont(str(FONT_PATH))
            _charmap = frozenset(font_manager.get_font(str(FONT_PATH)).get_charmap())
        return _charmap


def drawable(text: str) -> bool:
    """Whether the bundled font has every character of `text` (the campaign's name is typed
    by the bureau and may hold a rare one: then the chart leaves it to the caption)."""
    charmap = _load_font()
    return all(ord(c) in charmap for c in text if not c.isspace())


def _font(size: float | None = None) -> dict[str, Any]:
    return {"fontfamily": FONT_FAMILY, **({"fontsize": size} if size else {})}


def _render(width: float, height: float, draw: Callable[[Figure, Axes], None]) -> bytes:
    """One figure per call, drawn and saved on its own Agg canvas, then cleared."""
    _load_font()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    try:
        ax = fig.add_subplot()
        _style(ax)
        draw(fig, ax)
        buffer = io.BytesIO()
        fig.savefig(
            buffer,
            format="png",
            dpi=DPI,
            metadata={"Software": None},
            pil_kwargs={"compress_level": PNG_COMPRESSION},
        )
        return buffer.getvalue()
    finally:
        fig.clear()


def _stacked(
    ax: Axes, layers: Sequence[tuple[str, str, Sequence[int]]], n: int, width: float, across: bool
) -> list[int]:
    """Stacked bars, one PolyCollection per layer (label, colour, a value per bar), bars at
    0 … n-1, `across` for horizontal ones; the totals. ax.bar makes an artist per bar: 451
    of them (41 districts, 11 statuses) took twice as long as all the rest of the chart."""
    from matplotlib.collections import PolyCollection

    base = [0] * n
    for label, color, values in layers:
        boxes = []
        for i, (start, value) in enumerate(zip(base, values, strict=True)):
            if value:
                a, b = i - width / 2, i + width / 2
                end = start + value
                boxes.append(
                    [(start, a), (end, a), (end, b), (start, b)]
                    if across
                    else [(a, start), (b, start), (b, end), (a, end)]
                )
        ax.add_collection(PolyCollection(boxes, facecolors=color, edgecolors="none", label=label))
        base = [x + v for x, v in zip(base, values, strict=True)]
    return base


def _style(ax: Axes) -> None:
    ax.tick_params(labelfontfamily=FONT_FAMILY, labelsize=LABEL_SIZE, colors=TEXT_COLOR)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _titles(fig: Figure, title: str, subtitle: str | None) -> None:
    text = title if not subtitle or not drawable(subtitle) else f"{title}\n{subtitle}"
    fig.suptitle(text, fontsize=TITLE_SIZE, fontfamily=FONT_FAMILY, color=TEXT_COLOR,
                 parse_math=False)  # fmt: skip


def _legend(fig: Figure, *, ncols: int, axes: Sequence[Axes] = ()) -> None:
    from matplotlib.font_manager import FontProperties

    handles: list[Any] = []
    labels: list[str] = []
    for ax in axes:
        h, lb = ax.get_legend_handles_labels()
        handles += h
        labels += lb
    kwargs: dict[str, Any] = {"handles": handles, "labels": labels} if axes else {}
    fig.legend(
        loc="outside lower center",
        ncols=ncols,
        frameon=False,
        prop=FontProperties(family=FONT_FAMILY, size=LABEL_SIZE),
        **kwargs,
    )


def _count_axis(axis: Any, top: int, headroom: float = 1.06) -> None:
    """Whole numbers only, with room past the longest bar for its total."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
    if axis.axis_name == "x":
        axis.axes.set_xlim(0, max(top * headroom + 1, 1))
    else:
        axis.axes.set_ylim(0, max(top * headroom + 1, 1))


def _empty(ax: Axes) -> None:
    ax.text(0.5, 0.5, t.EMPTY, transform=ax.transAxes, ha="center", va="center",
            fontsize=TITLE_SIZE, color="#888888", **_font())  # fmt: skip
