"""`expertbot run` before it starts: a refused token, no route to Telegram, a webhook left registered: one line, nothing opened."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot import cli
from bot.config import SettingsError, load_settings
from bot.texts import ops
from tests.deploy.support import free_port

ME = {"id": 42, "is_bot": True, "first_name": "专家库", "username": "cq_expert_bot"}
LEFT_HOOK = {"url": "https://bot.example.test/tg", "has_custom_certificate": False, "pending_update_count": 3}


def bot_api(answers: dict[str, tuple[int, Any]]) -> type[BaseHTTPRequestHandler]:
    """A Bot API that answers each method (the path's last part) with a status and a result."""

    class Answers(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            status, result = answers[self.path.rsplit("/", 1)[-1]]
            if status == 200:
                body = {"ok": True, "result": result}
            else:
                body = {"ok": False, "error_code": status, "description": result}
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Answers


@contextmanager
def serving(answers: dict[str, tuple[int, Any]]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), bot_api(answers))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def refusing_api() -> Iterator[str]:
    """The Bot API's answer to a revoked token: 401 Unauthorized."""
    with serving({"getMe": (401, "Unauthorized")}) as url:
        yield url


@pytest.fixture
def run_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "42:TEST")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.db")
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET", "REDIS_URL", "EXPORT_DELIVERY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run_and_read_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        cli.main(list(argv or ["run"]))
    assert exit_.value.code == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("expertbot:")]
    assert len(lines) == 1, lines
    return lines[0]


def test_a_token_telegram_refuses_is_one_line_before_the_database_is_made(
    run_env, refusing_api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_API_BASE", refusing_api)
    line = run_and_read_error(capsys)
    assert line == "expertbot: " + ops.TOKEN_REFUSED.format(reason="Unauthorized")
    assert not (run_env / "bot.db").exists()


def test_a_reminder_pass_with_a_refused_token_stops_before_sending(
    run_env, refusing_api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_API_BASE", refusing_api)
    line = run_and_read_error(capsys, "remind", "--once")
    assert line == "expertbot: " + ops.TOKEN_REFUSED.format(reason="Unauthorized")


def test_no_route_to_telegram_is_one_line_naming_the_server(
    run_env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("TELEGRAM_API_BASE", nobody)
    line = run_and_read_error(capsys)
    prefix, _, rest = ops.TELEGRAM_UNREACHABLE.partition("{reason}")
    assert line.startswith("expertbot: " + prefix.format(server=nobody))
    assert line.endswith(rest)
    assert not (run_env / "bot.db").exists()


def test_long_polling_with_a_webhook_left_registered_says_how_to_remove_it(
    run_env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving({"getMe": (200, ME), "getWebhookInfo": (200, LEFT_HOOK)}) as api:
        monkeypatch.setenv("TELEGRAM_API_BASE", api)
        line = run_and_read_error(capsys)
    expected = ops.WEBHOOK_STILL_SET.format(url=LEFT_HOOK["url"], server=api)
    assert line == "expertbot: " + expected
    assert f"curl -s {api}/bot$BOT_TOKEN/deleteWebhook" in line
    assert not (run_env / "bot.db").exists()


@pytest.mark.parametrize("token", ["abc", "123456 :AAE", "'123456:AAE'", "123456:"])
def test_a_token_not_shaped_like_botfathers_is_refused_as_a_setting(token: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(bot_token=token)
    assert str(refused.value) == f"BOT_TOKEN：{ops.BOT_TOKEN_FORMAT}"


def test_a_token_copied_with_spaces_around_it_is_taken() -> None:
    assert load_settings(bot_token=" 123456:AAE-x_y \n").bot_token == "123456:AAE-x_y"
