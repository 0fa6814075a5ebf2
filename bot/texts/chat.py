"""The applicant's conversation: greetings, buttons, refusals, the summary card."""

STATUS = {
    "draft": "草稿（未提交）",
    "submitted": "已提交，待单位审核",
    "unit_approved": "单位已同意，待区县审核",
    "district_approved": "区县已同意",
    "qualified": "市局资格审核通过，待联席会议确认",
    "not_qualified": "市局资格审核未通过",
    "confirmed": "联席会议已确认入库，公示后聘任",
    "returned": "已退回修改",
    "declined": "未获同意",
    "withdrawn": "已撤回",
    "accepted": "已入库",
    "not_accepted": "未入库",
}

STAGE = {
    "closed": "{status}（提交截止时间已过，不能再修改或提交）",
    "no_reviewer": "{status}（目前还没有可以审核的人员，待指定审核人后审核）",
    "awaiting_report": "{status}，待区县报送市人力社保局",
    "at_bureau": "{status}，已报送市人力社保局，待资格审核",
}
"""By `bot.domain.review.Stage`: the state as /status says it, when the state alone does not
tell where the application stands."""

WELCOME = (
    "您好！这里是重庆市工伤预防专家库申报机器人。\n\n"
    "根据重庆市人力资源和社会保障局关于开展工伤预防领域专家库申报工作的通知，"
    "各行业领域从事安全生产、职业卫生、工伤预防、财务管理等方面的专家，"
    "可在此逐项填写《工伤预防专家聘任推荐表》（附件1），签名后提交所在单位审核，"
    "再由区县人力社保部门汇总报送市人力社保局。\n\n"
    "当前批次：{campaign}\n"
    "个人及单位提交截止：{unit_deadline}\n"
    "区县报送截止：{district_deadline}"
)
ALREADY_EXPERT = (
    "您已是重庆市工伤预防专家库在聘专家，无需再次申报。发送 /me 查看聘书编号和聘期。"
)
ALREADY_EXPERT_ENTRY = (
    "您已是重庆市工伤预防专家库在聘专家，无需再次申报。\n"
    "聘书编号：{certificate_no}\n聘期：{starts_on} 至 {ends_on}{next}\n"
    "发送 /me 查看您的专家信息。"
)
ALREADY_EXPERT_DUE = (
    "您是重庆市工伤预防专家库专家，聘期已于 {ends_on} 届满，正等待市局续聘决定，无需再次申报。\n"
    "聘书编号：{certificate_no}\n聘期：{starts_on} 至 {ends_on}{next}\n"
    "发送 /me 查看您的专家信息。"
)
ALREADY_EXPERT_NEXT = "\n续聘已确认：下一聘期 {starts_on} 至 {ends_on}"
ALREADY_EXPERT_WITHDRAWING = "\n您的退出申请正在等待市局确认；确认前您仍是专家库专家。"
NO_CAMPAIGN = "目前没有正在进行的专家库征集批次，请留意市人力社保局的通知。"
CAMPAIGN_CLOSED = "本批次征集已结束，不能再提交申报。"

CONSENT = (
    "个人信息处理告知（版本 {version}）\n\n"
    "处理者：重庆市人力资源和社会保障局（工伤保险处），联系电话 023-88152128。\n"
    "目的：仅用于工伤预防专家库的推荐、审核、聘任和联络。\n"
    "收集的信息：推荐表（附件1）所列各项，包括姓名、身份证号、民族、照片、工作单位、职务、"
    "学历、职称、专业、联系电话、地址、邮箱和工作简历。\n"
    "查看范围：您所在单位和区县的审核人员、市人力社保局。\n"
    "保存期限：专家聘任期内及届满后依法保存；未入库、撤回的申报在 180 天后删除个人信息。\n"
    "您的权利：可随时查看、更正申报内容，撤回申报；发送 /delete_my_data 删除您的信息，"
    "/privacy 查看处理说明，或致电上述电话。\n\n"
    "请分别确认以下三项，全部同意后方可开始填写。"
)
CONSENT_GENERAL = "同意按上述告知处理我的个人信息"
CONSENT_SENSITIVE = (
    "单独同意处理敏感个人信息：身份证号码、健康状况属于敏感个人信息，"
    "仅用于核实身份和申报条件，加密保存、脱敏显示。"
)
CONSENT_TRANSFER = (
    "单独同意经由境外即时通讯服务（Telegram，服务器位于境外）传输填写的信息；"
    "正式数据保存在本机构自己的数据库中。"
)
BUTTON_AGREE = "同意"
BUTTON_AGREED = "✅ 已同意"
BUTTON_DISAGREE = "不同意"
CONSENT_ALL = "全部同意，开始填写"
CONSENT_REFUSED = (
    "您未同意个人信息处理，机器人不会保存您的任何信息，也无法继续申报。\n"
    "申报需要处理推荐表所列的个人信息；如改变主意，请发送 /start。"
    "也可联系所在单位，以纸质方式填写推荐表。"
)
CONSENT_INCOMPLETE = "请先对三项内容分别点“同意”。"

CHOOSE_DISTRICT = "请选择您的工作单位所在区县（也可直接输入区县名称查找）："
CHOOSE_DISTRICT_PAGE = "请选择您的工作单位所在区县（第 {page}/{pages} 页）："
DISTRICT_NOT_FOUND = "没有找到“{query}”，请换个关键字，或点击按钮选择。"
DISTRICT_MATCHES = "找到以下区县，请选择："
CHOOSE_UNIT = "{district}：请选择您的工作单位，或直接输入单位名称查找："
NO_UNITS = "{district}目前没有登记的单位。请直接输入您的工作单位全称（将由区县人力社保部门确认）："
UNIT_MATCHES = "找到以下单位，请选择；都不是请点“我的单位不在列表中”："
UNIT_NOT_FOUND = (
    "{district}没有名称含“{query}”的单位。请换个关键字再找，"
    "或点“我的单位不在列表中”后输入单位全称。"
)
UNIT_NOT_LISTED = "我的单位不在列表中"
BUTTON_USE_SEARCHED = "就用“{name}”作为单位名称"
BUTTON_OTHER_DISTRICT = "◀ 重新选择区县"
TYPE_UNIT_NAME = "请输入您的工作单位全称（将由区县人力社保部门确认）："
UNIT_TYPED = "已记录工作单位“{unit}”，该单位尚未登记，将由区县人力社保部门确认。"
UNIT_CHOSEN = "工作单位：{unit}（{district}）"
CHANGE_UNIT = "修改工作单位（现为：{unit}，{district}）。"
UNIT_CHANGED = "工作单位已改为：{unit}（{district}）。"
BUTTON_CHANGE_UNIT = "修改 工作单位"
LINK_OTHER_UNIT = (
    "您打开的是“{unit}”的申报链接，而您的申报填写的工作单位是“{current}”。"
    "如需改为“{unit}”，请点下面的按钮，已填写的内容都会保留。"
)
BUTTON_SWITCH_UNIT = "改为 {unit}"
UNIT_ALREADY = "您的申报填写的工作单位已是“{unit}”，无需更改。"
UNIT_LINK_INVALID = "该单位链接无效或已失效，请按提示选择您的区县和单位。"
BUTTON_PREV_PAGE = "◀ 上一页"
BUTTON_NEXT_PAGE = "下一页 ▶"

PROGRESS = "第 {n}/{total} 项 · {label}"
BUTTON_BACK = "⬅ 上一项"
BUTTON_SKIP = "跳过"
BUTTON_SAVE_EXIT = "💾 保存并退出"
BUTTON_DONE = "完成"
BUTTON_CLEAR_LIST = "清空重填"
BUTTON_SHARE_PHONE = "📱 分享我的手机号"
CURRENT_VALUE = "当前填写：{value}"

SAVED_AND_EXIT = "已保存。您可以随时发送 /start 继续填写，截止时间 {deadline}。"
CANCELLED = "已退出当前步骤，已填写的内容都已保存。发送 /start 可继续。"
CANCELLED_INPUT = "已取消，刚才正在输入的内容未保存，其他一切保持原状。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。"
RESUMING = "欢迎回来，继续填写您的推荐表。"
NOT_SHOWN_YET = (
    "上一条提问可能未能送达您（例如机器人刚刚重新启动），为确保您看到的是当前要填的这一项，"
    "刚才发送的内容未作为本项答案；"
    "此前填写的内容都已保存。请回答下面这一项："
)
"""The question at the cursor may never have reached the person (a restart, or a failed send,
after the commit): nothing is taken, and no previous answer is claimed (the first field has none)."""
ID_MESSAGE_DELETED = "为保护您的信息，含身份证号的消息已从聊天中删除；系统仅显示 {masked}。"
ID_REJECTED_DELETED = "为保护您的信息，这条含身份证号的消息已从聊天中删除。"
ID_NUMBER_IN_USE = "该身份证号在本批次已有申报，同一人只能申报一次。如有疑问请联系所在单位。"

LIST_DUPLICATE = "这一条已经添加过了。"
LIST_EMPTY = "请至少填写一条，再点“完成”。"
LIST_TOO_MANY = (
    "已添加 {count} 条，这次又输入了 {new} 条，合计超过推荐表能印的 {limit} 条，本次输入未保存。"
    "还能添加 {room} 条，请删减后重新输入；如需整体更换，请点“清空重填”。"
)
LIST_FULL = "已填满 {limit} 条。如需更换，请点“清空重填”后重新输入；不改请点“完成”。"
CANNOT_SKIP = "这一项为必填项，不能跳过。"
AT_FIRST_FIELD = "这已经是第一项了。"
STALE_BUTTON = "该按钮已失效，请按最新消息操作。"
CHANGED_ELSEWHERE = "您的申报刚刚在别处被修改，请按最新消息重新操作。"
APPLICATION_NOT_FOUND = "没有找到这份申报。"
NOT_EDITABLE = "您的申报当前状态为“{status}”，不能修改。"
CANNOT_WITHDRAW = "您的申报当前状态为“{status}”，不能撤回。"
NO_APPLICATION = "您还没有申报。发送 /start 开始填写。"

WRONG_TYPE_TEXT = "这一步需要输入文字，请直接输入。"
WRONG_TYPE_PHOTO = "这一步需要上传照片，请发送一张照片（或以文件形式发送 JPEG/PNG 图片）。"
WRONG_TYPE_CHOICE = "请点击上方消息中的按钮选择，或输入选项名称。"
WRONG_TYPE_BUTTON_ONLY = "请点击上方消息中的按钮。"
NO_PHOTO_HERE_BUTTON_ONLY = "这一步不需要照片或文件，发送的内容没有保存。请点击上方消息中的按钮。"
NO_PHOTO_HERE_CHOICE = "这一步不需要照片或文件，发送的内容没有保存。请点击上方消息中的按钮选择，或输入选项名称。"
TOO_LONG = "内容过长（{length} 字），这一项最多 {limit} 字，请精简后重新输入。"
FORWARDED = "为防止冒用他人信息，不接受转发的消息，请直接输入。"
EDITED_IGNORED = "修改已发送的消息不会改变申报内容。如需修改，请在汇总页点击对应项目的“修改”。"
NOT_YOUR_CONTACT = "请分享您本人的手机号，或直接输入号码。"
GROUP_CHAT = "为保护个人信息，请在与机器人的私聊中申报。"

PHOTO_TOO_BIG = "照片文件过大（{size:.1f} MB），请上传不超过 {limit} MB 的照片。"
PHOTO_NOT_IMAGE = "无法识别该文件为 JPEG 或 PNG 图片，请上传 JPEG 或 PNG 格式的证件照。"
PHOTO_TOO_SMALL = "照片尺寸为 {w}×{h} 像素，至少需要 295×413 像素，请上传更清晰的照片。"
PHOTO_NOT_PORTRAIT = "照片尺寸为 {w}×{h}，不是竖版。请上传竖版证件照（高度大于宽度）。"
PHOTO_BAD = "照片无法打开或已损坏，请重新上传。"
PHOTO_TOO_MANY_PIXELS = (
    "照片为 {w}×{h} 像素，超过 {limit} 百万像素的上限。证件照不需要这么大，"
    "请裁剪或缩小后重新上传（以“照片”方式发送时 Telegram 会自动缩小）。"
)
PHOTO_TELEGRAM_TOO_BIG = (
    "这个文件超过 20 MB，Telegram 不允许机器人下载，无法读取。"
    "请以“照片”方式重新发送（Telegram 会自动压缩），或压缩后再以文件方式发送。"
)
PHOTO_SAVED = "照片已保存。"

FLAG_RAISED = "⚠️ 申报条件提示：{reasons}"

CARD_TITLE = "📋 推荐表汇总（请核对，点击下方按钮可修改任一项）"
CARD_STATUS = "状态：{status}"
CARD_UNIT = "工作单位：{unit}（{district}）"
CARD_UNIT_UNCONFIRMED = "（待区县确认）"
CARD_RETURNED = "⚠️ 退回修改原因：{reason}"
CARD_FLAGS = "⚠️ 申报条件提示：{reasons}"
CARD_RELAXATION = "放宽条件申请理由：{reason}"
BUTTON_EDIT = "修改 {label}"
BUTTON_SIGN = "✍️ 确认无误，签名提交"
BUTTON_WITHDRAW = "撤回申报"
BUTTON_CONTINUE = "继续填写"

PLEDGE_STATEMENT = "本人承诺所填信息真实有效，如有不实，本人承担相应责任。"
"""What the applicant signs in chat; Annex 1 prints this very sentence above the signature."""
PLEDGE = (
    "承诺：" + PLEDGE_STATEMENT + "\n\n"
    "请输入您的姓名作为签名（须与推荐表中的姓名“{name}”一致）："
)
SIGNATURE_MISMATCH = "签名与推荐表中的姓名“{name}”不一致，请重新输入您的姓名。"
SUBMITTED = (
    "✅ 申报已提交（{filled_at}）。\n"
    "下一步：由 {reviewer} 审核，审核结果会通过本机器人通知您。\n"
    "发送 /status 可随时查看进度。"
)
REVIEWER_UNIT = "您所在单位“{unit}”的审核人员"
REVIEWER_DISTRICT = "{district}人力社保部门（您的单位尚未登记，由区县确认单位后审核）"
REVIEWER_DISTRICT_FOR_UNIT = "{district}人力社保部门（您的单位暂无审核人员，由区县代为审核）"
SUBMITTED_NO_REVIEWER = (
    "✅ 申报已提交（{filled_at}）。\n"
    "目前{district}还没有可以审核的人员，申报将在市人力社保局指定审核人后进入审核，"
    "审核结果会通过本机器人通知您。\n"
    "发送 /status 可随时查看进度。"
)
FORM_CLOSED = (
    "个人及单位提交截止时间 {deadline} 已过，申报不能再修改或提交。"
    "如市人力社保局延长截止时间，机器人会通知您，届时可继续修改并提交；"
    "如有疑问请联系所在单位或{district}人力社保部门。"
)
"""A draft or a returned form after the unit deadline: why nothing more can be done with it."""
SPLIT_REST = (
    "这条消息紧跟在上一条过长的内容之后，是 Telegram 把超长内容自动拆开的后一部分，"
    "没有作为这一项的答案保存（前一部分也没有保存）。请精简到这一项的字数以内，作为一条消息重新发送。"
)
"""The rest of a text Telegram split: it is never an answer, to this field or the next."""
INPUT_NOT_SAVED = "您刚才发送的内容未保存。"
AT_CARD_TYPED = (
    "您刚才发送的内容未保存：各项已填写完毕。要修改某一项，请点下方汇总页中该项的按钮；"
    "核对无误请点“确认无误，签名提交”。"
)
"""Something sent while the summary card waits for a press."""
SENT_TO_SUBMITTED = (
    "您刚才发送的内容未保存：申报已提交，不能再在这里修改。"
    "如需更正，请联系正在审核的单位或区县人力社保部门将申报退回，退回后即可修改并重新提交。"
)
"""Something sent to a form that is out of the applicant's hands, above its state."""
RESUME_EXTENDED = (
    "已将刚才发送的 {count} 段经历添加到工作简历末尾（现共 {total} 段）。"
    "如需整体重填，请点汇总页中的“修改 工作简历”。"
)
"""Résumé lines sent at the card: a computer's Enter sends each line as a message of its own."""
RESUME_FULL_AT_CARD = (
    "您刚才发送的经历未保存：工作简历已有 {count} 段，再加 {new} 段就超过了推荐表能填的 {max_entries} 段。"
    "请点汇总页中的“修改 工作简历”，合并或删去较早的经历后整体重填。"
)
RESUME_EXTENDED_ASKING = (
    "已将刚才发送的 {count} 段经历添加到工作简历末尾（现共 {total} 段），没有作为“{label}”的回答。"
    "请继续回答下面的问题；工作简历可在最后的汇总页中修改。"
)
"""Résumé lines sent just after the résumé, when the next question had already been asked."""
MISSING_FIELD = "“{label}”尚未填写，请先补充。"
WITHDRAWN = "您的申报已撤回。"
CONFIRM_WITHDRAW = "确定要撤回申报吗？撤回后本批次不能再以此申报。"
BUTTON_CONFIRM_WITHDRAW = "确定撤回"
BUTTON_KEEP = "不撤回"
KEPT = "好的，申报保持不变。"

STATUS_LINE = "申报编号 {id} · {campaign}\n状态：{status}\n最后更新：{updated}"
STATUS_NONE = "您还没有申报。发送 /start 开始填写。"

HELP = (
    "可用的命令：\n"
    "/start 开始或继续填写推荐表\n"
    "/status 查看申报状态\n"
    "/download 提交后下载推荐表（附件1），打印签字\n"
    "/cancel 退出当前步骤（已填写内容会保存）\n"
    "/privacy 个人信息处理说明\n"
    "/delete_my_data 撤回同意并删除我的信息\n"
    "/rebind 换了新的 Telegram 账号：把原账号的申报转到这里\n"
    "/me 入库专家查看自己的聘书编号、专业组和聘期\n"
    "/help 显示本帮助\n\n"
    "填写时每一步都可以点“上一项”返回、“保存并退出”稍后继续；"
    "全部填完后会显示汇总页，可逐项修改，再签名提交。"
)
UNKNOWN_INPUT = "没有理解您的意思。发送 /start 开始或继续申报，/help 查看帮助。"
UNKNOWN_COMMAND = "没有 {command} 这个命令，这条消息未作为回答保存。发送 /help 查看可用命令。"
INTERNAL_ERROR = "抱歉，处理时出现问题，您的已填写内容不受影响。请稍后再试。"
