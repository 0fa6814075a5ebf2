"""The `expertbot` command line: its help, results, refusals and errors, for the bureau's operators.

What scripts read stays as it was: the columns of the tab-separated listings
(`campaign list`, `unit list`, `invite list`, `audit list`, …) and their order,
ids, codes an option takes back (a role, a unit kind), links, ISO dates, file
paths and option names; the words around them are Chinese (LISTING_* below). A line that starts with a file path keeps the ASCII `: ` after
it, so the path can be split off. Role, status and standing names are the
chat's own (bot/texts/review.py, exports.py, registry.py, draws.py).
"""

from __future__ import annotations

from bot.texts import draws as _draws
from bot.texts import exports as _exports
from bot.texts import ops as _ops
from bot.texts import registry as _registry
from bot.texts import review as _review

# argparse: descriptions and help ------------------------------------------------------

DESCRIPTION = "重庆市工伤预防专家库申报机器人（Telegram）：运行机器人，管理数据库、征集批次、单位、审核人和专家库。"
COMMANDS = "命令"
HELP = "显示本帮助并退出"

H_CAMPAIGN_ID = "征集批次编号（默认：当前批次）"
H_DISTRICT = "区县代码或名称"
H_DISTRICT_OR_ALL = "区县代码或名称，或 all（默认，全市）"
H_GROUP = "只含一个拟报专业组，如 矿山"
H_OUTPUT = "要写入的文件"
H_APPLICATION = "申报编号"
H_UNIT_DEADLINE = '个人及单位提交截止时间，"YYYY-MM-DD HH:MM"，北京时间'
H_DISTRICT_DEADLINE = '区县审核报送截止时间，"YYYY-MM-DD HH:MM"，北京时间'

# bot/cli.py
H_RUN = "运行机器人：长轮询或 webhook 服务；先执行数据库迁移"
H_RUN_WEBHOOK = (
    "以 webhook 方式接收 Telegram 的更新（WEBHOOK_URL、WEBHOOK_SECRET、WEBHOOK_HOST、"
    "WEBHOOK_PORT）；设置了 WEBHOOK_URL 时自动启用"
)
H_CONSOLE = "在终端里离线与机器人对话（不需要令牌，不联网）"
H_CONSOLE_DB = "演示数据库文件"
H_DB = "数据库结构"
H_DB_UPGRADE = "执行尚未执行的数据库迁移"
H_CAMPAIGN = "征集批次"
H_CAMPAIGN_CREATE = "新建征集批次"
H_CAMPAIGN_NAME = "征集批次名称（1 至 100 个字）"
H_CAMPAIGN_LIST = "列出征集批次"
H_UNIT = "工作单位"
H_UNIT_ADD = "登记单位，并打印该单位申报人使用的申报链接"
H_UNIT_NAME = "单位全称（2 至 100 个字）"
H_UNIT_KIND = "单位类型：{kinds}（默认：企业）"
H_UNIT_LIST = "列出单位"

# bot/cli_campaign.py
H_CAMPAIGN_SHOW = "查看征集批次及其截止时间和提醒安排"
H_CAMPAIGN_EXTEND = "延长截止时间，并通知所有相关人员"
H_NEW_UNIT_DEADLINE = "新的" + H_UNIT_DEADLINE
H_NEW_DISTRICT_DEADLINE = "新的" + H_DISTRICT_DEADLINE
H_CAMPAIGN_CLOSE = "关闭征集：不再接受提交，也不再发送提醒"
H_CAMPAIGN_OPEN = "重新开放已关闭的征集批次"
H_CAMPAIGN_REMINDERS = "设置提醒时间和免打扰时段"
H_OFFSETS = "截止前多久提醒，如 7d,3d,1d,3h（d 天，h 小时，m 分钟）"
H_QUIET = "免打扰时段（北京时间），如 22:00-08:00；none 表示不设"
H_CERTIFICATES = "设置聘书编号格式，如 CQGSYF-{year}-{number:04d}"
H_CERTIFICATE_FORMAT = "大写字母、{year}，再加 3 至 6 位序号，如 {number:04d}"
H_REMIND = "发送到期的提醒（每分钟一轮；cron 或 systemd 定时器请用 --once）"
H_REMIND_ONCE = "只发送一轮，然后退出"
H_REMIND_DRY_RUN = "列出谁将收到什么提醒；不发送，也不记录"

# bot/cli_draws.py
H_DRAW = "抽取专家：使用单位、专家请假、核验抽取结果"
H_DRAW_UNIT = "登记使用单位"
H_DRAW_UNIT_NAME = "使用单位名称"
H_DRAW_UNIT_KIND = "，".join(f"{k} {v}" for k, v in _draws.USING_UNIT_KINDS.items())
H_DRAW_UNIT_DISTRICT = "所在区县的代码或名称（如有）"
H_DRAW_UNIT_UNIT = "同一机构作为工作单位时的单位代码，抽取时回避其专家"
H_DRAW_UNITS = "列出使用单位"
H_LEAVE = "登记专家请假：请假期间不参加抽取"
H_CERTIFICATE_NO = "聘书编号"
H_LEAVE_FROM = "请假第一天，YYYY-MM-DD"
H_LEAVE_TO = "请假最后一天，YYYY-MM-DD"
H_LEAVE_REASON = "请假原因"
H_LEAVE_RELEASE = "同时代专家答复这些日期的邀请（婉拒，或接受后告知无法参加），依次邀请备选专家；专家无法自己操作时使用"
H_DRAW_SHOW = "查看抽取申请及其审计记录"
H_DRAW_VERIFY = "根据审计记录重新计算一次已完成的抽取，核对结果"
H_REQUEST_ID = "抽取申请编号"

# bot/cli_export.py
H_EXPORT = "导出文件：附件2 推荐汇总表、附件1 推荐表和全量导出"
H_EXPORT_ANNEX2 = "附件2 推荐汇总表（.xlsx）"
H_INCLUDE_PENDING = "包括尚在审核中的申报（备注“审核中”）"
H_EXPORT_ANNEX1 = "一份申报的附件1 推荐表（.docx）"
H_EXPORT_ARCHIVE = "一个区县全部申报的附件1 推荐表（.zip）"
H_INCLUDE_PENDING_FORMS = "包括尚在审核中的推荐表"
H_EXPORT_FULL = "全部已提交申报的全部字段（.xlsx）"
H_EXPORT_EXPERTS = "入库专家名册，含联系方式（.xlsx）"
H_STANDING = "只含一种状态的专家：" + "，".join(
    f"{k} {v}" for k, v in _registry.STANDING.items()
)
H_AUDIT = "导出和查看的访问日志"
H_AUDIT_LIST = "列出最近的访问记录，新的在前"
H_AUDIT_LIMIT = "条数（默认 50，最多 200）"

# bot/cli_keys.py
H_KEYS = "加密个人信息的数据密钥"
H_KEYS_GENERATE = "生成一个新的随机密钥，用作 DATA_KEY"
H_KEYS_ROTATE = "用新密钥重新加密全部数据（请先停止机器人）"
H_NEW_KEY = "新密钥，base64 格式（由 expertbot keys generate 生成）"
H_NEW_KEY_FILE = "保存新密钥的文件"
H_NEW_INDEX_KEY = "身份证号哈希使用的新 INDEX_KEY（默认：已设置 INDEX_KEY 的沿用它，否则由新密钥派生）"
H_PURGE = "清除已撤回、未同意、资格审核未通过和未入库的申报中超过 RETENTION_DAYS 天的个人信息"
H_PURGE_DRY_RUN = "列出将被清除的申报，不做任何改动"

# bot/cli_people.py
H_PERSON = "人员及其账号"
H_PERSON_SHOW = "查看人员的账号、角色和账号变更记录"
H_PERSON_REBIND = "生成一次性换绑链接：打开链接的人即成为此人的账号"
H_REBIND_DAYS = "有效天数（默认 3）"
H_PERSON_ID = "人员编号"
H_PERSON_TELEGRAM = "其账号的 Telegram 用户 ID"

# bot/cli_registry.py
H_REGISTRY = "专家库：联席会议确认批次、公示、异议和聘任"
H_BATCH = "记录联席会议的决定（入库确认）"
H_MEETING_DATE = "联席会议日期，YYYY-MM-DD"
H_REFERENCE = "会议纪要文号，如 联席会议纪要〔2026〕3号"
H_APPLICATIONS = "确认入库的申报编号，如 1,2,3"
H_CORRECTS = "本批更正的批次编号"
H_PUBLICITY = "开始一批的公示"
H_BATCH_ID = "批次编号"
H_PUBLICITY_START = "公示第一天，YYYY-MM-DD"
H_PUBLICITY_END = "公示最后一天（默认：第 5 个工作日；未计入节假日）"
H_OBJECTION = "记录收到的异议"
H_RECEIVED = "收到异议的日期，YYYY-MM-DD"
H_SUMMARY = "异议的主要内容"
H_DECIDE = "处理异议"
H_OBJECTION_ID = "异议编号"
H_UPHELD = "异议成立：此人不再入库"
H_OVERRULED = "异议不成立"
H_REASON = "理由"
H_APPOINT = "公示结束后聘任一批专家（聘任）"
H_TERM_START = "聘期第一天，YYYY-MM-DD"
H_IMPORT = "录入纸质申报"
H_IMPORT_ANNEX2 = "录入区县报送的附件2 推荐汇总表（.xlsx）"
H_IMPORT_FILE = "按官方格式填写的 .xlsx 文件"
H_SKIP_BAD = "有行未通过检查时，仍录入其余各行"

# bot/cli_review.py
H_GRANT = "授予某人审核人或管理员角色"
H_REVOKE = "收回某人的角色"
H_TELEGRAM_ID = "此人的 Telegram 用户 ID"
H_GRANT_NAME = "此人的姓名（尚未登记时）"
H_INVITE = "一次性邀请链接"
H_INVITE_CREATE = "生成邀请链接，授予市局审核人、区县审核人、单位审核人或使用单位角色"
H_INVITE_DAYS = "有效天数（默认 7）"
H_INVITE_LIST = "列出尚未使用、尚未过期的邀请"
H_INVITE_REVOKE = "撤销尚未使用的邀请"
H_INVITE_ID = "邀请编号"
H_ROLE = (
    "bureau 市局管理员，bureau_rv 市局审核人（资格审核），district 区县审核人，"
    "unit 单位审核人，user 使用单位（抽取专家）"
)
H_ROLE_DISTRICT = "区县代码或名称（用于 --role district）"
H_ROLE_UNIT = "单位代码（用于 --role unit），或使用单位代码（用于 --role user）"

# bot/cli_stats.py
H_STATS = "/stats 统计图表（申报、专家、抽取），保存为 PNG 文件"
H_STATS_PNG = "保存图表的文件夹"

# shared results and refusals ---------------------------------------------------------------

START_WITHOUT_LINK = "/start {payload}  （设置 BOT_USERNAME 后可打印 t.me 链接）"
FILE_PROBLEM = "{path}：{problem}"
IS_A_FOLDER = "{path} 是文件夹，请给出文件名。"
IS_A_FILE = "{path} 是文件，请给出文件夹。"
NO_FOLDER = "文件夹 {folder} 不存在。"
UNKNOWN_DISTRICT = "找不到区县：{text}"
BAD_DEADLINE = "截止时间有误：{problem}"
NOT_A_DATE = "不是日期（应为 YYYY-MM-DD）：{text}"
NOT_IDS = "不是编号列表（应如 1,2,3）：{text}"
DAYS_RANGE = "--days 须在 {low} 到 {high} 之间。"

# tab-separated listings: the words in their columns ------------------------------------------

LISTING_OPEN = "征集中"
LISTING_CLOSED = "已关闭"
"""`campaign list`'s last column."""
LISTING_DUE_NOW = "立即"
"""`remind --dry-run`'s first column for a reminder already due (else its time)."""
LISTING_INVITE_UNIT = "{name}（{code}）"
LISTING_INVITE_CITY = "全市"
LISTING_INVITE_BY = "创建人 {who}"
LISTING_INVITE_UNTIL = "有效至 {at}"
LISTING_LAST_CHANGE = "最后变动 {at}"
"""`purge`'s last column."""
LISTING_TERM = "{starts_on} 至 {ends_on}"
"""`registry appoint`'s last column."""

# bot/cli.py ------------------------------------------------------------------------------

NO_TOKEN = (
    "未设置 BOT_TOKEN。请在环境变量或 .env 中设置；不连接 Telegram 试用机器人，请运行：expertbot console"
)
MISSING_KEY = _ops.MISSING_KEY
DB_UP_TO_DATE = "数据库已是最新版本。"
DEADLINES_ORDER = "区县审核报送截止时间必须晚于个人及单位提交截止时间。"
CAMPAIGN_NAME_LENGTH = "征集批次名称须为 1 至 100 个字。"
CAMPAIGN_CREATED = (
    "征集批次 {id}：{name}；个人及单位提交截止 {unit_deadline}，"
    "区县审核报送截止 {district_deadline}（北京时间）"
)
CAMPAIGN_DEADLINE_PAST = (
    "注意：个人及单位提交截止时间 {unit_deadline} 已过，申报人不能再提交；"
    "如是输错，可用 expertbot campaign extend --unit-deadline … 改正"
)
CAMPAIGN_STILL_OPEN = (
    "注意：征集批次 {id}（{name}）仍在征集中。此后新申报和截止提醒只针对批次 {new}；"
    "批次 {id} 已结束的，请用 expertbot campaign close --id {id} 关闭"
)
UNIT_KIND = "--kind 须为以下之一：{kinds}"
UNIT_NAME_LENGTH = "单位名称须为 2 至 100 个字。"
UNIT_EXISTS = "{district}已有名为“{name}”的单位。"
UNIT_ADDED = "单位 {code}：{name}（{kind}，{district}）"
APPLICANT_LINK = "申报链接：{link}"

# bot/cli_campaign.py -----------------------------------------------------------------------

GIVE_A_DEADLINE = "请给出 --unit-deadline 和/或 --district-deadline。"
CERTIFICATE_FORMAT_SET = "征集批次 #{id} {name}：聘书编号格式为 {template}（如 {example}）"
DRY_RUN_DONE = "到期 {due} 条；试运行，未发送也未记录任何提醒"
REMIND_NEEDS_TOKEN = "未设置 BOT_TOKEN；可用 --dry-run 查看将发送的提醒。"
REMIND_DONE = (
    "到期 {due} 条：已发送 {sent} 条，无法送达 {unreachable} 条，失败 {failed} 条，待重试 {retry} 条"
)

# bot/cli_draws.py --------------------------------------------------------------------------

USING_UNIT_ADDED = "使用单位 {id}：{name}（代码 {code}）"
USING_UNIT_INVITE = "  邀请其人员：expertbot invite create --role user --unit {code}"
LEAVE_RECORDED = "已登记 {name}（{certificate_no}）{starts_on} 至 {ends_on} 请假：这些日期不参加抽取。"
LEAVE_ALREADY = "{name}（{certificate_no}）{starts_on} 至 {ends_on} 的请假此前已登记，不重复登记。"
LEAVE_NO_CLASH = "  这些日期没有已发出的邀请。"
LEAVE_CLASHES = (
    "  请假不改变已发出的邀请，以下邀请仍为其保留这些日期（{count} 份）："
)
LEAVE_CLASH = "  第 {request_id} 号申请（{unit}，{project}）：{status}，涉及 {days}"
LEAVE_CLASH_INVITED = (
    "    处理：请专家在邀请上点“婉拒”，将依次邀请备选专家；或由使用单位在 /draws 取消该申请；"
    "专家无法自己操作时，加 --release 再登记一次，由市局代为答复。"
)
LEAVE_CLASH_ACCEPTED = (
    "    处理：请专家在邀请上点“无法参加”，将依次邀请备选专家；或由使用单位在 /draws 取消该申请；"
    "专家无法自己操作时，加 --release 再登记一次，由市局代为答复。"
)
LEAVE_RELEASED = "  以下邀请与请假日期冲突（{count} 份），工作尚未开始的已代专家答复："
LEAVE_CLASH_DECLINED = (
    "    已代专家婉拒：这些日期不再为其保留，将依次邀请备选专家，使用单位和专家都会收到通知。"
)
LEAVE_CLASH_WITHDRAWN = (
    "    已代专家告知无法参加：这些日期不再为其保留，将依次邀请备选专家，使用单位和专家都会收到通知。"
)
LEAVE_CLASH_BEGUN = "    工作已开始，机器人中不能再更改，请直接联系使用单位。"
NOT_DRAWN = "第 {request_id} 号抽取申请尚未抽取。"
VERIFY_ROUND = "第 {round_no} 轮：候选池 {pool} 人，抽中 {drawn}：{verdict}"
VERIFY_MATCHES = "一致"
VERIFY_DIFFERS = "不一致：{problems}"
VERIFY_PROBLEMS = {
    "key": "密钥",
    "commitment": "承诺值",
    "pool_hash": "候选池摘要",
    "pool_form": "候选池格式",
    "drawn": "抽中名单",
    "reserve": "备选名单",
    "invitations": "邀请顺序",
}
"""What `draw verify` found not to hold, by the audit record's part (bot.domain.draws.verify)."""
REQUEST = "抽取申请 {id}（{unit}，{status}）：{project}，{days}，{groups}，共 {wanted} 人"
REQUEST_EVENT = "  {at}  {action:<16} {who:<10} {detail}"
"""The action stays the audit record's name (the third field), for scripts."""
BY_PERSON = "人员 {id}"
BY_BOT = "机器人"


def request_status(status: str) -> str:
    return _draws.REQUEST_STATUS.get(status, status)


# bot/cli_export.py -------------------------------------------------------------------------

UNKNOWN_GROUP = "没有拟报专业组“{text}”；可选：{groups}"
ONE_DISTRICT = "--district 须指定一个区县，不能是全市。"
LIMIT_RANGE = "--limit 须在 1 到 {max} 之间。"
ANNEX2_WRITTEN = "{path}: 附件2 推荐汇总表 · {scope}，共 {rows} 行{pending}"
ANNEX2_PENDING = "，其中 {pending} 行审核中"
ANNEX1_WRITTEN = "{path}: 申报编号 {id} 的附件1 推荐表"
ARCHIVE_WRITTEN = "{path}: {district}附件1 推荐表，共 {count} 份"
FULL_WRITTEN = "{path}: 全量导出，共 {rows} 行"
EXPERTS_WRITTEN = "{path}: 入库专家名册，共 {count} 人"


def annex2_written(path: object, scope: str, rows: int, pending: int) -> str:
    more = ANNEX2_PENDING.format(pending=pending) if pending else ""
    return ANNEX2_WRITTEN.format(path=path, scope=scope, rows=rows, pending=more)


# bot/cli_keys.py ---------------------------------------------------------------------------

KEY_FILE_NOT_BASE64 = "不是 base64 格式的密钥（生成密钥：expertbot keys generate）"
ROTATE_NEEDS_OLD_KEY = "未设置 DATA_KEY（当前密钥）：轮换密钥需要新旧两个密钥。"
ROTATED = "已将 {count} 个值从密钥 {old} 重新加密为密钥 {new}"
ROTATED_NEXT = "现在请把 DATA_KEY 设为新密钥（给了 --new-index-key 的，同时设置 INDEX_KEY），然后启动机器人"
PURGED = "已清除 {count} 份申报的个人信息：{cutoff} 以来未再变动（保存期 {days} 天）"
PURGE_PLANNED = "试运行：将清除 {count} 份申报的个人信息：{cutoff} 以来未再变动（保存期 {days} 天）"

# bot/cli_people.py -------------------------------------------------------------------------

NO_SUCH_ACCOUNT = "没有人员使用 Telegram 账号 {telegram}。"
NO_SUCH_PERSON = "没有人员 {id}。"
PERSON = "人员 {id}：{name}"
NO_NAME = "（未填姓名）"
ACCOUNT = "  账号 {id}：{who}，最近使用 {seen}{flag}"
ACCOUNT_WHO = "Telegram {chat}{names}"
NEVER = "从未"
UNREACHABLE = "，无法送达"
ROLE = "  角色：{role}"
APPLICATIONS = "  申报：{count} 份"
PERSON_EVENT = "  {at} {action}，操作人：{by} {detail}"
COMMAND_LINE = _exports.AUDIT_CLI
REBIND_LINK = (
    "人员 {id}（{name}）的换绑链接，{until}（北京时间）前有效，只能使用一次；"
    "打开链接的人即成为此人的 Telegram 账号，原账号随即解除绑定"
)
REBIND_NO_NAME = "未填姓名"

# bot/cli_registry.py -----------------------------------------------------------------------

ROW_REFUSED = "第 {row} 行：未录入：{reason}"
NOTHING_IMPORTED = (
    "{rows} 行中有 {refused} 行未通过检查，未录入任何申报（请修改后重试，或加 --skip-bad 录入其余各行）"
)
IMPORTED = "{district}：已录入 {created} 份申报（区县已同意），{refused} 行未录入"
BATCH = "第 {id} 批：{reference}"
BATCH_CONFIRMED = "  确认入库 #{id} {name}"
BATCH_LEFT_OUT = "  未列入 #{id} {name}（恢复为资格审核通过）"
BATCH_CARRIED = "  异议 {id} 仍待处理：聘任本批前须先处理"
BATCH_MOOT = "  异议 {id}：无需处理（针对的人未列入本批）"
PUBLICITY = "第 {batch} 批公示：{start}（{start_day}）至 {end}（{end_day}），共 {count} 人"
OBJECTION_RECORDED = (
    "异议 {id} 已记录（申报 #{app_id}）；处理：expertbot registry decide {id} "
    "--upheld|--overruled --reason …"
)
OBJECTION_DECIDED = "异议 {id}：{outcome}；申报 #{app_id} 当前状态：{status}"
UPHELD = "异议成立"
OVERRULED = "异议不成立"
OBJECTION_CLOSED_MOOT = "异议 {id}：无需处理（针对同一人，随之关闭）"
APPOINTED = "已聘任 {count} 人；运行中的机器人会在聊天中通知每位专家"


def status(value: str) -> str:
    """An application's state as the chat names it."""
    return _exports.STATUS.get(value, value)


# bot/cli_review.py -------------------------------------------------------------------------

ROLE_TAKES_NO_PLACE = "--role {role} 不需要 --district 或 --unit。"
ROLE_DISTRICT_NEEDS = "--role district 需要 --district（代码或名称），不需要 --unit。"
ROLE_UNIT_NEEDS = "--role {role} 需要 --unit 单位代码，不需要 --district。"
UNKNOWN_UNIT_CODE = "找不到单位代码：{code}（查看：{where}）"
GRANTED = "Telegram {telegram}（人员 {person}）现为{role}"
ALREADY_GRANTED = "Telegram {telegram}（人员 {person}）已是{role}，无需重复授权"
NOT_HELD = "{telegram} 没有这个角色。"
REVOKED = "{telegram} 已不再是{role}"
REVOKE_LEAVES_NOBODY = (
    "⚠️ {district}现有 {count} 份申报等待单位或区县审核，但已没有人可以审核，机器人也不会再就此通知市局管理员。\n"
    "请授予新的区县审核人（expertbot grant TELEGRAM_ID --role district --district {district}），"
    "或生成邀请（expertbot invite create --role district --district {district}，或在机器人中发送 /invite）。"
)
REVOKE_MOVES_TO_DISTRICT = (
    "{unit}已没有单位审核人：其 {count} 份待单位审核的申报现由{district}审核，"
    "已通知该区县审核人 {told} 人（由运行中的机器人发送）。"
)
STILL_CONFIGURED = "注意：该 ID 仍在 BUREAU_ADMIN_IDS 中，仅凭这项配置即为市局管理员"
BUREAU_GRANTED_DIRECTLY = "市局管理员直接授予：expertbot grant ID --role bureau"
INVITE_MADE = "邀请 {id}（{role}），{until}（北京时间）前有效，只能使用一次"
INVITE_REVOKED = "邀请 {id} 已撤销"
ROLE_BUREAU = _review.ROLE_BUREAU
ROLE_BUREAU_REVIEWER = _review.ROLE_BUREAU_REVIEWER
ROLE_DISTRICT = _review.ROLE_DISTRICT
ROLE_UNIT = _review.ROLE_UNIT
ROLE_USER = _draws.ROLE_USER
