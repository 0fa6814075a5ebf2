"""Deadlines, reminders, 催办 and campaign management: every sentence the user reads."""

DEADLINE_NAME = {"unit": "个人及单位提交截止", "district": "区县审核报送截止"}

REMIND_DRAFT = (
    "⏰ 申报提醒\n"
    "您的《工伤预防专家聘任推荐表》还没有提交，尚有 {left} 项必填内容未填写。\n"
    "{deadline_name}：{deadline}（还剩 {remaining}）。\n"
    "点击“继续填写”，从上次停下的地方接着填。"
)
REMIND_DRAFT_COMPLETE = (
    "⏰ 申报提醒\n"
    "您的《工伤预防专家聘任推荐表》已填写完整，但还没有签名提交。\n"
    "{deadline_name}：{deadline}（还剩 {remaining}）。\n"
    "点击“继续填写”查看汇总并签名提交。"
)
REMIND_RETURNED = (
    "⏰ 申报提醒\n"
    "您的申报已被退回修改，原因：{reason}\n"
    "请在 {deadline} 前修改后重新提交（还剩 {remaining}）。"
)
REMIND_UNIT = (
    "⏰ 审核提醒\n"
    "{label} 有 {count} 份专家申报等待单位审核。\n"
    "{deadline_name}：{deadline}（还剩 {remaining}）。\n"
    "发送 /pending 查看待审核的申报。"
)
REMIND_DISTRICT = (
    "⏰ 审核提醒\n"
    "{label} 有 {count} 份专家申报等待区县审核。\n"
    "{deadline_name}：{deadline}（还剩 {remaining}）。\n"
    "发送 /pending 查看待审核的申报。"
)
REMIND_UNREPORTED = (
    "⏰ 上报提醒\n"
    "{label} 区县已同意 {count} 份专家申报，推荐汇总表尚未上报市局。\n"
    "{deadline_name}：{deadline}（还剩 {remaining}）。\n"
    "发送 /export 后点击“上报市局”，或直接发送 /report 上报。"
)
NUDGE_PREFIX = "📣 催办：{actor}提醒您尽快处理。\n"
NUDGE_REVIEW = (
    "申报编号 {app_id}（{name}，{label}）正在等待您审核。\n"
    "{deadline_name}：{deadline}（还剩 {remaining}）。发送 /pending 查看。"
)
NUDGE_ACTOR = {"bureau": "市人力社保局", "district": "区县审核人员", "unit": "单位审核人员"}

EXTENDED = (
    "📅 截止时间调整\n"
    "{campaign}的{deadline_name}已由 {old} 延长至 {new}（北京时间）。"
)
TO_DISTRICT = (
    "📋 {unit}已没有单位审核人，其 {count} 份待单位审核的申报现由您所在区县代为审核。"
    "请发送 /pending 查看。"
)
UNREACHABLE = (
    "⚠️ {role}“{name}”（{label}）已屏蔽本机器人或停用账号，收不到本机器人发出的审核卡片和提醒。"
    "请通过电话等其他方式联系。"
)
ROLE_NAME = {"unit": "单位审核人", "district": "区县审核人", "bureau": "市局管理员"}

BUTTON_CONTINUE = "继续填写"
BUTTON_FIX = "修改并重新提交"
BUTTON_NUDGE = "催办"

REMAINING_DAYS = "{days}天{hours}小时"
REMAINING_HOURS = "{hours}小时{minutes}分钟"
REMAINING_MINUTES = "{minutes}分钟"

NUDGED = "已催办，{count} 人将收到提醒。"
NUDGE_TOO_SOON = "该申报已于 {at} 催办过，同一申报每小时最多催办一次，请 {minutes} 分钟后再试。"
NUDGE_NOT_ALLOWED = "您无权催办这份申报。"
NUDGE_NOTHING = "这份申报当前{status}，没有需要催办的人。"
NUDGE_NOBODY = "这份申报目前没有可以联系到的经办人。"
NUDGE_DEADLINE_PASSED = "{deadline_name}（{deadline}）已过，无需催办。"
NUDGE_USAGE = "用法：/nudge 申报编号，例如 /nudge 12"
NOT_FOUND = "找不到这份申报。"

NOT_BUREAU = "只有市人力社保局管理员可以管理征集批次。"
NO_CAMPAIGN = "还没有征集批次。请用命令行 expertbot campaign create 创建。"
CAMPAIGN_CARD = (
    "征集批次 #{id}：{name}\n"
    "状态：{state}\n"
    "个人及单位提交截止：{unit_deadline}\n"
    "区县审核报送截止：{district_deadline}\n"
    "提醒：截止前 {offsets}\n"
    "免打扰时段：{quiet}（北京时间）"
)
CAMPAIGN_HELP = (
    "修改方法：\n"
    "/campaign extend unit 2026-10-08 18:00 — 延长个人及单位截止\n"
    "/campaign extend district 2026-10-22 18:00 — 延长区县截止\n"
    "/campaign close 或 /campaign open — 关闭或重新开放\n"
    "/campaign name 新名称\n"
    "/campaign reminders 7d,3d,1d,3h 22:00-08:00 — 提醒时间和免打扰时段"
)
STATE_OPEN = "进行中"
STATE_CLOSED = "已关闭"
QUIET_NONE = "无"
BUTTON_CLOSE = "关闭征集"
BUTTON_OPEN = "重新开放"
CLOSED = "征集批次已关闭，不再接受提交，也不再发送提醒。"
OPENED = "征集批次已重新开放。"
RENAMED = "名称已改为：{name}"
EXTENDED_DONE = "{deadline_name}已延长至 {new}，将通知 {count} 人。"
EXTEND_NOT_LATER = "新的截止时间 {new} 必须晚于原截止时间 {old}。"
EXTEND_IN_PAST = "新的截止时间 {new} 已经过去。"
EXTEND_ORDER = "个人及单位截止（{unit}）必须早于区县截止（{district}）。"
BAD_DEADLINE = "时间格式应为 YYYY-MM-DD HH:MM，例如 2026-10-08 18:00。"
BAD_OFFSETS = "提醒时间格式如 7d,3d,1d,3h（d 天，h 小时，m 分钟）；免打扰时段如 22:00-08:00，或 none。"
BAD_NAME = "名称应为 1 到 100 个字。"
UNKNOWN_ACTION = "看不懂这条指令。\n\n"
