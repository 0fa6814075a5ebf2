"""The reviewers' side: roles, invites, review cards, decisions, lists and history."""

LEVEL = {1: "单位审核", 2: "区县审核", 3: "资格审核"}
"""By `ReviewLevel` value."""
DECISION = {"a": "通过", "r": "退回修改", "d": "不同意"}
"""By `Decision` value: button labels and the name of the decision at unit and district level."""
DECISION_AT_BUREAU = {"a": "资格审核通过", "r": "退回区县", "d": "不通过"}
"""The same at the bureau's qualification review."""
DECIDED_BELOW = {"a": "通过", "r": "退回修改", "d": "决定不同意"}
"""What a unit or district reviewer is told they did, as in “已{…}。” (not “已不同意”)."""
DECIDED_AT_BUREAU = {"a": "通过资格审核", "r": "退回区县", "d": "决定资格审核不通过"}
"""What the bureau's reviewer is told they did, as in “已{…}。”."""
DONE = {
    "submit": "提交申报",
    "approve": "审核通过",
    "return": "退回修改",
    "decline": "决定不同意",
    "withdraw": "撤回申报",
    "qualify": "审核通过",
    "disqualify": "决定不通过",
    "return_to_district": "退回区县",
    "accept": "决定入库",
    "not_accept": "决定不入库",
    "erase": "删除个人信息",
    "enter": "录入纸质申报",
}
"""By workflow action: what someone did, as in “由 X 于 T 审核通过”."""
SOMEONE = "其他审核人"

# roles -------------------------------------------------------------------------------

ROLE_BUREAU = "市人力社保局管理员"
ROLE_BUREAU_REVIEWER = "市局审核人（资格审核）"
ROLE_DISTRICT = "{district}区县审核人"
ROLE_UNIT = "{unit}（{code}）单位审核人"
ROLES_HEADER = "您的角色："
ROLES_NONE = "您目前没有审核角色。审核人由市局或区县通过一次性邀请链接授予。"
NOT_A_REVIEWER = "您还没有审核权限。审核人由市局或区县通过一次性邀请链接授予。"
NOT_A_REVIEWER_LIST = "只有审核人和市局管理员可以查看申报列表。"

COMMANDS = {
    "start": "开始或继续申报",
    "status": "查看我的申报状态",
    "download": "下载我的推荐表（附件1）",
    "export": "导出汇总表（附件2）与推荐表",
    "report": "向市局上报本区县汇总表",
    "campaign": "征集批次：截止时间、开放或关闭、提醒设置",
    "nudge": "催办一份申报：提醒正在处理它的人（/nudge 申报编号）",
    "audit": "导出与查看记录（访问日志）",
    "registry": "专家入库：联席会议确认、公示、聘任",
    "experts": "入库专家名册（按姓名或聘书编号查找）",
    "expert": "一位专家：评价、续聘、解聘、确认退出",
    "me": "我的专家信息（聘书编号、专业组、聘期）",
    "pending": "待我审核的申报",
    "applications": "申报列表与统计",
    "stats": "统计图表（申报、专家、抽取）",
    "history": "查看申报审核记录",
    "invite": "邀请审核人",
    "draw": "申请抽取专家",
    "draws": "抽取申请与结果",
    "roles": "我的角色",
    "privacy": "个人信息处理说明、撤回同意与删除",
    "help": "帮助",
}

# invites -----------------------------------------------------------------------------

NOT_AN_INVITER = "只有市局管理员和区县审核人可以发出邀请。"
NOT_ALLOWED_INVITE = "您无权为该区县或单位发出邀请。"
INVITE_CHOOSE_DISTRICT = "请选择要邀请审核人的区县（第 {page}/{pages} 页）："
INVITE_CHOOSE_UNIT = "{district}：请选择要邀请审核人的单位，或新增单位："
BUTTON_INVITE_DISTRICTS = "邀请区县审核人"
BUTTON_INVITE_BUREAU_REVIEWER = "邀请市局审核人（资格审核）"
BUTTON_NEW_UNIT = "➕ 新增单位"
ASK_UNIT_NAME = "请输入{district}新单位的全称（发送“取消”放弃）："
ASK_UNIT_KIND = "请选择“{name}”的单位类型："
UNIT_EXISTS = "该区县已有名为“{name}”的单位。"
UNIT_ADDED = "已登记单位：{name}（{kind}，代码 {code}）。"
UNIT_NOT_FOUND = "没有找到该单位。"
DISTRICT_NOT_FOUND = "没有找到该区县。"
INVITE_LINK = (
    "邀请链接（{target}）：\n{link}\n\n"
    "只能使用一次，{expires} 前有效。请只发给该审核人本人；打开链接的人将获得审核权限。"
)
BUTTON_REVOKE_INVITE = "撤销此邀请"
INVITE_REVOKED_OK = "该邀请已撤销，链接不再有效。"
INVITE_NOT_FOUND = "没有找到该邀请。"
INVITE_NOT_REVOCABLE = "该邀请已被使用或已撤销。"
INVITE_UNKNOWN = "该邀请链接无效。请向邀请人索取新的链接。"
INVITE_USED = "该邀请链接已被使用过，不能再次使用。请向邀请人索取新的链接。"
INVITE_EXPIRED = "该邀请链接已于 {expired} 过期。请向邀请人索取新的链接。"
INVITE_REVOKED = "该邀请链接已被撤销。请向邀请人索取新的链接。"
INVITE_ACCEPTED = (
    "您已成为{target}。\n有新的申报时机器人会发送审核卡片；发送 /pending 查看待审核的申报，"
    "/roles 查看您的角色。"
)
INVITE_ALREADY_HELD = "您已是{target}，无需重复授权。"
INVITER_TOLD = "{name}（Telegram ID {id}）已通过您的邀请成为{target}。"

# the card ----------------------------------------------------------------------------

CARD_TITLE = "📝 待{level} · 申报编号 {id}"
CARD_CAMPAIGN = "批次：{campaign}　提交时间：{submitted}"
CARD_RESUBMITTED = "🔄 重新提交，与上次提交相比修改了："
CARD_CHANGE = "· {label}：{old} → {new}"
CARD_CHANGE_LINES = "· {label}：\n  原：{old}\n  改为：{new}"
"""A change with a value of several lines (工作简历): “A → A\nB” would not say where the new
value begins."""
CARD_NO_CHANGES = "🔄 重新提交（内容与上次提交相同）"
UNIT_LABEL = "工作单位"
CARD_CHANGED_FIELDS = "🔄 重新提交，修改了：{labels}。修改内容较长，请点“查看修改内容”。"
CHANGES_TITLE = "🔄 申报编号 {id} 与上次提交相比的修改："
BUTTON_VIEW_CHANGES = "查看修改内容"
BUTTON_OPEN_CARD = "打开审核卡片"
CARD_UNIT_APPROVED = "✅ 单位审核：{who} 于 {when} 同意"
CARD_DISTRICT_APPROVED = "✅ 区县审核：{who} 于 {when} 同意，已上报市局"
CARD_ENTERED = "✅ 区县审核：{note}，{when} 录入"
"""A paper application the bureau entered (its event's note names the district's sheet)."""
CARD_BUREAU_RETURN = "↩️ 市局资格审核退回区县重新审核：{who} 于 {when}\n退回理由：{reason}"
CONDITIONS_HEADER = "申报条件（年龄按单位提交截止日 {deadline} 计算）："
CONDITION_AGE = "· 年龄：{age} 周岁，须65周岁以下{mark}"
CONDITION_AGE_UNKNOWN = "· 年龄：未知，须65周岁以下{mark}"
CONDITION_TITLE = "· 职称：{level}，单位类型 {kind}，须{required}{mark}"
CONDITION_TITLE_EMERGENCY = "· 职称：{level}，具有重庆市应急管理专家资格{mark}"
CONDITION_DISCIPLINE = "· 学科类别：{discipline}{mark}"
TITLE_REQUIRED_STRICT = "正高级"
TITLE_REQUIRED = "副高级及以上"
UNKNOWN = "未填"
MARK = {True: " ✅", False: " ⚠️ 不符合", None: " ❔"}
"""By whether the condition is met (None: not known)."""
CARD_DUPLICATES = "⚠️ 同一身份证号的其他申报 {count} 份："
CARD_DUPLICATE = "· #{id} · {campaign} · {district} · {unit} · {status}"
CARD_NO_DUPLICATES = "同一身份证号的其他申报：无"
CARD_UNIT_UNCONFIRMED = (
    "⚠️ 申报人填写的工作单位尚未登记：请区县先核实该单位，并代为进行单位审核；点“通过”即确认该单位。"
)
CARD_UNIT_NO_REVIEWER = "⚠️ 该单位尚无审核人（或审核人即申报人本人）：请区县代为进行单位审核。"
CARD_FLAGS = "⚠️ 申报条件提示：{reasons}"
CARD_RELAXATION = "放宽条件申请理由：{reason}"
CARD_NO_FLAGS = "申报条件：未发现不符合项"
CARD_PHOTO = "申报编号 {id} · {name} 的照片"
BIRTH_MONTH = "出生年月"
GENDER = "性别"
TITLE_AND_LEVEL = "职称及等级"
MAJOR_AND_DISCIPLINE = "所学专业及类别"
UNIT = "工作单位"
BUTTON_VIEW_ALL = "查看全部"
BUTTON_HISTORY = "审核记录"
BUTTON_DOWNLOAD_ANNEX1 = "下载推荐表"
FULL_TITLE = "📄 申报编号 {id} 全部内容（{status}）"

# deciding ----------------------------------------------------------------------------

ASK_REASON = "申报编号 {id}（{name}）：请输入“{decision}”的理由，申请人会看到。\n发送“取消”则申报保持原状。"
RETURN_AFTER_DEADLINE = (
    "⚠️ 个人及单位提交截止时间 {deadline} 已过：退回后申报人不能再修改和重新提交"
    "（除非市局延长截止时间）。"
)
CANCEL_WORD = "取消"
BUTTON_CANCEL = "取消"
REASON_CANCELLED = "已取消，申报保持原状。"
REASON_PROMPT_GONE = "这条提示已失效（理由已提交或已取消），无需再取消。申报的最新状态请看审核卡片或 /pending。"
REASON_LENGTH = "理由应为 {low} 到 {high} 个字，您输入了 {length} 个，请重新输入（发送“取消”放弃）。"
REASON_NO_WORDS = "理由需要用文字写明，只有表情或标点的内容不算，请重新输入（发送“取消”放弃）。"
REASON_NOT_TEXT = "请用文字输入理由（发送“取消”放弃）。"
REASON_EMPTY = "理由不能为空，只有空格或不可见字符的内容不算，请输入文字（发送“取消”放弃）。"
DONE_ANSWER = "已{decision}。"
DECIDED = "✅ 申报编号 {id}（{name}）已{decision}。"
STALE_CARD = "该卡片已过期：申报已有新的变化，请按最新的卡片或 /pending 操作。"
NOT_REPORTED_YET = "该申报所在区县尚未上报市局，暂不能进行资格审核。"
NOT_YOUR_APPLICATION = "您无权处理这份申报。"
NOT_VIEWABLE = "没有找到您可以查看的申报编号 {id}，请核对编号。"
"""Not there, a draft, or out of the viewer's scope: the refusal does not tell which."""
OWN_APPLICATION = "这是您本人的申报。按回避要求，本人的申报由其他审核人员审核，您不能作出决定。"
ALREADY_HANDLED = "该申报已由 {who} 于 {when} {what}，无需重复处理。"
DEADLINE_PASSED = "{level}截止时间 {deadline} 已过，不能再作出审核决定。如需延期请联系市局。"
CLOSED_CARD = "⏰ {level}截止时间 {deadline} 已过，这份申报不能再作出审核决定，以下仅供查看。如需延期请联系市局。"
"""Above the full text of an application opened from a list after its level's deadline."""

OUTCOME_CARD = "申报编号 {id} · {name} · {unit}\n{icon} 已由 {who} 于 {when} {what}（{level}）"
OUTCOME_ICON = {"a": "✅", "r": "↩️", "d": "❌"}
OUTCOME_REASON = "理由：{reason}"
WITHDRAWN_CARD = "申报编号 {id} · {name} · {unit}\n↩️ 申报人已于 {when} 撤回申报，无需再审核。"
REVIEWERS_WITHDRAWN = "↩️ 申报编号 {id}（{name}，{unit}）已由申报人撤回，无需再审核。"

APPLICANT_UNIT_APPROVED = (
    "✅ 您的申报已通过单位审核（{when}），已报送{district}人力社保部门审核。发送 /status 查看进度。"
)
APPLICANT_DISTRICT_APPROVED = (
    "✅ 您的申报已通过{district}人力社保部门审核（{when}），将由区县汇总后报送市人力社保局进行资格审核。"
    "发送 /status 查看进度。"
)
APPLICANT_DISTRICT_APPROVED_AT_BUREAU = (
    "✅ 您的申报已通过{district}人力社保部门审核（{when}），已报送市人力社保局进行资格审核。"
    "发送 /status 查看进度。"
)
"""When the district had reported its batch already: the application goes on to the bureau at once."""
APPLICANT_REPORTED = (
    "📮 {district}人力社保部门已将您的申报报送市人力社保局（{when}），等待资格审核。"
    "发送 /status 查看进度。"
)
APPLICANT_RETURNED = (
    "↩️ 您的申报被{level}退回修改（{when}）。\n原因：{reason}\n\n"
    "请在下方汇总页修改后重新签名提交，截止时间 {deadline}。"
)
APPLICANT_RETURNED_CLOSED = (
    "↩️ 您的申报被{level}退回修改（{when}）。\n原因：{reason}\n\n"
    "个人及单位提交截止时间 {deadline} 已过，申报不能再修改或重新提交。"
    "如市人力社保局延长截止时间，机器人会通知您，届时可修改后重新提交；"
    "如有疑问请联系所在单位或{district}人力社保部门。"
)
"""A return after the unit deadline: the applicant could change nothing that could be submitted."""
APPLICANT_QUALIFIED = (
    "✅ 您的申报已通过市人力社保局资格审核（{when}），将提交市工伤预防联席会议确认入库。"
    "发送 /status 查看进度。"
)
APPLICANT_NOT_QUALIFIED = (
    "❌ 您的申报未通过市人力社保局资格审核（{when}）。\n理由：{reason}\n\n"
    "本批次申报到此结束，如有疑问请联系{district}人力社保部门。"
)
APPLICANT_RETURNED_TO_DISTRICT = (
    "↩️ 市人力社保局资格审核将您的申报退回{district}人力社保部门重新审核（{when}）。\n"
    "原因：{reason}\n\n目前无需您操作；如需修改，区县会将申报退回给您。"
)
DISTRICT_TOLD_NOT_QUALIFIED = (
    "❌ 申报编号 {id}（{name}，{unit}）未通过市局资格审核：{who} 于 {when}。\n理由：{reason}"
)
UNIT_TOLD_RETURNED = (
    "↩️ 贵单位审核通过的申报编号 {id}（{name}，{unit}）被区县退回修改：{who} 于 {when}。\n"
    "理由：{reason}\n申报人修改并重新提交后，将再次由单位审核。"
)
MOVED_AWAY = (
    "📤 您退回修改的申报编号 {id}（{name}）已将工作单位改为“{unit}”（{district}）并重新提交，将由新单位审核。"
)
"""To whoever returned an application that was resubmitted at another unit (修改 工作单位)."""
UNIT_TOLD_DECLINED = (
    "❌ 贵单位审核通过的申报编号 {id}（{name}，{unit}）区县审核不同意：{who} 于 {when}。\n理由：{reason}"
)
APPLICANT_DECLINED = (
    "❌ 您的申报未获{level}同意（{when}）。\n理由：{reason}\n\n本批次申报到此结束，如有疑问请联系所在单位。"
)

UNASSIGNED = (
    "⚠️ 申报编号 {id}（{unit}，{district}）正在等待{level}，但无人可以审核：{why}。\n"
    "请发送 /invite 邀请{district}的区县审核人（或在服务器上执行 expertbot grant 授权），"
    "授权后对方即可在 /pending 中审核。\n"
    "在{district}有人可以审核之前，该区县后续等待审核的申报不再逐份通知，可发送 /applications 查看。"
)
"""To the bureau admins, once per district: an application waits where nobody holds the role
to decide, the first of its district to do so."""
UNASSIGNED_WHY = {
    1: "该单位无人审核，应由区县代为进行单位审核，但{district}还没有区县审核人",
    2: "{district}还没有区县审核人",
}
"""By `ReviewLevel` value."""

# lists and history -------------------------------------------------------------------

PENDING_HEADER = "待您审核的申报：共 {total} 份（第 {page}/{pages} 页，按提交时间从早到晚）"
PENDING_NONE = "目前没有待您审核的申报。"
PENDING_CLOSED = "⏰ {level}截止时间 {deadline} 已过：其中 {count} 份（标 ⏰）不能再作出审核决定。如需延期请联系市局。"
CLOSED_MARK = "⏰ "
QUALIFICATION_WAITING = "📋 {district}上报了 {count} 份申报，待资格审核。"
BUTTON_OPEN_PENDING = "查看待审核的申报"
LIST_LINE = "#{id} {name}"
LIST_SEPARATOR = " · "
"""Between the parts of a list line: unit, group, status, submission time (those known)."""
BUTTON_OPEN = "#{id} {name}"
BUTTON_NUDGE_ENTRY = "催办 #{id}"
APPS_HEADER = "本批次申报（{scope}）"
APPS_COUNTS = "各状态数量：{counts}"
APPS_FILTERS = "当前筛选：{filters}"
APPS_PAGE = "共 {total} 份（第 {page}/{pages} 页）"
APPS_NONE = "没有符合条件的申报。"
ALL = "全部"
ALL_SCOPE = "全市"
FILTER_STATUS = "状态：{value}"
FILTER_UNIT = "单位：{value}"
FILTER_GROUP = "专业组：{value}"
BUTTON_BY_STATUS = "按状态"
BUTTON_BY_UNIT = "按单位"
BUTTON_BY_GROUP = "按专业组"
BUTTON_CLEAR_FILTERS = "清除筛选"
CHOOSE_STATUS = "请选择状态："
CHOOSE_UNIT = "请选择单位："
CHOOSE_GROUP = "请选择专业组："
NO_UNIT_FILTER = "（无已登记单位）"

HISTORY_USAGE = "用法：/history 申报编号，例如 /history 12；也可在审核卡片上点“审核记录”。"
HISTORY_HEADER = "🕘 申报编号 {id}（{name}）的审核记录："
HISTORY_LINE = "{when} · {who}：{what}（{from_} → {to}）"
HISTORY_NOTE = "　理由：{note}"
HISTORY_NONE = "（暂无记录）"

# /start for a person who holds roles ---------------------------------------------------

HOME_GREETING = "您好，{name}！您在本机器人中的角色："
HOME_PENDING = "待您审核的申报：{count} 份，发送 /pending 查看。"
HOME_NO_PENDING = "目前没有待您审核的申报。"
HOME_PENDING_CLOSED = "⏰ 其中 {count} 份已过{level}截止时间 {deadline}，不能再作出审核决定。如需延期请联系市局。"
HOME_COMMANDS = "您可以使用的命令："
HOME_COMMAND_LINE = "/{command} — {description}"
HELP_ROLES = "您的角色：{roles}。您还可以使用："
HELP_COMMAND_LINE = "/{command} {description}"
"""/help's lines for the commands of the person's roles, written as its lines for everyone's."""
HOME_APPLY = "如您本人也要申报专家，请点“本人申报”。"
HOME_OWN_APPLICATION = "您本人的申报："
BUTTON_APPLY_MYSELF = "本人申报"
