"""Stable keys of Annex 1 fields: database columns, draft keys, export columns.

Never rename one casually: stored drafts and FSM cursors refer to them.
"""

GROUP = "group"  # 拟报专业组
NAME = "name"  # 姓名
ID_NUMBER = "id_number"  # 身份证号
GENDER = "gender"  # 性别 (derived from the ID number)
BIRTH_DATE = "birth_date"  # 出生年月 (derived from the ID number)
ID_CONFIRMED = "id_confirmed"  # applicant confirmed the derived birth date and gender
ETHNICITY = "ethnicity"  # 民族
PHOTO = "photo"  # 照片
UNIT_NAME = "unit_name"  # 工作单位
POSITION = "position"  # 职务
PART_TIME = "part_time"  # 社会兼职 (optional)
HEALTH = "health"  # 健康状况
EDUCATION = "education"  # 学历
TITLE = "title"  # 职称 (name, e.g. 高级工程师)
TITLE_LEVEL = "title_level"  # 职称等级
EMERGENCY_EXPERT = "emergency_expert"  # 重庆市应急管理专家资格
SCHOOL = "school"  # 毕业学校
MAJOR = "major"  # 所学专业
DISCIPLINE = "discipline"  # 学科类别
MAIN_SPECIALTIES = "main_specialties"  # 主要从事专业 1-4
FAMILIAR_SPECIALTIES = "familiar_specialties"  # 熟悉专业 1-4
UNIT_ADDRESS = "unit_address"  # 单位地址
MOBILE = "mobile"  # 移动电话
HOME_ADDRESS = "home_address"  # 家庭地址
OFFICE_PHONE = "office_phone"  # 办公电话
EMAIL = "email"  # 个人邮箱
EMERGENCY_PHONE = "emergency_phone"  # 紧急电话
RESUME = "resume"  # 工作简历
RELAXATION_REASON = "relaxation_reason"  # reason for relaxing age/title/discipline rules
FILLED_AT = "filled_at"  # 填表时间 (set at submission)
SIGNATURE = "signature"  # full name typed as signature
