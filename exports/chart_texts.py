"""What the /stats charts print: titles, axes, legends, captions, file names.

Exports own the words they print (as exports/registry.py does), since they
import nothing of bot/ but the domain. With the vocabularies (districts,
groups, title levels) and digits this is every character the charts draw
but the campaign's name; the font's subset covers them all
(tests/exports/test_charts.py).
"""

from bot.domain.workflow import Status

STATUS: dict[str, str] = {
    Status.SUBMITTED: "待单位审核",
    Status.UNIT_APPROVED: "待区县审核",
    Status.DISTRICT_APPROVED: "区县已同意",
    Status.QUALIFIED: "资格审核通过",
    Status.CONFIRMED: "已确认入库",
    Status.ACCEPTED: "已入库",
    Status.RETURNED: "已退回",
    Status.DECLINED: "未同意",
    Status.NOT_QUALIFIED: "资格审核未通过",
    Status.NOT_ACCEPTED: "未入库",
    Status.WITHDRAWN: "已撤回",
}
"""The applications chart's legend: the short names the full export prints
(bot/texts/exports.py STATUS; a test keeps the two the same)."""
LEVEL_UNKNOWN = "未注明"

APPLICATIONS_TITLE = "各区县申报情况（按状态）"
APPLICATIONS_TITLE_OWN = "{districts}申报情况（按状态）"
APPLICATIONS_AXIS = "申报数（份，不含草稿）"
APPLICATIONS_CAPTION = "{title}\n{campaign} · 共 {total} 份（不含草稿） · 截至 {as_of}"

EXPERTS_TITLE = "在聘专家：专业组与职称等级"
EXPERTS_AXIS = "专家数（人）"
EXPERTS_CAPTION = "{title}\n共 {total} 人 · 截至 {as_of}"

DRAWS_TITLE = "近 {months} 个月专家抽取：邀请与接受率"
DRAWS_INVITED = "发出邀请"
DRAWS_ACCEPTED = "接受邀请"
DRAWS_RATE = "接受率"
DRAWS_AXIS = "邀请（次）"
DRAWS_CAPTION = "{title}\n邀请 {invited} 次，接受 {accepted} 次{rate} · 截至 {as_of}"
DRAWS_CAPTION_RATE = "，接受率 {rate:.0%}"

EMPTY = "暂无数据"

FILENAMES = {
    "applications": "申报情况_{as_of}.png",
    "experts": "在聘专家_{as_of}.png",
    "draws": "专家抽取_{as_of}.png",
}
