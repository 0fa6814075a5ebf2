"""Pure rendering for exports: the /export menus, captions, report and audit texts.

No bot, no I/O; every button only says what the person wants, the service decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.clock import format_local
from bot.domain import vocab
from bot.domain.application import Campaign
from bot.services.export_ports import AccessRow
from bot.services.exports import Annex2Export, DistrictSummary, Report, UnitSummary
from bot.services.ports import DistrictRow
from bot.texts import exports as t
from handlers.callbacks import (
    ExportGo,
    ExportKind,
    ExportPick,
    ExportStage,
    ReportCancel,
    ReportConfirm,
    ReportGo,
)

DISTRICTS_PER_PAGE = 15


def _button(
    text: str, data: ExportGo | ExportPick | ReportGo | ReportConfirm | ReportCancel
) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def district_menu(s: DistrictSummary) -> tuple[str, InlineKeyboardMarkup]:
    """A district's screen; 上报市局 only while the district deadline allows a report, and
    after it, why not and what to do."""
    deadline = format_local(s.campaign.district_deadline)
    if s.report:
        reported = t.REPORTED_AT.format(
            when=format_local(s.report.reported_at), rows=s.report.row_count
        )
    else:
        reported = t.NOT_REPORTED_CLOSED if s.report_closed else t.NOT_REPORTED.format(deadline=deadline)
    if s.report_closed:
        reported += "\n" + t.REPORT_DEADLINE_PASSED.format(deadline=deadline)
    text = t.MENU_DISTRICT.format(
        district=s.district,
        campaign=s.campaign.name,
        approved=s.approved,
        pending=s.pending,
        reported=reported,
    )
    d = s.district_id
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t.BUTTON_ANNEX2, ExportGo(kind=ExportKind.ANNEX2, district_id=d)),
                _button(
                    t.BUTTON_ANNEX2_PENDING,
                    ExportGo(kind=ExportKind.ANNEX2, district_id=d, pending=True),
                ),
            ],
            [
                _button(t.BUTTON_ARCHIVE, ExportGo(kind=ExportKind.ARCHIVE, district_id=d)),
                *([] if s.report_closed else [_button(t.BUTTON_REPORT, ReportGo(district_id=d))]),
            ],
        ]
    )
    return text, markup


def unit_menu(s: UnitSummary) -> tuple[str, InlineKeyboardMarkup]:
    text = t.MENU_UNIT.format(
        unit=s.unit, campaign=s.campaign.name, approved=s.approved, pending=s.pending
    )
    u = s.unit_id
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t.BUTTON_ANNEX2, ExportGo(kind=ExportKind.ANNEX2, unit_id=u)),
                _button(
                    t.BUTTON_ANNEX2_PENDING, ExportGo(kind=ExportKind.ANNEX2, unit_id=u, pending=True)
                ),
            ]
        ]
    )
    return text, markup


def group_of(index: int) -> str | None:
    groups = vocab.PROFESSIONAL_GROUPS
    return groups[index] if 0 <= index < len(groups) else None


def bureau_menu(
    pick: ExportPick, district: DistrictRow | None, campaign: Campaign
) -> tuple[str, InlineKeyboardMarkup]:
    """The bureau's screen: the chosen district and group, and the files to make for them."""
    group = group_of(pick.group)
    text = t.MENU_BUREAU.format(
        campaign=campaign.name,
        district=district.name if district else t.ALL_CITY,
        group=group or t.ALL_GROUPS,
    )
    d = district.id if district else 0
    g = pick.group if group else -1
    rows = [
        [
            _button(t.BUTTON_PICK_DISTRICT, ExportPick(district_id=d, group=g, stage=ExportStage.DISTRICTS)),
            _button(t.BUTTON_PICK_GROUP, ExportPick(district_id=d, group=g, stage=ExportStage.GROUPS)),
        ],
        [
            _button(t.BUTTON_ANNEX2, ExportGo(kind=ExportKind.ANNEX2, district_id=d, group=g)),
            _button(
                t.BUTTON_ANNEX2_PENDING,
                ExportGo(kind=ExportKind.ANNEX2, district_id=d, group=g, pending=True),
            ),
        ],
        [_button(t.BUTTON_FULL, ExportGo(kind=ExportKind.FULL, district_id=d, group=g))],
    ]
    if district:
        rows[-1].append(_button(t.BUTTON_ARCHIVE, ExportGo(kind=ExportKind.ARCHIVE, district_id=d)))
    rows.append([_button(t.BUTTON_REGISTRY, ExportGo(kind=ExportKind.REGISTRY, group=g))])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def district_page(
    districts: Sequence[DistrictRow], pick: ExportPick
) -> tuple[str, InlineKeyboardMarkup]:
    pages = max(1, -(-len(districts) // DISTRICTS_PER_PAGE))
    page = min(max(pick.page, 0), pages - 1)
    kb = InlineKeyboardBuilder()
    kb.button(text=t.BUTTON_ALL_CITY, callback_data=ExportPick(district_id=0, group=pick.group))
    for d in districts[page * DISTRICTS_PER_PAGE : (page + 1) * DISTRICTS_PER_PAGE]:
        kb.button(text=d.name, callback_data=ExportPick(district_id=d.id, group=pick.group))
    kb.adjust(3)
    nav = []
    if page > 0:
        nav.append(_button("◀", pick.model_copy(update={"page": page - 1})))
    if page < pages - 1:
        nav.append(_button("▶", pick.model_copy(update={"page": page + 1})))
    nav.append(_button(t.BUTTON_BACK, pick.model_copy(update={"stage": ExportStage.MENU, "page": 0})))
    kb.row(*nav)
    return t.CHOOSE_DISTRICT.format(page=page + 1, pages=pages), kb.as_markup()


def group_page(pick: ExportPick) -> tuple[str, InlineKeyboardMarkup]:
    kb = InlineKeyboardBuilder()
    kb.button(text=t.BUTTON_ALL_GROUPS, callback_data=ExportPick(district_id=pick.district_id))
    for i, g in enumerate(vocab.PROFESSIONAL_GROUPS):
        kb.button(text=g, callback_data=ExportPick(district_id=pick.district_id, group=i))
    kb.adjust(3)
    return t.CHOOSE_GROUP, kb.as_markup()


def annex2_caption(export: Annex2Export) -> str:
    rows = len(export.rows)
    lines = [
        t.SENT_ANNEX2.format(scope=export.scope, rows=rows)
        if rows
        else t.SENT_ANNEX2_EMPTY.format(scope=export.scope)
    ]
    if export.pending:
        lines.append(t.SENT_PENDING_NOTE.format(pending=export.pending))
    lines.append(t.PII_WARNING)
    return "\n".join(lines)


def full_caption(rows: int) -> str:
    return f"{t.SENT_FULL.format(rows=rows)}\n{t.PII_WARNING}"


def archive_caption(scope: str, rows: int) -> str:
    return f"{t.SENT_ARCHIVE.format(scope=scope, rows=rows)}\n{t.PII_WARNING}"


def annex1_caption(app_id: int) -> str:
    return f"{t.SENT_ANNEX1.format(id=app_id)}\n{t.PII_WARNING}"


def report_confirm(s: DistrictSummary) -> tuple[str, InlineKeyboardMarkup]:
    previous = (
        t.REPORT_PREVIOUS.format(when=format_local(s.report.reported_at), rows=s.report.row_count)
        if s.report
        else ""
    )
    text = t.REPORT_CONFIRM.format(district=s.district, rows=s.approved, previous=previous)
    confirm = ReportConfirm(district_id=s.district_id, replaces=s.report.id if s.report else 0)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t.BUTTON_REPORT_CONFIRM, confirm),
                _button(t.BUTTON_REPORT_CANCEL, ReportCancel(district_id=s.district_id)),
            ]
        ]
    )
    return text, markup


def reported_text(r: Report) -> str:
    when = format_local(r.row.reported_at)
    district, rows = r.export.district, r.row.row_count
    if r.previous:
        return t.REPORTED_REPLACED.format(
            when=when, district=district, rows=rows, previous=format_local(r.previous.reported_at)
        )
    return t.REPORTED.format(when=when, district=district, rows=rows)


def bureau_received(r: Report) -> str:
    values = {
        "district": r.export.district,
        "when": format_local(r.row.reported_at),
        "campaign": r.export.campaign.name,
        "rows": r.row.row_count,
    }
    if r.previous:
        text = t.BUREAU_RECEIVED_REPLACED.format(
            **values, previous=format_local(r.previous.reported_at)
        )
    else:
        text = t.BUREAU_RECEIVED.format(**values)
    return f"{text}\n{t.PII_WARNING}"


def audit_text(rows: Sequence[AccessRow], names: Mapping[int, str]) -> str:
    if not rows:
        return t.AUDIT_NONE
    lines = [t.AUDIT_HEADER.format(n=len(rows))]
    for r in rows:
        actor = t.AUDIT_CLI if r.actor_id is None else f"{names.get(r.actor_id) or ''}({r.actor_id})"
        detail = "".join(
            f" · {k}={v}" for k, v in r.detail.items() if v is not None and v is not False and v != ""
        )
        lines.append(
            t.AUDIT_LINE.format(
                when=format_local(r.at),
                actor=actor,
                action=t.ACCESS.get(r.action, r.action),
                target=r.target,
                detail=detail,
            )
        )
    text = "\n".join(lines)
    return text if len(text) <= 4000 else text[:3999] + "…"
