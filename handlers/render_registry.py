"""Texts and keyboards of /registry: the bureau admin's screens after qualification."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date
from typing import TypeVar

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import keys, vocab
from bot.domain.application import ApplicationSnapshot
from bot.domain.idcard import mask_phone
from bot.domain.registry import SERVING, Standing, TermEnd, term_end_range
from bot.services.registry import (
    Appointment,
    BatchView,
    ExpertsPage,
    MyEntry,
    Overview,
    PublicityEntry,
    RecordedBatch,
)
from bot.services.registry_ports import ExpertFilter, ExpertListRow, ObjectionRow
from bot.texts import draws as dt
from bot.texts import registry as t
from handlers import render_draws as rd
from handlers.callbacks import (
    ExpertAct,
    ExpertDo,
    ExpertsExport,
    RegistryAct,
    RegistryDo,
)
from handlers.callbacks import ExpertsChoose as Choose
from handlers.callbacks import ExpertsPage as ExpertsPageData
from handlers.render import answered, grid, pager

T = TypeVar("T")

HELD_SHOWN = 10
"""/me: the invitations sent below the entry, one message each, the earliest work first."""
PICK_SHOWN = 60
"""Applications offered for a batch in one message; a larger meeting uses the command line."""


def _button(text: str, do: RegistryDo, id_: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=RegistryAct(do=do, id=id_).pack())


def cancel_row() -> list[InlineKeyboardButton]:
    return [_button(t.BUTTON_CANCEL, RegistryDo.CANCEL)]


def name_of(app: ApplicationSnapshot) -> str:
    return app.values.get(keys.NAME) or f"#{app.id}"


def overview(view: Overview, today: date) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        t.OVERVIEW.format(
            campaign=view.campaign.name, qualified=len(view.qualified), appointed=view.appointed
        ),
        "",
    ]
    rows: list[list[InlineKeyboardButton]] = []
    if view.qualified:
        rows.append([_button(t.BUTTON_NEW_BATCH, RegistryDo.NEW_BATCH)])
    if not view.batches:
        lines.append(t.NO_BATCHES)
    for b in view.batches:
        lines.append(batch_line(b, today))
        rows += batch_buttons(b, today)
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def batch_line(b: BatchView, today: date) -> str:
    line = t.BATCH_LINE.format(
        id=b.batch.id,
        reference=b.batch.reference,
        meeting_on=b.batch.meeting_on,
        count=len(b.apps),
    )
    if b.window is not None:
        if today < b.window.starts_on:
            state = t.WINDOW_AHEAD
        else:
            state = t.WINDOW_RUNNING if today <= b.window.ends_on else t.WINDOW_OVER
        line += t.BATCH_WINDOW.format(start=b.window.starts_on, end=b.window.ends_on, state=state)
    if b.open_objections:
        line += t.BATCH_OBJECTIONS.format(count=len(b.open_objections))
    if b.waiting():
        line += t.BATCH_WAITING.format(count=len(b.waiting()))
    return line


def batch_buttons(b: BatchView, today: date) -> list[list[InlineKeyboardButton]]:
    """What can be done with the batch now."""
    id_ = b.batch.id
    if not b.waiting():
        return []
    correct = [_button(t.BUTTON_CORRECT.format(id=id_), RegistryDo.CORRECT, id_)]
    decide = [[_button(t.BUTTON_DECIDE.format(id=id_), RegistryDo.DECIDE, id_)]]
    if b.window is None:  # a correction's objections carried over may be decided already
        publicity = [_button(t.BUTTON_PUBLICITY.format(id=id_), RegistryDo.PUBLICITY, id_)]
        return [publicity, *(decide if b.open_objections else []), correct]
    if today < b.window.starts_on:  # the list is not public yet: nothing to object to
        return [correct]
    rows = [[_button(t.BUTTON_OBJECTION.format(id=id_), RegistryDo.OBJECTION, id_)]]
    if b.open_objections:
        rows += decide
    elif today > b.window.ends_on:
        rows.append([_button(t.BUTTON_APPOINT.format(id=id_), RegistryDo.APPOINT, id_)])
    return [*rows, correct]


def pick(
    qualified: Sequence[ApplicationSnapshot], chosen: Collection[int], corrects: int | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            _button(
                f"{'✅ ' if a.id in chosen else ''}#{a.id} {name_of(a)} · {a.values.get(keys.UNIT_NAME) or ''}",
                RegistryDo.PICK,
                a.id,
            )
        ]
        for a in qualified[:PICK_SHOWN]
    ]
    every = bool(qualified) and {a.id for a in qualified} <= set(chosen)
    # 全选 while something is left to tick; once everything is, it would change nothing
    rows.append(
        [_button(t.BUTTON_NEXT, RegistryDo.NEXT)]
        if every
        else [_button(t.BUTTON_ALL, RegistryDo.ALL), _button(t.BUTTON_NEXT, RegistryDo.NEXT)]
    )
    rows.append(cancel_row())
    text = (t.PICK_CORRECTION if corrects else t.PICK).format(id=corrects, count=len(chosen))
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def chosen_names(offered: Sequence[ApplicationSnapshot], chosen: Collection[int]) -> str:
    return "、".join(name_of(a) for a in offered if a.id in chosen)


def picked(
    offered: Sequence[ApplicationSnapshot], chosen: Collection[int], corrects: int | None
) -> str:
    """The pick once 下一步 is pressed: its question and the names ticked, without buttons."""
    question = (t.PICK_CORRECTION if corrects else t.PICK).format(id=corrects, count=len(chosen))
    return answered(question, chosen_names(offered, chosen))


def recorded(batch: RecordedBatch, count: int, corrects: int | None) -> str:
    """What the admin is told once a batch (or a correction) is recorded."""
    text = t.BATCH_RECORDED.format(
        id=batch.id,
        corrects=t.CORRECTS.format(id=corrects) if corrects else "",
        reference=batch.reference,
        count=count,
    )
    if batch.dropped:
        names = "、".join(name_of(a) for a in batch.dropped)
        text += "\n" + t.BATCH_DROPPED.format(count=len(batch.dropped), names=names)
    if batch.carried:
        text += "\n" + t.CORRECTION_CARRIED.format(
            corrects=corrects, id=batch.id, ids=_ids(batch.carried)
        )
    if batch.moot:
        text += "\n" + t.CORRECTION_MOOT.format(ids=_ids(batch.moot))
    return text


def correction_objections(view: Overview, corrects: int | None) -> str:
    """Before a correction is recorded: what becomes of the corrected batch's open objections."""
    open_ = [o.id for b in view.batches if b.batch.id == corrects for o in b.open_objections]
    if not open_:
        return ""
    return "\n" + t.CORRECTION_OBJECTIONS.format(corrects=corrects, ids=_ids(open_))


def _ids(ids: Sequence[int]) -> str:
    return "、".join(f"#{i}" for i in ids)


def confirm(
    text: str, label: str, do: RegistryDo, id_: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    return text, InlineKeyboardMarkup(inline_keyboard=[[_button(label, do, id_)], cancel_row()])


def people_of(b: BatchView, do: RegistryDo) -> InlineKeyboardMarkup:
    rows = [[_button(f"#{a.id} {name_of(a)}", do, a.id)] for a in b.waiting()]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, cancel_row()])


def objections(b: BatchView, names: dict[int, str]) -> tuple[str, InlineKeyboardMarkup]:
    lines = [objection_line(o, names.get(o.app_id, "")) for o in b.open_objections]
    rows = [
        [
            _button(t.BUTTON_UPHOLD.format(id=o.id), RegistryDo.UPHOLD, o.id),
            _button(t.BUTTON_OVERRULE.format(id=o.id), RegistryDo.OVERRULE, o.id),
        ]
        for o in b.open_objections
    ]
    text = t.OBJECTIONS.format(id=b.batch.id, lines="\n".join(lines))
    return text, InlineKeyboardMarkup(inline_keyboard=[*rows, cancel_row()])


def objection_done(objection_id: int, upheld: bool, moot: Sequence[int]) -> str:
    """The decision, and the objections against the same person it closed."""
    text = t.OBJECTION_DONE.format(id=objection_id, outcome=t.OUTCOME[upheld])
    if moot:
        text += "\n" + t.OBJECTIONS_MOOT.format(ids=_ids(moot))
    return text


def objection_line(o: ObjectionRow, name: str) -> str:
    return t.OBJECTION_LINE.format(id=o.id, name=name, summary=o.summary, received_on=o.received_on)


def publicity_lines(entries: Sequence[PublicityEntry]) -> str:
    return "\n".join(
        f"{i}. {e.name} {e.gender} {e.unit} {e.title} {e.group}"
        for i, e in enumerate(entries, start=1)
    )


def appointed_lines(appointed: Sequence[Appointment]) -> str:
    return "\n".join(
        t.APPOINTED_LINE.format(certificate_no=a.certificate_no, name=a.name, group=a.group)
        for a in appointed
    )


def me_keyboard(mine: MyEntry) -> InlineKeyboardMarkup | None:
    """An expert in service: the certificate, contact changes, and 申请退出 unless asked
    already; a former expert: nothing."""
    if not mine.serving:
        return None
    rows = [
        [_button(t.BUTTON_MY_CERTIFICATE, RegistryDo.CERTIFICATE)],
        [
            InlineKeyboardButton(
                text=t.BUTTON_CONTACT.format(label=label),
                callback_data=ExpertAct(do=ExpertDo.CONTACT, pick=i).pack(),
            )
            for i, label in enumerate(t.CONTACT_FIELDS.values())
        ],
    ]
    if not mine.withdrawal_reason:
        rows.append(
            [
                InlineKeyboardButton(
                    text=t.BUTTON_WITHDRAW,
                    callback_data=ExpertAct(do=ExpertDo.WITHDRAW).pack(),
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


STANDINGS = tuple(t.STANDING)
"""The standings /experts filters by, in this order (ExpertsPage.standing is 1-based)."""
TERM_ENDS = tuple(TermEnd)
"""The term-end filters, in this order (ExpertsPage.ends is 1-based)."""


def _nth(choices: Sequence[T], n: int) -> T | None:
    """The `n`th choice, 1-based; None for 0 (any) or a forged number."""
    return choices[n - 1] if 0 < n <= len(choices) else None


def experts_filter(search: str | None, pick: ExpertsPageData, today: date) -> ExpertFilter:
    """What a page's buttons and the conversation's search ask for."""
    ends = _nth(TERM_ENDS, pick.ends)
    ends_from, ends_to = term_end_range(ends, today) if ends else (None, None)
    return ExpertFilter(
        search=search,
        group=_nth(vocab.PROFESSIONAL_GROUPS, pick.group + 1),
        district_id=pick.district or None,
        standing=_nth(STANDINGS, pick.standing),
        ends_from=ends_from,
        ends_to=ends_to,
        undecided=ends is TermEnd.PASSED,  # 已届满待续聘: not one whose 不予续聘 is decided
    )


def export_filter(go: ExpertsExport, search: str | None, today: date) -> ExpertFilter:
    """The registry export's filter: /experts' own for the filters its button carried and the
    listing's search."""
    pick = ExpertsPageData(
        page=0, group=go.group, district=go.district, standing=go.standing, ends=go.ends
    )
    return experts_filter(search, pick, today)


def experts(
    view: ExpertsPage, pick: ExpertsPageData | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of the registry; phones masked (the export has them whole, logged)."""
    pick = pick or ExpertsPageData(page=0)
    lines = []
    if view.what.search:
        lines.append(t.EXPERTS_SEARCH.format(search=view.what.search))
    lines.append(t.EXPERTS.format(total=view.total, page=view.page + 1, pages=view.pages))
    ends = _nth(TERM_ENDS, pick.ends)
    lines.append(
        t.EXPERTS_FILTERS.format(
            group=view.what.group or t.ANY,
            district=view.district or t.ANY,
            standing=t.STANDING.get(view.what.standing or "", t.ANY),
            ends=t.TERM_ENDS[ends] if ends else t.ANY,
        )
    )
    lines += [expert_line(r) for r in view.rows] or [t.NO_EXPERTS]
    lines += ["", t.EXPERTS_HELP]

    def to(**changes: int) -> str:
        return pick.model_copy(update={"choose": Choose.NONE, **changes}).pack()

    def button(text: str, **changes: int) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=to(**changes))

    rows: list[list[InlineKeyboardButton]] = []
    match pick.choose:
        case Choose.GROUPS:
            groups = vocab.PROFESSIONAL_GROUPS
            rows += grid([button(g, group=i, page=0) for i, g in enumerate(groups)], 3)
        case Choose.STANDINGS:
            rows.append(
                [button(t.STANDING[s], standing=i, page=0) for i, s in enumerate(STANDINGS, 1)]
            )
        case Choose.DISTRICTS:
            rows += grid([button(d.name, district=d.id, page=0) for d in view.districts], 4)
        case Choose.TERM_ENDS:
            rows.append(
                [button(t.TERM_ENDS[e], ends=i, page=0) for i, e in enumerate(TERM_ENDS, 1)]
            )
    if nav := pager(view.page, view.pages, lambda p: to(page=p)):
        rows.append(nav)
    rows.append(
        [
            button(t.BUTTON_BY_GROUP, choose=Choose.GROUPS),
            button(t.BUTTON_BY_DISTRICT, choose=Choose.DISTRICTS),
            button(t.BUTTON_BY_STANDING, choose=Choose.STANDINGS),
        ]
    )
    rows.append(
        [
            button(t.BUTTON_BY_TERM_END, choose=Choose.TERM_ENDS),
            InlineKeyboardButton(
                text=t.BUTTON_CLEAR_FILTERS if view.what.search else t.BUTTON_ALL_EXPERTS,
                callback_data=ExpertsPageData(page=0).pack(),
            ),
        ]
    )
    if view.total:
        export = ExpertsExport(  # the list's filters, all of them (the search: kept by listing)
            group=pick.group, district=pick.district, standing=pick.standing, ends=pick.ends
        )
        rows.append(
            [InlineKeyboardButton(text=t.BUTTON_EXPORT_REGISTRY, callback_data=export.pack())]
        )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def expert_line(r: ExpertListRow) -> str:
    return t.EXPERT_LINE.format(
        certificate_no=r.certificate_no,
        name=r.name,
        gender=r.gender,
        group=r.group,
        district=r.district,
        unit=r.unit,
        standing=standing_of(r),
        ends_on=r.last_day,
        renewed=t.EXPERT_RENEWED.format(ends_on=r.renewed_to) if r.renewed_to else "",
        mobile=mask_phone(r.mobile) if r.mobile else "",
    )


def standing_of(r: ExpertListRow) -> str:
    """The standing as a list says it: 在聘（不予续聘） while one whose 不予续聘 is decided serves
    out the term, as their card and /me say."""
    if r.not_renewed_on and Standing(r.standing) in SERVING:
        return t.STANDING_NOT_RENEWED
    return t.STANDING.get(r.standing, r.standing)


def me(mine: MyEntry) -> str:
    """One account of the person's standing: in service (with 不予续聘 decided or a withdrawal
    waiting, if so), or what they no longer are."""
    r = mine.row
    facts = {
        "certificate_no": r.certificate_no, "group": r.group, "starts_on": r.starts_on,
        "ends_on": r.ends_on, "ended_on": r.ended_on or r.ends_on,
    }  # fmt: skip
    if not mine.serving:
        return t.ME_FORMER[r.standing].format(**facts)
    text = t.ME.format(standing=t.STANDING.get(r.standing, r.standing), **facts)
    if after := mine.next_term:
        text += t.ME_NEXT_TERM.format(
            certificate_no=after.certificate_no, starts_on=after.starts_on, ends_on=after.ends_on
        )
    if mine.not_renewed_on:
        text += t.ME_NOT_RENEWED.format(ends_on=r.ends_on)
    text += "".join("\n" + rd.work_summary(year, work) for year, work in mine.work)
    if mine.invitations:
        count = Counter(h.invitation.status for h in mine.invitations)
        parts = "、".join(
            t.ME_INVITATIONS_PART.format(status=dt.INVITATION_STATUS[s], count=count[s])
            for s in ("invited", "accepted")
            if count[s]
        )
        below = (
            t.ME_INVITATIONS_FIRST.format(shown=HELD_SHOWN)
            if len(mine.invitations) > HELD_SHOWN
            else t.ME_INVITATIONS_BELOW
        )
        text += t.ME_INVITATIONS.format(count=len(mine.invitations), parts=parts, below=below)
    if mine.withdrawal_reason:
        text += t.ME_WITHDRAWAL_ASKED.format(reason=mine.withdrawal_reason)
    return text
