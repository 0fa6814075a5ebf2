"""Conversation steps shared by the flow tests."""

from __future__ import annotations

from bot.offline import OfflineUser
from tests.support.images import jpeg

VALID_ID = "500103199001019998"
PORTRAIT = jpeg()
"""Made once: the benchmark's applicants would otherwise each spend a millisecond drawing it."""


async def consent(user: OfflineUser, start: str = "/start") -> None:
    await user.send(start)
    await user.press("全部同意")


async def choose_unit(user: OfflineUser, district: str = "沙坪坝区", unit: str = "重庆大学") -> None:
    await user.press(district)
    await user.press(unit)


async def choose_typed_unit(user: OfflineUser, name: str, district: str = "沙坪坝区") -> None:
    """A unit not in the district's list, typed for the district to confirm."""
    await user.press(district)
    await user.press("我的单位不在列表中")
    await user.send(name)


ANSWERS_TEXT = {
    "position": "安全环保部部长",
    "title": "教授",
    "school": "重庆大学",
    "major": "安全工程",
    "unit_address": "重庆市沙坪坝区沙正街174号",
    "home_address": "重庆市沙坪坝区学城大道1号",
    "office_phone": "023-65102345",
    "email": "zhangsan@cqu.edu.cn",
    "emergency_phone": "13983000000",
    "resume": "2005.07-2012.06 重庆大学 讲师\n2012.07-至今 重庆大学 教授",
}


async def fill_form(user: OfflineUser, *, name: str = "张三", id_number: str = VALID_ID) -> None:
    """From the first field to the summary card, with a photo and a shared contact."""
    await user.press("矿山")
    await user.send(name)
    await user.send(id_number)
    await user.press("确认无误")
    await user.press("汉族")
    await user.send_photo(PORTRAIT)
    await user.send(ANSWERS_TEXT["position"])
    await user.press("跳过")
    await user.press("良好")
    await user.press("博士研究生")
    await user.send(ANSWERS_TEXT["title"])
    await user.press("正高级")
    await user.press("否")
    await user.send(ANSWERS_TEXT["school"])
    await user.send(ANSWERS_TEXT["major"])
    await user.press("安全科学与工程类")
    await user.send("矿山安全")
    await user.send("职业卫生")
    await user.press("完成")
    await user.send("应急管理")
    await user.press("完成")
    await user.send(ANSWERS_TEXT["unit_address"])
    await user.share_contact("+8613800000000")
    await user.send(ANSWERS_TEXT["home_address"])
    await user.send(ANSWERS_TEXT["office_phone"])
    await user.send(ANSWERS_TEXT["email"])
    await user.send(ANSWERS_TEXT["emergency_phone"])
    await user.send(ANSWERS_TEXT["resume"])
