"""`expertbot console`: the real Dispatcher and handlers in a terminal, offline.

Messages the bot sends are printed with their buttons numbered. Type text
to answer, `#N` to press button N, and `:help` for the rest. Commands are
read line by line from standard input, so a session can also be scripted.
A photo the bot sends (a review card's portrait, a /stats chart) is written
to a temporary folder and its path printed, to open in an image viewer.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

from aiogram import Bot

from bot.clock import TZ, SystemClock, format_local, local
from bot.config import Settings
from bot.demo import (
    DEMO_EXPERTS,
    seed_demo,
    seed_demo_experts,
    seed_demo_qualified,
    seed_demo_reviewers,
)
from bot.main import create_dispatcher
from bot.offline import OfflineSession, OfflineUser, OfflineWorld, Sent
from bot.ratelimit import RateLimiter
from bot.services.reminders import send_due_reminders
from bot.texts import console as t
from handlers.sending import TelegramSender
from storage.crypto import Keyring, configure, generate_key, keyring_from
from storage.db import create_database
from storage.keystore import check_keys
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory

log = logging.getLogger(__name__)

COMMAND = re.compile(r":[A-Za-z]+")
"""A console command: a colon and a word. Anything else is sent to the bot as typed."""


class Mistake(Exception):
    """A console line that cannot run as typed; the message is the line to print."""


def demo_accounts() -> dict[int, str]:
    """Who each demo Telegram account plays, this run's own copy (`:user new` adds to it)."""
    experts = {
        uid: t.EXPERT_ACCOUNT.format(group=group, name=name)
        for uid, name, group, *_ in DEMO_EXPERTS
    }
    return {**t.ACCOUNTS, **experts}


def demo_deadlines(now: datetime) -> tuple[datetime, datetime]:
    """Two and four weeks ahead, at 18:00 Beijing time, as a notice would set them."""
    today = local(now).date()

    def evening(days: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time_of_day(18, 0), tzinfo=TZ)

    return evening(14), evening(28)


async def run_console(settings: Settings, db_path: str) -> None:
    clock = SystemClock()
    keyring = console_keys(settings, db_path)
    database = create_database(f"sqlite:///{db_path}")
    await upgrade(database)
    await check_keys(database, keyring, clock.now())
    now = clock.now()
    async with unit_of_work_factory(database)() as uow:
        await seed_demo(uow, now, deadlines=demo_deadlines(now), name=t.CAMPAIGN_NAME)
        await seed_demo_reviewers(uow, now)
        await seed_demo_qualified(uow, now)
        await uow.commit()
        campaign = await uow.campaigns.current_campaign()
        assert campaign is not None
    await seed_demo_experts(unit_of_work_factory(database), now)
    # The database remembers the ids of cards sent in earlier runs (to rewrite them on a decision):
    # this run's ids start above theirs, as a chat's ids only grow on Telegram.
    bot = Bot(token="42:OFFLINE", session=OfflineSession(first_message_id=time.time_ns() // 1000))
    # One person at a keyboard (or a script): the per-user flood limit would only get in the way.
    settings = settings.model_copy(update={"rate_limit": 0})
    dp = create_dispatcher(settings=settings, database=database, clock=clock)
    world = OfflineWorld(dp, bot, now=clock.now)
    console = Console(world, bot, clock, unit_of_work_factory(database), demo_accounts())
    print(t.BANNER.format(db=db_path, id=console.user.id, label=console.labels[console.user.id]))
    # The campaign's own deadline: a database from an earlier run keeps the one it was seeded with.
    print(t.DEADLINE.format(deadline=format_local(campaign.unit_deadline)))
    interactive = sys.stdin.isatty()
    tracebacks = settings.log_level.upper() == "DEBUG"
    while True:
        if interactive:
            print(f"[{console.user.id}]> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        line = line.rstrip("\n")
        if not interactive:
            print(f"[{console.user.id}]> {line}")
        if line in (":quit", ":q"):
            break
        try:
            await console.run(line)
        except Mistake as mistake:
            print(mistake)
        except Exception as problem:
            # A bug in the console or a handler: one line for the person at the keyboard, one
            # labelled line on stderr, the traceback only when LOG_LEVEL=DEBUG.
            log.error(
                "console line failed: %s: %s",
                type(problem).__name__,
                problem,
                exc_info=problem if tracebacks else None,
            )
            print(t.FAILED)
    await world.close()
    await database.dispose()


class Console:
    """The demo's accounts, who is at the keyboard, and the buttons last printed."""

    def __init__(
        self, world: OfflineWorld, bot: Bot, clock: SystemClock, uows: Any, labels: dict[int, str]
    ) -> None:
        self.world = world
        self.bot = bot
        self.clock = clock
        self.uows = uows
        self.labels = labels
        self.users = {uid: world.user(uid, label.split()[-1]) for uid, label in labels.items()}
        self.user = self.users[1001]
        self.photos = Path(tempfile.mkdtemp(prefix="expertbot-console-"))
        self.buttons: list[tuple[str, str, Sent]] = []
        self.printed: dict[int, set[int]] = {}
        """By Telegram account: the ids of the messages printed, to mark one printed again as edited."""

    async def run(self, line: str) -> None:
        """Runs one line: a console command, a button press, or a message to the bot; prints
        what the bot sent. Raises Mistake for a line that cannot run as typed."""
        command, _, rest = line.partition(" ")
        rest = rest.strip()
        if line.startswith("#"):
            await self._press(line)
        elif not COMMAND.fullmatch(command):
            if line:
                await self.user.send(line)
        elif command == ":help":
            print(t.HELP)
            return
        elif command == ":users":
            for uid in self.users:
                print(f"  {await self._account_line(uid)}")
            return
        elif command == ":user":
            self._switch(_argument(command, rest))
            print(t.CURRENT.format(account=await self._account_line(self.user.id)))
            self.buttons = self._show()
            return
        elif command == ":save":
            print(_save(self.user, Path(rest or ".")))
            return
        elif command == ":remind":
            sender = TelegramSender(self.bot, RateLimiter(sleep=_no_wait), self.clock, self.uows)
            report = await send_due_reminders(self.uows, sender, self.clock)
            print(t.REMINDED.format(sent=report.sent))
        elif command == ":photo":
            await self.user.send_photo(_read(_argument(command, rest)).read_bytes())
        elif command == ":file":
            path = _read(_argument(command, rest))
            await self.user.send_file(path.read_bytes(), path.name)
        elif command == ":contact":
            await self.user.share_contact(rest.split()[0] if rest else "+8613800000000")
        else:
            raise Mistake(t.UNKNOWN_COMMAND.format(command=command))
        self.buttons = self._show() or self.buttons

    def _show(self) -> list[tuple[str, str, Sent]]:
        return _show(self.user, self.photos, self.printed.setdefault(self.user.id, set()))

    async def _press(self, line: str) -> None:
        """`#3` presses button 3; `#沙坪坝区` the button so labelled, or the one label holding it."""
        if not self.buttons:
            raise Mistake(t.NO_BUTTONS)
        wanted = line[1:].strip()
        if wanted.isdigit():
            number = int(wanted)
            if not 1 <= number <= len(self.buttons):
                raise Mistake(t.NO_BUTTON.format(line=line, count=len(self.buttons)))
        else:
            number = self._numbered(wanted)
        _, data, sent = self.buttons[number - 1]
        await self.user.press_data(data, sent)
        if self.user.alert:
            print(t.ALERT.format(text=self.user.alert))

    def _numbered(self, text: str) -> int:
        """The number of the button labelled `text`, else of the only one whose label holds it."""
        labels = [label for label, _, _ in self.buttons]
        exact = [n for n, label in enumerate(labels, 1) if label == text]
        holding = exact or [n for n, label in enumerate(labels, 1) if text and text in label]
        if len(holding) == 1:
            return holding[0]
        if not holding:
            raise Mistake(t.NO_LABEL.format(text=text, count=len(labels)))
        choices = "、".join(f"#{n} {labels[n - 1]}" for n in holding)
        raise Mistake(t.LABELS_MATCH.format(text=text, choices=choices))

    def _switch(self, wanted: str) -> None:
        if wanted == "new":
            uid = max(self.users) + 1
            self.users[uid] = self.world.user(uid, t.NEW_ACCOUNT_NAME.format(id=uid))
            self.labels[uid] = t.NEW_ACCOUNT.format(id=uid)
            wanted = str(uid)
        if not wanted.isdigit() or int(wanted) not in self.users:
            raise Mistake(t.NO_USER.format(wanted=wanted))
        self.user = self.users[int(wanted)]

    async def _account_line(self, telegram_id: int) -> str:
        """`Telegram 1101 → 人员 #5 刘安全 · 申报人 · 专家状态：在聘`: which person an
        account is, if any yet, and where that person stands now, read from the data."""
        async with self.uows() as uow:
            account = await uow.accounts.attached("telegram", str(telegram_id))
            name = await uow.people.person_name(account.person_id) if account else ""
            standing = await _standing(uow, account.person_id) if account else ""
        label = self.labels.get(telegram_id, "")
        if account is None:
            who = t.ACCOUNT_UNUSED
        else:
            who = t.ACCOUNT_PERSON.format(person=account.person_id, name=name).rstrip()
            role, _, demo_name = label.rpartition(" ")
            if role and demo_name == name:
                label = role  # the name is in `who` already
        return t.ACCOUNT_LINE.format(
            id=telegram_id, who=who, label=label,
            now=t.ACCOUNT_NOW.format(standing=standing) if standing else "",
        )  # fmt: skip


async def _standing(uow: Any, person_id: int) -> str:
    """An expert's standing, else the state of their newest application, else nothing."""
    from bot.texts import chat, registry

    expert = await uow.registry.expert_of(person_id)
    if expert is not None:
        standing = registry.STANDING.get(expert.standing, expert.standing)
        if expert.standing == "appointed" and expert.not_renewed_on is not None:
            standing = registry.STANDING_NOT_RENEWED
        return t.ACCOUNT_EXPERT.format(standing=standing)
    applications = await uow.applications.applications_of(person_id)
    if applications:
        status = str(applications[0].status)
        return t.ACCOUNT_APPLICATION.format(status=chat.STATUS.get(status, status))
    return ""


def _argument(command: str, rest: str) -> str:
    """What follows `command`, or a Mistake saying what should."""
    if not rest:
        what, example = t.ARGUMENTS[command]
        raise Mistake(t.NEEDS_ARGUMENT.format(command=command, what=what, example=example))
    return rest


def _read(text: str) -> Path:
    """A file the person named, checked before reading, so a typo gets a line, not a traceback."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise Mistake(t.IS_A_FOLDER.format(path=path))
    if not path.exists():
        raise Mistake(t.NO_FILE.format(path=path))
    if not path.is_file() or not os.access(path, os.R_OK):
        raise Mistake(t.CANNOT_READ.format(path=path))
    return path


async def _no_wait(_: float) -> None:
    """One person at a keyboard: the reminder pass need not pace itself."""


def console_keys(settings: Settings, db_path: str) -> Keyring:
    """DATA_KEY if set, else a key kept in a file next to the demo database (made on first use)."""
    from bot.main import configure_keys

    keyring = configure_keys(settings)
    if keyring is not None:
        return keyring
    key_file = Path(f"{db_path}.key")
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(generate_key() + "\n", encoding="ascii")
        print(t.KEY_MADE.format(path=key_file))
    else:
        print(t.KEY_USED.format(path=key_file))
    keyring = keyring_from(data_key=None, data_key_file=key_file)
    assert keyring is not None
    configure(keyring)
    return keyring


def _show(user: OfflineUser, photos: Path, printed: set[int]) -> list[tuple[str, str, Sent]]:
    """Prints what the bot sent or edited since last time, marking a message in `printed` as
    edited, and numbers the inline buttons; writes each photo into `photos` and prints its path."""
    numbered: list[tuple[str, str, Sent]] = []
    for sent in user.new_messages():
        print("─" * 40 + (t.UPDATED if sent.message_id in printed else ""))
        printed.add(sent.message_id)
        print(sent.text)
        if sent.document:
            print(t.DOCUMENT.format(name=sent.document[0], size=len(sent.document[1])))
        if sent.photo:
            print(t.PHOTO.format(where=_photo_file(sent, photos)))
        for text, data in sent.buttons():
            numbered.append((text, data, sent))
            print(t.INLINE_BUTTON.format(n=len(numbered), text=text))
        for b in sent.reply_buttons():
            hint = t.CONTACT_HINT if getattr(b, "request_contact", False) else ""
            print(t.REPLY_BUTTON.format(text=b.text, hint=hint))
    return numbered


def _photo_file(sent: Sent, folder: Path) -> str:
    """Writes a photo the bot sent into `folder` (named after its message); says where."""
    assert sent.photo is not None
    name, data = sent.photo
    if not data:
        return t.PHOTO_WITHOUT_BYTES.format(name=name)
    target = folder / f"{sent.message_id}_{Path(name).name or 'photo.jpg'}"
    target.write_bytes(data)
    return t.PHOTO_WRITTEN.format(path=target, size=len(data))


def _save(user: OfflineUser, folder: Path) -> str:
    """Writes the newest document or photo in the user's chat into `folder`; says where."""
    sent = next((m for m in reversed(user.inbox()) if m.document or m.photo), None)
    if sent is None:
        return t.NOTHING_TO_SAVE
    name, data = sent.document or sent.photo or ("", b"")
    target = folder.expanduser() / (Path(name).name or "file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as problem:
        raise Mistake(t.CANNOT_WRITE.format(path=target)) from problem
    return t.SAVED.format(path=target, size=len(data))
