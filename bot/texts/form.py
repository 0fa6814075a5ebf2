"""Prompts of the Annex 1 fields and the words of their buttons."""

CONFIRM_CHOICES = ("确认无误", "重新输入身份证号")
YES_NO_CHOICES = ("是", "否")
EMPTY_VALUE = "（未填）"
USE_BUTTONS = "请点击下方按钮选择。"

PROMPT_GROUP = "请选择您拟报的专业组："
PROMPT_NAME = "请输入您的姓名（与身份证一致）："
PROMPT_ID_NUMBER = (
    "请输入您的18位居民身份证号码。\n"
    "出生年月和性别将根据身份证号自动填写；保存后，包含号码的消息会从聊天中删除。"
)
PROMPT_ID_CONFIRMED = "根据身份证号，您的出生年月为 {birth_month}，性别为 {gender}。是否正确？"
PROMPT_ETHNICITY = "请选择您的民族；若不在按钮中，请直接输入（如：布依族）："
PROMPT_PHOTO = (
    "请上传一张近期免冠彩色证件照（竖版，JPEG 或 PNG，不小于 295×413 像素，不超过 5 MB）。\n"
    "可直接发送照片，或以文件形式发送原图。"
)
PROMPT_POSITION = "请输入您在工作单位的职务（如：安全环保部部长）："
PROMPT_PART_TIME = "请输入您的社会兼职（如：重庆市安全生产协会理事）；没有请点“跳过”："
PROMPT_HEALTH = "请选择您的健康状况："
PROMPT_EDUCATION = "请选择您的最高学历："
PROMPT_TITLE = "请输入您的职称名称（如：高级工程师、教授、主任医师）："
PROMPT_TITLE_LEVEL = "请选择您的职称等级："
PROMPT_TITLE_LEVEL_GUESS = "根据“{title}”，等级应为 {level}。请确认或选择："
PROMPT_EMERGENCY_EXPERT = "您是否具有重庆市应急管理专家资格？"
PROMPT_SCHOOL = "请输入您的毕业学校（最高学历）："
PROMPT_MAJOR = "请输入您所学的专业（如：安全工程）："
PROMPT_DISCIPLINE = "请选择所学专业所属的学科类别；不在所列18类中请选“其他”："
PROMPT_DISCIPLINE_GUESS = "“{major}”一般属于 {discipline}。请确认或选择："
PROMPT_MAIN_SPECIALTIES = (
    "请输入您主要从事的专业，最多4条：可一条一条发送，也可在一条消息里用顿号“、”、逗号或换行分开；"
    "输入完毕请点“完成”。"
)
PROMPT_FAMILIAR_SPECIALTIES = (
    "请输入您熟悉的专业，最多4条：可一条一条发送，也可在一条消息里用顿号“、”、逗号或换行分开；"
    "输入完毕请点“完成”。"
)
PROMPT_LIST_SO_FAR = "已添加（{count}/{limit}）：{items}"
PROMPT_UNIT_ADDRESS = "请输入您的单位地址："
PROMPT_MOBILE = "请输入您的手机号码，或点击下方“分享我的手机号”按钮："
PROMPT_HOME_ADDRESS = "请输入您的家庭地址："
PROMPT_OFFICE_PHONE = "请输入您的办公电话（如：023-63123456）："
PROMPT_EMAIL = "请输入您的个人邮箱："
PROMPT_EMERGENCY_PHONE = "请输入紧急联系电话（手机或座机）："
PROMPT_RESUME = (
    "请填写工作简历，每段经历一行，格式：起止年月 单位 职务。例如：\n"
    "2005.07-2012.06 重庆某某集团有限公司 技术员\n"
    "2012.07-至今 重庆某某集团有限公司 安全总监"
)
PROMPT_RELAXATION_REASON = (
    "如您属于院士、特殊专业人士或相关行业知名专家，可申请适当放宽条件。"
    "请写明申请放宽的理由（将提供给审核人员）；也可点“上一项”修改刚才的回答。"
)
