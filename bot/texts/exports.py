"""Exports, batch reports and the access log: what the people who download files read."""

NOT_YOUR_SCOPE = "您无权导出该范围的申报信息。"
BUREAU_ONLY = "只有市局管理员可以进行全量导出或查看访问日志。"
NOT_AN_EXPORTER = "只有审核人和市局管理员可以导出汇总表。申报人请用 /download 下载自己的推荐表。"
NO_CAMPAIGN = "目前没有征集批次。"
UNKNOWN_DISTRICT = "找不到该区县。"
UNKNOWN_UNIT = "找不到该单位。"
UNKNOWN_GROUP = "没有这个专业组。"
UNKNOWN_APPLICATION = "找不到该申报，或您无权下载。"
NOTHING_TO_DOWNLOAD = "您还没有已提交的申报。推荐表在提交后可以下载。"
DRAFT_NOT_DOWNLOADABLE = "申报尚未提交，提交后才能下载推荐表。"

PENDING_NOTE = "审核中"
ALL_CITY = "全市"
ALL_GROUPS = "全部专业组"

# /export ----------------------------------------------------------------------------

MENU_DISTRICT = "📊 {district} · {campaign}\n区县已同意 {approved} 人，审核中 {pending} 人。\n{reported}"
MENU_UNIT = "📊 {unit} · {campaign}\n单位已同意 {approved} 人，待单位审核 {pending} 人。"
MENU_BUREAU = "📊 市局导出 · {campaign}\n范围：{district}；专业组：{group}。\n请选择范围与专业组，然后选择要下载的文件。"
REPORTED_AT = "已于 {when} 上报市局（{rows} 人）。"
NOT_REPORTED = "尚未上报市局；区县截止时间 {deadline}。"
NOT_REPORTED_CLOSED = "尚未上报市局。"
CHOOSE_DISTRICT = "请选择区县（第 {page}/{pages} 页）："
CHOOSE_GROUP = "请选择专业组："
BUTTON_ANNEX2 = "下载汇总表（已同意）"
BUTTON_ANNEX2_PENDING = "下载汇总表（含审核中）"
BUTTON_ARCHIVE = "推荐表打包下载"
BUTTON_REGISTRY = "入库专家名册（全市，按所选专业组）"
BUTTON_FULL = "全量导出（全部字段）"
BUTTON_REPORT = "上报市局"
BUTTON_PICK_DISTRICT = "选择区县"
BUTTON_PICK_GROUP = "选择专业组"
BUTTON_ALL_CITY = "全市"
BUTTON_ALL_GROUPS = "全部专业组"
BUTTON_BACK = "返回"

SENT_ANNEX2 = "附件2 推荐汇总表 · {scope}：共 {rows} 行。"
SENT_ANNEX2_EMPTY = "附件2 推荐汇总表 · {scope}：共 0 行（本次无推荐人员，表格已注明）。"
SENT_PENDING_NOTE = "其中 {pending} 行尚在审核中，已在备注列标注“审核中”。"
SENT_FULL = "全量导出：共 {rows} 行（每份申报一行）。"
SENT_ARCHIVE = "{scope} 推荐表打包：共 {rows} 份。"
SENT_ANNEX1 = "申报编号 {id} 的推荐表（附件1），打印后签字、单位盖章。"
PII_WARNING = "文件含个人信息，请妥善保管，勿转发。"

# reporting ---------------------------------------------------------------------------

REPORT_ONLY_DISTRICT = "只有本区县的审核人可以上报本区县的汇总表。"
REPORT_DEADLINE_PASSED = "区县上报截止时间 {deadline} 已过，无法上报。如需延期请联系市局。"
REPORT_CONFIRM = "将向市局上报 {district} 的推荐汇总表：区县已同意 {rows} 人。\n{previous}确认上报吗？"
REPORT_PREVIOUS = "此前已于 {when} 上报（{rows} 人），再次上报将替换该次上报。\n"
BUTTON_REPORT_CONFIRM = "确认上报"
BUTTON_REPORT_CANCEL = "取消"
REPORT_CANCELLED = "已取消，未上报。需要上报时请发送 /report，或在 /export 中点“上报市局”。"
REPORT_ALREADY = "本区县的推荐汇总表已由 {who} 于 {when} 上报（{rows} 人），这次确认不再重复上报。如需更新，请重新发送 /report。"
"""A 确认上报 pressed again, or over a report made since it was asked."""
REPORT_STALE = "该确认已过期，请重新发送 /report。"
SOMEONE = "其他审核人"
REPORTED = "✅ 已于 {when} 向市局上报 {district} 的推荐汇总表，共 {rows} 人。"
REPORTED_REPLACED = "✅ 已于 {when} 重新上报 {district} 的推荐汇总表，共 {rows} 人；替换了 {previous} 的上报。"
BUREAU_RECEIVED = "📥 {district} 于 {when} 上报推荐汇总表（{campaign}），共 {rows} 人。"
BUREAU_RECEIVED_REPLACED = "📥 {district} 于 {when} 重新上报推荐汇总表（{campaign}），共 {rows} 人，替换 {previous} 的上报。"
NO_BUREAU_ADMIN = "⚠️ 暂无市局管理员可接收，上报已记录。"

# access log --------------------------------------------------------------------------

ACCESS = {
    "export_annex2": "导出汇总表",
    "export_full": "全量导出",
    "export_annex1_archive": "推荐表打包",
    "download_annex1": "下载推荐表",
    "view_full_record": "查看全部",
    "report_batch": "上报市局",
    "download_link": "下载链接",
    "export_registry": "导出专家名册",
    "export_certificates": "生成聘书",
    "download_certificate": "下载本人聘书",
    "export_letter": "生成书面函告",
}
AUDIT_HEADER = "访问日志（最近 {n} 条，新的在前）："
AUDIT_LINE = "{when} · {actor} · {action} · {target}{detail}"
AUDIT_NONE = "暂无访问记录。"
AUDIT_CLI = "命令行"
AUDIT_USAGE = "用法：/audit 或 /audit 50（最多 200 条）。"

# the full export ---------------------------------------------------------------------

FULL_HEADERS_BEFORE = ("申报编号", "批次", "状态", "区县", "登记单位", "单位已确认")
FULL_HEADERS_DERIVED = ("性别", "出生日期")
FULL_HEADERS_AFTER = (
    "填表时间",
    "签名",
    "申报条件提示",
    "退回原因",
    "提交时间",
    "单位审核通过时间",
    "区县审核通过时间",
    "退回时间",
    "不同意时间",
    "撤回时间",
    "市局决定时间",
    "最后更新时间",
)
FLAG_SHORT = {"age": "年龄", "title": "职称", "discipline": "专业"}
STATUS = {
    "draft": "草稿",
    "submitted": "待单位审核",
    "unit_approved": "待区县审核",
    "district_approved": "区县已同意",
    "qualified": "资格审核通过",
    "not_qualified": "资格审核未通过",
    "confirmed": "已确认入库",
    "returned": "已退回",
    "declined": "未同意",
    "withdrawn": "已撤回",
    "accepted": "已入库",
    "not_accepted": "未入库",
}
YES, NO = "是", "否"

HELP_EXPORT = "/export 导出汇总表 · /report 上报市局 · /download 下载推荐表 · /audit 访问日志"
