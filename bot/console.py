"""`expertbot console`: the real Dispatcher and handlers in a terminal, offline.

Messages the bot sends are printed with their buttons numbered. Type text
to answer, `#N` to press button N, and `:help` for the rest. Commands are
read line by line from standard input, so a session can also be scripted.
A photo the bot sends (a review card's portrait, a /stats chart) is written
to a temporary folder and its path printed, to open in an image viewer.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot

from bot.clock import SystemClock, format_local
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
from handlers.sending import TelegramSender
from storage.crypto import Keyring, configure, generate_key, keyring_from
from storage.db import create_database
from storage.keystore import check_keys
from storage.migrate import upgrade
from storage.uow import unit_of_work_factory

HELP = """\
  text        send a message (e.g. /start)
  #N          press button N of the latest messages
  :photo PATH send an image as a photo      :file PATH  send a file (document)
  :contact    share your phone number (:contact 13800000000 to choose it)
  :user ID    switch to Telegram account ID :users      accounts and the persons behind them
  :user new   a new Telegram account (e.g. a colleague taking over, or a new phone)
  :save DIR   write the latest file or photo the bot sent you into DIR (default: here)
              (photos are also written at once to a temporary folder, whose path is printed)
  :remind     one reminder pass now: what waits in the outbox goes out (appointments,
              term reminders, …) and experts whose term's last day has passed become due
  :help       this help                     :quit       leave"""

DEMO_USERS = {
    1001: "申报人 张三",
    1002: "申报人 李四",
    2001: "单位审核人（重庆大学） 王老师",
    3001: "区县审核人（沙坪坝区） 赵科长",
    9001: "市局管理员 周处长",
    9002: "市局审核人 钱科员",
    1101: "资格审核已通过 刘安全（聘任后为专家）",
    1102: "资格审核已通过 陈卫生（聘任后为专家）",
    1103: "资格审核已通过 杨建筑（聘任后为专家）",
    9003: "使用单位（安科院项目部） 孙主任",
    **{uid: f"入库专家（{group}） {name}" for uid, name, group, *_ in DEMO_EXPERTS},
}


async def run_console(settings: Settings, db_path: str) -> None:
    clock = SystemClock()
    keyring = console_keys(settings, db_path)
    database = create_database(f"sqlite:///{db_path}")
    await upgrade(database)
    await check_keys(database, keyring, clock.now())
    now = clock.now()
    async with unit_of_work_factory(database)() as uow:
        await seed_demo(
            uow,
            now,
            deadlines=(now + timedelta(days=14), now + timedelta(days=30)),
            name="演示批次（console）",
        )
        await seed_demo_reviewers(uow, now)
        await seed_demo_qualified(uow, now)
        await uow.commit()
    await seed_demo_experts(unit_of_work_factory(database), now)
    # The database remembers the ids of cards sent in earlier runs (to rewrite them on a decision):
    # this run's ids start above theirs, as a chat's ids only grow on Telegram.
    bot = Bot(token="42:OFFLINE", session=OfflineSession(first_message_id=time.time_ns() // 1000))
    # One person at a keyboard (or a script): the per-user flood limit would only get in the way.
    settings = settings.model_copy(update={"rate_limit": 0})
    dp = create_dispatcher(settings=settings, database=database, clock=clock)
    world = OfflineWorld(dp, bot, now=clock.now)
    uows = unit_of_work_factory(database)
    users = {uid: world.user(uid, name.split()[-1]) for uid, name in DEMO_USERS.items()}
    user = users[1001]
    print(f"离线控制台 · 数据库 {db_path} · 当前用户 {user.id} {DEMO_USERS[user.id]}")
    print(f"演示批次截止：{format_local(now + timedelta(days=14))}；输入 /start 开始，:help 查看操作")
    photos = Path(tempfile.mkdtemp(prefix="expertbot-console-"))
    interactive = sys.stdin.isatty()
    buttons: list[tuple[str, str, Sent]] = []
    while True:
        if interactive:
            print(f"[{user.id}]> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        line = line.rstrip("\n")
        if not interactive:
            print(f"[{user.id}]> {line}")
        try:
            if line in (":quit", ":q"):
                break
            elif line == ":help":
                print(HELP)
                continue
            elif line == ":users":
                for uid in users:
                    print(f"  {await _account_line(uows, uid)}")
                continue
            elif line == ":remind":
                sender = TelegramSender(bot, RateLimiter(sleep=_no_wait), clock, uows)
                report = await send_due_reminders(uows, sender, clock)
                print(f"  （提醒）发出 {report.sent} 条；切换用户（:user ID）可看到发给他们的消息")
            elif line.startswith(":save"):
                parts = line.split(maxsplit=1)
                print(f"  {_save(user, Path(parts[1] if len(parts) > 1 else '.'))}")
                continue
            elif line.startswith(":user"):
                wanted = line.split()[1]
                if wanted == "new":
                    uid = max(users) + 1
                    users[uid] = world.user(uid, f"新账号{uid}")
                    DEMO_USERS[uid] = f"新的 Telegram 账号 {uid}"
                    wanted = str(uid)
                if not wanted.isdigit() or int(wanted) not in users:
                    print(f"  (没有用户 {wanted}：:users 列出全部，:user new 新建一个)")
                    continue
                user = users[int(wanted)]
                print(f"  当前：{await _account_line(uows, user.id)}")
                buttons = _show(user, photos, all_new=True)
                continue
            elif line.startswith("#"):
                number = int(line[1:]) if line[1:].isdigit() else 0
                if not 1 <= number <= len(buttons):
                    print(f"  (没有按钮 {line}：可按 #1–#{len(buttons)})" if buttons else "  (现在没有按钮可按)")
                    continue
                text, data, sent = buttons[number - 1]
                await user.press_data(data, sent)
                if user.alert:
                    print(f"  （提示）{user.alert}")
            elif line.startswith(":photo"):
                await user.send_photo(Path(line.split(maxsplit=1)[1]).read_bytes())
            elif line.startswith(":file"):
                path = Path(line.split(maxsplit=1)[1])
                await user.send_file(path.read_bytes(), path.name)
            elif line.startswith(":contact"):
                parts = line.split()
                await user.share_contact(parts[1] if len(parts) > 1 else "+8613800000000")
            elif line:
                await user.send(line)
        except (IndexError, ValueError, KeyError, OSError, LookupError) as problem:
            print(f"  (无法执行：{problem!r}；:help 查看用法)")
            continue
        buttons = _show(user, photos) or buttons
    await world.close()
    await database.dispose()


async def _no_wait(_: float) -> None:
    """One person at a keyboard: the reminder pass need not pace itself."""


async def _account_line(uows: Any, telegram_id: int) -> str:
    """`Telegram 1001 → 人员 #3 张三 · 申报人 张三`: which person an account is, if any yet."""
    async with uows() as uow:
        account = await uow.accounts.attached("telegram", str(telegram_id))
        name = await uow.people.person_name(account.person_id) if account else ""
    who = f"人员 #{account.person_id} {name}".rstrip() if account else "尚未使用本机器人"
    return f"Telegram {telegram_id} → {who} · {DEMO_USERS.get(telegram_id, '')}"


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
        print(f"演示数据库的加密密钥已生成并保存在 {key_file}（仅供演示；正式运行请设置 DATA_KEY）")
    else:
        print(f"演示数据库使用 {key_file} 中的加密密钥")
    keyring = keyring_from(data_key=None, data_key_file=key_file)
    assert keyring is not None
    configure(keyring)
    return keyring


def _show(
    user: OfflineUser, photos: Path, all_new: bool = False
) -> list[tuple[str, str, Sent]]:
    """Prints what the bot sent since last time and numbers the inline buttons; writes each
    photo into `photos` and prints its path."""
    shown_before = {m.message_id for m in user.inbox() if m.revision <= user.seen}
    fresh = user.new_messages()
    numbered: list[tuple[str, str, Sent]] = []
    for sent in fresh:
        print("─" * 40 + (" （已更新）" if sent.message_id in shown_before else ""))
        print(sent.text)
        if sent.document:
            print(f"  📎 {sent.document[0]} ({len(sent.document[1])} bytes)")
        if sent.photo:
            print(f"  🖼 {_photo_file(sent, photos)}")
        for text, data in sent.buttons():
            numbered.append((text, data, sent))
            print(f"  [#{len(numbered)}] {text}")
        for b in sent.reply_buttons():
            hint = " (:contact)" if getattr(b, "request_contact", False) else ""
            print(f"  [键盘] {b.text}{hint}")
    return numbered


def _photo_file(sent: Sent, folder: Path) -> str:
    """Writes a photo the bot sent into `folder` (named after its message); says where."""
    assert sent.photo is not None
    name, data = sent.photo
    if not data:
        return f"照片 {name}（按 file_id 再次发送，无内容）"
    target = folder / f"{sent.message_id}_{Path(name).name or 'photo.jpg'}"
    target.write_bytes(data)
    return f"照片已保存：{target}（{len(data)} 字节，可用图片查看器打开）"


def _save(user: OfflineUser, folder: Path) -> str:
    """Writes the newest document or photo in the user's chat into `folder`; says where."""
    sent = next((m for m in reversed(user.inbox()) if m.document or m.photo), None)
    if sent is None:
        return "(还没有收到文件)"
    name, data = sent.document or sent.photo or ("", b"")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (Path(name).name or "file")
    target.write_bytes(data)
    return f"已保存 {target}（{len(data)} 字节）"
