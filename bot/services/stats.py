"""The statistics the bureau looks at (/stats, `expertbot stats`): the rows of the charts the
asking person may see, read in one unit of work.

The bureau's roles see the whole city; a district reviewer sees the
applications of their own district(s); anyone else is refused. `by=None` is
the operator's command line, which sees everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from bot.domain.errors import NotAllowed
from bot.domain.parsers import TIMEZONE
from bot.domain.stats import (
    Applications,
    Chart,
    DrawMonth,
    Statistics,
    charts_for,
    every_month,
    first_day,
    fold_levels,
    months_back,
    own_districts,
    whole_city,
)
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.services.roles import grants_of
from bot.texts import stats as t


async def statistics(
    uows: UnitOfWorkFactory, *, by: int | None, admin_ids: Iterable[int] = (), today: date
) -> Statistics:
    """The rows of every chart `by` may see, as of `today` (Asia/Shanghai)."""
    async with uows() as uow:
        grants = None if by is None else await grants_of(uow, by, admin_ids)
        charts = charts_for(grants)
        if not charts:
            raise NotAllowed(t.NOT_ALLOWED)
        districts = None if whole_city(grants) else own_districts(grants or ())
        applications = await _applications(uow, districts)
        experts = None
        if Chart.EXPERTS in charts:
            experts = tuple(fold_levels(await uow.registry.group_title_counts()))
        draws = None
        if Chart.DRAWS in charts:
            months = months_back(today)
            draws = every_month(await monthly_invitations(uow, first_day(months[0])), months)
    return Statistics(as_of=today, applications=applications, experts=experts, draws=draws)


async def _applications(
    uow: UnitOfWork, district_ids: frozenset[int] | None
) -> Applications | None:
    campaign = await uow.campaigns.current_campaign()
    if campaign is None:
        return None
    districts = [
        d for d in await uow.campaigns.districts() if district_ids is None or d.id in district_ids
    ]
    counts = await uow.applications.district_status_counts(
        campaign.id, None if district_ids is None else [d.id for d in districts]
    )
    return Applications(
        campaign=campaign.name,
        districts=tuple(d.name for d in districts),
        counts=tuple(counts),
        whole_city=district_ids is None,
    )


async def monthly_invitations(uow: UnitOfWork, since: date) -> Sequence[DrawMonth]:
    """Invitations sent per month (Asia/Shanghai) from `since` on, and how many were accepted;
    reserves skipped without an invitation do not count."""
    first = datetime(since.year, since.month, since.day, tzinfo=TIMEZONE)
    return [DrawMonth(m, invited, accepted) for m, invited, accepted in
            await uow.draws.monthly_invitations(first)]  # fmt: skip
