"""What the bureau's statistics count (issue 20, "Statistics the bureau looks at"): plain rows
for the charts, who may see which chart, and the order of their categories.

Storage counts into these rows, services decide what the asking person may
see, exports/charts.py draws them. Standard library and the domain only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain import vocab
from bot.domain.review import BUREAU_ROLES, Grant, RoleKind
from bot.domain.workflow import Status

CHART_STATUSES: tuple[Status, ...] = (
    Status.SUBMITTED,
    Status.UNIT_APPROVED,
    Status.DISTRICT_APPROVED,
    Status.QUALIFIED,
    Status.CONFIRMED,
    Status.ACCEPTED,
    Status.RETURNED,
    Status.DECLINED,
    Status.NOT_QUALIFIED,
    Status.NOT_ACCEPTED,
    Status.WITHDRAWN,
)
"""The stacks of the applications chart, bottom first: on the way, then the ends. Drafts are
the applicant's own until submitted, so no chart counts them."""

TITLE_LEVELS: tuple[str, ...] = vocab.TITLE_LEVELS
"""The stacks of the experts chart (正高级 … 无); an expert whose level is unknown is counted
under None."""

MONTHS_SHOWN = 12


class Chart(StrEnum):
    APPLICATIONS = "applications"
    EXPERTS = "experts"
    DRAWS = "draws"


@dataclass(frozen=True)
class DistrictStatusCount:
    district: str
    status: str
    """A `Status` value."""
    count: int


@dataclass(frozen=True)
class GroupLevelCount:
    group: str
    """专业组, one of vocab.PROFESSIONAL_GROUPS (or an older name still on an expert)."""
    level: str | None
    """One of TITLE_LEVELS; None when neither the form nor the title says."""
    count: int


@dataclass(frozen=True)
class DrawMonth:
    """Invitations of the expert draws sent in one month, and how many were accepted."""

    month: str
    """'YYYY-MM', Asia/Shanghai."""
    invited: int
    accepted: int

    @property
    def acceptance(self) -> float | None:
        """Accepted / invited, None in a month without invitations."""
        return self.accepted / self.invited if self.invited else None


@dataclass(frozen=True)
class Applications:
    campaign: str
    districts: tuple[str, ...]
    """The bars, in the district table's order: every district for the city, else the
    reviewer's own; a district with no application is a bar of zero."""
    counts: tuple[DistrictStatusCount, ...]
    whole_city: bool

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


@dataclass(frozen=True)
class Statistics:
    """The charts one person may see, as rows; None for a chart they may not see."""

    as_of: date
    applications: Applications | None
    """None also when there is no campaign."""
    experts: tuple[GroupLevelCount, ...] | None
    draws: tuple[DrawMonth, ...] | None


def whole_city(grants: Iterable[Grant] | None) -> bool:
    """The bureau's roles, and the operator's CLI (None grants), see the whole city."""
    return grants is None or any(g.role in BUREAU_ROLES for g in grants)


def own_districts(grants: Iterable[Grant]) -> frozenset[int]:
    return frozenset(g.district_id for g in grants if g.role is RoleKind.DISTRICT and g.district_id)


def charts_for(grants: Sequence[Grant] | None) -> frozenset[Chart]:
    """The whole city sees every chart; a district reviewer the applications of their
    district(s); anyone else none."""
    if whole_city(grants):
        return frozenset(Chart)
    return frozenset({Chart.APPLICATIONS}) if own_districts(grants or ()) else frozenset()


def level_of(title_level: str | None, title: str | None) -> str | None:
    """The title level an expert counts under: as the form stored it, else read from the
    title's name (vocab.title_level_of); None when neither says."""
    if title_level in TITLE_LEVELS:
        return title_level
    return vocab.title_level_of(title) if title else None


def fold_levels(rows: Iterable[tuple[str, str | None, str | None, int]]) -> list[GroupLevelCount]:
    """(group, stored level, title, count) rows as counted by storage, added up by group and
    level_of, in the order of the groups and levels."""
    totals: dict[tuple[str, str | None], int] = {}
    for group, stored, title, count in rows:
        key = (group, level_of(stored, title))
        totals[key] = totals.get(key, 0) + count
    groups = {g: i for i, g in enumerate(vocab.PROFESSIONAL_GROUPS)}
    levels = {lv: i for i, lv in enumerate(TITLE_LEVELS)}
    return [
        GroupLevelCount(group, level, count)
        for (group, level), count in sorted(
            totals.items(),
            key=lambda kv: (
                groups.get(kv[0][0], len(groups)),
                kv[0][0],
                levels.get(kv[0][1] or "", len(levels)),
            ),
        )
    ]


def months_back(today: date, count: int = MONTHS_SHOWN) -> tuple[str, ...]:
    """The last `count` months up to today's, oldest first, as 'YYYY-MM'."""
    index = today.year * 12 + today.month - 1
    return tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1))


def first_day(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def every_month(rows: Sequence[DrawMonth], months: Sequence[str]) -> tuple[DrawMonth, ...]:
    """One row per month shown, zero where nothing was sent; rows outside them are left out."""
    found = {r.month: r for r in rows}
    return tuple(found.get(m, DrawMonth(m, 0, 0)) for m in months)
