"""What the bot says about drawing experts (抽取专家), invitations and work records."""

from __future__ import annotations

WORK_KINDS = {
    "review": "评审",
    "accept": "验收",
    "inspect": "调研检查",
    "training": "培训",
    "accident": "事故分析",
    "other": "其他",
}
USING_UNIT_KINDS = {"hr": "区县人社局", "division": "市局处室", "project": "项目单位"}
ROLE_USER = "{unit}（{code}）使用单位"
USING_UNIT_BAD_KIND = "使用单位类型“{kind}”不对，须为以下之一：{kinds}。"
USING_UNIT_EXISTS = "已有名为“{name}”的使用单位，没有重复登记。"
USING_UNIT_UNKNOWN_UNIT = "找不到单位代码：{code}（查看：expertbot unit list）"


def using_unit_kinds() -> str:
    """The kinds a using unit may be, each as its code and name: hr 区县人社局、…"""
    return "、".join(f"{code} {name}" for code, name in USING_UNIT_KINDS.items())


INVITATION_STATUS = {
    "invited": "待答复",
    "accepted": "已接受",
    "declined": "已婉拒",
    "expired": "逾期未答复",
    "skipped": "已跳过（不再可用）",
    "cancelled": "已取消",
    "left": "已终止（专家已不在库）",
}
REQUEST_STATUS = {"filed": "待抽取", "drawn": "已抽取", "cancelled": "已取消"}
EVENT_ACTIONS = {
    "filed": "提交申请",
    "drawn": "抽取",
    "invited": "依次邀请备选",
    "skipped": "跳过备选",
    "accept": "接受",
    "decline": "婉拒",
    "expire": "逾期未答复",
    "cancel": "邀请取消",
    "leave": "专家离库",
    "excuse": "请假，市局代为答复",
    "cancelled": "取消申请",
    "work": "登记工作",
    "work_confirmed": "专家确认工作",
    "work_disputed": "专家提出异议",
}
"""A request's audit trail (`draw_event.action`), as `expertbot draw show` names each entry."""


def event_action(action: str) -> str:
    """An audit entry's name in Chinese, with the name it has in the record: 抽取（drawn）."""
    return f"{EVENT_ACTIONS[action]}（{action}）" if action in EVENT_ACTIONS else action


TOO_MANY_OPEN = "本单位进行中的抽取申请已有 {max} 份，请先取消不再需要的申请。"
NOT_USER = "只有使用单位可以申请抽取专家。请联系市人力社保局开通。"
NOT_YOURS = "这不是您单位的抽取申请。"
NOT_FOUND = "找不到第 {request_id} 号抽取申请。"
INVITATION_NOT_FOUND = "找不到这份邀请。"
NOT_YOUR_INVITATION = "这份邀请不是发给您的。"
LEAVE_UNKNOWN_CERT = "找不到聘书编号 {certificate_no} 的专家，请检查后重新输入。"
LEAVE_BACKWARDS = "请假的最后一天 {ends_on} 早于第一天 {starts_on}。"
LEAVE_PAST = "请假期间已经过去（最后一天 {ends_on} 早于今天 {today}）：请假须到今天或以后才结束。"
LEAVE_NOT_SERVING = "{certificate_no} 的专家目前“{standing}”，已不在专家库中任职，不能登记请假。"
NOT_SERVING = "您已不再担任专家库专家，不能再答复这份邀请。"
STALE = "该操作已失效，请重新打开。"

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DAY_WITH_WEEKDAY = "{day} {weekday}"
"""A work day wherever the request's days are listed: the weekday is how people plan."""

# the request, step by step
ASK_GROUPS = "第 1 步（共 8 步）：需要哪个专业组的专家？可多选，选好后点“下一步”。"
ASK_DAYS = (
    "第 2 步（共 8 步）：工作日期。请输入一个或多个日期，用逗号或空格分开，例如 2026-12-10, 2026-12-11，"
    "也可写 12月10日、20号、明天、下周一。日期须晚于今天，最多 {max_days} 天。"
)
ASK_PLACE = "第 3 步（共 8 步）：工作地点（不超过 100 字）。"
DAYS_SAVED = "工作日期：{days}（还有其他日期可以接着发送）。"
DAYS_ADDED = "已加入日期，工作日期现为：{days}。"
ASK_PROJECT = "第 4 步（共 8 步）：项目名称（不超过 100 字）。"
ASK_KIND = "第 5 步（共 8 步）：工作类型。"
ASK_WANTED = "第 6 步（共 8 步）：需要几位专家？请输入 1–{max} 的数字。"
ASK_DISTRICTS = (
    "第 7 步（共 8 步）：优先从哪些区县抽取？可多选；不选（或输入“不限”）则全市范围抽取。"
    "优先区县的专家排在前面，人数不足时再从其他区县补足。"
)
ASK_AVOID = (
    "第 8 步（共 8 步）：回避。本单位的专家一律回避。还需回避的单位名称、专家姓名或聘书编号，"
    "每行一个，可分几条消息发送；没有请点“无”。"
)
AVOID_ADDED = "已加入回避：{items}。"
AVOID_REPEATED = "已在回避名单中：{items}。"
AVOID_NOT_FOUND = "找不到证书编号 {numbers}，没有加入，请检查后重新发送。"
AVOID_SO_FAR = "目前回避：本单位；{items}。"
AVOID_ONLY_OWN = "目前回避：仅本单位。"
AVOID_MORE = "还需回避的请继续发送，每行一个；全部填好后点“完成”。"
AVOID_CLEARED = "已清空回避名单（本单位的专家仍一律回避）。"
AVOID_NONE_BUT_LISTED = (
    "回避名单中已有 {count} 项，没有清空。按名单继续请点最新消息中的“完成”；"
    "不需要回避请先点“清空重填”。"
)
AVOID_LINE_TOO_LONG = "“{start}…”一行过长（最多 {max} 字）：这条消息的内容都没有加入，请改短后重新发送。"
BUTTON_AVOID_DONE = "完成"
BUTTON_AVOID_CLEAR = "清空重填"
BUTTON_AVOID_EDIT = "修改回避"
CONFIRM_TEXT_NOT_SAVED = (
    "请核对后点上面消息中的按钮，输入的文字没有保存。要改哪一项，请点对应的“修改”按钮"
    "（还需回避其他单位或专家，点“修改回避”）。"
)
BUTTON_EDIT_GROUPS = "修改专业组"
BUTTON_EDIT_DAYS = "修改日期"
BUTTON_EDIT_PLACE = "修改地点"
BUTTON_EDIT_PROJECT = "修改项目"
BUTTON_EDIT_KIND = "修改类型"
BUTTON_EDIT_WANTED = "修改人数"
BUTTON_EDIT_DISTRICTS = "修改区县"
BUTTON_UNCHANGED = "不修改"
EDIT_TYPED = "现为：{value}。请发送新的内容；不改请点“不修改”，回到核对。"
EDIT_DAYS = "现为：{value}。请发送全部工作日期（替换原来的）；不改请点“不修改”，回到核对。"
EDIT_PICK = "现为：{value}。请点选新的；不改请点“不修改”，回到核对。"
EDIT_TICKED = "已选的打了勾，改好后点“下一步”回到核对。"
AVOID_UNIT = "单位：{unit}"
BUTTON_NEXT = "下一步"
BUTTON_NONE = "无"
BUTTON_FILE = "提交申请"
BUTTON_CANCEL_FORM = "放弃"
FORM_CANCELLED = "已放弃这份抽取申请，没有保存任何内容。"
FORM_NOT_CURRENT = (
    "这是之前的一份申请表，已失效，没有做任何更改。"
    "请在最新的消息中继续填写，或发送 /draw 重新开始。"
)
FINISH_FORM_FIRST = "您正在填写一份抽取申请，请先提交或放弃它（或发送 /draw 重新开始），再做这一步。"
FORM_STEP_DONE = "这一步已经填好了，请在最新的消息中继续。"
PICK_AT_LEAST_ONE = "请至少选择一个专业组。"
PICKED = "已选：{items}。还可以接着选，选好后点“下一步”。"
BAD_DAYS = (
    "没有看懂日期。请按 2026-12-10 或 12月10日 的格式输入（也可输入“20号”“明天”“后天”“周五”“下周一”），"
    "多个日期用逗号分开。"
)
DAYS_PAST = "日期须晚于今天（{today}）。"
DAYS_TOO_MANY = "一次申请最多 {max_days} 天。"
BAD_WANTED = "请输入 1–{max} 之间的整数。"
TEXT_TOO_LONG = "内容过长：最多 {max} 字，您输入了 {length} 字。"
TEXT_EXPECTED = "这一步需要文字回答。"
BUTTON_EXPECTED = "这一步请点上面消息中的按钮，输入的文字没有保存。"
BUTTON_EXPECTED_NOT_SAVED = "这一步请点上面消息中的按钮，发送的内容没有保存。"
AVOID_UNKNOWN_CERT = "找不到证书编号 {certificate_no}，请检查后重新输入（其余内容不变）。"
TOO_MANY_AVOID = "回避名单最多 {max} 项，目前已有 {have} 项：这条消息的内容没有加入。"

CONFIRM = (
    "请核对抽取申请：\n"
    "使用单位：{unit}\n"
    "专业组：{groups}\n"
    "日期：{days}\n"
    "地点：{place}\n"
    "项目：{project}（{kind}）\n"
    "人数：{wanted} 人\n"
    "优先区县：{districts}\n"
    "回避：本单位；{avoid}\n"
    "答复期限：邀请发出后 {reply_hours} 小时"
)
ANY_DISTRICT = "不限"
ANY_DISTRICT_WORDS = frozenset({"不限", "无", "没有", "都可以", "全市"})
"""Typed at the districts step: no preference, as ticking none and pressing 下一步."""
ANY_DISTRICT_TAKEN = "优先区县：不限，全市范围抽取。"
NO_EXTRA_AVOID = "无其他"

# the request's card
CARD = (
    "抽取申请 第 {request_id} 号（{status}）\n"
    "使用单位：{unit}\n"
    "项目：{project}（{kind}）\n"
    "日期：{days}　地点：{place}\n"
    "专业组：{groups}　人数：{wanted} 人\n"
    "优先区县：{districts}\n"
    "回避：本单位；{avoid}\n"
    "密钥承诺值：{commitment}"
)
CARD_POOL = "当前可抽取专家：{size} 人。"
CARD_POOL_SHORT = "当前可抽取专家只有 {size} 人，少于所需的 {wanted} 人：抽取后只能邀请 {size} 人。"
CARD_POOL_EMPTY = "当前没有符合条件的专家（专业组、任期、回避、请假和已有预约都已排除），无法抽取。"
CARD_ROUND = "第 {round_no} 轮抽取：候选池 {pool_size} 人，摘要 {pool_hash}"
CARD_INVITATION = "{position}. {name}（{unit}）：{status}"
CARD_CANCEL_REASON = "取消原因：{reason}"
CARD_ACCEPTED = "已接受 {accepted} / {wanted} 人。"
SHORT = "备选名单中已没有可邀请的专家，仍缺 {missing} 人。"
SHORT_PENDING = (
    "备选名单中已没有可邀请的专家。还有 {pending} 份邀请在等待答复，即使都接受，仍缺 {missing} 人。"
)
REDRAW_ON_CARD = "可以点“重新抽取（补足人数）”：目前符合条件的专家 {pool} 人。"
REDRAW_IN_DRAWS = "可在 /draws 打开这份申请重新抽取：目前符合条件的专家 {pool} 人。"
REDRAW_FEWER = "重新抽取后仍会少 {gap} 人。"
NO_REDRAW = "目前没有其他符合条件的专家，暂不能重新抽取。"
BUTTON_DRAW = "抽取专家"
BUTTON_REDRAW = "重新抽取（补足人数）"
BUTTON_CANCEL_REQUEST = "取消申请"
BUTTON_RECORD_WORK = "登记工作：{name}"
BUTTON_REFRESH = "刷新"
FILED = "已提交第 {request_id} 号抽取申请。密钥承诺值已记入审计记录，抽取顺序此时已确定但无人知晓。"
DRAWN = "第 {round_no} 轮抽取完成：邀请 {count} 人，备选 {reserve} 人。专家的答复会逐一告诉您。"
POOL_EMPTY = "没有符合条件的专家，未进行抽取。"
NOTHING_TO_DRAW = "现在不需要抽取：{why}"
WHY_FILLED = "人数已满。"
WHY_PENDING = "已邀请的专家人数已够，正在等待他们答复。"
WHY_OPEN = "备选名单中还有专家，有人婉拒或逾期时会依次邀请。"
WHY_CANCELLED = "申请已取消。"
WHY_STARTED = "工作日期已到，不再抽取。"
WORK_STARTED = "工作已于 {day} 开始，不能再接受这份邀请。"
CANCEL_TOO_LATE = "工作已于 {day} 开始，不能再取消；请登记专家的工作。"
RESERVE_TOO_LATE = "第 {request_id} 号申请的工作已开始，不再邀请备选专家；仍缺 {missing} 人。"
BUTTON_KEEP_REQUEST = "不取消"
KEEP_WORDS = (BUTTON_KEEP_REQUEST, "不取消了", "不取消申请", "返回")
"""Typed when asked for a cancel reason, these are taken as the 不取消 button, not as the reason."""
KEPT = "申请未取消。"
BUTTON_BACK_TO_INVITATION = "返回（不婉拒）"
BUTTON_BACK_TO_ACCEPTED = "返回（仍参加）"
STILL_INVITED = "邀请仍待您答复："
STILL_ACCEPTED = "您仍为已接受。"
DRAW_BUSY = "同一时间有其他抽取在进行，请稍后再点一次“抽取专家”。"
ALREADY_DRAWN = "这份申请刚刚已经抽取过了。"
ASK_CANCEL_REASON = "请输入取消原因（会告知已受邀的专家）。"
CANCELLED = "已取消第 {request_id} 号抽取申请。"
ALREADY_CANCELLED = "这份申请已经取消。"

# invitations
INVITE = (
    "【专家邀请】{unit} 通过随机抽取邀请您参加：\n"
    "项目：{project}（{kind}）\n"
    "日期：{days}\n"
    "地点：{place}\n"
    "请在 {reply_by} 前答复；逾期视为婉拒，将依次邀请备选专家。"
)
ANSWER_WORDS = ("接受", "婉拒", "同意", "参加", "可以参加", "不参加", "无法参加", "拒绝")
"""Typed by an expert with an invitation waiting, these are taken as an attempt to answer it."""
ANSWER_WITH_BUTTONS = "输入的文字不算答复。第 {request_id} 号邀请仍待您答复（{reply_by} 前），请点下面的按钮："
BUTTON_ACCEPT = "接受"
BUTTON_DECLINE = "婉拒"
ASK_DECLINE_REASON = "请输入婉拒原因（可选），或点“不说明”。"
ASK_WITHDRAW_REASON = "请输入无法参加的原因（可选，会告知使用单位），或点“不说明”。"
BUTTON_NO_REASON = "不说明"
NO_REASON_WORDS = (BUTTON_NO_REASON, "无", "没有")
"""Typed when asked why, these are taken as the 不说明 button: no reason given."""
BACK_WORDS = ("返回", "不婉拒", "仍参加", "返回（不婉拒）", "返回（仍参加）")
"""Typed when asked why not, these are taken as the 返回 button: the invitation stays as it was."""
ACCEPTED_OWN = (
    "您已接受第 {request_id} 号邀请（{project}，{days}）。这些日期已为您保留。"
    "如临时无法参加，请在工作开始前点下方按钮，以便依次邀请备选专家。"
)
DECLINED_OWN = "您已婉拒第 {request_id} 号邀请。谢谢告知。"
WITHDRAWN_OWN = "已告知使用单位您无法参加第 {request_id} 号邀请（{project}，{days}），这些日期不再为您保留。谢谢告知。"
INVITATION_CLOSED = "这份邀请的状态为“{status}”，无需再答复。"
INVITATION_LATE = "答复期限 {reply_by} 已过，这份邀请已失效。"
INVITATION_CANCELLED_REQUEST = "这份邀请所属的申请已取消。"
HELD = "第 {request_id} 号邀请：{status}\n{unit}：{project}（{kind}）\n日期：{days}\n地点：{place}"
"""/me: one invitation that holds the expert's days, with what can still be done about it."""
HELD_INVITED = "\n请在 {reply_by} 前答复。"
HELD_ACCEPTED = "\n如临时无法参加，请在工作开始前点下方按钮。"
HELD_BEGUN = "\n工作已开始。"
ANSWER_TO_UNIT = "第 {request_id} 号申请：{name} {answer}。{extra}"
ANSWER_ACCEPTED = "已接受"
ANSWER_DECLINED = "已婉拒"
ANSWER_EXPIRED = "逾期未答复"
ANSWER_WITHDRAWN = "接受后告知无法参加"
ANSWER_LEFT = "已不再担任专家"
TOO_LATE_TO_WITHDRAW = "工作已于 {day} 开始，无法再改为不参加；如有变化请直接联系使用单位。"
BUTTON_CANNOT_COME = "无法参加（告知使用单位）"
ANSWER_REASON = "原因：{reason}。"
NEXT_INVITED = "已依次邀请备选专家 {name}。"
RESERVE_EMPTY_NOTICE = (
    "第 {request_id} 号申请的备选名单中已没有可邀请的专家，仍缺 {missing} 人。请在 /draws 打开该申请查看。"
)
EXCUSED_OWN = (
    "市人力社保局已登记您 {starts_on} 至 {ends_on} 请假，并代您告知使用单位无法参加"
    "第 {request_id} 号邀请（{project}，{days}）：这些日期不再为您保留。"
)
LEAVE_AS_REASON = "请假（{reason}）"
LEAVE_AS_REASON_BARE = "请假"
"""What the unit reads as the reason when the bureau answers for an expert on leave."""
EXPIRED_OWN = "第 {request_id} 号邀请（{project}）已过答复期限，视为婉拒。"
REQUEST_CANCELLED_OWN = "第 {request_id} 号邀请（{project}，{days}）已由使用单位取消：{reason}。这些日期不再为您保留。"

TOMORROW = "提醒：明天起您参加第 {request_id} 号邀请“{project}”（{days}，{place}）。"
RECORD_WORK = (
    "第 {request_id} 号申请“{project}”的工作日期已过，尚未登记以下专家的工作：{names}。"
    "请在 /draws 打开该申请，点“登记工作”。"
)

# after the work
ASK_HOURS = "登记 {name} 的工作：实际工作时长（小时，可有一位小数，如 3.5）。"
ASK_RATING = "评分（1–5 分）："
ASK_COMMENT = "评价意见（可选），或点“无”。"
ASK_FEE = "支付的专家费用（元，可有两位小数，如 800 或 800.50；未支付填 0）。"
BAD_HOURS = "请输入 0.5–240 之间的小时数，最多一位小数。"
BAD_FEE = "请输入 0–{max} 之间的金额，最多两位小数。"
WORK_TOO_EARLY = "工作日期 {day} 还没到，之后才能登记。"
WORK_NOT_ACCEPTED = "只有已接受邀请的专家可以登记工作。"
WORK_RECORDED = "已登记：{name}，{hours} 小时，{rating} 分，费用 {fee} 元。已请专家确认。"
WORK_ALREADY = "这位专家的工作已经登记过。"
WORK_TO_EXPERT = (
    "{unit} 登记了您在“{project}”的工作：{hours} 小时，评分 {rating} 分，费用 {fee} 元。{comment}\n"
    "如无异议请点“确认”；有出入请点“有异议”并说明。"
)
WORK_COMMENT = "评价：{comment}"
BUTTON_CONFIRM_WORK = "确认"
BUTTON_DISPUTE_WORK = "有异议"
ASK_DISPUTE = "请说明哪里有出入（会转告使用单位和市局）。"
WORK_CONFIRMED_OWN = "已确认。"
WORK_DISPUTED_OWN = "已记录您的异议。"
WORK_ANSWER_TO_UNIT = "{name} 对“{project}”的工作登记{answer}。{note}"
WORK_ANSWER_CONFIRMED = "已确认"
WORK_ANSWER_DISPUTED = "提出异议"
WORK_ANSWER_NOTE = "说明：{note}"
WORK_ANSWERED = "您已答复过这条工作登记。"
NOT_YOUR_WORK = "这条工作登记不是您的。"

# lists
DRAWS_EMPTY = "还没有抽取申请。发送 /draw 开始申请。"
DRAWS_HEAD = "抽取申请（最近 {count} 份）："
DRAWS_LINE = "第 {request_id} 号　{unit}{project}　{days}　{status}　已接受 {accepted}/{wanted}"
DRAWS_LINE_UNIT = "{unit}　"
BUTTON_OPEN = "第 {request_id} 号"
WORK_SUMMARY = "{year} 年参加抽取工作 {count} 次，共 {hours} 小时，平均评分 {rating}，费用 {fee} 元{disputed}"
WORK_SUMMARY_DISPUTED = "（{count} 条有异议）"
NO_RATING = "—"
