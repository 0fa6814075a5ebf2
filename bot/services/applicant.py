"""Use cases of the applicant: consent, start, answer field by field, submit, withdraw.

Each call loads one snapshot, decides in plain Python, and writes once with a
conditional update on the version, then commits: the answer is durable before
the bot replies, and a concurrent write is noticed instead of overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from bot.clock import format_local, local
from bot.domain import keys
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.errors import AlreadyHandled, DeadlinePassed, DomainError, NotFound
from bot.domain.form import (
    BY_KEY,
    Field,
    Kind,
    ParseContext,
    first_missing,
    flags_of,
    next_field,
    previous_field,
)
from bot.domain.idcard import IdNumber
from bot.domain.parsers import normalize
from bot.domain.review import answer_snapshot
from bot.domain.workflow import EDITABLE, Action, Actor, Status, next_status
from bot.services.ports import Store, UnitRow
from bot.texts import chat as t

CONSENT_VERSION = "2026.1"


@dataclass(frozen=True)
class Step:
    """Where the applicant stands after a change."""

    app: ApplicationSnapshot
    field: Field | None
    """The field to ask now; None means the summary card."""
    raised: tuple[str, ...] = ()
    """Eligibility flags that this change raised."""


async def record_consent(store: Store, person_id: int, full_name: str, now: datetime) -> None:
    """Records the three separate consents to the current notice, and appends them to the history."""
    from bot.services.privacy import PrivacyStore, record_consent_given

    await store.save_person(person_id, full_name, now)
    await store.record_consent(person_id, CONSENT_VERSION, now)
    await record_consent_given(cast(PrivacyStore, store), person_id, CONSENT_VERSION, now)
    await store.commit()


async def has_consent(store: Store, person_id: int) -> bool:
    person = await store.person(person_id)
    return bool(
        person
        and person.consent_version == CONSENT_VERSION
        and person.sensitive_consent_at
        and person.transfer_consent_at
    )


async def open_campaign(store: Store) -> Campaign:
    campaign = await store.current_campaign()
    if campaign is None or not campaign.is_open:
        raise DomainError(t.NO_CAMPAIGN)
    return campaign


async def start_application(
    store: Store,
    *,
    person_id: int,
    district_id: int,
    unit: UnitRow | None,
    now: datetime,
    typed_unit_name: str | None = None,
) -> ApplicationSnapshot:
    """Opens a draft in the open campaign for the chosen unit (or a typed one the
    district will confirm), or returns the live application the person already has."""
    campaign = await open_campaign(store)
    existing = await store.live_application(person_id, campaign.id)
    if existing is not None:
        return existing
    first = next_field({}, None)
    assert first is not None
    app_id = await store.add_application(
        campaign_id=campaign.id,
        person_id=person_id,
        district_id=unit.district_id if unit else district_id,
        unit_id=unit.id if unit else None,
        unit_name=unit.name if unit else (typed_unit_name or ""),
        unit_confirmed=unit is not None,
        cursor=first.key,
        now=now,
    )
    await store.commit()
    return await _load(store, app_id)


async def current_application(store: Store, person_id: int) -> ApplicationSnapshot | None:
    campaign = await store.current_campaign()
    if campaign is None:
        return None
    return await store.live_application(person_id, campaign.id)


async def answer(
    store: Store, app: ApplicationSnapshot, key: str, value: Any, now: datetime
) -> Step:
    """Stores a parsed answer to `key` and moves the cursor on."""
    _check_editable(app, key)
    values: dict[str, Any] = {key: value}
    if isinstance(value, IdNumber):
        if await store.id_number_in_use(app.campaign.id, value.number, app.id):
            raise DomainError(t.ID_NUMBER_IN_USE)
        values = {
            keys.ID_NUMBER: value.number,
            keys.BIRTH_DATE: value.birth_date,
            keys.GENDER: value.gender,
            keys.ID_CONFIRMED: None,
        }
    elif key == keys.ID_CONFIRMED and value is False:
        values = {keys.ID_NUMBER: None, keys.BIRTH_DATE: None, keys.GENDER: None, key: None}
        return await _write(store, app, values, now, cursor=keys.ID_NUMBER)
    return await _write(store, app, values, now, after=key)


def parse_answer(app: ApplicationSnapshot, f: Field, text: str, now: datetime) -> Any:
    """Parses typed text for field `f`; ValueError carries the message for the applicant."""
    return f.parse_text(text, ParseContext(today=local(now).date()))


async def add_list_item(
    store: Store, app: ApplicationSnapshot, key: str, item: str, now: datetime
) -> Step:
    """Appends one entry to a list field; the list closes itself when it is full."""
    _check_editable(app, key)
    f = BY_KEY[key]
    items = [*(app.values.get(key) or [])]
    if item in items:
        raise DomainError(t.LIST_DUPLICATE)
    items.append(item)
    if len(items) >= f.max_items:
        return await _write(store, app, {key: items}, now, after=key)
    return await _write(store, app, {key: items}, now, cursor=key)


async def finish_list(store: Store, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    _check_editable(app, key)
    if not app.values.get(key):
        raise DomainError(t.LIST_EMPTY)
    return await _write(store, app, {}, now, after=key)


async def clear_list(store: Store, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    _check_editable(app, key)
    return await _write(store, app, {key: None}, now, cursor=key)


async def skip(store: Store, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    _check_editable(app, key)
    if BY_KEY[key].required:
        raise DomainError(t.CANNOT_SKIP)
    return await _write(store, app, {key: None}, now, after=key)


async def back(store: Store, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    _check_editable(app, key)
    prev = previous_field(app.values, key)
    if prev is None:
        raise DomainError(t.AT_FIRST_FIELD)
    return await _write(store, app, {}, now, cursor=prev.key)


async def edit(store: Store, app: ApplicationSnapshot, key: str, now: datetime) -> Step:
    """Opens one field from the summary card; answering it returns to the card."""
    if key not in BY_KEY or not BY_KEY[key].applies(app.values):
        raise DomainError(t.STALE_BUTTON)
    _check_editable(app, None)
    return await _write(store, app, {}, now, cursor=key)


async def show_card(store: Store, app: ApplicationSnapshot, now: datetime) -> Step:
    """Moves to the summary card when nothing required is missing."""
    _check_editable(app, None)
    missing = first_missing(app.values)
    if missing is not None:
        return await _write(store, app, {}, now, cursor=missing.key)
    return await _write(store, app, {}, now, cursor=None)


async def save_photo(
    store: Store,
    app: ApplicationSnapshot,
    jpeg: bytes,
    size: tuple[int, int],
    file_unique_id: str | None,
    now: datetime,
) -> Step:
    _check_editable(app, keys.PHOTO)
    await store.save_photo(app.id, jpeg, size[0], size[1], file_unique_id)
    return await _write(store, app, {keys.PHOTO: True}, now, after=keys.PHOTO)


def submit_problem(app: ApplicationSnapshot, now: datetime) -> str | None:
    """Why the application cannot be submitted now, or None."""
    if app.status not in EDITABLE:
        return t.NOT_EDITABLE.format(status=t.STATUS[app.status])
    if not app.campaign.is_open:
        return t.CAMPAIGN_CLOSED
    if now > app.campaign.unit_deadline:
        return t.SUBMIT_DEADLINE_PASSED.format(deadline=format_local(app.campaign.unit_deadline))
    missing = first_missing(app.values)
    if missing is not None:
        return t.MISSING_FIELD.format(label=missing.label)
    return None


async def submit(
    store: Store, app: ApplicationSnapshot, signature: str, actor_name: str, now: datetime
) -> ApplicationSnapshot:
    """Signs and submits: checks the deadline, completeness and the signature, then moves state."""
    problem = submit_problem(app, now)
    if problem is not None:
        raise DeadlinePassed(problem) if now > app.campaign.unit_deadline else DomainError(problem)
    if normalize(signature).replace(" ", "") != (app.values.get(keys.NAME) or "").replace(" ", ""):
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
    return await _move(store, app, Action.SUBMIT, to, values, actor_name, now, changes)


async def withdraw(
    store: Store, app: ApplicationSnapshot, actor_name: str, now: datetime
) -> ApplicationSnapshot:
    to = next_status(app.status, Actor.APPLICANT, Action.WITHDRAW)
    if to is None:
        raise DomainError(t.CANNOT_WITHDRAW.format(status=t.STATUS[app.status]))
    return await _move(store, app, Action.WITHDRAW, to, {"status": to.value}, actor_name, now)


async def _move(
    store: Store,
    app: ApplicationSnapshot,
    action: Action,
    to: Status,
    values: dict[str, Any],
    actor_name: str,
    now: datetime,
    changes: dict[str, Any] | None = None,
) -> ApplicationSnapshot:
    """The applicant's own state change and its audit event, in one transaction."""
    if not await store.update_application(app.id, app.version, values, now):
        raise AlreadyHandled(t.CHANGED_ELSEWHERE)
    await store.add_event(
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
    await store.commit()
    return await _load(store, app.id)


def _check_editable(app: ApplicationSnapshot, key: str | None) -> None:
    if app.status not in EDITABLE:
        raise DomainError(t.NOT_EDITABLE.format(status=t.STATUS[app.status]))
    if key is not None and app.cursor != key:
        raise DomainError(t.STALE_BUTTON)


async def _write(
    store: Store,
    app: ApplicationSnapshot,
    values: dict[str, Any],
    now: datetime,
    *,
    after: str | None = None,
    cursor: str | None = None,
) -> Step:
    draft = {**app.values, **values}
    old_flags = set(app.flags)
    flags = [str(f) for f in flags_of(draft, app.unit_kind, local(app.campaign.unit_deadline).date())]
    draft["flags"] = flags
    if cursor is None:
        nxt = next_field(draft, after)
        cursor = nxt.key if nxt else None
    row = {**values, "flags": flags, "cursor": cursor}
    if not await store.update_application(app.id, app.version, row, now):
        raise AlreadyHandled(t.CHANGED_ELSEWHERE)
    await store.commit()
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


async def _load(store: Store, app_id: int) -> ApplicationSnapshot:
    app = await store.application(app_id)
    if app is None:
        raise NotFound(t.APPLICATION_NOT_FOUND)
    return app


def is_text_field(f: Field) -> bool:
    return f.kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.PHONE, Kind.LIST) or (
        f.kind is Kind.CHOICE and f.typed
    )
