"""Error messages of the domain parsers and the eligibility explanations.

Format strings take keyword arguments named in braces. Every message says what
is wrong and how to write it right, because the applicant types the answer
again straight after reading it.
"""

# Generic text fields
EMPTY = "内容不能为空，请重新输入。"
EMPTY_AFTER_CLEANING = "内容不能为空：您输入的只有空格或不可见字符，请输入文字。"
TOO_LONG = "最多可填{max_len}个字，您输入了{length}个。"
TOO_SHORT = "至少需要{min_len}个字，您输入了{length}个。"
SINGLE_LINE = "请在一行内填写，不要换行。"
SPECIALTIES_TOO_MANY = (
    "推荐表这一项最多印{max_items}条，您这次输入了{count}条，请删减到{max_items}条以内后重新输入。"
)
SPECIALTY_TOO_LONG = "“{item}”有{length}个字，每条最多{max_len}个字，请精简后重新输入（本次输入的各条都未保存）。"

# Choices
CHOICE_UNKNOWN = "请从以下选项中选择：{options}。"
CHOICE_AMBIGUOUS = "“{text}”可对应多个选项：{matches}，请输入完整名称。"

# Name
NAME_EMPTY = "请输入姓名。"
NAME_TOO_SHORT = "姓名至少{min_len}个字，您输入了{length}个。"
NAME_TOO_LONG = "姓名最多{max_len}个字符，您输入了{length}个。"
NAME_DIGITS = "姓名不能包含数字。"
NAME_CHARS = "姓名只能包含汉字、英文字母、空格和间隔号“·”，不能包含“{char}”。"
NAME_DOT_POSITION = "间隔号“·”只能出现在两个字之间，例如“阿卜杜·热合曼”。"

# ID number (GB 11643-1999)
ID_EMPTY = "请输入18位身份证号。"
ID_OLD_FORMAT = "这是15位的旧身份证号，请输入现在使用的18位身份证号。"
ID_LENGTH = "身份证号应为18位，您输入了{length}位。"
ID_X_POSITION = "只有最后一位可以是字母X，请核对身份证号。"
ID_CHARS = "身份证号只能包含数字，最后一位可以是X，请勿输入“{char}”。"
ID_PROVINCE = "身份证号前两位“{code}”不是有效的省级行政区代码，请核对。"
ID_FOREIGNER = "以9开头的是外国人永久居留身份证号码，本表只接受居民身份证或港澳台居民居住证号码。"
ID_BAD_DATE = "出生日期 {date} 不存在，请核对身份证号第7–14位。"
ID_BEFORE_1900 = "出生日期 {date} 早于1900年，请核对身份证号第7–14位。"
ID_FUTURE_DATE = "出生日期 {date} 晚于今天，请核对身份证号第7–14位。"
ID_UNDER_AGE = (
    "按这个身份证号，出生日期为 {birth}，截至 {day} 未满{min_age}周岁。"
    "专家须为在职的成年人，这不会是专家本人的身份证号，请核对后重新输入。"
)
ID_CHECKSUM = "校验码不正确，请核对最后一位（也可能是前面某一位输错了）。"

# Phones and e-mail
MOBILE_EMPTY = "请输入11位手机号。"
MOBILE_CHARS = "手机号只能包含数字，请勿输入“{char}”。"
MOBILE_FOREIGN = "只支持中国大陆手机号（+86），请输入11位手机号。"
MOBILE_LENGTH = "手机号应为11位，您输入了{length}位。"
MOBILE_PREFIX = "手机号应以13至19开头，请核对。"
MOBILE_IOT = "以140至144开头的是物联网号码，不能作为联系电话，请输入本人手机号。"
LANDLINE_EMPTY = "请输入固定电话，如 023-68888888。"
LANDLINE_FORMAT = (
    "固定电话格式不正确，请按“区号-号码”填写，如 023-68888888 或 023-68888888-123（分机）。"
)
PHONE_FORMAT = "请输入11位手机号或带区号的固定电话，如 13800000000 或 023-68888888。"
EMAIL_EMPTY = "请输入电子邮箱，如 name@example.com。"
EMAIL_NO_AT = "邮箱地址应包含一个“@”，如 name@example.com。"
EMAIL_FORMAT = "邮箱地址“{text}”格式不正确，请核对，如 name@example.com。"
EMAIL_TOO_LONG = "邮箱地址最多{max_len}个字符，您输入了{length}个。"

# Dates
YEAR_MONTH_FORMAT = "无法识别日期“{text}”，请按“2010.07”或“2010年7月”的格式填写。"
YEAR_MONTH_MONTH = "日期“{text}”中的月份应在1到12之间。"
YEAR_MONTH_YEAR = "日期“{text}”中的年份应在{min_year}到{max_year}之间。"
DAY_FORMAT = "日期“{text}”格式不正确，应为“2026-10-28”或“2026年10月28日”。"
DEADLINE_FORMAT = "截止时间“{text}”格式不正确，应为“2026-09-30 18:00”。"

# Resume (工作简历)
RESUME_EMPTY = (
    "请填写工作简历，每段经历一行，如：\n2010.07-2015.06 重庆大学 讲师\n2015.07-至今 某单位 职务"
)
RESUME_NO_DATES = (
    "第{line_no}行“{line}”没有可识别的起止时间。"
    "请按“2010.07-2015.06 单位 职务”的格式填写，仍在任职写“2015.07-至今 单位 职务”，每段经历一行。"
)
RESUME_BAD_DATE = "第{line_no}行：{message}"
RESUME_NO_UNIT = "第{line_no}行缺少工作单位，请按“2010.07-2015.06 单位 职务”的格式填写。"
RESUME_ORDER = "第{line_no}行：开始时间 {start} 晚于结束时间 {end}，请核对。"
RESUME_UNIT_TOO_LONG = "第{line_no}行的工作单位最多{max_len}个字，您输入了{length}个。"
RESUME_POSITION_TOO_LONG = "第{line_no}行的职务最多{max_len}个字，您输入了{length}个。"
RESUME_FUTURE = "工作简历中有一条从 {start} 开始，晚于本月（{month}）。简历只填已经开始的经历，请核对年份。"
RESUME_TOO_MANY = "工作简历最多{max_entries}条，您填写了{count}条，请合并或删去较早的经历。"

# Yes / no
YES_NO = "请回答“是”或“否”。"

# Vocabularies
DISTRICT_NOT_FOUND = "没有找到“{text}”对应的区县，请输入区县名称，如“渝中区”或“两江新区”。"
DISTRICT_AMBIGUOUS = "“{text}”可对应多个区县：{matches}，请输入完整名称。"
ETHNICITY_NOT_FOUND = "没有找到民族“{text}”，请输入民族名称，如“汉族”或“土家族”。"
ETHNICITY_SUGGEST = "没有找到民族“{text}”。您要找的是不是：{matches}？"

# Eligibility flags (section 二 of the notice); keyed by eligibility.Flag values
FLAG_AGE = (
    "年龄：截止日期时已满65周岁（通知要求65周岁以下）。院士、特殊专业人士和知名专家可申请适当放宽。"
)
FLAG_TITLE = (
    "职称：需具有副高级及以上职称（高等院校、科研机构为正高级），"
    "或具有重庆市应急管理专家资格。院士、特殊专业人士和知名专家可申请适当放宽。"
)
FLAG_DISCIPLINE = "专业：所学专业不在通知列出的18个学科类别内，请说明理由，由审核人员判断。"
