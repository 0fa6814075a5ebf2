"""Callback data factories: what a button asks for, never whether it is allowed.

The values come from the client and can be forged; every handler re-checks
them against the server's state.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.domain.ids import MAX_ID
from bot.domain.review import Decision, ReviewLevel, RoleKind

# Bounds checked when a press is unpacked: out of range, the filter does not
# match and the fallback answers it as a stale button, before any lookup.
Id = Annotated[int, Field(ge=0, le=MAX_ID)]
"""A row id; 0 where a field documents it as "none" or "any"."""
Page = Annotated[int, Field(ge=0, le=10_000)]
Index = Annotated[int, Field(ge=0, le=999)]
"""A position in a fixed list (a choice, a unit kind)."""
GroupIndex = Annotated[int, Field(ge=-1, le=999)]
"""A professional group's position, -1 for any."""


class ConsentItem(StrEnum):
    GENERAL = "g"
    SENSITIVE = "s"
    TRANSFER = "t"
    ALL = "a"
    REFUSE = "r"


class ConsentPick(CallbackData, prefix="cs"):
    item: ConsentItem


class DistrictPage(CallbackData, prefix="dp"):
    page: Page


class DistrictPick(CallbackData, prefix="dk"):
    district_id: Id


class UnitPick(CallbackData, prefix="uk"):
    unit_id: Id


class UnitPage(CallbackData, prefix="up"):
    district_id: Id
    page: Page


class UnitNotListed(CallbackData, prefix="un"):
    district_id: Id


class UnitSearched(CallbackData, prefix="uq"):
    """就用“…”: the text a unit search found nothing for is the unit's name (kept in the state)."""

    district_id: Id


class FormChoice(CallbackData, prefix="fc"):
    key: str
    index: Index


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
    UNIT = "unit"


class ApplyMyself(CallbackData, prefix="am"):
    """本人申报: a person who holds roles starts (or resumes) their own application."""


class CardAction(CallbackData, prefix="ca"):
    app_id: Id
    do: CardDo


class UnitSwitch(CallbackData, prefix="us"):
    """Moves the application to the unit of the link its applicant opened."""

    app_id: Id
    unit_id: Id


# review ----------------------------------------------------------------------------


class ReviewAction(CallbackData, prefix="rv"):
    """A decision on a review card; `v` is the version the card showed."""

    app_id: Id
    v: Id
    level: ReviewLevel
    decision: Decision


class ReviewView(StrEnum):
    ALL = "f"
    HISTORY = "h"
    CARD = "c"
    CHANGES = "d"
    """The full resubmission diff, when the card had room only for the changed fields' names."""


class ReviewShow(CallbackData, prefix="rs"):
    app_id: Id
    what: ReviewView


class ReasonCancel(CallbackData, prefix="rx"):
    app_id: Id


class PendingPage(CallbackData, prefix="pp"):
    page: Page


class PendingOpen(CallbackData, prefix="po"):
    """The pending list's first page as a new message (from a notice that something waits)."""


class ListPick(StrEnum):
    PAGE = "p"
    STATUS_MENU = "s"
    UNIT_MENU = "u"
    GROUP_MENU = "g"


class AppList(CallbackData, prefix="al"):
    """The /applications list; `status` is a Status value or "", `unit_id` 0 and `group` -1 are any."""

    status: str = ""
    unit_id: Id = 0
    group: GroupIndex = -1
    page: Page = 0
    show: ListPick = ListPick.PAGE


class InviteDistrictPage(CallbackData, prefix="ip"):
    page: Page


class InviteFor(CallbackData, prefix="iv"):
    role: RoleKind
    target_id: Id


class InviteNewUnit(CallbackData, prefix="iu"):
    district_id: Id


class InviteUnitKind(CallbackData, prefix="ik"):
    district_id: Id
    kind: Index


class InviteRevoke(CallbackData, prefix="ir"):
    invite_id: Id


class RebindFor(CallbackData, prefix="rb"):
    """换绑账号 on a person listed in /roles."""

    person_id: Id


# the expert database -----------------------------------------------------------------


class RegistryDo(StrEnum):
    NEW_BATCH = "nb"
    PICK = "pk"
    ALL = "al"
    NEXT = "nx"
    CONFIRM_BATCH = "cb"
    PUBLICITY = "pu"
    CONFIRM_PUBLICITY = "cp"
    OBJECTION = "ob"
    OBJECTED = "od"
    DECIDE = "dc"
    UPHOLD = "up"
    OVERRULE = "ov"
    APPOINT = "ap"
    CONFIRM_APPOINT = "ca"
    CANCEL = "cx"
    CERTIFICATE = "ce"
    CORRECT = "co"


class RegistryAct(CallbackData, prefix="rg"):
    """A step of /registry; `id` is a batch, an application or an objection, as `do` says."""

    do: RegistryDo
    id: Id = 0


class ExpertDo(StrEnum):
    EVALUATE = "ev"
    RATE = "rt"
    RENEW = "rn"
    CONFIRM_RENEWAL = "cr"
    NOT_RENEW = "nr"
    DISMISS = "ds"
    CONFIRM_WITHDRAWAL = "cw"
    WITHDRAW = "wd"
    CONTACT = "ct"
    TERM_EVALUATE = "te"
    TERM_RATE = "tr"
    SKIP_NOTES = "sn"
    CONFIRM_END = "ok"
    """The last step of 解聘, 不予续聘 or 确认退出 (which one: the conversation says)."""
    CANCEL_END = "no"


class ExpertAct(CallbackData, prefix="xa"):
    """A button on an expert's card (`id`: the expert) or the expert's own 申请退出."""

    do: ExpertDo
    id: Id = 0
    pick: Index = 0


class ExpertsChoose(IntEnum):
    """Which filter's choices /experts shows above the page."""

    NONE = 0
    GROUPS = 1
    STANDINGS = 2
    DISTRICTS = 3
    TERM_ENDS = 4


class ExpertsPage(CallbackData, prefix="ex"):
    """A page of /experts with its filters; the search, if any, waits in the conversation data.

    `group`: a professional group's position, -1 any; `standing`: 1-based in
    `render_registry.STANDINGS`, 0 any; `district`: a district's id, 0 any; `ends`: 1-based
    in `render_registry.TERM_ENDS`, 0 any."""

    page: Page
    group: GroupIndex = -1
    standing: Index = 0
    district: Id = 0
    ends: Index = 0
    choose: ExpertsChoose = ExpertsChoose.NONE


class ExpertsExport(CallbackData, prefix="xe"):
    """导出名册 under a page of /experts: the page's filters, as `ExpertsPage` numbers them."""

    group: GroupIndex = -1
    district: Id = 0
    standing: Index = 0
    ends: Index = 0


# exports ---------------------------------------------------------------------------


class ExportKind(StrEnum):
    ANNEX2 = "a"
    ARCHIVE = "z"
    FULL = "f"
    REGISTRY = "r"


class ExportGo(CallbackData, prefix="xg"):
    """Make a file; `district_id` 0 is the whole city, `unit_id` 0 none, `group` -1 any."""

    kind: ExportKind
    district_id: Id = 0
    unit_id: Id = 0
    group: GroupIndex = -1
    pending: bool = False


class ExportStage(StrEnum):
    MENU = "m"
    DISTRICTS = "d"
    GROUPS = "g"


class ExportPick(CallbackData, prefix="xp"):
    """The bureau's export menu: the chosen district (0 city) and group (-1 any), and which screen."""

    district_id: Id = 0
    group: GroupIndex = -1
    stage: ExportStage = ExportStage.MENU
    page: Page = 0


class Annex1Get(CallbackData, prefix="a1"):
    app_id: Id


class ReportGo(CallbackData, prefix="rp"):
    """上报市局: `confirm` False asks first. True reports at once: only on confirmations sent
    before `ReportConfirm`, kept so those buttons still work."""

    district_id: Id
    confirm: bool = False


class ReportCancel(CallbackData, prefix="rc"):
    """取消 beside 确认上报: nothing is reported; the confirmation says so and loses its buttons."""

    district_id: Id


class ReportConfirm(CallbackData, prefix="rq"):
    """确认上报, over the report `replaces` (0: none yet) that was the district's latest when the
    confirmation was asked: a second press finds a newer one and reports nothing. Its own
    prefix, since a third field on `rp` would have made every 上报市局 button in chats stale."""

    district_id: Id
    replaces: Id = 0


# draws -------------------------------------------------------------------------------


class DrawDo(StrEnum):
    GROUP = "g"
    GROUPS_DONE = "G"
    KIND = "k"
    DISTRICT = "d"
    DISTRICTS_DONE = "D"
    AVOID_NONE = "n"
    AVOID_DONE = "v"
    """完成: the 回避 lines sent so far are the list; on to the confirmation card."""
    AVOID_CLEAR = "V"
    AVOID_EDIT = "e"
    """修改回避 on the confirmation card: back to the 回避 step with the list as it is."""
    FILE = "f"
    QUIT = "q"
    OPEN = "o"
    DRAW = "r"
    CANCEL = "c"
    ACCEPT = "a"
    DECLINE = "x"
    NO_REASON = "N"
    WORK = "w"
    RATING = "s"
    NO_COMMENT = "C"
    CONFIRM_WORK = "y"
    DISPUTE_WORK = "z"
    KEEP = "K"
    """不取消: leaves the cancel-reason step."""
    BACK = "b"
    """返回（不婉拒）: leaves the decline-reason step with the invitation as it was."""


class DrawAct(CallbackData, prefix="dr"):
    """A draw screen's button: `id` is a request, an invitation, a district, or a choice's position."""

    do: DrawDo
    id: Id = 0


class DrawStep(StrEnum):
    """A step of the /draw request form, to change from its confirmation card."""

    GROUPS = "g"
    DAYS = "d"
    PLACE = "p"
    PROJECT = "j"
    KIND = "k"
    WANTED = "w"
    DISTRICTS = "r"
    AVOID = "a"


class DrawEdit(CallbackData, prefix="de"):
    """修改… on the confirmation card: that step asked again, the other answers kept, and back to
    the card once it is answered. Its own prefix, so that `dr` buttons in chats keep their shape."""

    step: DrawStep


class DrawUnchanged(CallbackData, prefix="dn"):
    """不修改 on a step asked again from the confirmation card: back to the card as it was."""

    step: DrawStep
