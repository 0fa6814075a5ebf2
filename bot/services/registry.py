"""Use cases of the expert database after qualification: the joint meeting's batch, publicity,
objections, and appointment with a certificate and a five-year term (notice § 四).

All of it is the bureau admin's (`by=None`: the operator's command line). A
batch is recorded once and never changed: a correction is a new batch naming
the one it corrects, and only the latest of a chain counts. Every move of an
application goes through the workflow's table and is audited like a review
decision; what people are told goes through the reminder outbox, in the same
transaction, so it is sent exactly once after the commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.clock import local
from bot.domain import keys
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.errors import AlreadyHandled, NotAllowed, NotFound
from bot.domain.exports import Access, is_bureau
from bot.domain.registry import (
    SERVING,
    Standing,
    Term,
    certificate_number,
    check_certificate_format,
    formats_clash,
    in_force,
    made_by,
    series_of,
    term_end,
)
from bot.domain.reminders import Notice, NoticeKind
from bot.domain.review import Grant, RoleKind, scope_of
from bot.domain.workflow import Action, Actor, Status, next_status
from bot.services.draw_ports import InvitationRow, RequestRow, WorkSummary
from bot.services.ports import DistrictRow
from bot.services.registry_ports import (
    BatchRow,
    ExpertFilter,
    ExpertListRow,
    ObjectionRow,
    PublicityRow,
)
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.services.roles import grants_of
from bot.texts import registry as t

REFERENCE_MAX = 100


async def bureau_actor(uow: UnitOfWork, by: int | None, admin_ids: Iterable[int]) -> str:
    """Refuses anyone but a bureau admin (`by=None`: the trusted command line); the actor's
    name for the audit trail. In an open unit of work."""
    if by is None:
        return t.COMMAND_LINE
    if not is_bureau(await grants_of(uow, by, admin_ids)):
        raise NotAllowed(t.NOT_BUREAU)
    return await uow.people.person_name(by)


async def _move(
    uow: UnitOfWork,
    app: ApplicationSnapshot,
    action: Action,
    *,
    by: int | None,
    actor_name: str,
    note: str | None,
    now: datetime,
) -> Status:
    after = next_status(app.status, Actor.BUREAU, action)
    if after is None:
        raise NotAllowed(
            t.WRONG_STATE.format(app_id=app.id, status=t.STATUS.get(app.status, app.status))
        )
    values: dict[str, object] = {"status": after.value}
    if action is Action.NOT_ACCEPT:
        values["return_reason"] = note
    if not await uow.applications.update_application(app.id, app.version, values, now):
        raise AlreadyHandled(t.CHANGED_ELSEWHERE)
    await uow.applications.add_event(
        app_id=app.id,
        actor_id=by,
        actor_name=actor_name,
        action=action.value,
        from_status=app.status.value,
        to_status=after.value,
        note=note,
        now=now,
    )
    return after


async def _counting_batch(uow: UnitOfWork, batch_id: int) -> BatchRow:
    batch = await uow.registry.batch(batch_id)
    if batch is None:
        raise NotFound(t.BATCH_NOT_FOUND.format(batch_id=batch_id))
    if batch.corrected_by_id is not None:
        raise NotAllowed(t.BATCH_CORRECTED.format(batch_id=batch_id, by=batch.corrected_by_id))
    return batch


async def _application(uow: UnitOfWork, app_id: int) -> ApplicationSnapshot:
    app = await uow.applications.application(app_id)
    if app is None:
        raise NotFound(t.APPLICATION_NOT_FOUND.format(app_id=app_id))
    return app


# the campaign's certificate numbers ---------------------------------------------------------------


@dataclass(frozen=True)
class CertificateFormat:
    campaign: Campaign
    template: str
    example: str
    """The first number of this year, as the format makes it."""


async def set_certificate_format(
    uows: UnitOfWorkFactory,
    template: str,
    *,
    campaign_id: int | None = None,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> CertificateFormat:
    """Sets how the campaign's certificates are numbered from now on (the current campaign by
    default). A number is never given twice, so the format is refused when it could make a
    number already given (unless its own counter is past it) or one that another campaign's
    format could make from its own counter; numbers already given stay as they are."""
    template = template.strip()
    try:
        check_certificate_format(template)
    except ValueError as wrong:
        raise NotAllowed(str(wrong)) from None
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        campaign = await (
            uow.campaigns.current_campaign()
            if campaign_id is None
            else uow.campaigns.campaign(campaign_id)
        )
        if campaign is None:
            raise NotFound(t.NO_CAMPAIGN)
        for other_id, other in (await uow.registry.certificate_formats()).items():
            if other_id != campaign.id and formats_clash(template, other):
                raise NotAllowed(t.FORMAT_CLASHES.format(campaign_id=other_id, other=other))
        counters = await uow.registry.certificate_counters()
        for given in await uow.registry.certificate_numbers():
            made = made_by(template, given)
            if made and counters.get(series_of(template, made[0]), 0) < made[1]:
                raise NotAllowed(t.FORMAT_REUSES.format(number=given))
        await uow.registry.set_certificate_format(campaign.id, template)
        await uow.commit()
    return CertificateFormat(campaign, template, certificate_number(template, local(now).year, 1))


# what the bureau admin sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class BatchView:
    batch: BatchRow
    window: PublicityRow | None
    apps: Sequence[ApplicationSnapshot]
    open_objections: Sequence[ObjectionRow]

    def waiting(self) -> Sequence[ApplicationSnapshot]:
        """Confirmed and not yet appointed."""
        return [a for a in self.apps if a.status is Status.CONFIRMED]


@dataclass(frozen=True)
class Overview:
    campaign: Campaign
    qualified: Sequence[ApplicationSnapshot]
    batches: Sequence[BatchView]
    """The batches that count (a corrected one is left out), oldest first."""
    appointed: int

    def offered(self, corrects: int | None) -> list[ApplicationSnapshot]:
        """What a new batch may name: for a correction, what the corrected batch still
        confirms; and the qualified applications."""
        kept = [a for b in self.batches if b.batch.id == corrects for a in b.waiting()]
        return [*kept, *self.qualified]


async def overview(
    uows: UnitOfWorkFactory, *, by: int | None, admin_ids: Iterable[int] = ()
) -> Overview:
    """The current campaign after qualification: who waits for the meeting, each batch."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        campaign = await uow.campaigns.current_campaign()
        if campaign is None:
            raise NotFound(t.NO_CAMPAIGN)
        qualified = await uow.applications.applications_in(campaign.id, [Status.QUALIFIED.value])
        views = []
        for batch_id in await uow.registry.batches(campaign.id):
            view = await _view(uow, batch_id)
            if view is not None:
                views.append(view)
        counts = await uow.applications.status_counts(
            scope_of([Grant(role=RoleKind.BUREAU)]), campaign.id
        )
    return Overview(campaign, qualified, views, counts.get(Status.ACCEPTED.value, 0))


async def batch_view(
    uows: UnitOfWorkFactory, *, batch_id: int, by: int | None, admin_ids: Iterable[int] = ()
) -> BatchView:
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        await _counting_batch(uow, batch_id)
        view = await _view(uow, batch_id)
    assert view is not None
    return view


async def _view(uow: UnitOfWork, batch_id: int) -> BatchView | None:
    batch = await uow.registry.batch(batch_id)
    if batch is None or batch.corrected_by_id is not None:
        return None
    window = await uow.registry.publicity_of(batch_id)
    found = await uow.applications.applications(batch.app_ids)
    apps = [found[a] for a in batch.app_ids if a in found]
    waiting = {a.id for a in apps if a.status is Status.CONFIRMED}
    return BatchView(batch, window, apps, await _open_objections(uow, batch, waiting))


async def _chain(uow: UnitOfWork, batch: BatchRow) -> list[BatchRow]:
    """The batch and the batches it corrects, newest first."""
    chain = [batch]
    while chain[-1].corrects_id is not None:
        earlier = await uow.registry.batch(chain[-1].corrects_id)
        if earlier is None:
            break
        chain.append(earlier)
    return chain


async def _open_objections(
    uow: UnitOfWork, batch: BatchRow, waiting: Collection[int]
) -> list[ObjectionRow]:
    """Undecided objections against people the batch still confirms (`waiting`), received in
    its publicity or in that of a batch it corrects: a correction carries them over, so they
    are decided before anyone is appointed. One against someone already out of the batch
    holds nobody up (it is closed as moot when they leave)."""
    found = []
    for each in await _chain(uow, batch):
        window = await uow.registry.publicity_of(each.id)
        if window is not None:
            found += [
                o
                for o in await uow.registry.objections(window.id)
                if o.outcome == "open" and o.app_id in waiting
            ]
    return sorted(found, key=lambda o: o.id)


# the joint meeting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedBatch:
    id: int
    reference: str
    confirmed: Sequence[ApplicationSnapshot]
    """Applications this batch confirmed (for a correction: the ones it added)."""
    dropped: Sequence[ApplicationSnapshot]
    """A correction's left-out applications: qualified again, for a later batch."""
    carried: Sequence[int] = ()
    """A correction's open objections against people it keeps: now this batch's to decide."""
    moot: Sequence[int] = ()
    """A correction's open objections against people it left out, closed (无需处理)."""


def check_meeting_day(meeting_on: date, *, now: datetime) -> None:
    """The joint meeting has met when it is recorded: its day is today or before."""
    today = local(now).date()
    if meeting_on > today:
        raise NotAllowed(t.MEETING_IN_FUTURE.format(meeting_on=meeting_on, today=today))


async def record_batch(
    uows: UnitOfWorkFactory,
    *,
    meeting_on: date,
    reference: str,
    app_ids: Sequence[int],
    corrects: int | None = None,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> RecordedBatch:
    """Records the joint meeting's decision: which qualified applications enter (入库确认).
    A correction carries the open objections against the people it keeps (they are decided
    before this batch is appointed) and closes as moot those against the people it leaves out."""
    check_meeting_day(meeting_on, now=now)
    reference = reference.strip()
    if not reference or len(reference) > REFERENCE_MAX:
        raise NotAllowed(t.REFERENCE_NEEDED.format(limit=REFERENCE_MAX))
    wanted = sorted(set(app_ids))
    if not wanted:
        raise NotAllowed(t.BATCH_EMPTY)
    async with uows() as uow:
        actor_name = await bureau_actor(uow, by, admin_ids)
        earlier = await _counting_batch(uow, corrects) if corrects is not None else None
        kept = set(earlier.app_ids) if earlier else set()
        found = await uow.applications.applications([*wanted, *kept])
        missing = [a for a in wanted if a not in found]
        if missing:
            raise NotFound(t.APPLICATION_NOT_FOUND.format(app_id=missing[0]))
        apps = [found[a] for a in wanted]
        campaigns = {a.campaign.id for a in apps}
        if len(campaigns) != 1 or (earlier and earlier.campaign_id not in campaigns):
            raise NotAllowed(t.ONE_CAMPAIGN)
        if earlier is not None and any(
            found[a].status is Status.ACCEPTED for a in earlier.app_ids if a in found
        ):
            raise NotAllowed(t.BATCH_APPOINTED.format(batch_id=earlier.id))
        note = t.BATCH_NOTE.format(reference=reference, meeting_on=meeting_on)
        confirmed = []
        for app in apps:
            if app.id in kept:
                continue
            await _move(uow, app, Action.CONFIRM, by=by, actor_name=actor_name, note=note, now=now)
            confirmed.append(app)
        dropped = []
        for app_id in sorted(kept - set(wanted)):
            app = found[app_id]
            if app.status is not Status.CONFIRMED:  # an upheld objection took them out already
                continue
            await _move(
                uow, app, Action.DROP_FROM_BATCH, by=by, actor_name=actor_name, note=note, now=now
            )
            dropped.append(app)
        batch_id = await uow.registry.add_batch(
            campaign_id=campaigns.pop(),
            meeting_on=meeting_on,
            reference=reference,
            corrects_id=corrects,
            app_ids=wanted,
            recorded_by=by,
            now=now,
        )
        moot = []
        for app in dropped:
            moot += await uow.registry.close_open_objections(
                app.id, t.MOOT_DROPPED.format(corrects=corrects, id=batch_id), by, now
            )
        carried = []
        if earlier is not None:
            recorded = await uow.registry.batch(batch_id)
            assert recorded is not None
            carried = [o.id for o in await _open_objections(uow, recorded, wanted)]
        await uow.commit()
    return RecordedBatch(batch_id, reference, confirmed, dropped, carried, moot)


# publicity ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicityEntry:
    """One line of the publicity list (公示名单): nothing that is not needed to identify them."""

    name: str
    gender: str
    unit: str
    title: str
    group: str


@dataclass(frozen=True)
class Published:
    window: PublicityRow
    entries: Sequence[PublicityEntry]
    reference: str
    """The joint meeting's minutes that confirmed the batch."""


async def open_publicity(
    uows: UnitOfWorkFactory,
    *,
    batch_id: int,
    starts_on: date,
    ends_on: date,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> Published:
    """Opens the batch's publicity window (公示), first and last day inclusive."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        batch = await _counting_batch(uow, batch_id)
        _check_window(batch, starts_on, ends_on)
        if await uow.registry.publicity_of(batch_id) is not None:
            raise AlreadyHandled(t.PUBLICITY_EXISTS.format(batch_id=batch_id))
        publicity_id = await uow.registry.add_publicity(batch_id, starts_on, ends_on, by, now)
        entries = await _entries(uow, batch)
        await uow.commit()
    window = PublicityRow(publicity_id, batch_id, starts_on, ends_on)
    return Published(window, entries, batch.reference)


def _check_window(batch: BatchRow, starts_on: date, ends_on: date) -> None:
    """A window runs forwards and opens on the joint meeting's day or after."""
    if ends_on < starts_on:
        raise NotAllowed(t.WINDOW_BACKWARDS.format(start=starts_on, end=ends_on))
    if starts_on < batch.meeting_on:
        raise NotAllowed(t.WINDOW_BEFORE_MEETING.format(meeting_on=batch.meeting_on))


async def check_publicity_window(
    uows: UnitOfWorkFactory,
    *,
    batch_id: int,
    starts_on: date,
    ends_on: date,
    by: int | None,
    admin_ids: Iterable[int] = (),
) -> None:
    """Whether `open_publicity` would take this window (it checks again), to ask at once."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        batch = await _counting_batch(uow, batch_id)
    _check_window(batch, starts_on, ends_on)


async def publicity_list(
    uows: UnitOfWorkFactory, *, batch_id: int, by: int | None, admin_ids: Iterable[int] = ()
) -> Published:
    """The publicity list of a batch whose window is open or past, to print again."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        batch = await _counting_batch(uow, batch_id)
        window = await uow.registry.publicity_of(batch_id)
        if window is None:
            raise NotFound(t.NO_PUBLICITY.format(batch_id=batch_id))
        return Published(window, await _entries(uow, batch), batch.reference)


async def _entries(uow: UnitOfWork, batch: BatchRow) -> list[PublicityEntry]:
    entries = []
    found = await uow.applications.applications(batch.app_ids)
    for app in (found[a] for a in batch.app_ids if a in found):
        if app.status not in (Status.CONFIRMED, Status.ACCEPTED):
            continue
        v = app.values
        entries.append(
            PublicityEntry(
                name=v.get(keys.NAME) or "",
                gender=v.get(keys.GENDER) or "",
                unit=v.get(keys.UNIT_NAME) or "",
                title=v.get(keys.TITLE) or "",
                group=v.get(keys.GROUP) or "",
            )
        )
    return entries


# objections -----------------------------------------------------------------------------------


async def _window_of(uow: UnitOfWork, app_id: int) -> tuple[BatchRow, PublicityRow]:
    """The counting batch that names the application, and the latest publicity window that
    listed them: its own, or, before a correction has its own, that of the batch it corrects."""
    app = await _application(uow, app_id)
    for batch_id in reversed(await uow.registry.batches(app.campaign.id)):
        batch = await uow.registry.batch(batch_id)
        if batch is None or batch.corrected_by_id is not None or app_id not in batch.app_ids:
            continue
        for each in await _chain(uow, batch):
            window = await uow.registry.publicity_of(each.id)
            if window is not None and app_id in each.app_ids:
                return batch, window
    raise NotAllowed(t.NOT_PUBLISHED.format(app_id=app_id))


def _check_received(window: PublicityRow, received_on: date, today: date) -> None:
    """An objection arrives once the list is published, and by today."""
    if received_on > today:
        raise NotAllowed(t.RECEIVED_IN_FUTURE.format(received_on=received_on, today=today))
    if received_on < window.starts_on:
        raise NotAllowed(
            t.RECEIVED_BEFORE_PUBLICITY.format(received_on=received_on, starts_on=window.starts_on)
        )


async def check_received_day(
    uows: UnitOfWorkFactory,
    *,
    app_id: int,
    received_on: date,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> None:
    """Whether `record_objection` would take this day (it checks again), to ask at once."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        _, window = await _window_of(uow, app_id)
    _check_received(window, received_on, local(now).date())


@dataclass(frozen=True)
class RecordedObjection:
    id: int
    name: str
    """Of the person it is against."""


async def record_objection(
    uows: UnitOfWorkFactory,
    *,
    app_id: int,
    received_on: date,
    summary: str,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> RecordedObjection:
    """An objection (异议) the bureau received against a published person; decided later."""
    summary = summary.strip()
    if not summary:
        raise NotAllowed(t.SUMMARY_NEEDED)
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        app = await _application(uow, app_id)
        if app.status is not Status.CONFIRMED:
            raise NotAllowed(t.NOT_PUBLISHED.format(app_id=app_id))
        _, window = await _window_of(uow, app_id)
        _check_received(window, received_on, local(now).date())
        objection_id = await uow.registry.add_objection(
            publicity_id=window.id,
            app_id=app_id,
            received_on=received_on,
            summary=summary,
            recorded_by=by,
            now=now,
        )
        await uow.commit()
    return RecordedObjection(objection_id, app.values.get(keys.NAME) or "")


@dataclass(frozen=True)
class DecidedObjection:
    app: ApplicationSnapshot
    """The person it was against, as they stand now."""
    moot: tuple[int, ...] = ()
    """Other objections against them closed with it (无需处理): they left the batch."""


async def decide_objection(
    uows: UnitOfWorkFactory,
    *,
    objection_id: int,
    upheld: bool,
    reason: str,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> DecidedObjection:
    """异议成立 takes the person out of the batch (not accepted, with the reason, and they are
    told) and closes the other objections still open against them as moot, so no record stays
    open about someone no longer in it; 不成立 leaves them in."""
    reason = reason.strip()
    if not reason:
        raise NotAllowed(t.REASON_NEEDED)
    async with uows() as uow:
        actor_name = await bureau_actor(uow, by, admin_ids)
        objection = await uow.registry.objection(objection_id)
        if objection is None:
            raise NotFound(t.OBJECTION_NOT_FOUND.format(objection_id=objection_id))
        app = await _application(uow, objection.app_id)
        if objection.outcome in ("open", "moot") and app.status is not Status.CONFIRMED:
            raise NotAllowed(
                t.OBJECTION_MOOT.format(
                    objection_id=objection_id, name=app.values.get(keys.NAME) or f"#{app.id}",
                    status=t.STATUS.get(app.status, app.status),
                )
            )  # fmt: skip
        outcome = "upheld" if upheld else "overruled"
        if not await uow.registry.decide_objection(objection_id, outcome, reason, by, now):
            raise AlreadyHandled(t.OBJECTION_DECIDED.format(objection_id=objection_id))
        if upheld:
            await _move(
                uow, app, Action.NOT_ACCEPT, by=by, actor_name=actor_name, note=reason, now=now
            )
            await uow.campaigns.add_notices(
                [
                    Notice(
                        key=f"o:{objection_id}:{app.person_id}",
                        kind=NoticeKind.REGISTRY,
                        recipient_id=app.person_id,
                        campaign_id=app.campaign.id,
                        app_id=app.id,
                        payload={"what": "not_accepted", "reason": reason},
                    )
                ],
                now,
            )
            moot = await uow.registry.close_open_objections(
                app.id, t.MOOT_UPHELD.format(id=objection_id), by, now
            )
            app = await _application(uow, app.id)
        await uow.commit()
    return DecidedObjection(app, tuple(moot) if upheld else ())


# appointment ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Appointment:
    app_id: int
    person_id: int
    expert_id: int
    name: str
    gender: str
    unit: str
    group: str
    certificate_no: str
    starts_on: date
    ends_on: date


def _check_term_start(window: PublicityRow, term_start: date) -> None:
    """A term starts after the publicity window's last day (so after the joint meeting too:
    a window never opens before it)."""
    if term_start <= window.ends_on:
        raise NotAllowed(
            t.TERM_START_IN_PUBLICITY.format(
                ends_on=window.ends_on, first=window.ends_on + timedelta(days=1)
            )
        )


async def check_term_start(
    uows: UnitOfWorkFactory,
    *,
    batch_id: int,
    term_start: date,
    by: int | None,
    admin_ids: Iterable[int] = (),
) -> BatchView:
    """The batch to appoint, once the typed first day of the term is one `appoint_batch` takes
    (it checks again): refused while the batch has no publicity or the day is inside it."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        await _counting_batch(uow, batch_id)
        view = await _view(uow, batch_id)
    assert view is not None
    if view.window is None:
        raise NotAllowed(t.NO_PUBLICITY.format(batch_id=batch_id))
    _check_term_start(view.window, term_start)
    return view


async def appoint_batch(
    uows: UnitOfWorkFactory,
    *,
    batch_id: int,
    term_start: date,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> Sequence[Appointment]:
    """Appoints (聘任) everyone the batch still confirms, once publicity has closed with no open
    objection: a certificate number, a five-year term, and a message to each expert, their unit
    and their district."""
    async with uows() as uow:
        actor_name = await bureau_actor(uow, by, admin_ids)
        batch = await _counting_batch(uow, batch_id)
        window = await uow.registry.publicity_of(batch_id)
        if window is None:
            raise NotAllowed(t.NO_PUBLICITY.format(batch_id=batch_id))
        if local(now).date() <= window.ends_on:
            raise NotAllowed(t.PUBLICITY_RUNNING.format(ends_on=window.ends_on))
        _check_term_start(window, term_start)
        found = await uow.applications.applications(batch.app_ids)
        waiting = {a.id for a in found.values() if a.status is Status.CONFIRMED}
        if open_ := await _open_objections(uow, batch, waiting):
            ids = "、".join(f"#{o.id}" for o in open_)
            raise NotAllowed(t.OBJECTIONS_OPEN.format(ids=ids))
        template = await uow.registry.certificate_format(batch.campaign_id)
        series = series_of(template, term_start.year)
        appointed = []
        for app in (found[a] for a in batch.app_ids if a in found):
            if app.status is not Status.CONFIRMED:
                continue
            number = await uow.registry.next_certificate_number(series)
            certificate_no = certificate_number(template, term_start.year, number)
            group = app.values.get(keys.GROUP) or ""
            workplace = {
                "district_id": app.district_id, "unit_id": app.unit_id, "unit_name": app.unit_name
            }
            expert = await uow.registry.expert_of(app.person_id)
            if expert is None:
                expert_id = await uow.registry.add_expert(
                    person_id=app.person_id,
                    app_id=app.id,
                    group=group,
                    standing=Standing.APPOINTED.value,
                    now=now,
                    **workplace,
                )
            else:
                moved = await uow.registry.update_expert(
                    expert.id,
                    expert.version,
                    now,
                    application_id=app.id,
                    professional_group=group,
                    standing=Standing.APPOINTED.value,
                    not_renewed_on=None,  # an earlier term's 不予续聘 is not this one's
                    **workplace,
                )
                if not moved:
                    raise AlreadyHandled(t.CHANGED_ELSEWHERE)
                expert_id = expert.id
            await uow.registry.add_expert_event(
                expert_id=expert_id,
                action="appoint",
                from_standing=expert.standing if expert else None,
                to_standing=Standing.APPOINTED.value,
                reason=certificate_no,
                actor_id=by,
                actor_name=actor_name,
                now=now,
            )
            ends_on = term_end(term_start)
            await uow.registry.add_term(
                expert_id=expert_id,
                certificate_no=certificate_no,
                starts_on=term_start,
                ends_on=ends_on,
                batch_id=batch_id,
                appointed_by=by,
                now=now,
            )
            await _move(
                uow, app, Action.ACCEPT, by=by, actor_name=actor_name, note=certificate_no, now=now
            )
            v = app.values
            appointed.append(
                Appointment(
                    app_id=app.id,
                    person_id=app.person_id,
                    expert_id=expert_id,
                    name=v.get(keys.NAME) or "",
                    gender=v.get(keys.GENDER) or "",
                    unit=v.get(keys.UNIT_NAME) or "",
                    group=group,
                    certificate_no=certificate_no,
                    starts_on=term_start,
                    ends_on=ends_on,
                )
            )
        if not appointed:
            raise NotAllowed(t.NOBODY_TO_APPOINT.format(batch_id=batch_id))
        notices = await _appointment_notices(uow, batch, appointed, found)
        await uow.campaigns.add_notices(notices, now)
        await uow.documents.add_access(
            actor_id=by,
            action=Access.EXPORT_CERTIFICATES.value,
            target=f"batch:{batch_id}",
            detail={"experts": [a.expert_id for a in appointed]},
            now=now,
        )
        await uow.commit()
    return appointed


async def _appointment_notices(
    uow: UnitOfWork,
    batch: BatchRow,
    appointed: Sequence[Appointment],
    apps: dict[int, ApplicationSnapshot],
) -> list[Notice]:
    """Each expert hears of their appointment; each unit and district reviewer once, with the
    names of their experts (reviewers read once per district and unit)."""
    notices = [
        Notice(
            key=f"a:{batch.id}:{a.person_id}",
            kind=NoticeKind.REGISTRY,
            recipient_id=a.person_id,
            campaign_id=batch.campaign_id,
            app_id=a.app_id,
            payload={
                "what": "appointed",
                "certificate_no": a.certificate_no,
                "group": a.group,
                "starts_on": a.starts_on.isoformat(),
                "ends_on": a.ends_on.isoformat(),
            },
        )
        for a in appointed
    ]
    district_reviewers: dict[int, Sequence[int]] = {}
    unit_reviewers: dict[int, Sequence[int]] = {}
    names: dict[int, list[str]] = {}
    for a in appointed:
        app = apps[a.app_id]
        if app.district_id not in district_reviewers:
            district_reviewers[app.district_id] = await uow.people.district_reviewers(
                app.district_id
            )
        told = list(district_reviewers[app.district_id])
        if app.unit_id is not None and app.unit_confirmed:
            if app.unit_id not in unit_reviewers:
                unit_reviewers[app.unit_id] = await uow.people.unit_reviewers(app.unit_id)
            told += unit_reviewers[app.unit_id]
        for person_id in dict.fromkeys(told):
            names.setdefault(person_id, []).append(a.name)
    notices += [
        Notice(
            key=f"a:{batch.id}:r{person_id}",
            kind=NoticeKind.REGISTRY,
            recipient_id=person_id,
            campaign_id=batch.campaign_id,
            payload={"what": "appointed_list", "names": people, "reference": batch.reference},
        )
        for person_id, people in names.items()
    ]
    return notices


# the registry -----------------------------------------------------------------------------------

EXPERTS_PAGE = 10


@dataclass(frozen=True)
class ExpertsPage:
    rows: Sequence[ExpertListRow]
    total: int
    page: int
    what: ExpertFilter
    district: str | None = None
    """The name of the district filtered by, if any."""
    districts: Sequence[DistrictRow] = ()
    """Every district, when asked for (to choose one)."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // EXPERTS_PAGE))


def with_term_in_force(
    row: ExpertListRow, terms: Sequence[Term], today: date
) -> tuple[ExpertListRow, Term | None]:
    """`row` with the term in force `today` in place of the latest, for an expert in service,
    and the term decided to follow it (an early 续聘), if any; anyone else's row as it is."""
    if Standing(row.standing) not in SERVING or (held := in_force(terms, today)) is None:
        return row, None
    term, after = held.current, held.next
    shown = replace(
        row, certificate_no=term.certificate_no, starts_on=term.starts_on, ends_on=term.ends_on,
        ended_on=term.ended_on, renewed_to=after.ends_on if after else None,
    )  # fmt: skip
    return shown, after


async def in_force_rows(
    uow: UnitOfWork, rows: Sequence[ExpertListRow], today: date
) -> list[ExpertListRow]:
    """The rows as people read them: after an early 续聘 the term in force, not the one to
    come, with the renewal noted (the certificate on paper is the term in force's)."""
    terms = await uow.registry.terms_of_experts(
        [r.expert_id for r in rows if Standing(r.standing) in SERVING]
    )
    return [with_term_in_force(r, terms.get(r.expert_id, ()), today)[0] for r in rows]


async def experts_page(
    uows: UnitOfWorkFactory,
    *,
    what: ExpertFilter,
    page: int = 0,
    with_districts: bool = False,
    by: int | None,
    admin_ids: Iterable[int] = (),
    today: date,
) -> ExpertsPage:
    """A page of the registry for /experts (the handler masks contact data); `with_districts`
    adds every district, to filter by. The filters by term end read the latest term (one
    renewed early is not due); the rows show the term in force."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        rows, total = await uow.registry.experts(
            what, limit=EXPERTS_PAGE, offset=max(page, 0) * EXPERTS_PAGE
        )
        rows = await in_force_rows(uow, rows, today)
        district = await uow.campaigns.district(what.district_id) if what.district_id else None
        districts = await uow.campaigns.districts() if with_districts else ()
    return ExpertsPage(
        rows, total, max(page, 0), what, district.name if district else None, districts
    )


async def registry_rows(
    uows: UnitOfWorkFactory,
    *,
    what: ExpertFilter | None = None,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> Sequence[ExpertListRow]:
    """Every expert for the registry export (入库专家名册), with contact data; logged."""
    async with uows() as uow:
        await bureau_actor(uow, by, admin_ids)
        what = what or ExpertFilter()
        rows, _ = await uow.registry.experts(what)
        rows = await in_force_rows(uow, rows, local(now).date())
        await uow.documents.add_access(
            actor_id=by,
            action=Access.EXPORT_REGISTRY.value,
            target="registry",
            detail={
                "rows": len(rows),
                "search": what.search,
                "group": what.group,
                "district": what.district_id,
                "standing": what.standing,
                "ends_from": what.ends_from and what.ends_from.isoformat(),
                "ends_to": what.ends_to and what.ends_to.isoformat(),
                "undecided": what.undecided,
            },
            now=now,
        )
        await uow.commit()
    return rows


@dataclass(frozen=True)
class MyEntry:
    """What /me says: the person's entry in the registry and a withdrawal they asked for."""

    row: ExpertListRow
    """In service: with the term in force (not a renewal still to come); else the last held."""
    withdrawal_reason: str | None = None
    """申请退出 waiting for the bureau's confirmation (the expert is still in service)."""
    not_renewed_on: date | None = None
    """不予续聘 decided: the expert serves to the term's last day."""
    next_term: Term | None = None
    """续聘 decided before the term's end: the term that follows it."""
    invitations: tuple[HeldInvitation, ...] = ()
    """In service: the invitations that hold their days from today on (invited or accepted),
    the earliest work first."""
    work: Sequence[tuple[int, WorkSummary]] = ()
    """Drawn work the using units recorded, per year: what the yearly evaluation weighs."""

    @property
    def serving(self) -> bool:
        return Standing(self.row.standing) in SERVING


@dataclass(frozen=True)
class HeldInvitation:
    invitation: InvitationRow
    request: RequestRow


async def my_expert(
    uows: UnitOfWorkFactory, *, person_id: int, today: date
) -> MyEntry | None:
    """The person's own entry in the registry, for /me; None when they never were an expert.
    The registry lists the latest term, which after an early 续聘 starts after `today`: an
    expert in service is shown the term in force and the next one."""
    async with uows() as uow:
        rows, _ = await uow.registry.experts(ExpertFilter(person_id=person_id), limit=1)
        expert = await uow.registry.expert_of(person_id) if rows else None
        if not rows or expert is None:
            return None
        terms = await uow.registry.terms_of(expert.id)
        held = []
        if Standing(expert.standing) in SERVING:
            for invitation in await uow.draws.holding(expert.id, today):
                request = await uow.draws.request(invitation.request_id)
                assert request is not None
                held.append(HeldInvitation(invitation, request))
        work = await uow.draws.work_years(expert.id)
    held.sort(key=lambda h: (h.request.days[0], h.invitation.id))
    row, after = with_term_in_force(rows[0], terms, today)
    return MyEntry(
        row, expert.withdrawal_reason, expert.not_renewed_on, after, tuple(held), work
    )


async def my_certificate(
    uows: UnitOfWorkFactory, *, person_id: int, now: datetime
) -> ExpertListRow | None:
    """The expert's own entry, to print their certificate from, while in service (a former
    expert's would show a term they no longer hold): the term in force, as /me gives its number
    (after an early 续聘, the new certificate once its term has begun); the download is logged."""
    async with uows() as uow:
        rows, _ = await uow.registry.experts(ExpertFilter(person_id=person_id), limit=1)
        if not rows:
            return None
        if Standing(rows[0].standing) not in SERVING:
            raise NotAllowed(
                t.CERTIFICATE_FORMER.format(standing=t.STANDING.get(rows[0].standing, ""))
            )
        rows = await in_force_rows(uow, rows, local(now).date())
        await uow.documents.add_access(
            actor_id=person_id,
            action=Access.DOWNLOAD_CERTIFICATE.value,
            target=f"expert:{rows[0].expert_id}",
            detail={"certificate": rows[0].certificate_no},
            now=now,
        )
        await uow.commit()
    return rows[0]
