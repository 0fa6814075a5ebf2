"""Use cases of the applicant: consent, start, answer field by field, submit, withdraw.

Each use case opens one unit of work, loads one snapshot, decides in plain
Python, writes once with a conditional update on the version and commits:
the answer is durable before the bot replies, and a concurrent write is
noticed instead of overwritten. It returns what the handler shows once the
unit of work is closed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot.clock import format_local, local
from bot.domain import keys
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.errors import AlreadyHandled, DeadlinePassed, DomainError, NotAllowed, NotFound
from bot.domain.form import (
    BY_KEY,
    OVERLONG_TEXT,
    Field,
    Kind,
    ParseContext,
    add_to_list,
    continues_overlong,
    continues_resume,
    first_missing,
    flags_of,
    next_field,
    previous_field,
)
from bot.domain.idcard import IdNumber
from bot.domain.parsers import MAX_RESUME_ENTRIES, normalize, parse_mobile, parse_unit_name
from bot.domain.registry import Standing, in_force, may_apply
from bot.domain.review import Grant, Stage, answer_snapshot
from bot.domain.vocab import find_districts as districts_named
from bot.domain.workflow import EDITABLE, Action, Actor, Status, next_status
from bot.services.ports import DistrictRow, UnitRow
from bot.services.privacy import record_consent_given
from bot.services.review import Onward, Waiting, onward, pending_count, stage_of
from bot.services.roles import grants_of
from bot.texts import chat as t

if TYPE_CHECKING:
    from bot.services.repositories import UnitOfWork, UnitOfWorkFactory

CONSENT_VERSION = "2026.1"
STATUS_SHOWN = 5
"""Applications /status shows, newest first."""


# results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """Where the applicant stands after a change."""

    app: ApplicationSnapshot
    field: Field | None
    """The field to ask now; None means the summary card."""
    raised: tuple[str, ...] = ()
    """Eligibility flags that this change raised."""
    asked: Field | None = None
    """The field a typed answer was given to, for confirming it (masked phone, deleted ID message)."""


@dataclass(frozen=True)
class ConsentNeeded:
    """The person has not agreed to the current notice: show it with its buttons."""

    campaign: Campaign
    version: str


@dataclass(frozen=True)
class Resumed:
    """The person's live application, to continue where its cursor is (or to show its state)."""

    app: ApplicationSnapshot
    stage: Stage | None = None
    """Where it stands beyond its state (`bot.services.review.stage_of`)."""
    link_unit: UnitRow | None = None
    """The unit of the link the person opened, when it is not the application's and the form
    may still be changed: the person is offered to move the application there."""


@dataclass(frozen=True)
class Started:
    """A draft just opened for the chosen unit."""

    app: ApplicationSnapshot


@dataclass(frozen=True)
class ChooseDistrict:
    """No application yet: the district comes first."""

    districts: Sequence[DistrictRow]
    link_invalid: bool = False
    """The unit link did not name a unit: say so before the list."""


@dataclass(frozen=True)
class AlreadyExpert:
    """A current expert is not asked to apply again in a yearly top-up call (征集补选): told
    their certificate number and term instead, before any consent or campaign check."""

    certificate_no: str
    starts_on: date
    ends_on: date
    withdrawal_asked: bool = False
    """申请退出 waits for the bureau: still in service until it confirms."""
    due: bool = False
    """The term is over and the bureau has not decided on renewal yet (聘期已满，待续聘)."""
    next_starts_on: date | None = None
    next_ends_on: date | None = None
    """A renewal decided before the term's end (续聘 from 90 days before it): the next term."""


@dataclass(frozen=True)
class ReviewerHome:
    """A person who holds roles: greeted by them, then (if they also apply) their application."""

    grants: Sequence[Grant]
    pending: Waiting | None
    """Applications waiting for their decision; None when they review at no level."""
    applicant: ConsentNeeded | Resumed | None
    """Their own live application as /start shows it to an applicant; None: they do not apply."""
    own_applications: bool = False
    """They have applied, in this campaign or an earlier one: /status and /download show it."""
    expert: AlreadyExpert | None = None
    """They are an expert in service: told so after the roles (and /me), never asked to apply."""


Opening = ConsentNeeded | Resumed | Started | ChooseDistrict | ReviewerHome | AlreadyExpert


@dataclass(frozen=True)
class DistrictSearch:
    query: str
    matches: Sequence[DistrictRow]


@dataclass(frozen=True)
class UnitChoice:
    district: DistrictRow
    units: Sequence[UnitRow]
    query: str = ""
    """What was searched for (normalised), when the units are a search's matches."""


@dataclass(frozen=True)
class NoApplication:
    """The person has no live application: the conversation starts over."""


@dataclass(frozen=True)
class NotEditable:
    """Submitted or closed: only its state is shown."""

    app: ApplicationSnapshot
    stage: Stage | None = None


@dataclass(frozen=True)
class Progress:
    """One of the person's applications as /status shows it."""

    app: ApplicationSnapshot
    stage: Stage | None = None


@dataclass(frozen=True)
class AtCard:
    """Nothing is being asked: the summary card is shown again."""

    app: ApplicationSnapshot
    problem: str = t.AT_CARD_TYPED
    """Why what was sent is not saved."""


@dataclass(frozen=True)
class ResumeExtended:
    """Lines of 工作简历 sent at the card, or just after the résumé to the next question, as a
    computer's Enter sends each line on its own: added to the résumé; the card, or the question
    still asked (`step.field`), is shown again."""

    step: Step
    added: int


@dataclass(frozen=True)
class SaveAndExit:
    """The draft is already saved: the conversation ends until /start."""

    app: ApplicationSnapshot


@dataclass(frozen=True)
class PhotoWanted:
    """The portrait is asked: the handler downloads it, then calls `save_photo` with this snapshot."""

    app: ApplicationSnapshot
    field: Field


@dataclass(frozen=True)
class AskAgain:
    """The answer did not parse: say why and ask the same field again; nothing was written."""

    app: ApplicationSnapshot
    field: Field
    problem: str


@dataclass(frozen=True)
class NotShownYet:
    """The field being asked was stored as the next one but its question may never have
    reached the person (a crash or a failed send after the commit): show it, take nothing."""

    app: ApplicationSnapshot
    field: Field


Answered = (
    Step
    | NoApplication
    | NotEditable
    | AtCard
    | ResumeExtended
    | SaveAndExit
    | PhotoWanted
    | AskAgain
    | NotShownYet
)


ROWS_REMEMBERED = 10_000
"""Applications whose question state is kept; a forgotten one falls back to its update time."""


class ShownQuestions:
    """Whether the question at an application's cursor reached the person, as this process knows.

    An answer is stored and committed before the next question is sent, so a
    crash (or a failed send) between the two leaves a cursor on a question
    nobody saw; the person's next message must not be taken as its answer.
    Kept in memory, so the hot path writes nothing more: the handler says
    which version it wrote and which version's question it sent. A version
    this process knows nothing of was written either by another process
    since this one started (its question was shown there, as before) or
    before this process started, by one that may have died before showing
    it: that question is shown again, once.
    """

    def __init__(self, started_at: datetime | None, size: int = ROWS_REMEMBERED) -> None:
        """`started_at` None: the process before this one stopped cleanly, having sent every question."""
        self._started_at = started_at
        self._size = size
        self._known: OrderedDict[int, tuple[int, bool]] = OrderedDict()

    def written(self, app: ApplicationSnapshot) -> None:
        """This process committed `app` (its question not sent yet)."""
        self._put(app.id, app.version, False)

    def shown(self, app: ApplicationSnapshot) -> None:
        """The question at `app`'s cursor (or its card) was sent."""
        self._put(app.id, app.version, True)

    def was_shown(self, app: ApplicationSnapshot) -> bool:
        known = self._known.get(app.id)
        if known is not None and known[0] == app.version:
            return known[1]
        if self._started_at is None:
            return True
        return app.updated_at is None or app.updated_at >= self._started_at

    def _put(self, app_id: int, version: int, shown: bool) -> None:
        self._known[app_id] = (version, shown)
        self._known.move_to_end(app_id)
        while len(self._known) > self._size:
            self._known.popitem(last=False)


class OverlongTexts:
    """When each chat last sent a text too long for any answer, as this process saw it.

    Telegram splits a text over its 4,096 characters into messages sent at
    once; the first is refused as too long, and the rest, short enough to
    pass, would be taken as this field's answer (or, had the first been
    taken, the next one's). `continues` says whether a text is such a rest.
    The handler asks it before its first await, so parts that reach it in
    order are told apart; it touches no storage, so an ordinary answer costs
    a dict lookup. Kept per process: with several (REDIS_URL), parts handled
    by different processes are not recognised.
    """

    def __init__(self, size: int = ROWS_REMEMBERED) -> None:
        self._size = size
        self._sent: OrderedDict[int, datetime] = OrderedDict()

    def continues(self, chat_id: int, sent_at: datetime, length: int) -> bool:
        """Whether this text is the rest of an over-long one; remembers it if it may have a rest."""
        rest = continues_overlong(self._sent.get(chat_id), sent_at)
        if rest or length >= OVERLONG_TEXT:
            self._sent[chat_id] = sent_at
            self._sent.move_to_end(chat_id)
            while len(self._sent) > self._size:
                self._sent.popitem(last=False)
        elif chat_id in self._sent:
            del self._sent[chat_id]
        return rest


@dataclass(frozen=True)
class Submitted:
    """A submission, and where it goes: the card for its reviewers, or, when nobody may review
    it yet, the bureau admins to tell."""

    app: ApplicationSnapshot
    onward: Onward
    moved_from: Sequence[int] = ()
    """Who returned it for revision at a unit it has since left (修改 工作单位): the
    resubmission goes to the new unit's reviewers, and they would wait for it."""


@dataclass(frozen=True)
class Withdrawn:
    app: ApplicationSnapshot
    previous: Status
    """The state it was withdrawn from, for telling its reviewers."""


# consent and start -----------------------------------------------------------------------


async def start(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    unit_code: str | None,
    now: datetime,
    admin_ids: Iterable[int] = (),
    as_applicant: bool = False,
) -> Opening:
    """/start: the notice until the person agrees, then their application or the choice of unit.

    A person who holds roles is greeted by them instead, with their own
    application after it if they have one; a unit link, or `as_applicant`
    (本人申报), opens the applicant's start for them as for anyone.
    """
    async with uows() as uow:
        if not (unit_code or as_applicant):
            grants = await grants_of(uow, person_id, admin_ids)
            if grants:
                return await _reviewer_home(uow, person_id, grants, now)
        # An expert in service is told so whatever the campaign and their consent: the notice
        # and the form are for people who may apply (a former expert may, in a new call).
        if expert := await _serving_expert(uow, person_id, local(now).date()):
            return expert
        campaign = await _open_campaign(uow)
        if not await _has_consent(uow, person_id):
            return ConsentNeeded(campaign, CONSENT_VERSION)
        opening = await _resume_or_choose(uow, person_id, unit_code, now)
        await uow.commit()
    return opening


async def _reviewer_home(
    uow: UnitOfWork, person_id: int, grants: Sequence[Grant], now: datetime
) -> ReviewerHome:
    pending = await pending_count(uow, person_id, grants, now)
    if expert := await _serving_expert(uow, person_id, local(now).date()):
        return ReviewerHome(grants, pending, None, own_applications=True, expert=expert)
    applicant: ConsentNeeded | Resumed | None = None
    app = await _current(uow, person_id)
    if app is not None:
        applicant = (
            Resumed(app, await stage_of(uow, app, now))
            if await _has_consent(uow, person_id)
            else ConsentNeeded(app.campaign, CONSENT_VERSION)
        )
    own = app is not None or bool(await uow.applications.applications_of(person_id))
    return ReviewerHome(grants, pending, applicant, own)


async def give_consent(
    uows: UnitOfWorkFactory, *, person_id: int, full_name: str, unit_code: str | None, now: datetime
) -> Opening:
    """Records the three separate consents and their history, then resumes or starts.

    The consent is committed first: it stands even if starting fails.
    """
    async with uows() as uow:
        await uow.people.save_person(person_id, full_name, now)
        await uow.people.record_consent(person_id, CONSENT_VERSION, now)
        await record_consent_given(uow, person_id, CONSENT_VERSION, now)
        await uow.commit()
        opening = await _resume_or_choose(uow, person_id, unit_code, now)
        await uow.commit()
    return opening


async def _has_consent(uow: UnitOfWork, person_id: int) -> bool:
    person = await uow.people.person(person_id)
    return bool(
        person
        and person.consent_version == CONSENT_VERSION
        and person.sensitive_consent_at
        and person.transfer_consent_at
    )


async def _open_campaign(uow: UnitOfWork) -> Campaign:
    campaign = await uow.campaigns.current_campaign()
    if campaign is None or not campaign.is_open:
        raise DomainError(t.NO_CAMPAIGN)
    return campaign


async def _resume_or_choose(
    uow: UnitOfWork, person_id: int, unit_code: str | None, now: datetime
) -> Opening:
    app = await _current(uow, person_id)
    if app is not None:
        link_unit = await uow.campaigns.unit_by_code(unit_code) if unit_code else None
        if link_unit is not None and (
            link_unit.id == app.unit_id or app.status not in EDITABLE or app.closed_to_applicant(now)
        ):
            link_unit = None
        return Resumed(app, await stage_of(uow, app, now), link_unit)
    if expert := await _serving_expert(uow, person_id, local(now).date()):
        return expert
    if unit_code:
        unit = await uow.campaigns.unit_by_code(unit_code)
        if unit is not None:
            return Started(await _start(uow, person_id, unit.district_id, unit, None, now))
    return ChooseDistrict(await uow.campaigns.districts(), link_invalid=bool(unit_code))


async def _current_expert(uow: UnitOfWork, person_id: int) -> bool:
    expert = await uow.registry.expert_of(person_id)
    return expert is not None and not may_apply(Standing(expert.standing))


async def _serving_expert(
    uow: UnitOfWork, person_id: int, today: date
) -> AlreadyExpert | None:
    """The person's entry if they are an expert who may not apply (in service, a withdrawal
    perhaps waiting); None for anyone else, a former expert included. The term is the one in
    force `today` (the registry lists the latest, which after an early 续聘 is still to come)."""
    expert = await uow.registry.expert_of(person_id)
    if expert is None or may_apply(Standing(expert.standing)):
        return None
    held = in_force(await uow.registry.terms_of(expert.id), today)
    if held is None:
        return None
    term, after = held.current, held.next
    return AlreadyExpert(
        term.certificate_no,
        term.starts_on,
        term.ends_on,
        bool(expert.withdrawal_reason),
        due=expert.standing == Standing.DUE,
        next_starts_on=after.starts_on if after else None,
        next_ends_on=after.ends_on if after else None,
    )


async def _start(
    uow: UnitOfWork,
    person_id: int,
    district_id: int,
    unit: UnitRow | None,
    typed_unit_name: str | None,
    now: datetime,
) -> ApplicationSnapshot:
    """Opens a draft in the open campaign for the chosen unit (or a typed one the
    district will confirm), or returns the live application the person already has."""
    campaign = await _open_campaign(uow)
    if await _current_expert(uow, person_id):
        raise NotAllowed(t.ALREADY_EXPERT)
    existing = await uow.applications.live_application(person_id, campaign.id)
    if existing is not None:
        return existing
    first = next_field({}, None)
    assert first is not None
    app_id = await uow.applications.add_application(
        campaign_id=campaign.id,
        person_id=person_id,
        district_id=unit.district_id if unit else district_id,
        unit_id=unit.id if unit else None,
        unit_name=unit.name if unit else (typed_unit_name or ""),
        unit_confirmed=unit is not None,
        cursor=first.key,
        now=now,
    )
    return await _load(uow, app_id)


async def _current(uow: UnitOfWork, person_id: int) -> ApplicationSnapshot | None:
    campaign = await uow.campaigns.current_campaign()
    if campaign is None:
        return None
    return await uow.applications.live_application(person_id, campaign.id)


# district and unit -----------------------------------------------------------------------


async def list_districts(uows: UnitOfWorkFactory) -> Sequence[DistrictRow]:
    async with uows() as uow:
        return await uow.campaigns.districts()


async def find_districts(uows: UnitOfWorkFactory, typed: str) -> DistrictSearch:
    """Districts whose name or alias contains the typed text."""
    query = normalize(typed)
    names = {d.name for d in districts_named(query)}
    async with uows() as uow:
        matches = [d for d in await uow.campaigns.districts() if d.name in names]
    return DistrictSearch(query, matches)


async def units_of(uows: UnitOfWorkFactory, district_id: int | None) -> UnitChoice | None:
    """The district and its units; None when there is no such district."""
    async with uows() as uow:
        district = await uow.campaigns.district(district_id) if district_id else None
        if district is None:
            return None
        return UnitChoice(district, await uow.campaigns.units_in(district.id))


async def find_units(
    uows: UnitOfWorkFactory, district_id: int | None, typed: str
) -> UnitChoice | None:
    """The district's units whose name contains the typed text; None when there is no such district."""
    choice = await units_of(uows, district_id)
    if choice is None:
        return None
    query = normalize(typed)  # both sides: names keep their （）, a search may type ()
    matches = [u for u in choice.units if query and query in normalize(u.name)]
    return replace(choice, units=matches, query=query)


async def start_with_unit(
    uows: UnitOfWorkFactory, *, person_id: int, unit_id: int, now: datetime
) -> ApplicationSnapshot | None:
    """Opens a draft for a listed unit (or returns the live one); None when the unit is gone."""
    async with uows() as uow:
        unit = await uow.campaigns.unit(unit_id)
        if unit is None:
            return None
        app = await _start(uow, person_id, unit.district_id, unit, None, now)
        await uow.commit()
    return app


async def start_with_typed_unit(
    uows: UnitOfWorkFactory, *, person_id: int, district_id: int | None, typed: str, now: datetime
) -> ApplicationSnapshot | None:
    """Opens a draft for a unit the district confirms later; None when the district is unknown."""
    try:
        name = parse_unit_name(typed)
    except ValueError as problem:
        raise DomainError(str(problem)) from None
    async with uows() as uow:
        district = await uow.campaigns.district(district_id) if district_id else None
        if district is None:
            return None
        app = await _start(uow, person_id, district.id, None, name, now)
        await uow.commit()
    return app


async def open_unit_change(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int, now: datetime
) -> tuple[ApplicationSnapshot, Sequence[DistrictRow]] | None:
    """The person's application if its unit may be changed now (as any field may), and the
    districts to choose from; a DomainError says why not. None: not theirs."""
    async with uows() as uow:
        app = await _theirs(uow, person_id, app_id)
        if app is None:
            return None
        _check_editable(app, None, now)
        return app, await uow.campaigns.districts()


async def change_unit(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    app_id: int,
    district_id: int | None,
    unit_id: int | None = None,
    typed: str | None = None,
    now: datetime,
) -> Step | None:
    """Moves the application to a listed unit, or to one typed for the district to confirm.

    Its flags are checked again: a university's or research institute's
    applicants need a higher title. None: not theirs, or the unit or district is gone.
    """
    name = None
    if unit_id is None:
        try:
            name = parse_unit_name(typed or "")
        except ValueError as problem:
            raise DomainError(str(problem)) from None
    async with uows() as uow:
        app = await _theirs(uow, person_id, app_id)
        if app is None:
            return None
        _check_editable(app, None, now)
        if unit_id is not None:
            unit = await uow.campaigns.unit(unit_id)
            if unit is None:
                return None
            if unit.id == app.unit_id:  # a second press, or the unit it already names
                raise DomainError(t.UNIT_ALREADY.format(unit=unit.name))
            place = {"district_id": unit.district_id, "unit_id": unit.id, "unit_name": unit.name,
                     "unit_confirmed": True}  # fmt: skip
            kind: str | None = unit.kind
        else:
            district = await uow.campaigns.district(district_id) if district_id else None
            if district is None:
                return None
            place = {"district_id": district.id, "unit_id": None, "unit_name": name,
                     "unit_confirmed": False}  # fmt: skip
            kind = None
        step = await _write(uow, replace(app, unit_kind=kind), place, now)
        moved = await _load(uow, app.id)
        await uow.commit()
    return replace(step, app=moved)


# the form --------------------------------------------------------------------------------


async def take_answer(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    app_id: int | None,
    text: str | None,
    contact: tuple[str, bool] | None = None,
    now: datetime,
    questions: ShownQuestions | None = None,
    split_rest: bool = False,
    attachment: bool = False,
) -> Answered:
    """Takes a message to the field being asked: stores it and moves on, or says what is wrong.

    `contact` is a shared contact's phone number and the user it belongs to.
    With `questions`, a message to a question that never reached the person,
    whatever it says, brings the question instead of answering it.
    `split_rest`: the text is the rest of one Telegram split (`OverlongTexts`),
    refused like its first part, whatever it says.
    One load, one conditional write (its only write, so it needs no transaction):
    this is nearly every update.
    """
    async with uows(single_write=True) as uow:
        app = await _own(uow, person_id, app_id)
        if app is None:
            return NoApplication()
        if app.status not in EDITABLE or app.closed_to_applicant(now):
            return NotEditable(app, await stage_of(uow, app, now))
        if app.cursor is None:
            at_card = await _extend_resume(uow, app, text, now) if text and not split_rest else None
            if isinstance(at_card, ResumeExtended):
                await uow.commit()
            return at_card or AtCard(app)
        f = BY_KEY[app.cursor]
        if questions is not None and not questions.was_shown(app):
            return NotShownYet(app, f)
        if split_rest:
            return AskAgain(app, f, t.SPLIT_REST)
        if text == t.BUTTON_BACK:
            step = await _back(uow, app, f.key, now)
        elif text == t.BUTTON_SAVE_EXIT:
            return SaveAndExit(app)
        elif f.kind is Kind.LIST and text == t.BUTTON_DONE:
            # A typed 完成 or 清空重填 means the button, never an entry called so.
            step = await _finish_list(uow, app, f.key, now)
        elif f.kind is Kind.LIST and text == t.BUTTON_CLEAR_LIST:
            step = await _clear_list(uow, app, f.key, now)
        elif not f.required and text == t.BUTTON_SKIP:
            step = await _skip(uow, app, f.key, now)
        elif f.kind is Kind.PHOTO:
            return PhotoWanted(app, f)
        elif (
            text
            and continues_resume(app.values, f.key, app.updated_at, now)
            and isinstance(
                extended := await _extend_resume(uow, app, text, now, cursor=f.key),
                ResumeExtended,
            )
        ):
            # Lines that would overflow the résumé add nothing there: they are this answer.
            await uow.commit()
            return extended
        else:
            try:
                value = _parse_message(app, f, person_id, text, contact, now, attachment)
            except ValueError as problem:
                return AskAgain(app, f, str(problem))
            if f.kind is Kind.LIST:
                step = await _add_list_items(uow, app, f.key, value, now)
            elif isinstance(value, IdNumber) and await _id_number_in_use(uow, app, value):
                return AskAgain(app, f, t.ID_NUMBER_IN_USE)
            else:
                step = await _answer(uow, app, f.key, value, now)
        await uow.commit()
    return replace(step, asked=f)


def _parse_message(
    app: ApplicationSnapshot,
    f: Field,
    person_id: int,
    text: str | None,
    contact: tuple[str, bool] | None,
    now: datetime,
    attachment: bool = False,
) -> Any:
    """The clean value of a message for field `f`; ValueError means "ask the same field again".
    `attachment`: the message was a photo or a file, which a step of buttons says it does not take."""
    if f.kind is Kind.PHONE and contact is not None:
        phone, own = contact
        if not own:
            raise ValueError(t.NOT_YOUR_CONTACT)
        return parse_mobile(phone)
    if text is None:
        if attachment and f.choices:
            raise ValueError(t.NO_PHOTO_HERE_BUTTON_ONLY if not f.typed else t.NO_PHOTO_HERE_CHOICE)
        if f.choices and not f.typed:
            raise ValueError(t.WRONG_TYPE_BUTTON_ONLY)
        raise ValueError(t.WRONG_TYPE_CHOICE if f.choices else t.WRONG_TYPE_TEXT)
    if f.choices and not f.typed:
        raise ValueError(t.WRONG_TYPE_BUTTON_ONLY)
    return parse_answer(app, f, text, now)


def parse_answer(app: ApplicationSnapshot, f: Field, text: str, now: datetime) -> Any:
    """Parses typed text for field `f`; ValueError carries the message for the applicant."""
    deadline = local(app.campaign.unit_deadline).date()
    return f.parse_text(text, ParseContext(today=local(now).date(), deadline=deadline))


async def save_photo(
    uows: UnitOfWorkFactory,
    app: ApplicationSnapshot,
    jpeg: bytes,
    size: tuple[int, int],
    file_unique_id: str | None,
    now: datetime,
) -> Step:
    """Stores the portrait on the application as it was read before the download.

    The download took no unit of work; if anything changed the application
    meanwhile, the conditional write refuses and the photo is not kept.
    """
    async with uows() as uow:
        _check_editable(app, keys.PHOTO, now)
        await uow.applications.save_photo(app.id, jpeg, size[0], size[1], file_unique_id)
        step = await _write(uow, app, {keys.PHOTO: True}, now, after=keys.PHOTO)
        await uow.commit()
    return replace(step, asked=BY_KEY[keys.PHOTO])


async def choose(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    app_id: int | None,
    key: str,
    index: int,
    now: datetime,
) -> Step | None:
    """Takes a button answer; None when the button is not the asked field's (stale or forged)."""

    async def chosen(uow: UnitOfWork, app: ApplicationSnapshot) -> Step | None:
        f = BY_KEY[key]
        if not 0 <= index < len(f.choices):
            return None
        return await _answer(uow, app, key, parse_answer(app, f, f.choices[index], now), now)

    return await _on_asked(uows, person_id, app_id, key, chosen)


async def back(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int | None, key: str, now: datetime
) -> Step | None:
    """上一项 on the asked field; None when the press is stale."""
    return await _on_asked(uows, person_id, app_id, key, lambda uow, app: _back(uow, app, key, now))


async def skip(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int | None, key: str, now: datetime
) -> Step | None:
    """跳过 on an optional field; None when the press is stale."""
    return await _on_asked(uows, person_id, app_id, key, lambda uow, app: _skip(uow, app, key, now))


async def finish_list(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int | None, key: str, now: datetime
) -> Step | None:
    """完成 on a list field; None when the press is stale."""
    return await _on_asked(
        uows, person_id, app_id, key, lambda uow, app: _finish_list(uow, app, key, now)
    )


async def clear_list(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int | None, key: str, now: datetime
) -> Step | None:
    """清空重填 on a list field; None when the press is stale."""
    return await _on_asked(
        uows, person_id, app_id, key, lambda uow, app: _clear_list(uow, app, key, now)
    )


async def save_and_exit(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int | None, key: str
) -> ApplicationSnapshot | None:
    """保存并退出 on the asked field: every answer is saved already; None when the press is stale."""
    async with uows() as uow:
        asked = await _asked(uow, person_id, app_id, key)
    return asked[0] if asked else None


async def question_not_shown(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int | None, questions: ShownQuestions
) -> NotShownYet | None:
    """After a stale press: the question being asked, if it never reached the person."""
    async with uows() as uow:
        app = await _own(uow, person_id, app_id)
    if app is None or app.status not in EDITABLE or app.cursor is None:
        return None
    return None if questions.was_shown(app) else NotShownYet(app, BY_KEY[app.cursor])


async def edit(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int | None, key: str, now: datetime
) -> Step | None:
    """Opens one field from the summary card; answering it returns to the card. None: no application."""
    async with uows(single_write=True) as uow:
        app = await _own(uow, person_id, app_id)
        if app is None:
            return None
        if key not in BY_KEY or not BY_KEY[key].applies(app.values):
            raise DomainError(t.STALE_BUTTON)
        _check_editable(app, None, now)
        step = await _write(uow, app, {}, now, cursor=key)
        await uow.commit()
    return step


async def _on_asked(
    uows: UnitOfWorkFactory,
    person_id: int,
    app_id: int | None,
    key: str,
    move: Callable[[UnitOfWork, ApplicationSnapshot], Awaitable[Step | None]],
) -> Step | None:
    """Runs `move` on the presser's application if `key` is the field asked now, and commits.

    Every move is one conditional write (`_write`), so no transaction is opened."""
    async with uows(single_write=True) as uow:
        asked = await _asked(uow, person_id, app_id, key)
        if asked is None:
            return None
        step = await move(uow, asked[0])
        if step is not None:
            await uow.commit()
    return step


async def _answer(
    uow: UnitOfWork, app: ApplicationSnapshot, key: str, value: Any, now: datetime
) -> Step:
    """Stores a parsed answer to `key` and moves the cursor on."""
    _check_editable(app, key, now)
    values: dict[str, Any] = {key: value}
    if isinstance(value, IdNumber):
        if await _id_number_in_use(uow, app, value):
            raise DomainError(t.ID_NUMBER_IN_USE)
        values = {
            keys.ID_NUMBER: value.number,
            keys.BIRTH_DATE: value.birth_date,
            keys.GENDER: value.gender,
            keys.ID_CONFIRMED: None,
        }
    elif key == keys.ID_CONFIRMED and value is False:
        values = {keys.ID_NUMBER: None, keys.BIRTH_DATE: None, keys.GENDER: None, key: None}
        return await _write(uow, app, values, now, cursor=keys.ID_NUMBER)
    return await _write(uow, app, values, now, after=key)


async def _extend_resume(
    uow: UnitOfWork, app: ApplicationSnapshot, text: str, now: datetime, cursor: str | None = None
) -> ResumeExtended | AtCard | None:
    """Adds résumé lines typed at the card (or, just after the résumé, at `cursor`, which stays
    asked) to 工作简历; None when the text is not only such lines.

    Lines that would take the résumé past the entries Annex 1 holds add nothing, and say so."""
    f = BY_KEY[keys.RESUME]
    try:
        typed = parse_answer(app, f, text, now)
    except ValueError:
        return None
    entries = list(app.values.get(keys.RESUME) or [])
    new = [entry for entry in typed if entry not in entries]
    if not new:
        return None
    if len(entries) + len(new) > MAX_RESUME_ENTRIES:
        return AtCard(
            app,
            t.RESUME_FULL_AT_CARD.format(
                max_entries=MAX_RESUME_ENTRIES, count=len(entries), new=len(new)
            ),
        )
    step = await _write(uow, app, {keys.RESUME: entries + new}, now, cursor=cursor)
    return ResumeExtended(replace(step, asked=f), len(new))


async def _id_number_in_use(uow: UnitOfWork, app: ApplicationSnapshot, value: IdNumber) -> bool:
    return await uow.applications.id_number_in_use(app.campaign.id, value.number, app.id)


async def _add_list_items(
    uow: UnitOfWork, app: ApplicationSnapshot, key: str, typed: list[str], now: datetime
) -> Step:
    """Appends the entries of one message to a list field; the list closes itself when full."""
    _check_editable(app, key, now)
    f = BY_KEY[key]
    try:
        items = add_to_list(f, app.values.get(key) or [], typed)
    except ValueError as problem:
        raise DomainError(str(problem)) from None
    if len(items) >= f.max_items:
        return await _write(uow, app, {key: items}, now, after=key)
    return await _write(uow, app, {key: items}, now, cursor=key)


async def _finish_list(uow: UnitOfWork, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    _check_editable(app, key, now)
    if not app.values.get(key):
        raise DomainError(t.LIST_EMPTY)
    return await _write(uow, app, {}, now, after=key)


async def _clear_list(uow: UnitOfWork, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    _check_editable(app, key, now)
    return await _write(uow, app, {key: None}, now, cursor=key)


async def _skip(uow: UnitOfWork, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    _check_editable(app, key, now)
    if BY_KEY[key].required:
        raise DomainError(t.CANNOT_SKIP)
    return await _write(uow, app, {key: None}, now, after=key)


async def _back(uow: UnitOfWork, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    _check_editable(app, key, now)
    prev = previous_field(app.values, key)
    if prev is None:
        raise DomainError(t.AT_FIRST_FIELD)
    return await _write(uow, app, {}, now, cursor=prev.key)


# the card, signature, withdrawal ---------------------------------------------------------


async def own_application(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int
) -> ApplicationSnapshot | None:
    """The application if it is the person's; None for anyone else's or a deleted one."""
    async with uows() as uow:
        return await _theirs(uow, person_id, app_id)


async def open_signature(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int, now: datetime
) -> ApplicationSnapshot | None:
    """The person's application if it can be signed now; a DomainError says why not. None: not theirs."""
    async with uows() as uow:
        app = await _theirs(uow, person_id, app_id)
    if app is not None:
        problem = submit_problem(app, now)
        if problem is not None:
            raise DomainError(problem)
    return app


def closed_problem(app: ApplicationSnapshot) -> str:
    """Why a form closed to its applicant (`closed_to_applicant`) can be neither changed nor
    submitted, and what may reopen it."""
    if not app.campaign.is_open:
        return t.CAMPAIGN_CLOSED
    return t.FORM_CLOSED.format(
        deadline=format_local(app.campaign.unit_deadline), district=app.district_name
    )


def submit_problem(app: ApplicationSnapshot, now: datetime) -> str | None:
    """Why the application cannot be submitted now, or None."""
    if app.status not in EDITABLE:
        return t.NOT_EDITABLE.format(status=t.STATUS[app.status])
    if app.closed_to_applicant(now):
        return closed_problem(app)
    missing = first_missing(app.values)
    if missing is not None:
        return t.MISSING_FIELD.format(label=missing.label)
    return None


async def submit(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    app_id: int | None,
    signature: str,
    actor_name: str,
    now: datetime,
    admin_ids: Iterable[int] = (),
) -> Submitted | None:
    """Signs and submits: checks the deadline, completeness and the signature, then moves state,
    and says where the application goes (`bot.services.review.onward`).

    None: the person has no application to submit.
    """
    async with uows() as uow:
        app = await _own(uow, person_id, app_id)
        if app is None:
            return None
        problem = submit_problem(app, now)
        if problem is not None:
            raise (
                DeadlinePassed(problem)
                if now > app.campaign.unit_deadline
                else DomainError(problem)
            )
        name = app.values.get(keys.NAME) or ""
        if normalize(signature).replace(" ", "") != name.replace(" ", ""):
            raise DomainError(t.SIGNATURE_MISMATCH.format(name=app.values.get(keys.NAME)))
        to = next_status(app.status, Actor.APPLICANT, Action.SUBMIT)
        assert to is not None
        values = {
            "status": to.value,
            keys.SIGNATURE: app.values[keys.NAME],
            keys.FILLED_AT: local(now).date(),
            "submitted_at": now,
            "cursor": None,
        }
        changes = {"answers": answer_snapshot(app.values)}
        returned_by = await _returned_at_another_unit(uow, app)
        submitted = await _move(uow, app, Action.SUBMIT, to, values, actor_name, now, changes)
        goes = await onward(uow, submitted, admin_ids, now)
        await uow.commit()
    carded = goes.cards.person_ids if goes.cards else ()
    return Submitted(submitted, goes, tuple(p for p in returned_by if p not in carded))


async def _returned_at_another_unit(uow: UnitOfWork, app: ApplicationSnapshot) -> tuple[int, ...]:
    """The reviewer who returned the application, when its unit has changed since it was
    submitted; nobody else (submissions recorded before the unit was kept have none to compare)."""
    if app.status is not Status.RETURNED:
        return ()
    events = await uow.applications.events_of(app.id)
    returns = [e for e in events if e.action == Action.RETURN.value and e.actor_id is not None]
    submits = [e for e in events if e.action == Action.SUBMIT.value and e.changes]
    if not returns or not submits:
        return ()
    answers = (submits[-1].changes or {}).get("answers") or {}
    if answers.get(keys.UNIT_NAME, app.unit_name) == app.unit_name:
        return ()
    return (returns[-1].actor_id,)


async def withdraw(
    uows: UnitOfWorkFactory, *, person_id: int, app_id: int, actor_name: str, now: datetime
) -> Withdrawn | None:
    """Withdraws the person's application; None when it is not theirs."""
    async with uows() as uow:
        app = await _theirs(uow, person_id, app_id)
        if app is None:
            return None
        to = next_status(app.status, Actor.APPLICANT, Action.WITHDRAW)
        if to is None:
            raise DomainError(t.CANNOT_WITHDRAW.format(status=t.STATUS[app.status]))
        done = await _move(uow, app, Action.WITHDRAW, to, {"status": to.value}, actor_name, now)
        await uow.commit()
    return Withdrawn(done, app.status)


async def applications_of(
    uows: UnitOfWorkFactory, person_id: int, now: datetime
) -> Sequence[Progress]:
    """The person's applications, newest first, with where each stands (the first five)."""
    async with uows() as uow:
        apps = (await uow.applications.applications_of(person_id))[:STATUS_SHOWN]
        return [Progress(app, await stage_of(uow, app, now)) for app in apps]


# shared steps ----------------------------------------------------------------------------


async def _move(
    uow: UnitOfWork,
    app: ApplicationSnapshot,
    action: Action,
    to: Status,
    values: dict[str, Any],
    actor_name: str,
    now: datetime,
    changes: dict[str, Any] | None = None,
) -> ApplicationSnapshot:
    """The applicant's own state change and its audit event, in the caller's transaction."""
    if not await uow.applications.update_application(app.id, app.version, values, now):
        raise AlreadyHandled(t.CHANGED_ELSEWHERE)
    await uow.applications.add_event(
        app_id=app.id,
        actor_id=app.person_id,
        actor_name=actor_name,
        action=action.value,
        from_status=app.status.value,
        to_status=to.value,
        note=None,
        now=now,
        changes=changes,
    )
    return await _load(uow, app.id)


async def _own(uow: UnitOfWork, person_id: int, app_id: int | None) -> ApplicationSnapshot | None:
    """The person's application: the conversation's one if it is theirs, else their live one."""
    if app_id is not None:
        app = await _theirs(uow, person_id, app_id)
        if app is not None:
            return app
    return await _current(uow, person_id)


async def _theirs(uow: UnitOfWork, person_id: int, app_id: int) -> ApplicationSnapshot | None:
    app = await uow.applications.application(app_id)
    return app if app is not None and app.person_id == person_id else None


async def _asked(
    uow: UnitOfWork, person_id: int, app_id: int | None, key: str
) -> tuple[ApplicationSnapshot, Field] | None:
    """The person's application and the field `key`, if that field is the one asked now.

    Otherwise the press is stale (an old prompt) or forged.
    """
    app = await _own(uow, person_id, app_id)
    f = BY_KEY.get(key)
    if app is None or f is None or app.cursor != key:
        return None
    return app, f


def _check_editable(app: ApplicationSnapshot, key: str | None, now: datetime) -> None:
    if app.status not in EDITABLE:
        raise DomainError(t.NOT_EDITABLE.format(status=t.STATUS[app.status]))
    if app.closed_to_applicant(now):
        raise DeadlinePassed(closed_problem(app))
    if key is not None and app.cursor != key:
        raise DomainError(t.STALE_BUTTON)


async def _write(
    uow: UnitOfWork,
    app: ApplicationSnapshot,
    values: dict[str, Any],
    now: datetime,
    *,
    after: str | None = None,
    cursor: str | None = None,
) -> Step:
    """The one conditional write of an answer: values, flags and cursor, if the version still holds."""
    draft = {**app.values, **values}
    old_flags = set(app.flags)
    flags = [
        str(f) for f in flags_of(draft, app.unit_kind, local(app.campaign.unit_deadline).date())
    ]
    draft["flags"] = flags
    if cursor is None:
        nxt = next_field(draft, after)
        cursor = nxt.key if nxt else None
    row = {**values, "flags": flags, "cursor": cursor}
    if not await uow.applications.update_application(app.id, app.version, row, now):
        raise AlreadyHandled(t.CHANGED_ELSEWHERE)
    updated = replace(
        app,
        version=app.version + 1,
        cursor=cursor,
        flags=tuple(flags),
        values=draft,
        updated_at=now,
    )
    raised = tuple(f for f in flags if f not in old_flags)
    return Step(updated, BY_KEY[cursor] if cursor else None, raised)


async def _load(uow: UnitOfWork, app_id: int) -> ApplicationSnapshot:
    app = await uow.applications.application(app_id)
    if app is None:
        raise NotFound(t.APPLICATION_NOT_FOUND)
    return app
