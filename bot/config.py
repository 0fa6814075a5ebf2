"""Settings from the environment and an optional `.env` file."""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.texts import ops as t


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = ""
    """Telegram bot token from BotFather; only `expertbot run` needs it."""
    database_url: str = "sqlite:///expertbot.db"
    """SQLite file in the working folder by default; postgresql+asyncpg://… for PostgreSQL."""
    bot_username: str | None = None
    """The bot's @username, for printing t.me deep links from the CLI."""
    telegram_api_base: str | None = None
    """Base URL of a self-hosted Bot API server, as TelegramAPIServer.from_base takes it."""
    bureau_admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    """Telegram user ids that are bureau admins from the start."""
    max_photo_bytes: int = Field(default=5 * 1024 * 1024, gt=0)

    webhook_url: str | None = None
    """Public https:// address Telegram posts updates to; its path is the route served. Setting it selects webhook mode."""
    webhook_secret: str | None = None
    """Telegram sends it in X-Telegram-Bot-Api-Secret-Token; webhook mode refuses to start without it."""
    webhook_host: str = "127.0.0.1"
    """Address the webhook server listens on, behind the reverse proxy that terminates TLS."""
    webhook_port: int = Field(default=8080, gt=0, lt=65536)
    redis_url: str | None = None
    """redis://… : conversation state lives in Redis, so several instances can serve one bot."""
    state_ttl_days: int = Field(default=30, gt=0)
    """Redis forgets a conversation's state this long after its last change (the draft stays in the database)."""
    log_format: Literal["json", "text"] = "json"
    """`json`: one JSON object a line, for a log collector; `text` for a terminal."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    data_key: SecretStr | None = None
    """Base64 of 32 random bytes (`expertbot keys generate`): encrypts ID numbers, phones, addresses, photos."""
    data_key_file: str | None = None
    """A file holding DATA_KEY instead (e.g. a mounted secret); DATA_KEY wins when both are set."""
    data_old_keys: Annotated[tuple[SecretStr, ...], NoDecode] = ()
    """Earlier data keys, comma-separated: they still decrypt, never encrypt (during a rotation)."""
    index_key: SecretStr | None = None
    """Key of the ID-number hash used to find duplicates; unset: derived from DATA_KEY."""
    retention_days: int = Field(default=180, gt=0)
    """Withdrawn and declined applications lose their personal fields this long after the last change."""
    rate_limit: int = Field(default=20, ge=0)
    """Updates one user may send per RATE_LIMIT_WINDOW seconds; the excess is dropped. 0: no limit."""
    rate_limit_window: float = Field(default=10.0, gt=0)

    export_delivery: Literal["chat", "link"] = "chat"
    """`chat`: exports arrive as Telegram documents; `link`: a one-time, expiring download link."""
    public_base_url: str | None = None
    """Public https:// base of the bot's web server for download links; required when EXPORT_DELIVERY=link."""
    download_ttl_minutes: int = Field(default=30, gt=0)
    """How long a download link stays valid (it works once)."""
    download_host: str = "127.0.0.1"
    """Address the download server listens on in polling mode (webhook mode serves links itself)."""
    download_port: int = Field(default=8090, gt=0, lt=65536)

    @field_validator("bureau_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return tuple(int(p) for p in parts)
            except ValueError:
                raise ValueError(t.ADMIN_IDS) from None
        return value

    @field_validator("data_old_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        return value

    @field_validator("webhook_url", "webhook_secret", "redis_url", "public_base_url", "data_key", "data_key_file", "index_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"[0-9]+:[A-Za-z0-9_-]+", value):
            raise ValueError(t.BOT_TOKEN_FORMAT)
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError(t.WEBHOOK_URL_HTTPS)
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError(t.PUBLIC_BASE_URL_HTTPS)
        return None if value is None else value.rstrip("/")

    @field_validator("webhook_secret")
    @classmethod
    def _secret_alphabet(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value):
            raise ValueError(t.WEBHOOK_SECRET_ALPHABET)
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(t.REDIS_URL_SCHEME)
        return value

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        # sqlite+aiosqlite:// is what earlier versions wrote into .env files: the same file.
        if not value.startswith(("sqlite://", "sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(t.DATABASE_URL_SCHEME)
        return value


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        name = field.upper() if field else t.SETTINGS
        raise SettingsError(t.SETTING.format(name=name, problem=_problem(first, field))) from None


def _problem(error: ErrorDetails, field: str | None) -> str:
    """pydantic's refusal in the texts' words: ours as raised, its own by type."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "literal_error" and field in Settings.model_fields:
        choices = get_args(Settings.model_fields[field].annotation)
        return t.ONE_OF.format(choices="、".join(map(str, choices)))
    if kind in t.PYDANTIC:
        return t.PYDANTIC[kind].format(**ctx)
    return t.INVALID
