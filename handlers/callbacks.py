"""Callback data factories: what a button asks for, never whether it is allowed.

The values come from the client and can be forged; every handler re-checks
them against the server's state.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.domain.review import Decision, ReviewLevel, RoleKind


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


# review ----------------------------------------------------------------------------


class ReviewAction(CallbackData, prefix="rv"):
    """A decision on a review card; `v` is the version the card showed."""

    app_id: int
    v: int
    level: ReviewLevel
    decision: Decision


class ReviewView(StrEnum):
    ALL = "f"
    HISTORY = "h"
    CARD = "c"


class ReviewShow(CallbackData, prefix="rs"):
    app_id: int
    what: ReviewView


class ReasonCancel(CallbackData, prefix="rx"):
    app_id: int


class PendingPage(CallbackData, prefix="pp"):
    page: int


class ListPick(StrEnum):
    PAGE = "p"
    STATUS_MENU = "s"
    UNIT_MENU = "u"
    GROUP_MENU = "g"


class AppList(CallbackData, prefix="al"):
    """The /applications list; `status` is a Status value or "", `unit_id` 0 and `group` -1 are any."""

    status: str = ""
    unit_id: int = 0
    group: int = -1
    page: int = 0
    show: ListPick = ListPick.PAGE


class InviteDistrictPage(CallbackData, prefix="ip"):
    page: int


class InviteFor(CallbackData, prefix="iv"):
    role: RoleKind
    target_id: int


class InviteNewUnit(CallbackData, prefix="iu"):
    district_id: int


class InviteUnitKind(CallbackData, prefix="ik"):
    district_id: int
    kind: int


class InviteRevoke(CallbackData, prefix="ir"):
    invite_id: int


# exports ---------------------------------------------------------------------------


class ExportKind(StrEnum):
    ANNEX2 = "a"
    ARCHIVE = "z"
    FULL = "f"


class ExportGo(CallbackData, prefix="xg"):
    """Make a file; `district_id` 0 is the whole city, `unit_id` 0 none, `group` -1 any."""

    kind: ExportKind
    district_id: int = 0
    unit_id: int = 0
    group: int = -1
    pending: bool = False


class ExportStage(StrEnum):
    MENU = "m"
    DISTRICTS = "d"
    GROUPS = "g"


class ExportPick(CallbackData, prefix="xp"):
    """The bureau's export menu: the chosen district (0 city) and group (-1 any), and which screen."""

    district_id: int = 0
    group: int = -1
    stage: ExportStage = ExportStage.MENU
    page: int = 0


class Annex1Get(CallbackData, prefix="a1"):
    app_id: int


class ReportGo(CallbackData, prefix="rp"):
    """`confirm` False asks first; True reports."""

    district_id: int
    confirm: bool = False
