"""/stats and `expertbot stats`: the refusal. What the charts print is exports/chart_texts.py."""

NOT_ALLOWED = "只有市局管理员、市局审核人和区县审核人可以查看统计图表。"
