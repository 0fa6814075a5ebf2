"""Settings from the environment and an optional `.env` file."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = ""
    """Telegram bot token from BotFather; only `expertbot run` needs it."""
    database_url: str = "sqlite+aiosqlite:///expertbot.db"
    """SQLite file in the working folder by default; postgresql+asyncpg://… for PostgreSQL."""
    bot_username: str | None = None
    """The bot's @username, for printing t.me deep links from the CLI."""
    telegram_api_base: str | None = None
    """Base URL of a self-hosted Bot API server, as TelegramAPIServer.from_base takes it."""
    bureau_admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    """Telegram user ids that are bureau admins from the start."""
    max_photo_bytes: int = Field(default=5 * 1024 * 1024, gt=0)

    @field_validator("bureau_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return tuple(int(p) for p in parts)
            except ValueError:
                raise ValueError("must be comma-separated Telegram user ids") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from None
