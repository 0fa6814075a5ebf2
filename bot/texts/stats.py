"""/stats and `expertbot stats`: the charts' titles, labels and captions, and the refusal.

The charts print only what is here and the vocabularies (districts, statuses,
groups, title levels), digits and the campaign's name; the font's subset
covers all of them (exports/fonts/README.md).
"""

from bot.texts.exports import STATUS as STATUS_SHORT

NOT_ALLOWED = "只有市局管理员、市局审核人和区县审核人可以查看统计图表。"
NOTHING = "目前没有可以统计的数据。"

STATUS = STATUS_SHORT
"""The applications chart's legend: the short status names of the exports."""
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
TOTAL = "合计 {total}"

FILENAMES = {
    "applications": "申报情况_{as_of}.png",
    "experts": "在聘专家_{as_of}.png",
    "draws": "专家抽取_{as_of}.png",
}
