"""Use cases of accounts: who an update comes from, where to reach a person, moving a person.

A person has the project's own id; an account on a channel (Telegram today)
is how they write and are written to. Every update is resolved to its person
here, so the rest of the bot never sees a channel's user id.

Moving a person to another account (a reviewer's colleague takes over, an
expert's new phone) needs a one-time permission:
- a link, made by a bureau admin for anyone or by a district reviewer for the
  unit reviewers of their district, or by the operator's command line;
- a code, sent to the person's old account when someone on a new account
  types the person's ID number; only that new account can use it.

The account that takes the person over must hold nothing of its own (no
role, no application): two people's histories are never merged.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.clock import format_local
from bot.domain import keys
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.exports import is_bureau
from bot.domain.review import Grant, RoleKind
from bot.domain.workflow import EDITABLE
from bot.services.repositories import UnitOfWork, UnitOfWorkFactory
from bot.services.roles import Menu, grants_of, menu_of
from bot.texts import accounts as t

log = logging.getLogger(__name__)

TELEGRAM = "telegram"
SEEN_EVERY = timedelta(hours=1)
"""`last_seen_at` is written at most this often per account: a write per update would cost."""
LINK_TTL = timedelta(days=3)
CODE_TTL = timedelta(minutes=15)
CODE_ATTEMPTS = 5
"""Wrong codes before the code dies."""
CODES_PER_ACCOUNT = 3
CODES_PER_PERSON = 5
"""Codes a day that one new account may ask for, and that may go to one person: with
`CODE_ATTEMPTS`, guessing a 6-digit code would take thousands of days."""
REBIND_PREFIX = "b_"
"""Deep-link payloads that start with this are rebind links (`/start b_<token>`)."""


@dataclass(frozen=True)
class Sender:
    """What a channel says about who sent an update."""

    channel: str
    external_id: str
    chat_id: str
    username: str | None
    display_name: str


@dataclass(frozen=True)
class Identity:
    person_id: int
    account_id: int


class KnownAccounts:
    """This process's recent identities, so an account that keeps writing is read once a minute.

    A rebind in this process forgets the accounts it moved at once; in another
    process an old account may still be taken for its person for up to `ttl`
    seconds. An unreachable mark, a new name or "last seen" are written at the
    next read, so also within `ttl`.
    """

    def __init__(
        self,
        ttl: float = 60.0,
        size: int = 100_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._size = size
        self._monotonic = monotonic
        self._known: dict[tuple[str, str], tuple[float, Identity]] = {}

    def get(self, sender: Sender) -> Identity | None:
        hit = self._known.get((sender.channel, sender.external_id))
        if hit is None or self._monotonic() - hit[0] >= self._ttl:
            return None
        return hit[1]

    def put(self, sender: Sender, identity: Identity) -> None:
        if len(self._known) >= self._size:
            self._known.clear()  # rare; a sweep of stale entries would cost more than rereading
        self._known[(sender.channel, sender.external_id)] = (self._monotonic(), identity)

    def forget_person(self, person_id: int) -> None:
        """After a rebind: every account of the person, old or new, is read again."""
        for key, (_, identity) in list(self._known.items()):
            if identity.person_id == person_id:
                del self._known[key]

    def forget(self, channel: str, external_id: str) -> None:
        self._known.pop((channel, external_id), None)


async def identify(
    uows: UnitOfWorkFactory,
    sender: Sender,
    now: datetime,
    *,
    wrote: bool = True,
    known: KnownAccounts | None = None,
) -> Identity:
    """The person behind the account, met as someone new the first time.

    `wrote`: the account sent something (not a block or unblock), so it can be
    reached again: an unreachable mark goes. Writes only what changed; the
    name and username only once the person consented (before that the bot
    keeps nothing but the ids it answers to).
    """
    if known is not None and (identity := known.get(sender)) is not None:
        return identity
    async with uows() as uow:
        account = await uow.accounts.attached(sender.channel, sender.external_id)
        if account is None:
            identity = await _meet(uow, sender, now)
            await uow.commit()
            if known is not None:
                known.put(sender, identity)
            return identity
        changes: dict[str, object] = {}
        if wrote and account.unreachable:
            changes["unreachable"] = False
        if account.consented and account.username != sender.username:
            changes["username"] = sender.username
        if account.consented and account.display_name != sender.display_name:
            changes["display_name"] = sender.display_name
        if account.chat_id != sender.chat_id:
            changes["chat_id"] = sender.chat_id
        if account.last_seen_at is None or now - account.last_seen_at >= SEEN_EVERY:
            changes["last_seen_at"] = now
        if changes:
            await uow.accounts.seen(account.id, **changes)
            await uow.commit()
    identity = Identity(account.person_id, account.id)
    if known is not None:
        known.put(sender, identity)
    return identity


async def _meet(uow: UnitOfWork, sender: Sender, now: datetime, name: str = "") -> Identity:
    """Someone new: a person and their account, with nothing but what routes a message (their
    name and username are kept once they consent, or `name` when the operator gives one)."""
    person_id = await uow.accounts.add_person(name, now)
    account_id = await uow.accounts.add_account(
        person_id=person_id,
        channel=sender.channel,
        external_id=sender.external_id,
        chat_id=sender.chat_id,
        username=None,
        display_name=name,
        now=now,
    )
    if account_id is None:  # the same account's other update made it first
        await uow.accounts.forget_person(person_id)
        account = await uow.accounts.attached(sender.channel, sender.external_id)
        assert account is not None
        return Identity(account.person_id, account.id)
    return Identity(person_id, account_id)


async def person_of_telegram(uows: UnitOfWorkFactory, user_id: int, now: datetime) -> int:
    """The person behind a Telegram user id (the operator's command line and settings name
    people so); someone never met is met now."""
    async with uows() as uow:
        person_id = await telegram_person(uow, user_id, now)
        await uow.commit()
    return person_id


async def telegram_person(uow: UnitOfWork, user_id: int, now: datetime, name: str = "") -> int:
    """`person_of_telegram` in the caller's open unit of work (which commits)."""
    account = await uow.accounts.attached(TELEGRAM, str(user_id))
    if account is not None:
        return account.person_id
    sender = Sender(TELEGRAM, str(user_id), str(user_id), None, "")
    return (await _meet(uow, sender, now, name)).person_id


async def configured_admins(
    uows: UnitOfWorkFactory, telegram_ids: Iterable[int], now: datetime
) -> tuple[int, ...]:
    """The persons of the bureau admins named in the settings by Telegram user id."""
    return tuple([await person_of_telegram(uows, i, now) for i in sorted(set(telegram_ids))])


async def telegram_chats(uows: UnitOfWorkFactory, person_ids: Iterable[int]) -> dict[int, int]:
    """Person id -> Telegram chat of their attached account; people without one are absent."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    async with uows() as uow:
        chats = await uow.accounts.chats_of(wanted, TELEGRAM)
    return {person: int(chat) for person, chat in chats.items()}


# moving a person to another account ----------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _sealed_code(for_account_id: int, code: str, nonce: str | None = None) -> str:
    """16 hex of nonce, then 48 of the hash of the code with it: fits the 64 of `secret_hash`,
    and two equal codes never collide."""
    nonce = nonce or secrets.token_hex(8)
    return nonce + _hash(f"code:{for_account_id}:{nonce}:{code}")[:48]


@dataclass(frozen=True)
class NewRebindLink:
    token: str
    """Shown once, in the link; only its hash is stored."""
    person_name: str
    expires_at: datetime

    @property
    def payload(self) -> str:
        return REBIND_PREFIX + self.token


@dataclass(frozen=True)
class Managed:
    """A person whose account the viewer may move, as /roles lists them."""

    person_id: int
    name: str


def may_rebind(
    actor: Sequence[Grant], target: Sequence[Grant], unit_districts: dict[int, int]
) -> bool:
    """Bureau admins move anyone; district reviewers move the unit reviewers of their district
    (someone who also holds a role elsewhere is the bureau's to move).

    `unit_districts`: the district of each unit in `target`'s roles."""
    if is_bureau(actor):
        return True
    districts = {g.district_id for g in actor if g.role is RoleKind.DISTRICT}
    return (
        bool(target)
        and bool(districts)
        and all(
            g.role is RoleKind.UNIT and unit_districts.get(g.unit_id or 0) in districts
            for g in target
        )
    )


async def _may_rebind(
    uow: UnitOfWork, actor: Sequence[Grant], target_id: int, admins: Iterable[int]
) -> bool:
    """Whether `actor` may move person `target_id` (reads the target's roles and units)."""
    target = await grants_of(uow, target_id, admins)
    unit_districts = {}
    for g in target:
        if g.role is RoleKind.UNIT and g.unit_id is not None:
            unit = await uow.campaigns.unit(g.unit_id)
            if unit is not None:
                unit_districts[unit.id] = unit.district_id
    return may_rebind(actor, target, unit_districts)


async def managed_people(
    uows: UnitOfWorkFactory, *, person_id: int, admin_ids: Iterable[int]
) -> Sequence[Managed]:
    """Whom this person may move to another account, for /roles: a bureau admin sees the district
    reviewers and other admins, a district reviewer the unit reviewers of their district."""
    async with uows() as uow:
        actor = await grants_of(uow, person_id, admin_ids)
        bureau = is_bureau(actor)
        districts = {g.district_id for g in actor if g.role is RoleKind.DISTRICT}
        if not (bureau or districts):
            return []
        holders = await uow.people.role_holders()
    roles: dict[int, list[tuple[str, int | None]]] = {}
    names: dict[int, str] = {}
    for holder in holders:
        roles.setdefault(holder.person_id, []).append((holder.role, holder.district_id))
        names[holder.person_id] = holder.name
    out = []
    for holder_id, held in roles.items():
        units_only = all(role == RoleKind.UNIT.value for role, _ in held)
        if holder_id == person_id:
            continue
        if (bureau and not units_only) or (
            not bureau and units_only and all(d in districts for _, d in held)
        ):
            out.append(Managed(holder_id, names[holder_id]))
    return sorted(out, key=lambda m: (m.name, m.person_id))


async def create_rebind_link(
    uows: UnitOfWorkFactory,
    *,
    person_id: int,
    by: int | None,
    admin_ids: Iterable[int] = (),
    now: datetime,
    ttl: timedelta = LINK_TTL,
) -> NewRebindLink:
    """A one-time link that makes whoever opens it `person_id`'s account; `by=None`: the CLI."""
    admins = tuple(admin_ids)
    async with uows() as uow:
        name = await uow.people.person_name(person_id)
        if await uow.people.person(person_id) is None:
            raise NotFound(t.PERSON_NOT_FOUND)
        if by is not None and not await _may_rebind(
            uow, await grants_of(uow, by, admins), person_id, admins
        ):
            log.warning("refused rebind link by %s for %s", by, person_id)
            raise NotAllowed(t.NOT_ALLOWED)
        if person_id in admins:
            raise NotAllowed(t.CONFIGURED_ADMIN)
        token = secrets.token_urlsafe(16)
        expires_at = now + ttl
        rebind_id = await uow.accounts.add_rebind(
            person_id=person_id,
            kind="link",
            secret_hash=_hash(token),
            for_account_id=None,
            created_by=by,
            now=now,
            expires_at=expires_at,
        )
        await uow.accounts.add_event(person_id, "rebind_link", by, {"rebind": rebind_id}, now)
        await uow.commit()
    return NewRebindLink(token, name, expires_at)


async def create_rebind_link_for_application(
    uows: UnitOfWorkFactory,
    *,
    app_id: int,
    by: int,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> NewRebindLink:
    """A bureau admin moves the applicant of application `app_id` (their old account is lost)."""
    admins = tuple(admin_ids)
    async with uows() as uow:
        if not is_bureau(await grants_of(uow, by, admins)):
            raise NotAllowed(t.NOT_ALLOWED)
        app = await uow.applications.application(app_id)
    if app is None:
        raise NotFound(t.APPLICATION_NOT_FOUND)
    link = await create_rebind_link(uows, person_id=app.person_id, by=by, admin_ids=admins, now=now)
    return replace(link, person_name=app.values.get(keys.NAME) or link.person_name)


@dataclass(frozen=True)
class Rebound:
    """A person moved to the account that asked: whom to tell what."""

    person_id: int
    name: str
    old_chats: Sequence[int]
    """Telegram chats of the accounts detached: they are told, and their conversation ends."""
    app_id: int | None
    """The person's live application, to carry on with at its field."""
    menu: Menu
    link_made_by: int | None = None
    """Who made the link that was used (told it was); None for a code or the command line."""


async def open_rebind_link(
    uows: UnitOfWorkFactory,
    token: str,
    *,
    opener: Identity,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> Rebound:
    """Whoever opens a valid link becomes the person's Telegram account."""
    async with uows() as uow:
        row = await uow.accounts.rebind_by_hash(_hash(token)) if 8 <= len(token) <= 64 else None
        if row is None or row.kind != "link":
            log.warning("unknown rebind token from person %s", opener.person_id)
            raise NotAllowed(t.LINK_UNKNOWN)
        if row.revoked_at is not None or row.used_at is not None:
            raise NotAllowed(t.LINK_USED)
        if row.expires_at <= now:
            raise NotAllowed(t.LINK_EXPIRED.format(expired=format_local(row.expires_at)))
        rebound = await _rebind(
            uow, row.id, row.person_id, opener, row.created_by, "link", admin_ids, now
        )
        await uow.commit()
    return replace(rebound, link_made_by=row.created_by)


async def _rebind(
    uow: UnitOfWork,
    rebind_id: int,
    person_id: int,
    opener: Identity,
    actor_id: int | None,
    means: str,
    admin_ids: Iterable[int],
    now: datetime,
) -> Rebound:
    if opener.person_id == person_id:
        raise NotAllowed(t.ALREADY_THIS_PERSON)
    if opener.person_id in set(admin_ids) or await _holds_anything(uow, opener.person_id):
        raise NotAllowed(t.ACCOUNT_IN_USE)
    if not await uow.accounts.use_rebind(rebind_id, opener.account_id, now):
        raise NotAllowed(t.LINK_USED)
    old = await uow.accounts.accounts_of(person_id)
    for account in old:
        await uow.accounts.detach(account.id, now)
    await uow.accounts.move(opener.account_id, person_id, now)
    await uow.accounts.add_event(
        person_id,
        "rebind",
        actor_id,
        {"from": [a.id for a in old], "to": opener.account_id, "means": means, "rebind": rebind_id},
        now,
    )
    apps = await uow.applications.applications_of(person_id)
    live = [a for a in apps if a.status in EDITABLE]
    named = [a.values.get(keys.NAME) for a in apps if a.values.get(keys.NAME)]
    return Rebound(
        person_id=person_id,
        name=named[0] if named else await uow.people.person_name(person_id),
        old_chats=[int(a.chat_id) for a in old],
        app_id=live[0].id if live else None,
        menu=await menu_of(uow, person_id, admin_ids),
    )


async def _holds_anything(uow: UnitOfWork, person_id: int) -> bool:
    return bool(
        await uow.people.grants_of(person_id) or await uow.applications.applications_of(person_id)
    )


@dataclass(frozen=True)
class CodeSent:
    """A code went to the old account (or nothing did: the answer looks the same)."""

    old_chat: int | None
    code: str | None
    expires_at: datetime


async def request_code(
    uows: UnitOfWorkFactory,
    *,
    asker: Identity,
    id_number: str,
    now: datetime,
    ttl: timedelta = CODE_TTL,
) -> CodeSent:
    """Someone on a new account typed an ID number: a code goes to the account of the person
    who applied with it. Whether anyone did is not told (the answer is the same)."""
    expires_at = now + ttl
    day_ago = now - timedelta(days=1)
    async with uows() as uow:
        if await _holds_anything(uow, asker.person_id):
            raise NotAllowed(t.ACCOUNT_IN_USE)
        if (
            await uow.accounts.codes_since(day_ago, for_account_id=asker.account_id)
            >= CODES_PER_ACCOUNT
        ):
            raise NotAllowed(t.CODE_TOO_MANY)
        people = await uow.applications.people_with_id_number(id_number)
        if len(people) != 1 or people[0] == asker.person_id:
            log.info("rebind code asked by person %s: %s matches", asker.person_id, len(people))
            return CodeSent(None, None, expires_at)
        person_id = people[0]
        old = await uow.accounts.accounts_of(person_id)
        if (
            not old
            or await uow.accounts.codes_since(day_ago, person_id=person_id) >= CODES_PER_PERSON
        ):
            return CodeSent(None, None, expires_at)
        earlier = await uow.accounts.open_code_for(asker.account_id, now)
        if earlier is not None:
            await uow.accounts.revoke_rebind(earlier.id, now)
        code = f"{secrets.randbelow(10**6):06d}"
        rebind_id = await uow.accounts.add_rebind(
            person_id=person_id,
            kind="code",
            secret_hash=_sealed_code(asker.account_id, code),
            for_account_id=asker.account_id,
            created_by=None,
            now=now,
            expires_at=expires_at,
        )
        await uow.accounts.add_event(
            person_id, "rebind_code", None, {"rebind": rebind_id, "asker": asker.account_id}, now
        )
        await uow.commit()
    return CodeSent(int(old[0].chat_id), code, expires_at)


async def confirm_code(
    uows: UnitOfWorkFactory,
    *,
    asker: Identity,
    code: str,
    admin_ids: Iterable[int] = (),
    now: datetime,
) -> Rebound:
    """The code from the old account, typed on the new one: the person moves over."""
    async with uows() as uow:
        row = await uow.accounts.open_code_for(asker.account_id, now)
        if row is None:
            raise NotFound(t.CODE_NONE)
        typed = _sealed_code(asker.account_id, code.strip(), row.secret_hash[:16])
        if not secrets.compare_digest(typed, row.secret_hash):
            await uow.accounts.count_attempt(row.id)
            if row.attempts + 1 >= CODE_ATTEMPTS:
                await uow.accounts.revoke_rebind(row.id, now)
                await uow.commit()
                raise NotAllowed(t.CODE_DEAD)
            await uow.commit()
            raise NotAllowed(t.CODE_WRONG.format(left=CODE_ATTEMPTS - row.attempts - 1))
        rebound = await _rebind(
            uow, row.id, row.person_id, asker, row.person_id, "code", admin_ids, now
        )
        await uow.commit()
    return rebound
