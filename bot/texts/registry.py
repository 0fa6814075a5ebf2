"""The expert database after qualification: the joint meeting, publicity, objections, appointment."""

STATUS = {
    "qualified": "资格审核通过",
    "not_qualified": "资格审核未通过",
    "confirmed": "联席会议已确认入库",
    "accepted": "已聘任入库",
    "not_accepted": "未入库",
}
"""Names of the states an application reaches at the bureau, for refusals."""

COMMAND_LINE = "命令行"
NO_CAMPAIGN = "目前没有征集批次。"
NOT_BUREAU = "只有市局管理员可以处理专家入库、公示和聘任。"
WRONG_STATE = "申报 #{app_id} 当前状态为“{status}”，不能这样处理。"
CHANGED_ELSEWHERE = "这份申报刚被其他人处理过，请刷新后再试。"
APPLICATION_NOT_FOUND = "没有申报 #{app_id}。"

REFERENCE_NEEDED = "请填写联席会议纪要文号（不超过 {limit} 个字），如：联席会议纪要〔2026〕3号。"
BATCH_EMPTY = "请列出本次联席会议确认入库的申报编号。"
BATCH_NOT_FOUND = "没有第 {batch_id} 批入库确认。"
BATCH_CORRECTED = "第 {batch_id} 批已由第 {by} 批更正，请对最新一批操作。"
BATCH_APPOINTED = "第 {batch_id} 批已有专家聘任，不能再更正。"
ONE_CAMPAIGN = "一批入库确认只能包含同一征集批次的申报。"
BATCH_NOTE = "联席会议（{meeting_on}）{reference}"
MEETING_IN_FUTURE = "联席会议日期 {meeting_on} 晚于今天（{today}）：请在会议召开后记录，输入会议实际召开的日期。"

WINDOW_BACKWARDS = "公示的最后一天 {end} 早于第一天 {start}：最后一天应为 {start} 或之后的日期。"
WINDOW_BEFORE_MEETING = "公示不能早于联席会议（{meeting_on}）开始，请输入 {meeting_on} 或之后的日期。"
PUBLICITY_EXISTS = "第 {batch_id} 批已经开始公示。"
NO_PUBLICITY = "第 {batch_id} 批还没有公示。"
NOT_PUBLISHED = "申报 #{app_id} 不在公示中的名单里。"
SUMMARY_NEEDED = "请写明异议的主要内容。"
REASON_NEEDED = "请写明理由。"
OBJECTION_NOT_FOUND = "没有异议 #{objection_id}。"
OBJECTION_DECIDED = "异议 #{objection_id} 已经有处理结果。"
OBJECTION_MOOT = "异议 #{objection_id} 针对的{name}已不在待聘任名单中（{status}），无需再处理，也不影响其他人聘任。"
RECEIVED_IN_FUTURE = "收到异议的日期 {received_on} 晚于今天（{today}），请输入实际收到的日期。"
RECEIVED_BEFORE_PUBLICITY = "收到异议的日期 {received_on} 早于公示开始（{starts_on}），请输入公示开始当天或之后的日期。"

FORMAT_CLASHES = "第 {campaign_id} 个征集批次的聘书编号格式 {other} 可能编出相同的号码，请换一个格式（如更换字母前缀）。"
FORMAT_REUSES = "这个格式会再次编出已发出的聘书编号 {number}，聘书编号不能重复使用，请换一个格式。"

PUBLICITY_RUNNING = "公示期到 {ends_on} 才结束，结束后才能聘任。"
TERM_START_IN_PUBLICITY = "聘期须在公示期结束（{ends_on}）之后开始，请输入 {first} 或更晚的日期。"
OBJECTIONS_OPEN = "还有未处理的异议：{ids}，处理后才能聘任。"
NOBODY_TO_APPOINT = "第 {batch_id} 批没有待聘任的专家。"

APPOINTED = (
    "🎉 您已被聘任为重庆市工伤预防专家库专家（{group}）。\n"
    "聘书编号：{certificate_no}\n聘期：{starts_on} 至 {ends_on}\n"
    "聘书将由市人力社保局盖章后发放。"
)
APPOINTED_LIST = "联席会议（{reference}）确认、经公示后，以下专家已聘任入库：{names}。"
NOT_ACCEPTED = "您的申报在公示期间收到异议，经核实异议成立，本次未能入库。理由：{reason}"

# the bureau admin's screens (/registry) ---------------------------------------------------------

OVERVIEW = (
    "专家入库 · {campaign}\n"
    "资格审核通过、待联席会议确认：{qualified} 份\n"
    "已聘任入库：{appointed} 人"
)
NO_BATCHES = "还没有记录联席会议的入库确认。"
BATCH_LINE = "第{id}批 · {reference}（{meeting_on}）· {count} 人"
BATCH_WINDOW = " · 公示 {start} 至 {end}{state}"
WINDOW_AHEAD = "（未开始）"
WINDOW_RUNNING = "（公示中）"
WINDOW_OVER = "（已结束）"
BATCH_OBJECTIONS = " · 待处理异议 {count} 件"
BATCH_WAITING = " · 待聘任 {count} 人"

BUTTON_NEW_BATCH = "记录联席会议确认"
BUTTON_PUBLICITY = "第{id}批：开始公示"
BUTTON_OBJECTION = "第{id}批：记录异议"
BUTTON_DECIDE = "第{id}批：处理异议"
BUTTON_APPOINT = "第{id}批：聘任"
BUTTON_ALL = "全选"
BUTTON_NEXT = "下一步"
BUTTON_CANCEL = "取消"
BUTTON_CONFIRM_BATCH = "确认记录"
BUTTON_CONFIRM_PUBLICITY = "确认公示"
BUTTON_CONFIRM_APPOINT = "确认聘任"
BUTTON_UPHOLD = "#{id} 异议成立"
BUTTON_OVERRULE = "#{id} 异议不成立"

PICK = "请选择本次联席会议确认入库的申报（已选 {count} 份），选好后点“下一步”："
PICK_CORRECTION = (
    "更正第{id}批：请选择更正后确认入库的申报（已选 {count} 份），选好后点“下一步”。"
    "未选的将移出该批，回到待联席会议确认。"
)
PICK_NONE = "请至少选择一份申报。"
ASK_MEETING_DATE = "请输入联席会议召开的日期，如 2026-10-28 或 10月28日（不写年份即最近已过的这一天），也可写 昨天、上周五："
ASK_REFERENCE = "请输入会议纪要文号，如：联席会议纪要〔2026〕3号"
CONFIRM_BATCH = (
    "将记录：{meeting_on} {reference}{corrects}\n确认入库 {count} 份：\n{names}\n\n"
    "记录后不能修改；如需更正，请在 /registry 点“第N批：更正”，另记一批。"
)
CORRECTS = "（更正第{id}批）"
BATCH_RECORDED = "已记录第{id}批{corrects}：{reference}，确认入库 {count} 份。下一步：开始公示。"
BATCH_DROPPED = "移出 {count} 份，回到待联席会议确认：{names}"
BUTTON_CORRECT = "第{id}批：更正"
CORRECTION_OBJECTIONS = (
    "第{corrects}批有待处理的异议 {ids}：针对仍在本批的人的，转入本批，聘任前须处理；"
    "针对移出的人的，随之结案（无需处理）。"
)
CORRECTION_CARRIED = "第{corrects}批待处理的异议 {ids} 转入第{id}批，聘任前须处理：/registry →“第{id}批：处理异议”。"
CORRECTION_MOOT = "针对移出者的异议 {ids} 随之结案（无需处理）。"
MOOT_DROPPED = "第{corrects}批已由第{id}批更正，此人不在更正后的名单中，本异议无需处理。"
"""The reason recorded on an objection closed because a correction left its person out."""

ASK_PUBLICITY_START = "第{id}批公示的第一天（如 2026-11-01，也可写 明天、下周一）："
CONFIRM_PUBLICITY = (
    "公示期：{start}（{start_weekday}）至 {end}（{end_weekday}），共 {days} 天，其中周一至周五 {weekdays} 天{proposed}。\n"
    "本机器人没有节假日日历：如遇节假日，请直接输入公示的最后一天；"
    "要改第一天，请在 /registry 重新点“第{id}批：开始公示”。无误请点“确认公示”。"
)
PROPOSED = "（按 {count} 个工作日推算）"
PUBLICITY_OPENED = "第{id}批已开始公示：{start} 至 {end}，共 {count} 人。\n{lines}"

PICK_OBJECTED = "异议针对第{id}批中的哪一位？"
ASK_RECEIVED = "收到异议的日期（如 2026-11-03 或 11月3日，不写年份即最近已过的这一天；也可写 今天、昨天）："
ASK_SUMMARY = "请输入异议的主要内容："
OBJECTION_RECORDED = "已记录异议 #{id}（{name}）。聘任前须处理：/registry →“处理异议”。"
OBJECTIONS = "第{id}批待处理的异议：\n{lines}"
OBJECTION_LINE = "#{id} {name}：{summary}（{received_on} 收到）"
NO_OPEN_OBJECTIONS = "第{id}批没有待处理的异议。"
ASK_DECISION_REASON = "异议 #{id} {outcome}，请输入理由："
OUTCOME = {True: "成立（此人不再入库）", False: "不成立"}
OBJECTION_DONE = "异议 #{id} 已处理：{outcome}。"
OBJECTIONS_MOOT = "针对同一人的异议 {ids} 随之结案（无需处理）。"
MOOT_UPHELD = "针对同一人的异议 #{id} 已成立，此人不再入库，本异议无需处理。"
"""The reason recorded on an objection closed because another against the person was upheld."""

ASK_TERM_START = "第{id}批聘任：请输入聘期的第一天（如 2026-11-10，也可写 明天、下周一）："
CONFIRM_APPOINT = (
    "聘任第{id}批 {count} 人，聘期 {start} 至 {end}（五年）。\n"
    "将生成聘书编号，并通知本人及其单位和区县审核人。"
)
APPOINTED_DONE = "已聘任 {count} 人：\n{lines}"
APPOINTED_LINE = "{certificate_no} {name}（{group}）"

CANCELLED = "已取消。"
STALE = "该操作已过期，请重新发送 /registry。"
STALE_CARD = "该操作已过期，请重新发送 /expert {key}，在卡片上重新办理。"
"""A press on an expert's card, or a step of one, that no longer holds (`key`: the certificate
number, or #专家编号 when the card is not at hand)."""
STALE_ME = "该操作已过期，请重新发送 /me。"
"""A press on the expert's own /me, or a step of one, that no longer holds."""

# the registry (/experts, /me) -------------------------------------------------------------------

STANDING = {
    "appointed": "在聘",
    "due": "聘期已满，待续聘",
    "ended": "不再续聘",
    "withdrawn": "已退出",
    "dismissed": "已解聘",
}
STANDING_NOT_RENEWED = "在聘（不予续聘）"
"""A line of /experts for an expert in service whose 不予续聘 is decided: they serve to the
term's last day, which the line gives, and are 不再续聘 after it."""
EXPERTS = "入库专家名册：共 {total} 人（第 {page}/{pages} 页）"
EXPERTS_SEARCH = "查找“{search}”："
EXPERT_LINE = "{certificate_no} {name}（{gender}）· {group} · {district} {unit} · {standing} · 聘期至 {ends_on}{renewed} · {mobile}"
EXPERT_RENEWED = "（已续聘至 {ends_on}）"
NO_EXPERTS = "没有符合条件的专家。"
EXPERTS_HELP = "按姓名或聘书编号查找：/experts 张三 或 /experts CQGSYF-2022-0001"
ME = (
    "您是重庆市工伤预防专家库专家。\n状态：{standing}\n聘书编号：{certificate_no}\n"
    "专业组：{group}\n聘期：{starts_on} 至 {ends_on}"
)
ME_NEXT_TERM = "\n续聘已确认：下一聘期 {starts_on} 至 {ends_on}，新聘书编号 {certificate_no}。"
ME_INVITATIONS = "\n邀请：{count} 份（{parts}），{below}"
ME_INVITATIONS_PART = "{status} {count} 份"
ME_INVITATIONS_BELOW = "见下。"
ME_INVITATIONS_FIRST = "下面列出工作日期最早的 {shown} 份。"
ME_WITHDRAWAL_ASKED = "\n退出申请：已提交（原因：{reason}），等待市局确认；确认前您仍是专家库专家。"
ME_NOT_RENEWED = "\n市局已决定聘期届满后不再续聘：聘期至 {ends_on} 届满，届满前您仍是专家库专家，之后不再担任。"
ME_FORMER = {
    "ended": (
        "您的聘期已于 {ends_on} 届满，市局决定不再续聘，您不再是重庆市工伤预防专家库专家。\n"
        "状态：不再续聘\n原聘书编号：{certificate_no}\n专业组：{group}\n原聘期：{starts_on} 至 {ends_on}"
    ),
    "withdrawn": (
        "您已于 {ended_on} 退出重庆市工伤预防专家库，不再是专家库专家。\n状态：已退出\n"
        "原聘书编号：{certificate_no}\n专业组：{group}\n原聘期：{starts_on} 至 {ends_on}（{ended_on} 退出）"
    ),
    "dismissed": (
        "您已被解聘，自 {ended_on} 起不再是重庆市工伤预防专家库专家。\n状态：已解聘\n"
        "原聘书编号：{certificate_no}\n专业组：{group}\n原聘期：{starts_on} 至 {ends_on}（{ended_on} 解聘）"
    ),
}
"""/me of a former expert, by standing: they are told what they no longer are."""
CERTIFICATE_FORMER = "您目前“{standing}”，不再是专家库专家，不能再下载聘书。"
NOT_EXPERT = "您目前不是专家库专家。申报进度请发送 /status。"

OBJECTIONS_TO = "重庆市人力资源和社会保障局工伤保险处（联系电话：023-88152128）"
"""Where objections to the publicity go, printed on the list (the notice names no office)."""
CERTIFICATES_ZIP = "聘书_第{batch_id}批.zip"
CAPTION_PUBLICITY = "公示名单（打印或发布用）：只含姓名、性别、工作单位、职称和专业组。"
CAPTION_CERTIFICATES = "第{batch_id}批聘书，每人一页，打印盖章后发放。"
CAPTION_REGISTRY = "入库专家名册（含联系方式，仅供市局使用；本次导出已记入访问日志）"
CAPTION_MY_CERTIFICATE = "您的聘书（电子版，正式聘书以市人力社保局盖章发放的为准）"
BUTTON_EXPORT_REGISTRY = "导出名册（xlsx）"
BUTTON_MY_CERTIFICATE = "下载聘书"

# an expert's life (bot.services.experts) --------------------------------------------------------

EXPERT_NOT_FOUND = "没有专家 #{expert_id}。"
EXPERT_UNKNOWN = "没有找到“{key}”：请用聘书编号（如 CQGSYF-2022-0001）或 #专家编号。"
TERM_CLOCK = "系统（聘期届满）"
"""The actor of the move to 聘期已满，待续聘 in the expert's history: nobody pressed anything."""
EXPERT_WRONG_STANDING = "该专家目前“{standing}”，不能这样处理。"
REASON_LIMIT = "请写明理由（不超过 {limit} 个字）。"
NO_TERM = "该专家没有聘期记录。"
EVALUATED = "该专家 {year} 年的评价已经记录过。"
RENEWAL_TOO_EARLY = "新聘期须在当前聘期届满（{ends_on}）之后开始，请输入 {first} 或更晚的日期。"
TERM_DECISION_EARLY = "聘期到 {ends_on} 届满：续聘或不予续聘须在届满前 {days} 天内决定，即 {opens} 起。"
RENEWAL_NEEDS_REVIEW = "续聘前须先完成本聘期的期满考核（卡片上的“期满考核”），考核合格后才能续聘。"
NOT_RENEWAL_NEEDS_REVIEW = "不予续聘前须先完成本聘期的期满考核（卡片上的“期满考核”），再据考核结果作出决定。"
TERM_REVIEW_EARLY = "聘期到 {ends_on} 届满：期满考核在届满前 {days} 天内进行，即 {opens} 起。"
NOT_RENEWAL_DECIDED = "市局已于 {decided_on} 决定聘期届满后不再续聘（聘期至 {ends_on}），不能续聘，也不必再次决定。"
RENEWAL_REVIEW_FAILED = "本聘期的期满考核结果为“{rating}”，不能续聘。"
WITHDRAWAL_WAITING = "您的退出申请已提交，正等待市局确认。"
NO_WITHDRAWAL = "该专家没有待确认的退出申请。"

RENEWED_OWN = "您已获续聘。新聘书编号：{certificate_no}，聘期 {starts_on} 至 {ends_on}。"
RENEWED = "{name}（{certificate_no}）已获续聘，聘期至 {ends_on}。"
NOT_RENEWED_OWN = "聘期届满后不再续聘（聘期至 {effective_on}）。理由：{reason}\n书面函告将由市人力社保局送达您和您的单位。"
NOT_RENEWED = "{name}（{certificate_no}）聘期届满后不再续聘。"
DISMISSED_OWN = "您已被解聘，自 {effective_on} 起不再担任专家库专家。理由：{reason}\n书面函告将由市人力社保局送达您和您的单位。"
DISMISSED = "{name}（{certificate_no}）已被解聘（{effective_on} 起）。"
WITHDRAWN_OWN = "市局已确认您的退出申请，您自今日起不再担任专家库专家。感谢您的参与。"
WITHDRAWN = "{name}（{certificate_no}）已申请退出专家库，市局已确认。"
WITHDRAWAL_ASKED = "{name}（{certificate_no}）申请退出专家库。理由：{reason}\n请在 /expert {certificate_no} 中确认。"

LETTER_DECISION = {"not_renew": "不予续聘", "dismiss": "解聘"}
EXPERT_CARD = (
    "专家 #{id} · {name}（{gender}）· {group}\n{district} {unit} {position} {title}\n"
    "状态：{standing}{flag}\n聘书：\n{terms}\n评价：{evaluations}"
)
EXPERT_FLAG = "（本聘期年度评价两次不合格，请研究是否续聘）"
EXPERT_TERM = "· {certificate_no} {starts_on} 至 {ends_on}{ended}"
EXPERT_TERM_ENDED = "（{ended_on} 提前结束）"
"""A term cut short (解聘, 退出 before its last day); one that had run out is not said to be."""
NO_EVALUATIONS = "暂无"
EVALUATION = "{year}年{kind}：{rating}"
EVALUATION_KIND = {"year": "年度评价", "term": "期满考核"}
EXPERT_WITHDRAWAL = "\n退出申请：{reason}"
EXPERT_NOT_RENEWED = "\n不予续聘：{decided_on} 决定，聘期至 {ends_on} 届满，届满前仍在聘、参加专家抽取，届满后不再续聘。"
EXPERT_USAGE = "查看一位专家：/expert 聘书编号（如 /expert CQGSYF-2022-0001）或 /expert #专家编号"
BUTTON_EVALUATE = "{year}年度评价"
BUTTON_RATING = "{year}年：{rating}"
BUTTON_RENEW = "续聘"
BUTTON_NOT_RENEW = "不予续聘"
BUTTON_DISMISS = "解聘"
BUTTON_CONFIRM_WITHDRAWAL = "确认退出"
BUTTON_WITHDRAW = "申请退出专家库"
PICK_RATING = "{name} {year} 年度评价："
ASK_EVALUATION_NOTES = (
    "{name} {year} 年度评价：{rating}。\n请输入评价说明（如：全年参加评审3次、隐患排查2次），"
    "或点“跳过”："
)
BUTTON_SKIP_NOTES = "跳过"
EVALUATION_DONE = "已记录 {name} {year} 年度评价：{rating}。"
EVALUATION_NOTES = "（{notes}）"
ASK_RENEWAL_START = "续聘 {name}：现聘期至 {ends_on} 届满，请输入新聘期的第一天（如 {first}）："
CONFIRM_RENEWAL = "续聘 {name}，新聘期 {start} 至 {end}，将生成新的聘书编号。"
BUTTON_CONFIRM_RENEWAL = "确认续聘"
RENEWAL_DONE = "已续聘 {name}：{certificate_no}，聘期 {start} 至 {end}。"
ASK_END_REASON = "{decision} {name}：请输入理由（将写入书面函告）："
CONFIRM_END = {
    "dismiss": (
        "确认解聘 {name}（{certificate_no}）？\n理由：{reason}\n"
        "解聘自 {effective_on} 起生效：聘期提前结束，不再参加专家抽取（已接受的邀请随即终止）；"
        "书面函告致本人并抄送所在单位，本人、单位和区县将收到通知。\n解聘后不能撤销。"
    ),
    "not_renew": (
        "确认不予续聘 {name}（{certificate_no}）？\n理由：{reason}\n"
        "聘期至 {effective_on} 届满后不再续聘：届满前仍在聘，照常参加专家抽取、履行已接受的邀请；"
        "届满后不再是专家库专家；"
        "书面函告致本人并抄送所在单位，本人、单位和区县将收到通知。\n决定后不能撤销。"
    ),
    "not_renew_over": (
        "确认不予续聘 {name}（{certificate_no}）？\n理由：{reason}\n"
        "聘期已于 {effective_on} 届满，确认后即不再续聘，不再参加专家抽取；"
        "书面函告致本人并抄送所在单位，本人、单位和区县将收到通知。\n决定后不能撤销。"
    ),
    "withdraw": (
        "确认 {name}（{certificate_no}）退出专家库？\n退出原因：{reason}\n"
        "确认后聘期于今日（{effective_on}）结束，不再参加专家抽取（已接受的邀请随即终止），"
        "本人、单位和区县将收到通知。\n确认后不能撤销。"
    ),
    "dismiss_over": (
        "确认解聘 {name}（{certificate_no}）？\n理由：{reason}\n"
        "聘期已于 {ends_on} 届满，解聘自该日起生效：确认后不再续聘，不再参加专家抽取"
        "（已接受的邀请随即终止）；书面函告致本人并抄送所在单位，本人、单位和区县将收到通知。\n"
        "解聘后不能撤销。"
    ),
    "withdraw_over": (
        "确认 {name}（{certificate_no}）退出专家库？\n退出原因：{reason}\n"
        "聘期已于 {ends_on} 届满，确认后今日（{effective_on}）即退出专家库，不再续聘，不再参加专家抽取"
        "（已接受的邀请随即终止），本人、单位和区县将收到通知。\n确认后不能撤销。"
    ),
}
"""The last step before 解聘, 不予续聘 or 确认退出 takes effect: what will happen, and that it is
final; `…_over` when the term has run out already (聘期已满，待续聘): nothing ends early."""
BUTTON_CONFIRM_END = {"dismiss": "确认解聘", "not_renew": "确认不予续聘", "withdraw": "确认退出"}
BUTTON_CANCEL_END = "取消"
CONFIRM_PRESS = "请点上面的“{button}”或“取消”；要修改理由，请点“取消”后重新办理。"
CONFIRM_STALE = "这个确认已失效（之后已取消或办理了其他操作）。请重新发送 /expert {certificate_no}，在卡片上重新办理。"
END_CANCELLED = "已取消，{name} 的状态没有改变。"
END_DONE = "已{decision} {name}。书面函告见附件，盖章后送达本人及其单位。"
NOT_RENEW_DONE = (
    "已决定不予续聘 {name}：聘期至 {effective_on} 届满，届满前仍在聘，届满后不再续聘。"
    "书面函告见附件，盖章后送达本人及其单位。"
)
WITHDRAWAL_DONE = "已确认 {name} 退出专家库。"
ASK_WITHDRAWAL_REASON = "申请退出专家库：请简要说明原因（市局确认后生效）："
WITHDRAWAL_ASKED_OWN = "退出申请已提交，市局确认后会通知您。"
CAPTION_LETTER = "书面函告（{decision}）：致本人，抄送所在单位。"
TERMS_ENDING = (
    "聘期提醒：以下专家的聘期将于 {ends_on} 届满（{days} 天内）：{names}。\n"
    "请安排期满考核并作出续聘或不予续聘的决定：/expert 聘书编号。"
)
USE_BUTTONS = "请用上面的按钮选择申报，选好后点“下一步”；发送 /cancel 取消。"
CONTACT_FIELDS = {"mobile": "移动电话", "email": "个人邮箱", "home_address": "家庭地址"}
BUTTON_CONTACT = "修改{label}"
ASK_CONTACT = "请输入新的{label}："
CONTACT_DONE = "已更新{label}：{value}。市局可以看到这次修改。"
EXPERT_CONTACTS = "\n联系方式变更：\n{lines}"
EXPERT_CONTACT_LINE = "· {at} {label}：{old} → {new}"

# paper applications (expertbot import annex2) ----------------------------------------------------

PAPER_GENDER = "性别“{gender}”与身份证号码不符（应为{derived}）"
PAPER_GROUP = "拟报专业组“{group}”不是通知所列的专业组"
PAPER_DUPLICATE = "该身份证号码在本批次已有申报"
PAPER_EMPTY = "表中没有数据行。"
PAPER_NO_CAMPAIGN = "没有这个区县或没有进行中的征集批次。"
PAPER_NOTE = "纸质推荐汇总表由市局录入（{district}）"
BUTTON_TERM_EVALUATE = "期满考核"
ASK_TERM_HEALTH = "{name} 期满考核：请输入健康状况（如：健康）："
ASK_TERM_WORK = "请简述聘期内的工作情况（参加评审、检查、培训等）："
PICK_TERM_RATING = "{name} 期满考核结果："
TERM_EVALUATION_DONE = "已记录 {name} 期满考核：{rating}（健康状况：{health}）。可在卡片上决定续聘或不予续聘。"
EXPERTS_FILTERS = "专业组：{group} · 区县：{district} · 状态：{standing} · 聘期：{ends}"
TERM_ENDS = {"soon": "任期90天内届满", "passed": "已届满待续聘"}
BUTTON_BY_DISTRICT = "按区县"
BUTTON_BY_TERM_END = "按聘期届满"
ANY = "全部"
BUTTON_BY_GROUP = "按专业组"
BUTTON_BY_STANDING = "按状态"
BUTTON_ALL_EXPERTS = "全部专家"
BUTTON_CLEAR_FILTERS = "清除筛选"
"""The same button under a search: it clears the filters, the search stays (a new /experts
without one lists everyone)."""
