"""Applications that arrived on paper: a district's Annex 2 sheet entered by the bureau (录入).

Every row is checked with the chat's own parsers; nothing is stored when a
row fails, unless `skip_bad` (then the good rows go in, the rest are
reported). Each row becomes an application the district has already
approved, of a person the bot has never met (no account), with an event
that says it was entered from paper.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.clock import local
from bot.domain import keys, parsers, vocab
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.idcard import parse_id_number
from bot.domain.workflow import ENTERED, Status
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.texts import registry as t


class SheetRow(Protocol):
    """One row of the sheet as typed (exports.annex2_read reads them)."""

    row_no: int
    name: str
    gender: str
    id_number: str
    unit: str
    position: str
    title: str
    group: str
    contact: str


_TITLE_LEVEL = re.compile(r"^(.+?)[（(](正高级|副高级|中级|初级)[）)]$")


@dataclass(frozen=True)
class Refused:
    row_no: int
    reason: str


@dataclass
class PaperImport:
    district: str
    created: list[int] = field(default_factory=list)
    """Application ids made."""
    refused: list[Refused] = field(default_factory=list)
    stored: bool = False
    """False: a row failed and `skip_bad` was not given, so nothing went in."""


def check_row(row: SheetRow, today: Any) -> dict[str, Any]:
    """The application's values from one sheet row; ValueError says what is wrong."""
    name = parsers.parse_name(row.name)
    number = parse_id_number(row.id_number, today)
    if row.gender and row.gender != number.gender:
        raise ValueError(t.PAPER_GENDER.format(gender=row.gender, derived=number.gender))
    if row.group not in vocab.PROFESSIONAL_GROUPS:
        raise ValueError(t.PAPER_GROUP.format(group=row.group or "（空）"))
    title, level = row.title.strip(), None
    if match := _TITLE_LEVEL.match(title):
        title, level = match[1], match[2]
    contact = row.contact.strip()
    phone = {keys.MOBILE: parsers.parse_mobile(contact)} if contact else {}
    return {
        keys.NAME: name,
        keys.ID_NUMBER: number.number,
        keys.GENDER: number.gender,
        keys.BIRTH_DATE: number.birth_date,
        keys.ID_CONFIRMED: True,
        keys.UNIT_NAME: parsers.parse_unit_name(row.unit),
        keys.POSITION: parsers.text_parser(parsers.MAX_POSITION)(row.position),
        keys.TITLE: parsers.text_parser(parsers.MAX_TITLE)(title),
        keys.TITLE_LEVEL: level,
        keys.GROUP: row.group,
        **phone,
    }


async def import_annex2(
    uows: UnitOfWorkFactory,
    rows: Sequence[SheetRow],
    *,
    district: str,
    skip_bad: bool = False,
    now: datetime,
) -> PaperImport:
    """Enters a district's paper Annex 2 into the current campaign (the command line's)."""
    today = local(now).date()
    async with uows() as uow:
        found = vocab.resolve_district(district)
        row = await uow.campaigns.district_by_code(found.code)
        campaign = await uow.campaigns.current_campaign()
        if row is None or campaign is None:
            raise NotFound(t.PAPER_NO_CAMPAIGN)
        report = PaperImport(district=row.name)
        good: list[tuple[SheetRow, dict[str, Any]]] = []
        seen: set[str] = set()
        for sheet_row in rows:
            try:
                values = check_row(sheet_row, today)
                number = values[keys.ID_NUMBER]
                if number in seen or await uow.applications.id_number_in_use(
                    campaign.id, number, 0
                ):
                    raise ValueError(t.PAPER_DUPLICATE)
                seen.add(number)
                good.append((sheet_row, values))
            except ValueError as wrong:
                report.refused.append(Refused(sheet_row.row_no, str(wrong)))
        if not rows:
            raise NotAllowed(t.PAPER_EMPTY)
        if report.refused and not skip_bad:
            return report
        units = {u.name: u for u in await uow.campaigns.units_in(row.id)}
        for _sheet_row, values in good:
            report.created.append(
                await _enter(uow, campaign.id, row.id, row.name, units, values, now)
            )
        await uow.commit()
        report.stored = True
    return report


async def _enter(
    uow: UnitOfWork,
    campaign_id: int,
    district_id: int,
    district_name: str,
    units: dict[str, Any],
    values: dict[str, Any],
    now: datetime,
) -> int:
    person_id = await uow.accounts.add_person(values[keys.NAME], now)
    unit = units.get(values[keys.UNIT_NAME])
    app_id = await uow.applications.add_application(
        campaign_id=campaign_id,
        person_id=person_id,
        district_id=district_id,
        unit_id=unit.id if unit else None,
        unit_name=values[keys.UNIT_NAME],
        unit_confirmed=True,
        cursor=None,
        now=now,
    )
    stored = {
        **values,
        "status": Status.DISTRICT_APPROVED.value,
        "submitted_at": now,
        keys.FILLED_AT: local(now).date(),
    }
    if not await uow.applications.update_application(app_id, 1, stored, now):
        raise RuntimeError(f"application {app_id} changed while it was being entered")
    await uow.applications.add_event(
        app_id=app_id,
        actor_id=None,
        actor_name=t.COMMAND_LINE,
        action=ENTERED,
        from_status=None,
        to_status=Status.DISTRICT_APPROVED.value,
        note=t.PAPER_NOTE.format(district=district_name),
        now=now,
    )
    return app_id
