"""What the operator reads when a setting, the data key or the database stops the bot or a command.

The one-line refusals of bot/config.py, bot/main.py, bot/webhook.py,
bot/downloads.py, storage/crypto.py, storage/keystore.py and migration 0006;
the command line prints them after `expertbot: `. Names of environment
variables, options and commands stay as they are typed. Log lines stay
English (bot/logs.py): they are for log collectors.
"""

from __future__ import annotations

import errno

# bot/config.py: a setting, then what is wrong with it ------------------------------------

SETTING = "{name}：{problem}"
SETTINGS = "设置"
"""The name when pydantic names no field."""
ADMIN_IDS = "须为以逗号分隔的 Telegram 用户 ID"
WEBHOOK_URL_HTTPS = "须以 https:// 开头（Telegram 只通过 TLS 推送更新）"
PUBLIC_BASE_URL_HTTPS = "须以 https:// 开头（下载链接含个人信息）"
WEBHOOK_SECRET_ALPHABET = (
    "须为 16 至 256 个字符，只含 A-Z a-z 0-9 _ -"
    "（可用 python3 -c 'import secrets; print(secrets.token_urlsafe(32))' 生成）"
)
REDIS_URL_SCHEME = "须以 redis://、rediss:// 或 unix:// 开头"
DATABASE_URL_SCHEME = "须以 sqlite:// 或 postgresql+asyncpg:// 开头"

PYDANTIC = {
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "须不小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "须不大于 {le}",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "string_type": "须为文字",
}
"""pydantic's own refusals by their error type, with its ctx (https://docs.pydantic.dev/latest/errors/validation_errors/)."""
ONE_OF = "须为以下之一：{choices}"
INVALID = "取值无效"
"""Any other refusal of pydantic's: the value is never echoed, it may be a secret."""

# bot/main.py, bot/webhook.py, bot/downloads.py ---------------------------------------------

MISSING_KEY = (
    "未设置 DATA_KEY：没有加密个人信息的密钥，机器人不会启动。"
    "请用 expertbot keys generate 生成密钥，并设置 DATA_KEY 或 DATA_KEY_FILE。"
)
REDIS_PACKAGE = "使用 REDIS_URL 需要安装 redis 软件包：pip install 'expertbot[redis]'"
WEBHOOK_NO_TOKEN = "未设置 BOT_TOKEN。"
BOT_TOKEN_FORMAT = "须为 @BotFather 给出的整串令牌，形如 123456789:AAE…（数字、英文冒号、字母和数字），不含空格和引号"
TOKEN_REFUSED = (
    "BOT_TOKEN：Telegram 不认这个令牌（{reason}）。"
    "请在 @BotFather 用 /mybots 查看并重新复制；令牌被撤销过的，请用新令牌。"
)
WEBHOOK_STILL_SET = (
    "Telegram 仍把更新推送到 webhook（{url}），长轮询收不到任何消息。"
    "改用长轮询：先删除它，curl -s {server}/bot$BOT_TOKEN/deleteWebhook；"
    "继续用 webhook：设置 WEBHOOK_URL 和 WEBHOOK_SECRET。"
)
TELEGRAM_UNREACHABLE = (
    "连不上 Telegram（{server}）：{reason}。请检查本机的网络、DNS、防火墙或代理；"
    "不能直连 api.telegram.org 时，可用 TELEGRAM_API_BASE 指向可达的 Bot API 服务器。"
)
WEBHOOK_NO_URL = "未设置 WEBHOOK_URL：Telegram 推送更新的公开 https:// 地址。"
WEBHOOK_NO_SECRET = (
    "未设置 WEBHOOK_SECRET：没有它，任何知道该地址的人都能推送更新。"
    "生成方法：python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
)
WEBHOOK_SECRET_REQUIRED = "未设置 WEBHOOK_SECRET：不接受未经验证的更新。"
NO_PUBLIC_BASE_URL = (
    "未设置 PUBLIC_BASE_URL：EXPORT_DELIVERY=link 需要提供 /download/ 的公开 https:// 地址"
    "（或设置 EXPORT_DELIVERY=chat）。"
)

# storage/crypto.py, storage/keystore.py, migration 0006 -----------------------------------

NOT_BASE64 = "{name} 不是 base64 格式（生成密钥：expertbot keys generate）"
"""`name` is DATA_KEY, DATA_OLD_KEYS, INDEX_KEY or the option that gave the key (--new-key)."""
KEY_LENGTH = "{name} 解码后须为 32 字节，而不是 {length} 字节"
KEY_FILE = "DATA_KEY_FILE {path}：{problem}"
KEY_NOT_HELD = (
    "数据库中有一个值是用密钥 {kid} 加密的，DATA_KEY（密钥 {current}）和 DATA_OLD_KEYS 中都没有这个密钥"
)
INTEGRITY = "用密钥 {kid} 加密的一个值未通过完整性校验"
NO_KEY = "未设置 DATA_KEY：个人信息不以明文保存（生成密钥：expertbot keys generate）"
NOT_ENCRYPTED = "加密列中有一个值没有加密；请运行：expertbot db upgrade"
WRONG_KEY = "DATA_KEY 不对：数据库是用密钥 {kid} 加密的，而 DATA_KEY 是密钥 {current}"
KEY_CHECK_FAILS = "DATA_KEY 不对：无法打开数据库中的密钥校验值"
WRONG_INDEX_KEY = "INDEX_KEY 不对：数据库中的身份证号哈希是用另一个密钥生成的"
KEY_NOT_SET = "未设置 DATA_KEY，但此数据库中有用密钥 {kid} 加密的数据：请设置 DATA_KEY 或 DATA_KEY_FILE"
SEALED_WITH = "此数据库中有用密钥 {kid} 加密的数据；{key}"
SEALED_NO_KEY = "未设置 DATA_KEY"
SEALED_OTHER_KEY = "而 DATA_KEY 是密钥 {current}"
PLAIN_TEXT = (
    "数据库中有明文保存的个人信息：请设置 DATA_KEY（或 DATA_KEY_FILE），"
    "以便迁移 0006 将其加密（生成密钥：expertbot keys generate）"
)
"""Migration 0006 refuses to run without a key when there is something to encrypt."""

# files -------------------------------------------------------------------------------------

FILE_NOT_FOUND = "文件不存在"
FILE_NOT_ALLOWED = "没有访问权限"
FILE_IS_FOLDER = "是文件夹，不是文件"
FILE_UNREADABLE = "无法访问（{code}）"


def file_problem(problem: OSError) -> str:
    """What an OSError means, for `<path>：<problem>`; the system's own words are English."""
    if isinstance(problem, FileNotFoundError):
        return FILE_NOT_FOUND
    if isinstance(problem, PermissionError):
        return FILE_NOT_ALLOWED
    if isinstance(problem, IsADirectoryError):
        return FILE_IS_FOLDER
    code = errno.errorcode.get(problem.errno or 0, type(problem).__name__)
    return FILE_UNREADABLE.format(code=code)
