"""Use cases of exports: Annex 2 and Annex 1 rows for a scope, the full export, batch reports.

Each use case opens one unit of work: it re-authorises the actor from the
server's data (`actor_id` None means the operator's command line), reads the
rows, writes one access-log row in the same transaction, commits, and returns
plain export rows. The caller builds the file (the writers in `exports`) and
sends it after the unit of work has closed, so a 10,000-row workbook never
holds the database. Nothing here renders a document.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from bot.clock import format_local, local
from bot.domain import keys, vocab
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.errors import AlreadyHandled, DeadlinePassed, NotAllowed, NotFound
from bot.domain.exports import (
    REVIEWER_VISIBLE,
    Access,
    Annex2Request,
    authorize_annex2,
    authorize_district,
    authorize_full,
    is_bureau,
    may_report,
    title_with_level,
)
from bot.domain.form import FIELDS
from bot.domain.review import Grant, RoleKind, may_view
from bot.domain.workflow import Status
from bot.services import audit
from bot.services.export_ports import ReportRow
from bot.services.ports import DistrictRow
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.services.roles import grants_of
from bot.texts import exports as t
from exports.rows import Annex1Form, Annex2Row, ResumeEntry

log = logging.getLogger(__name__)

_GROUP_RANK = {group: i for i, group in enumerate(vocab.PROFESSIONAL_GROUPS)}
BUREAU_DECIDED = (
    Status.QUALIFIED,
    Status.NOT_QUALIFIED,
    Status.CONFIRMED,
    Status.ACCEPTED,
    Status.NOT_ACCEPTED,
)
"""States the bureau's decisions lead to: the full export's 市局决定时间 is the latest of them."""


@dataclass(frozen=True)
class Annex2Export:
    """Rows of one Annex 2 and what its header and caption say."""

    rows: Sequence[Annex2Row]
    district: str
    """填报区县 as printed: the district's name, or 全市."""
    file_district: str | None
    """For the file name: the district's name, None for the city."""
    scope: str
    """For the caption: "沙坪坝区", "全市 · 矿山", "重庆大学"."""
    filled_on: date
    pending: int
    """Rows marked 审核中."""
    campaign: Campaign


@dataclass(frozen=True)
class FullExport:
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    filled_on: date


@dataclass(frozen=True)
class Annex1Export:
    app_id: int
    form: Annex1Form


@dataclass(frozen=True)
class DistrictSummary:
    """What a district reviewer's /export menu shows."""

    district_id: int
    district: str
    campaign: Campaign
    approved: int
    pending: int
    report: ReportRow | None
    report_closed: bool = False
    """The district deadline has passed: a report would be refused, so none is offered."""


@dataclass(frozen=True)
class UnitSummary:
    unit_id: int
    unit: str
    campaign: Campaign
    approved: int
    pending: int


@dataclass(frozen=True)
class Report:
    """A recorded report of a district's batch and the Annex 2 that goes to the bureau."""

    export: Annex2Export
    row: ReportRow
    previous: ReportRow | None
    """The report this one replaced, if any."""
    recipients: Sequence[int]
    """Bureau admins to send the file to."""
    waiting: int = 0
    """The applications this report brought to the bureau's qualification review: those the
    bureau did not have yet. Not those an earlier report brought, nor those that went to the
    bureau one by one as the district approved them after it had reported."""
    qualifiers: Sequence[int] = ()
    """Bureau reviewers, to tell (once, not a card each) that `waiting` applications wait."""
    applicants: Sequence[int] = ()
    """Applicants whose district-approved applications this report brought to the bureau."""


@dataclass(frozen=True)
class ExportMenus:
    """What /export shows one person: the bureau's menu, and one per district and unit role."""

    bureau: Campaign | None
    """The current campaign when the person is a bureau admin."""
    districts: Sequence[DistrictSummary]
    units: Sequence[UnitSummary]


@dataclass(frozen=True)
class BureauMenu:
    campaign: Campaign
    districts: Sequence[DistrictRow]
    district: DistrictRow | None
    """The district chosen so far; None for the whole city."""


# helpers -------------------------------------------------------------------------------


async def _grants(
    uow: UnitOfWork, actor_id: int | None, admin_ids: Iterable[int]
) -> list[Grant] | None:
    """The actor's roles; None for the operator's command line, who may export everything."""
    return None if actor_id is None else await grants_of(uow, actor_id, admin_ids)


async def _campaign(uow: UnitOfWork, campaign_id: int | None) -> Campaign:
    campaigns = uow.campaigns
    campaign = (
        await campaigns.campaign(campaign_id) if campaign_id else await campaigns.current_campaign()
    )
    if campaign is None:
        raise NotFound(t.NO_CAMPAIGN)
    return campaign


def sort_key(app: ApplicationSnapshot) -> tuple[int, str, str, str, int]:
    """Group in the notice's order, then unit, then name: the order of every export."""
    v = app.values
    group = v.get(keys.GROUP) or ""
    return (
        _GROUP_RANK.get(group, len(_GROUP_RANK)),
        app.unit_name,
        v.get(keys.NAME) or "",
        group,
        app.id,
    )


def annex2_row(app: ApplicationSnapshot, note: str = "") -> Annex2Row:
    v = app.values
    return Annex2Row(
        group=v.get(keys.GROUP) or "",
        name=v.get(keys.NAME) or "",
        gender=v.get(keys.GENDER) or "",
        id_number=v.get(keys.ID_NUMBER) or "",
        unit=app.unit_name,
        position=v.get(keys.POSITION) or "",
        title=title_with_level(v),
        contact=v.get(keys.MOBILE) or "",
        note=note,
    )


def annex1_form(app: ApplicationSnapshot, photo: bytes | None) -> Annex1Form:
    v = app.values
    birth = v.get(keys.BIRTH_DATE)
    emergency = v.get(keys.EMERGENCY_EXPERT)
    return Annex1Form(
        group=v.get(keys.GROUP) or "",
        name=v.get(keys.NAME) or "",
        gender=v.get(keys.GENDER) or "",
        ethnicity=v.get(keys.ETHNICITY) or "",
        birth_month=f"{birth:%Y-%m}" if birth else "",
        id_number=v.get(keys.ID_NUMBER) or "",
        photo_jpeg=photo,
        unit=app.unit_name,
        position=v.get(keys.POSITION) or "",
        part_time=v.get(keys.PART_TIME) or "",
        health=v.get(keys.HEALTH) or "",
        education=v.get(keys.EDUCATION) or "",
        title=title_with_level(v),
        school=v.get(keys.SCHOOL) or "",
        major=v.get(keys.MAJOR) or "",
        main_specialties=tuple(v.get(keys.MAIN_SPECIALTIES) or ()),
        familiar_specialties=tuple(v.get(keys.FAMILIAR_SPECIALTIES) or ()),
        unit_address=v.get(keys.UNIT_ADDRESS) or "",
        mobile=v.get(keys.MOBILE) or "",
        home_address=v.get(keys.HOME_ADDRESS) or "",
        office_phone=v.get(keys.OFFICE_PHONE) or "",
        email=v.get(keys.EMAIL) or "",
        emergency_phone=v.get(keys.EMERGENCY_PHONE) or "",
        resume=_resume(v.get(keys.RESUME)),
        filled_on=v.get(keys.FILLED_AT),
        emergency_expert="" if emergency is None else (t.YES if emergency else t.NO),
        relaxation_reason=v.get(keys.RELAXATION_REASON) or "",
    )


def _resume(entries: Iterable[Mapping[str, str]] | None) -> tuple[ResumeEntry, ...]:
    return tuple(
        ResumeEntry(
            start=e.get("start", ""),
            end=e.get("end", ""),
            unit=e.get("unit", ""),
            position=e.get("position", ""),
        )
        for e in entries or ()
    )


# Annex 2 ---------------------------------------------------------------------------------


async def annex2(
    uows: UnitOfWorkFactory,
    request: Annex2Request,
    *,
    actor_id: int | None,
    now: datetime,
    admin_ids: Iterable[int] = (),
    campaign_id: int | None = None,
) -> Annex2Export:
    """Annex 2 rows the person may see for this request, sorted group → unit → name; logged."""
    async with uows() as uow:
        grants = await _grants(uow, actor_id, admin_ids)
        export, target = await _annex2(uow, grants, request, now, campaign_id)
        await audit.record(
            uow,
            actor_id=actor_id,
            action=Access.EXPORT_ANNEX2,
            target=target,
            detail={
                "campaign": export.campaign.id,
                "group": request.group,
                "include_pending": request.include_pending,
                "rows": len(export.rows),
            },
            now=now,
        )
        await uow.commit()
    return export


async def _annex2(
    uow: UnitOfWork,
    grants: Sequence[Grant] | None,
    request: Annex2Request,
    now: datetime,
    campaign_id: int | None,
) -> tuple[Annex2Export, str]:
    """The export and the access log's target for it; neither logs nor commits."""
    selection = authorize_annex2(grants, request)
    campaign = await _campaign(uow, campaign_id)
    if request.group is not None and request.group not in vocab.PROFESSIONAL_GROUPS:
        raise NotFound(t.UNKNOWN_GROUP)
    if selection.unit_id is not None:
        unit = await uow.campaigns.unit(selection.unit_id)
        if unit is None:
            raise NotFound(t.UNKNOWN_UNIT)
        district, file_district, scope = unit.district_name, unit.district_name, unit.name
        target = f"unit:{unit.code}"
    elif selection.district_id is not None:
        row = await uow.campaigns.district(selection.district_id)
        if row is None:
            raise NotFound(t.UNKNOWN_DISTRICT)
        district, file_district, scope = row.name, row.name, row.name
        target = f"district:{row.code}"
    else:
        district, file_district, scope, target = t.ALL_CITY, None, t.ALL_CITY, "all"
    if request.group:
        scope = f"{scope} · {request.group}"
    apps = await uow.applications.export_applications(
        campaign.id,
        statuses=selection.statuses,
        district_id=selection.district_id,
        unit_id=selection.unit_id,
        group=selection.group,
    )
    apps = sorted(apps, key=sort_key)
    rows = [annex2_row(a, t.PENDING_NOTE if a.status in selection.pending else "") for a in apps]
    pending = sum(1 for r in rows if r.note)
    export = Annex2Export(
        rows, district, file_district, scope, local(now).date(), pending, campaign
    )
    return export, target


# the full export -----------------------------------------------------------------------------

_FIELDS = tuple(f for f in FIELDS if f.key != keys.ID_CONFIRMED)
FULL_HEADERS: tuple[str, ...] = (
    t.FULL_HEADERS_BEFORE + tuple(f.label for f in _FIELDS) + t.FULL_HEADERS_DERIVED + t.FULL_HEADERS_AFTER
)


def full_row(app: ApplicationSnapshot, times: Mapping[str, datetime]) -> tuple[object, ...]:
    """Every field of one application, its state, place, flags and the time of each decision."""
    v = app.values
    answers = tuple(
        _resume(v.get(f.key)) if f.key == keys.RESUME else _list(v.get(f.key)) for f in _FIELDS
    )
    bureau = [times[s.value] for s in BUREAU_DECIDED if s.value in times]
    return (
        app.id,
        app.campaign.name,
        t.STATUS.get(app.status.value, app.status.value),
        app.district_name,
        app.unit_name,
        app.unit_confirmed,
        *answers,
        v.get(keys.GENDER),
        v.get(keys.BIRTH_DATE),
        v.get(keys.FILLED_AT),
        v.get(keys.SIGNATURE),
        "；".join(t.FLAG_SHORT.get(f, f) for f in app.flags),
        app.return_reason,
        times.get(Status.SUBMITTED.value) or app.submitted_at,
        times.get(Status.UNIT_APPROVED.value),
        times.get(Status.DISTRICT_APPROVED.value),
        times.get(Status.RETURNED.value),
        times.get(Status.DECLINED.value),
        times.get(Status.WITHDRAWN.value),
        max(bureau) if bureau else None,
        app.updated_at,
    )


def _list(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


async def full_export(
    uows: UnitOfWorkFactory,
    *,
    actor_id: int | None,
    now: datetime,
    admin_ids: Iterable[int] = (),
    campaign_id: int | None = None,
    district_id: int | None = None,
    group: str | None = None,
) -> FullExport:
    """One row per submitted application with every field: the bureau's alone; logged."""
    async with uows() as uow:
        authorize_full(await _grants(uow, actor_id, admin_ids))
        campaign = await _campaign(uow, campaign_id)
        apps = sorted(
            await uow.applications.export_applications(
                campaign.id, statuses=REVIEWER_VISIBLE, district_id=district_id, group=group
            ),
            key=lambda a: (a.district_id, *sort_key(a)),
        )
        times = await uow.applications.decision_times(campaign.id)
        rows = [full_row(a, times.get(a.id, {})) for a in apps]
        await audit.record(
            uow,
            actor_id=actor_id,
            action=Access.EXPORT_FULL,
            target="all" if district_id is None else f"district_id:{district_id}",
            detail={"campaign": campaign.id, "group": group, "rows": len(rows)},
            now=now,
        )
        await uow.commit()
    return FullExport(FULL_HEADERS, rows, local(now).date())


# Annex 1 ----------------------------------------------------------------------------------


async def annex1(
    uows: UnitOfWorkFactory,
    app_id: int | None,
    *,
    actor_id: int | None,
    now: datetime,
    admin_ids: Iterable[int] = (),
) -> Annex1Export:
    """One application's form: for its applicant once submitted, its reviewers, the bureau.

    `app_id` None: the actor's own newest submitted application (/download).
    """
    async with uows() as uow:
        if app_id is None:
            app_id = await _own_latest(uow, actor_id)
        app = await uow.applications.application(app_id)
        own = app is not None and actor_id is not None and app.person_id == actor_id
        grants = await _grants(uow, actor_id, admin_ids)
        allowed = app is not None and (
            grants is None
            or own
            or may_view(grants, district_id=app.district_id, unit_id=app.unit_id)
        )
        if app is None or not allowed:
            log.warning("annex 1 of application %s refused to %s", app_id, actor_id)
            raise NotAllowed(t.UNKNOWN_APPLICATION)
        if app.status is Status.DRAFT:
            raise NotAllowed(t.DRAFT_NOT_DOWNLOADABLE)
        form = annex1_form(app, await uow.applications.photo(app.id))
        await audit.record(
            uow,
            actor_id=actor_id,
            action=Access.DOWNLOAD_ANNEX1,
            target=f"application:{app.id}",
            detail={"own": own},
            now=now,
        )
        await uow.commit()
    return Annex1Export(app.id, form)


async def _own_latest(uow: UnitOfWork, person_id: int | None) -> int:
    """The applicant's newest submitted application, for /download without a number."""
    if person_id is not None:
        for app in await uow.applications.applications_of(person_id):
            if app.status is not Status.DRAFT:
                return app.id
    raise NotFound(t.NOTHING_TO_DOWNLOAD)


async def annex1_archive(
    uows: UnitOfWorkFactory,
    district_id: int,
    *,
    actor_id: int | None,
    now: datetime,
    admin_ids: Iterable[int] = (),
    campaign_id: int | None = None,
    include_pending: bool = False,
) -> tuple[str, Sequence[Annex1Export]]:
    """The district's name and every form of its batch (as in its Annex 2), in export order."""
    selection = authorize_annex2(
        None, Annex2Request(district_id=district_id, include_pending=include_pending)
    )
    async with uows() as uow:
        authorize_district(await _grants(uow, actor_id, admin_ids), district_id)
        district = await uow.campaigns.district(district_id)
        if district is None:
            raise NotFound(t.UNKNOWN_DISTRICT)
        campaign = await _campaign(uow, campaign_id)
        apps = sorted(
            await uow.applications.export_applications(
                campaign.id, statuses=selection.statuses, district_id=district_id
            ),
            key=sort_key,
        )
        forms = [Annex1Export(a.id, annex1_form(a, await uow.applications.photo(a.id))) for a in apps]
        await audit.record(
            uow,
            actor_id=actor_id,
            action=Access.EXPORT_ANNEX1_ARCHIVE,
            target=f"district:{district.code}",
            detail={"campaign": campaign.id, "include_pending": include_pending, "rows": len(forms)},
            now=now,
        )
        await uow.commit()
    return district.name, forms


# menus and reports ------------------------------------------------------------------------


async def export_menus(
    uows: UnitOfWorkFactory, actor_id: int, admin_ids: Iterable[int] = (), *, now: datetime
) -> ExportMenus:
    """Every export menu the person's roles give: the bureau's, each district's (whether it may
    still report, at `now`), each unit's."""
    districts: list[DistrictSummary] = []
    units: list[UnitSummary] = []
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admin_ids)
        campaign = None
        if is_bureau(grants):
            campaign = await _campaign(uow, None)
        for g in grants:
            if g.role is RoleKind.DISTRICT and g.district_id:
                districts.append(await _district_summary(uow, grants, g.district_id, now))
            elif g.role is RoleKind.UNIT and g.unit_id:
                units.append(await _unit_summary(uow, grants, g.unit_id))
    return ExportMenus(campaign, districts, units)


async def bureau_menu(
    uows: UnitOfWorkFactory, actor_id: int, admin_ids: Iterable[int], district_id: int | None
) -> BureauMenu:
    """The bureau's export menu, with the districts to choose from and the one chosen."""
    async with uows() as uow:
        if not is_bureau(await grants_of(uow, actor_id, admin_ids)):
            raise NotAllowed(t.NOT_YOUR_SCOPE)
        campaign = await _campaign(uow, None)
        district = await uow.campaigns.district(district_id) if district_id else None
        return BureauMenu(campaign, await uow.campaigns.districts(), district)


async def _district_summary(
    uow: UnitOfWork, grants: Sequence[Grant], district_id: int, now: datetime
) -> DistrictSummary:
    authorize_district(grants, district_id)
    campaign = await _campaign(uow, None)
    district = await uow.campaigns.district(district_id)
    if district is None:
        raise NotFound(t.UNKNOWN_DISTRICT)
    counts = await _counts(uow, campaign.id, Annex2Request(district_id=district_id))
    reports = await uow.campaigns.reports(campaign.id, district_id)
    return DistrictSummary(
        district_id,
        district.name,
        campaign,
        *counts,
        reports[0] if reports else None,
        now > campaign.district_deadline,
    )


async def _unit_summary(uow: UnitOfWork, grants: Sequence[Grant], unit_id: int) -> UnitSummary:
    authorize_annex2(grants, Annex2Request(unit_id=unit_id))
    campaign = await _campaign(uow, None)
    unit = await uow.campaigns.unit(unit_id)
    if unit is None:
        raise NotFound(t.UNKNOWN_UNIT)
    counts = await _counts(uow, campaign.id, Annex2Request(unit_id=unit_id))
    return UnitSummary(unit_id, unit.name, campaign, *counts)


async def _counts(uow: UnitOfWork, campaign_id: int, request: Annex2Request) -> tuple[int, int]:
    """(recommended, in review) for the request's scope, as the operator sees them."""
    selection = authorize_annex2(None, replace(request, include_pending=True))
    apps = await uow.applications.export_applications(
        campaign_id,
        statuses=selection.statuses,
        district_id=selection.district_id,
        unit_id=selection.unit_id,
    )
    pending = sum(1 for a in apps if a.status in selection.pending)
    return len(apps) - pending, pending


def _check_reporter(grants: Sequence[Grant], district_id: int, campaign: Campaign, now: datetime) -> None:
    if not may_report(grants, district_id):
        raise NotAllowed(t.REPORT_ONLY_DISTRICT)
    if now > campaign.district_deadline:
        raise DeadlinePassed(
            t.REPORT_DEADLINE_PASSED.format(deadline=format_local(campaign.district_deadline))
        )


async def report_previews(
    uows: UnitOfWorkFactory,
    actor_id: int,
    now: datetime,
    *,
    admin_ids: Iterable[int] = (),
    district_id: int | None = None,
) -> Sequence[DistrictSummary]:
    """What each of the person's districts would report (or only `district_id`'s).

    Refuses early what `report_batch` would refuse.
    """
    previews: list[DistrictSummary] = []
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admin_ids)
        if district_id is None:
            wanted = [g.district_id for g in grants if g.role is RoleKind.DISTRICT and g.district_id]
        else:
            wanted = [district_id]
        for d in wanted:
            summary = await _district_summary(uow, grants, d, now)
            _check_reporter(grants, d, summary.campaign, now)
            previews.append(summary)
    if not previews:
        raise NotAllowed(t.REPORT_ONLY_DISTRICT)
    return previews


async def report_batch(
    uows: UnitOfWorkFactory,
    district_id: int,
    *,
    actor_id: int,
    now: datetime,
    admin_ids: Iterable[int] = (),
    replaces: int | None = None,
) -> Report:
    """Records the district's report (replacing an earlier one) and returns its Annex 2.

    `replaces` is the id of the report the confirmation was asked over (0: none yet): when
    another report came since, as a second press of the same 确认上报 finds, nothing is
    reported twice and the refusal says who reported when.

    Only the district's own reviewers report, and only until the district
    deadline. The Annex 2 holds district-approved rows only. From now on the
    district's district-approved applications wait for the bureau's qualification
    review (`bot.domain.review.waits_at`); the applicants of those that were waiting
    for this report are named, to be told.
    """
    admins = list(admin_ids)
    async with uows() as uow:
        grants = await grants_of(uow, actor_id, admins)
        campaign = await _campaign(uow, None)
        _check_reporter(grants, district_id, campaign, now)
        # One report of a district at a time: a second 确认上报 pressed at the same moment waits
        # here, then finds the first and is refused like a second press.
        await uow.campaigns.lock_reports(district_id)
        reports = await uow.campaigns.reports(campaign.id, district_id)
        previous = [r for r in reports if not r.replaced]
        if replaces is not None and replaces != (previous[0].id if previous else 0):
            raise AlreadyHandled(
                t.REPORT_ALREADY.format(
                    who=await uow.people.person_name(previous[0].reported_by) or t.SOMEONE,
                    when=format_local(previous[0].reported_at),
                    rows=previous[0].row_count,
                )
                if previous
                else t.REPORT_STALE
            )
        export, target = await _annex2(
            uow, grants, Annex2Request(district_id=district_id), now, campaign.id
        )
        applicants = await uow.applications.awaiting_report(campaign.id, district_id)
        row = await uow.campaigns.add_report(
            campaign_id=campaign.id,
            district_id=district_id,
            reported_by=actor_id,
            row_count=len(export.rows),
            now=now,
        )
        await audit.record(
            uow,
            actor_id=actor_id,
            action=Access.REPORT_BATCH,
            target=target,
            detail={"campaign": campaign.id, "rows": len(export.rows), "replaced": bool(previous)},
            now=now,
        )
        admins += await uow.people.reviewer_ids(Grant(role=RoleKind.BUREAU))
        qualifiers = await uow.people.reviewer_ids(Grant(role=RoleKind.BUREAU_REVIEWER))
        await uow.commit()
    return Report(
        export,
        row,
        previous[0] if previous else None,
        list(dict.fromkeys(admins)),
        len(applicants),
        qualifiers,
        applicants,
    )


async def district_id_of(uows: UnitOfWorkFactory, code: str) -> int | None:
    """The id of the district with this code, for the command line's --district."""
    async with uows() as uow:
        row = await uow.campaigns.district_by_code(code)
    return None if row is None else row.id


def archive_filename(district: str, day: date) -> str:
    """附件1_推荐表汇总_<district>_<YYYYMMDD>.zip: a district and a day, no personal data."""
    safe = "".join(c for c in district if c.isalnum()) or "_"
    return f"附件1_推荐表汇总_{safe}_{day:%Y%m%d}.zip"
