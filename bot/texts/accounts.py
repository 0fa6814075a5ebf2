"""Moving a person to another Telegram account (换绑账号)."""

PERSON_NOT_FOUND = "没有找到这个人。"
APPLICATION_NOT_FOUND = "没有这份申报。"
REBIND_USAGE = "市局管理员为申报人换绑账号：/rebind 申报编号（如 /rebind 12）。"
NOT_ALLOWED = "您无权为此人换绑账号：市局管理员可为任何人换绑，区县审核人可为本区县的单位审核人换绑。"

LINK_MADE = (
    "换绑链接（一次性，{expires} 前有效）：\n{link}\n\n"
    "请把链接只发给接替 {name} 的人本人。对方打开后，即成为 {name} 的账号，"
    "原账号随即解除绑定；角色、申报、草稿和记录都保留。"
)
CONFIGURED_ADMIN = "此人是配置中的市局管理员（BUREAU_ADMIN_IDS），请由运维人员修改配置中的 Telegram 账号。"
LINK_UNKNOWN = "换绑链接无效。请向发给您链接的人确认。"
LINK_USED = "这个换绑链接已经用过或已作废。"
LINK_EXPIRED = "这个换绑链接已于 {expired} 过期，请联系发链接的人重新生成。"
ALREADY_THIS_PERSON = "这个账号已经是此人的账号，无需换绑。"
ACCOUNT_IN_USE = (
    "这个 Telegram 账号已有自己的角色或申报，不能再换绑为他人，以免两个人的记录混在一起。"
    "请用一个未使用过本机器人的账号打开链接，或联系市局处理。"
)

REBOUND_NEW = "换绑完成：这个账号现在是 {name} 的账号。原来的角色、申报和记录都已保留。"
REBOUND_CONTINUE = "您的申报还没有提交，可以接着刚才的地方继续填写。"
REBOUND_OLD = (
    "您在本机器人中的身份（{name}）已换绑到另一个 Telegram 账号，这个账号已解除绑定。"
    "如果这不是您或您单位的安排，请立即联系市局。"
)
LINK_USED_TOLD = "您生成的换绑链接已使用：{name} 的账号已换绑到新账号（{new}）。"

ASK_ID_NUMBER = (
    "换了新的 Telegram 账号？请输入您申报时填写的身份证号码。\n"
    "我们会把验证码发到您原来的账号；在这里输入验证码后，您的申报就转到这个账号。\n"
    "原账号已无法使用的，请联系市局为您换绑。发送 /cancel 取消。"
)
CODE_SENT = (
    "如果这个身份证号码在本机器人中有申报，验证码已发到当时使用的 Telegram 账号，{minutes} 分钟内有效。"
    "请在这里输入 6 位验证码。\n收不到的，请联系市局为您换绑。"
)
CODE_TO_OLD = (
    "有人在另一个 Telegram 账号上申请把您的申报转过去。验证码：{code}（{expires} 前有效）。\n"
    "如果是您本人换了账号，请在新账号上输入它；如果不是，请不要告诉任何人，并联系市局。"
)
CODE_TOO_MANY = "这个账号今天申请验证码的次数已达上限，请明天再试，或联系市局为您换绑。"
CODE_FORMAT = "验证码是 6 位数字，请重新输入。发送 /cancel 取消。"
CODE_NONE = "没有待确认的验证码，或已经过期。请重新发送 /rebind。"
CODE_WRONG = "验证码不对，还可以再试 {left} 次。"
CODE_DEAD = "验证码输错次数太多，已作废。请重新发送 /rebind。"

MANAGED_HEADER = "您可以为以下人员换绑账号（接替的同事或新手机号）："
MANAGED_BUTTON = "为 {name} 换绑账号"
