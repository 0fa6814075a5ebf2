"""An offline Telegram: a bot session that records requests and users that type and click.

The same Dispatcher that serves Telegram runs here with no token and no
network. Tests assert on what the bot sent; `expertbot console` prints it.
The session makes up plausible results for the methods the bot uses and
fails loudly on any other, so a new API call cannot slip by untested.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    File,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Update,
    User,
)

from bot.services.transaction import CallInsideUnitOfWork, unit_of_work_open
from bot.texts.limits import ALERT, CAPTION, MESSAGE, fits


def refuse_inside_unit_of_work(what: str) -> None:
    """Fails loudly when Telegram is called while a unit of work is open in this task."""
    if unit_of_work_open.get():
        raise CallInsideUnitOfWork(f"{what} was called while a unit of work was open")


BOT_USER = User(id=42, is_bot=True, first_name="专家库申报", username="cq_expert_bot")


@dataclass
class Sent:
    """One message as the user sees it now (edits update it in place)."""

    message_id: int
    chat_id: int
    text: str
    reply_markup: Any = None
    document: tuple[str, bytes] | None = None
    revision: int = 0
    """Raised on every send or edit, so a viewer can tell what changed since it last looked."""
    photo: tuple[str, bytes] | None = None
    """A photo's file name and bytes (sendPhoto, or one of a sendMediaGroup album); the text
    is its caption. A photo sent again by file_id has the id and no bytes."""

    def buttons(self) -> list[tuple[str, str]]:
        """Inline buttons as (text, callback_data), in reading order."""
        if not isinstance(self.reply_markup, InlineKeyboardMarkup):
            return []
        return [
            (b.text, b.callback_data or "")
            for row in self.reply_markup.inline_keyboard
            for b in row
        ]

    def reply_buttons(self) -> list[Any]:
        markup = self.reply_markup
        keyboard = getattr(markup, "keyboard", None) or []
        return [b for row in keyboard for b in row]


def _over_limit(method: TelegramMethod[Any]) -> str | None:
    """Telegram's refusal of a text over its limit, counted as Telegram counts (UTF-16)."""
    match method:
        case SendMessage() | EditMessageText() if not fits(method.text, MESSAGE):
            return "Bad Request: message is too long"
        case SendPhoto() | SendDocument() if method.caption and not fits(method.caption, CAPTION):
            return "Bad Request: message caption is too long"
        case SendMediaGroup() if any(
            m.caption and not fits(m.caption, CAPTION) for m in method.media
        ):
            return "Bad Request: message caption is too long"
        case AnswerCallbackQuery() if method.text and not fits(method.text, ALERT):
            return "Bad Request: MESSAGE_TOO_LONG"
    return None


class OfflineSession(BaseSession):
    """Records every request; answers as Telegram would for the methods the bot uses.

    `latency` (seconds) delays every answer, as Telegram's round trip does from
    far away; the default answers at once. `history` keeps only that many
    messages per chat and no request log: a long benchmark run would otherwise
    hold every message it ever sent, and the collector's pauses over that heap
    would be counted as the bot's. Message ids count up from `first_message_id`.
    """

    def __init__(
        self, latency: float = 0.0, history: int | None = None, first_message_id: int = 1000
    ) -> None:
        super().__init__()
        self.latency = latency
        self.history = history
        self.requests: list[TelegramMethod[Any]] = []
        self.messages: dict[tuple[int, int], Sent] = {}
        self._by_chat: dict[int, list[Sent]] = {}
        self.files: dict[str, bytes] = {}
        self.blocked: set[int] = set()
        self.callback_answers: dict[str, str] = {}
        self.deleted: list[tuple[int, int]] = []
        """callback_query_id -> the text of answerCallbackQuery ("" when answered silently)."""
        self._ids = itertools.count(first_message_id)
        self._revisions = itertools.count(1)

    async def close(self) -> None:
        pass

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        refuse_inside_unit_of_work(type(method).__name__)
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        if self.history is None:
            self.requests.append(method)
        chat_id = getattr(method, "chat_id", None)
        if chat_id in self.blocked:
            raise TelegramForbiddenError(method=method, message="Forbidden: bot was blocked by the user")
        too_long = _over_limit(method)
        if too_long:
            raise TelegramBadRequest(method=method, message=too_long)
        match method:
            case GetMe():
                return BOT_USER
            case SendMessage():
                return self._record(method.chat_id, method.text, method.reply_markup)
            case SendDocument():
                doc = method.document
                payload = (getattr(doc, "filename", "") or "", _input_file_bytes(doc))
                return self._record(
                    method.chat_id, method.caption or "", method.reply_markup, document=payload
                )
            case SendPhoto():
                return self._record(
                    method.chat_id,
                    method.caption or "",
                    method.reply_markup,
                    photo=_input_file(method.photo),
                )
            case SendMediaGroup():
                if not 2 <= len(method.media) <= 10:
                    raise TelegramBadRequest(
                        method=method, message="Bad Request: wrong number of media"
                    )
                return [
                    self._record(method.chat_id, m.caption or "", None, photo=_input_file(m.media))
                    for m in method.media
                ]
            case EditMessageText():
                sent = self._find(method.chat_id, method.message_id)
                sent.text, sent.reply_markup = method.text, method.reply_markup
                sent.revision = next(self._revisions)
                return True
            case EditMessageReplyMarkup():
                sent = self._find(method.chat_id, method.message_id)
                sent.reply_markup, sent.revision = method.reply_markup, next(self._revisions)
                return True
            case DeleteMessage():
                self.deleted.append((int(method.chat_id), method.message_id))
                return True
            case AnswerCallbackQuery():
                self.callback_answers[method.callback_query_id] = method.text or ""
                return True
            case SetMyCommands():
                return True
            case GetFile():
                data = self.files.get(method.file_id)
                if data is None:
                    raise TelegramBadRequest(method=method, message="Bad Request: invalid file_id")
                return File(
                    file_id=method.file_id,
                    file_unique_id=f"u{method.file_id}",
                    file_size=len(data),
                    file_path=method.file_id,
                )
        raise AssertionError(f"offline session does not know {type(method).__name__}")

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        refuse_inside_unit_of_work("a file download")
        yield self.files[url.rsplit("/", 1)[-1]]

    def _record(
        self,
        chat_id: Any,
        text: str,
        markup: Any,
        document: tuple[str, bytes] | None = None,
        photo: tuple[str, bytes] | None = None,
    ) -> Message:
        message_id = next(self._ids)
        sent = Sent(
            message_id, int(chat_id), text, markup, document, next(self._revisions), photo
        )
        self.messages[(int(chat_id), message_id)] = sent
        self._by_chat.setdefault(int(chat_id), []).append(sent)
        return Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=int(chat_id), type="private"),
            from_user=BOT_USER,
            text=text,
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
        )

    def _find(self, chat_id: Any, message_id: Any) -> Sent:
        try:
            return self.messages[(int(chat_id), int(message_id))]
        except KeyError:
            raise TelegramBadRequest(
                method=None, message="Bad Request: message to edit not found"  # type: ignore[arg-type]
            ) from None

    def inbox(self, chat_id: int) -> list[Sent]:
        return list(self._by_chat.get(chat_id, ()))

    def trim(self, chat_id: int) -> None:
        """Forgets a chat's messages beyond the last `history` (see the class)."""
        kept = self._by_chat.get(chat_id)
        if self.history is None or kept is None or len(kept) <= self.history:
            return
        for old in kept[: -self.history]:
            self.messages.pop((old.chat_id, old.message_id), None)
        del kept[: -self.history]


def _input_file_bytes(doc: Any) -> bytes:
    data = getattr(doc, "data", None)
    return data if isinstance(data, bytes) else b""


def _input_file(media: Any) -> tuple[str, bytes]:
    """(file name, bytes) of an uploaded file; (file_id, b"") of one sent again by id."""
    if isinstance(media, str):
        return media, b""
    return getattr(media, "filename", "") or "", _input_file_bytes(media)


@dataclass
class OfflineUser:
    """A person in the offline chat: sends messages and presses buttons like a Telegram client."""

    world: OfflineWorld
    id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    seen: int = field(default=0)
    last_query_id: str | None = None

    @property
    def tg(self) -> User:
        return User(
            id=self.id,
            is_bot=False,
            first_name=self.first_name,
            last_name=self.last_name or None,
            username=self.username,
            language_code="zh-hans",
        )

    @property
    def chat(self) -> Chat:
        return Chat(id=self.id, type="private", first_name=self.first_name)

    def _message(self, **fields: Any) -> Message:
        return Message(
            message_id=next(self.world.incoming_ids),
            date=self.world.now(),
            chat=self.chat,
            from_user=self.tg,
            **fields,
        )

    async def send(self, text: str, **extra: Any) -> list[Sent]:
        return await self.world.feed(self, message=self._message(text=text, **extra))

    async def send_message(self, **fields: Any) -> list[Sent]:
        """Any message content: sticker=…, voice=…, location=…, document=…."""
        return await self.world.feed(self, message=self._message(**fields))

    async def send_photo(self, data: bytes, width: int = 600, height: int = 800) -> list[Sent]:
        file_id = self.world.upload(data)
        photo = [
            PhotoSize(
                file_id=file_id,
                file_unique_id=f"u{file_id}",
                width=width,
                height=height,
                file_size=len(data),
            )
        ]
        return await self.world.feed(self, message=self._message(photo=photo))

    async def send_file(self, data: bytes, name: str, mime: str = "image/jpeg") -> list[Sent]:
        file_id = self.world.upload(data)
        doc = Document(
            file_id=file_id,
            file_unique_id=f"u{file_id}",
            file_name=name,
            mime_type=mime,
            file_size=len(data),
        )
        return await self.world.feed(self, message=self._message(document=doc))

    async def share_contact(self, phone: str, user_id: int | None = None) -> list[Sent]:
        contact = Contact(
            phone_number=phone,
            first_name=self.first_name,
            user_id=self.id if user_id is None else user_id,
        )
        return await self.world.feed(self, message=self._message(contact=contact))

    async def press(self, label: str, *, message: Sent | None = None) -> list[Sent]:
        """Presses the newest inline button whose text contains `label`."""
        for sent in [message] if message else reversed(self.world.session.inbox(self.id)):
            for text, data in sent.buttons():
                if label in text:
                    return await self.press_data(data, sent)
        raise LookupError(f"no button {label!r} for user {self.id}")

    async def press_data(self, data: str, sent: Sent | None = None) -> list[Sent]:
        """Sends callback data as a (possibly modified) client would."""
        sent = sent or self.inbox()[-1]
        self.last_query_id = str(next(self.world.incoming_ids))
        query = CallbackQuery(
            id=self.last_query_id,
            from_user=self.tg,
            chat_instance=str(self.id),
            data=data,
            message=Message(
                message_id=sent.message_id,
                date=self.world.now(),
                chat=self.chat,
                from_user=BOT_USER,
                text=sent.text,
                # Telegram sends the keyboard pressed with the message it is on.
                reply_markup=sent.reply_markup
                if isinstance(sent.reply_markup, InlineKeyboardMarkup)
                else None,
            ),
        )
        return await self.world.feed(self, callback_query=query)

    def inbox(self) -> list[Sent]:
        return self.world.session.inbox(self.id)

    @property
    def alert(self) -> str | None:
        """What the bot answered to the latest button press (None: not answered at all)."""
        if self.last_query_id is None:
            return None
        return self.world.session.callback_answers.get(self.last_query_id)

    def last(self) -> Sent:
        return self.inbox()[-1]

    def texts(self) -> list[str]:
        return [m.text for m in self.inbox()]

    def new_messages(self) -> list[Sent]:
        """Messages sent or edited since the user last looked; marks them seen."""
        fresh = [m for m in self.inbox() if m.revision > self.seen]
        self.seen = max((m.revision for m in fresh), default=self.seen)
        return fresh


class OfflineWorld:
    """A Dispatcher, a Bot on an offline session, and the people who talk to it."""

    def __init__(
        self, dispatcher: Dispatcher, bot: Bot, now: Callable[[], datetime] | None = None
    ) -> None:
        self.dp = dispatcher
        self.bot = bot
        assert isinstance(bot.session, OfflineSession)
        self.session: OfflineSession = bot.session
        self.now = now or (lambda: datetime.now(UTC))
        self.incoming_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    async def close(self) -> None:
        """Ends the world as a shutdown would: the FSM storage and the bot session."""
        await self.dp.fsm.storage.close()
        await self.bot.session.close()

    def user(self, user_id: int, first_name: str = "用户", **kw: Any) -> OfflineUser:
        return OfflineUser(self, user_id, first_name, **kw)

    def upload(self, data: bytes) -> str:
        file_id = f"file{next(self._file_ids)}"
        self.session.files[file_id] = data
        return file_id

    async def feed(self, user: OfflineUser, **payload: Any) -> list[Sent]:
        before = len(self.session.inbox(user.id))
        update = Update(update_id=next(self._update_ids), **payload)
        await self.dp.feed_update(self.bot, update)
        new = self.session.inbox(user.id)[before:]
        self.session.trim(user.id)
        return new
