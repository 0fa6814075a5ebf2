"""Callback data factories: what a button asks for, never whether it is allowed.

The values come from the client and can be forged; every handler re-checks
them against the server's state.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ConsentItem(StrEnum):
    GENERAL = "g"
    SENSITIVE = "s"
    TRANSFER = "t"
    ALL = "a"
    REFUSE = "r"


class ConsentPick(CallbackData, prefix="cs"):
    item: ConsentItem


class DistrictPage(CallbackData, prefix="dp"):
    page: int


class DistrictPick(CallbackData, prefix="dk"):
    district_id: int


class UnitPick(CallbackData, prefix="uk"):
    unit_id: int


class UnitPage(CallbackData, prefix="up"):
    district_id: int
    page: int


class UnitNotListed(CallbackData, prefix="un"):
    district_id: int


class FormChoice(CallbackData, prefix="fc"):
    key: str
    index: int


class Nav(StrEnum):
    BACK = "b"
    SKIP = "s"
    SAVE = "x"
    DONE = "d"
    CLEAR = "c"


class FormNav(CallbackData, prefix="fn"):
    key: str
    nav: Nav


class CardEdit(CallbackData, prefix="ce"):
    key: str


class CardDo(StrEnum):
    SIGN = "sign"
    SAVE = "save"
    CONTINUE = "cont"
    WITHDRAW = "wd"
    WITHDRAW_CONFIRM = "wdy"
    WITHDRAW_KEEP = "wdn"


class CardAction(CallbackData, prefix="ca"):
    app_id: int
    do: CardDo
