"""`expertbot console`: its help, banner, demo accounts, and what it says when a line cannot run.

The bot's own messages are printed as the handlers wrote them; these are the
console's words around them.
"""

from __future__ import annotations

HELP = """\
  文字        发送一条消息（如 /start）
  #N          按下最近消息中的第 N 个按钮
  #文字       按下文字相符的按钮（如 #沙坪坝区；只有一个按钮含这段文字时也可以）
  :photo 路径 以照片发送一张图片          :file 路径  以文件发送
  :contact    分享手机号（:contact 13800000000 指定号码）
  :user ID    切换到 Telegram 账号 ID     :users      列出账号及其对应的人员
  :user new   新的 Telegram 账号（如同事接手，或换了手机）
  :save 目录  把机器人最近发来的文件或照片保存到该目录（默认：当前目录）
              （照片也会立即写入一个临时文件夹，并打印其路径）
  :remind     立即执行一轮提醒：发件箱中的消息发出（聘任、聘期提醒等），
              聘期最后一天已过的专家转为待续聘
  :help       本帮助                      :quit       退出"""

BANNER = "离线控制台 · 数据库 {db} · 当前用户 {id} {label}"
DEADLINE = "演示批次截止：{deadline}；输入 /start 开始，:help 查看操作"
KEY_MADE = "演示数据库的加密密钥已生成并保存在 {path}（仅供演示；正式运行请设置 DATA_KEY）"
KEY_USED = "演示数据库使用 {path} 中的加密密钥"
CAMPAIGN_NAME = "演示批次（console）"

ACCOUNTS = {
    1001: "申报人 张三",
    1002: "申报人 李四",
    2001: "单位审核人（重庆大学） 王老师",
    3001: "区县审核人（沙坪坝区） 赵科长",
    9001: "市局管理员 周处长",
    9002: "市局审核人 钱科员",
    1101: "申报人 刘安全",
    1102: "申报人 陈卫生",
    1103: "申报人 杨建筑",
    9003: "使用单位（安科院项目部） 孙主任",
}
"""The demo's Telegram accounts: who each one plays, as seeded. The last word is the chat's first
name. Where their person stands now (an application's state, an expert's standing) is read from
the data by `:users` (ACCOUNT_EXPERT, ACCOUNT_APPLICATION), since the session changes it."""
EXPERT_ACCOUNT = "入库专家（{group}） {name}"
NEW_ACCOUNT = "新的 Telegram 账号 {id}"
NEW_ACCOUNT_NAME = "新账号{id}"
ACCOUNT_LINE = "Telegram {id} → {who} · {label}{now}"
ACCOUNT_NOW = " · {standing}"
ACCOUNT_EXPERT = "专家状态：{standing}"
ACCOUNT_APPLICATION = "申报状态：{status}"
ACCOUNT_PERSON = "人员 #{person} {name}"
ACCOUNT_UNUSED = "尚未使用本机器人"
CURRENT = "  当前：{account}"

REMINDED = "  （提醒）发出 {sent} 条；切换用户（:user ID）可看到发给他们的消息"
ALERT = "  （提示）{text}"
UPDATED = " （已更新）"
DOCUMENT = "  📎 {name}（{size} 字节）"
PHOTO = "  🖼 {where}"
INLINE_BUTTON = "  [#{n}] {text}"
REPLY_BUTTON = "  [键盘] {text}{hint}"
CONTACT_HINT = "（:contact）"
PHOTO_WITHOUT_BYTES = "照片 {name}（按 file_id 再次发送，无内容）"
PHOTO_WRITTEN = "照片已保存：{path}（{size} 字节，可用图片查看器打开）"
SAVED = "  已保存 {path}（{size} 字节）"
NOTHING_TO_SAVE = "  （还没有收到文件）"

# Lines that could not run ------------------------------------------------------------------

NO_USER = "  （没有用户 {wanted}：:users 列出全部，:user new 新建一个）"
NO_BUTTON = "  （没有按钮 {line}：可按 #1–#{count}）"
NO_BUTTONS = "  （现在没有按钮可按）"
NO_LABEL = "  （没有文字为“{text}”的按钮：可按 #1–#{count}，或写按钮上的文字）"
LABELS_MATCH = "  （有几个按钮含“{text}”：{choices}；请写全，或写编号）"
NEEDS_ARGUMENT = "  （{command} 后面要写{what}，如 {example}；:help 查看操作）"
ARGUMENTS = {
    ":user": ("账号 ID、new", ":user 1002"),
    ":photo": ("图片的路径", ":photo 照片.jpg"),
    ":file": ("文件的路径", ":file 推荐表.pdf"),
}
"""What each console command needs after it: (what, an example)."""
UNKNOWN_COMMAND = "  （没有控制台命令 {command}：:help 查看操作；要把这段文字发给机器人，请在前面加一个空格）"
NO_FILE = "  （找不到文件 {path}）"
IS_A_FOLDER = "  （{path} 是文件夹，请给出文件）"
CANNOT_READ = "  （无法读取 {path}：没有权限或不是普通文件）"
CANNOT_WRITE = "  （无法写入 {path}：没有权限或路径有误）"
FAILED = "  （出错）这一行没有执行完：控制台或机器人出现了程序错误，详情已写入标准错误输出（stderr）"
FAILED_LOG = "console line failed: %s: %s"
"""For stderr, where the operator's log tools read it (English, as every log line)."""
