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
NOT_BUREAU = "只有市局管理员可以处理专家入库、公示和聘任。"
WRONG_STATE = "申报 #{app_id} 当前状态为“{status}”，不能这样处理。"
CHANGED_ELSEWHERE = "这份申报刚被其他人处理过，请刷新后再试。"
APPLICATION_NOT_FOUND = "没有申报 #{app_id}。"

REFERENCE_NEEDED = "请填写联席会议纪要文号（不超过 {limit} 个字），如：联席会议纪要〔2022〕3号。"
BATCH_EMPTY = "请列出本次联席会议确认入库的申报编号。"
BATCH_NOT_FOUND = "没有第 {batch_id} 批入库确认。"
BATCH_CORRECTED = "第 {batch_id} 批已由第 {by} 批更正，请对最新一批操作。"
BATCH_APPOINTED = "第 {batch_id} 批已有专家聘任，不能再更正。"
ONE_CAMPAIGN = "一批入库确认只能包含同一征集批次的申报。"
BATCH_NOTE = "联席会议（{meeting_on}）{reference}"

WINDOW_BACKWARDS = "公示结束日期不能早于开始日期。"
WINDOW_BEFORE_MEETING = "公示不能早于联席会议（{meeting_on}）开始。"
PUBLICITY_EXISTS = "第 {batch_id} 批已经开始公示。"
NO_PUBLICITY = "第 {batch_id} 批还没有公示。"
NOT_PUBLISHED = "申报 #{app_id} 不在公示中的名单里。"
SUMMARY_NEEDED = "请写明异议的主要内容。"
REASON_NEEDED = "请写明理由。"
OBJECTION_NOT_FOUND = "没有异议 #{objection_id}。"
OBJECTION_DECIDED = "异议 #{objection_id} 已经有处理结果。"

PUBLICITY_RUNNING = "公示期到 {ends_on} 才结束，结束后才能聘任。"
OBJECTIONS_OPEN = "还有未处理的异议：{ids}，处理后才能聘任。"
NOBODY_TO_APPOINT = "第 {batch_id} 批没有待聘任的专家。"

APPOINTED = (
    "🎉 您已被聘任为重庆市工伤预防专家库专家（{group}）。\n"
    "聘书编号：{certificate_no}\n聘期：{starts_on} 至 {ends_on}\n"
    "聘书将由市人力社保局盖章后发放。"
)
APPOINTED_LIST = "联席会议（{reference}）确认、经公示后，以下专家已聘任入库：{names}。"
NOT_ACCEPTED = "您的申报在公示期间收到异议，经核实异议成立，本次未能入库。理由：{reason}"
