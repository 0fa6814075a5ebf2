"""The publicity list (公示名单) of a confirmed batch, as .xlsx and as .docx.

Notice § 四 (一): entries confirmed by the joint meeting are published
before appointment. The list holds name, gender, unit, title and
professional group and nothing else (DESIGN.md § "After the call"):
`PublicityRow` has no field for anything more. Around it: the title, the
opening sentence, the window, where objections go, and the bureau's name
and date. Both files are A4 portrait with the header row repeated on every
page. The document puts the sign-off under the sentences and the list after
it, as an attachment, so that the seal never lands on a page of its own.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from exports import word
from exports.names import publicity_filename
from exports.registry_rows import PublicityRow, PublicityWindow
from exports.sanitize import clean
from exports.table import BUREAU, GROUP_ORDER, Column, Table, fit_width, format_cn_date
from exports.xlsx import write_xlsx

__all__ = ["PUBLICITY_TITLE", "publicity_docx", "publicity_filename", "publicity_xlsx"]

PUBLICITY_TITLE = "重庆市工伤预防专家库拟入库专家名单公示"
OPENING = "经资格审核和市工伤预防联席会议确定{meeting}，现将重庆市工伤预防专家库拟入库专家名单（共{count}人）予以公示。"
WINDOW = "公示期：{start}至{end}"
OBJECTIONS = (
    "公示期间，任何单位和个人对公示人员有异议的，请以书面形式向{to}反映，并提供真实姓名和联系方式。"
)
BLANK_TO = "＿＿＿＿＿＿＿＿＿＿＿＿"
"""Printed where the caller named no office for objections, to fill in by hand."""
HEADERS = ("序号", "姓名", "性别", "工作单位", "职称", "拟入库专业组")
EMPTY = "（本批无拟入库专家）"
SHEET_NAME = "公示名单"
LIST_CAPTION = "附：重庆市工伤预防专家库拟入库专家名单"

BODY_SIZE = Pt(14)  # 四号
BODY_LINE = Pt(26)
TITLE_SIZE = Pt(20)
GRID_SIZE = Pt(10.5)  # 五号
GRID_LINE = Pt(16)
MARGINS = {"left": Cm(2.0), "right": Cm(2.0), "top": Cm(2.5), "bottom": Cm(2.0)}
GRID = (Cm(1.3), Cm(2.0), Cm(1.3), Cm(5.1), Cm(4.5), Cm(2.8))
"""17 cm, the width between the margins: 职称 holds "正高级工程师（正高级）" and
拟入库专业组 its header on one line (cell margins 0.38 cm included)."""
CENTRED = frozenset({0, 1, 2, 5})
"""Columns printed centred: 序号, 姓名, 性别, 拟入库专业组."""
ROW_HEIGHT = Cm(0.75)


def publicity_rows(rows: Iterable[PublicityRow]) -> list[tuple[object, ...]]:
    """The list's rows in print order, numbered: groups in the notice's order,
    then unit, then name (code point order: stable, not pinyin)."""
    rank = {group: i for i, group in enumerate(GROUP_ORDER)}
    ordered = sorted(
        rows, key=lambda r: (rank.get(r.group, len(GROUP_ORDER)), r.group, r.unit, r.name)
    )
    return [(seq, r.name, r.gender, r.unit, r.title, r.group) for seq, r in enumerate(ordered, 1)]


def opening(window: PublicityWindow, count: int) -> str:
    meeting = f"（{window.meeting}）" if window.meeting else ""
    return OPENING.format(meeting=meeting, count=count)


def window_line(window: PublicityWindow) -> str:
    return WINDOW.format(start=format_cn_date(window.start), end=format_cn_date(window.end))


def objections_line(window: PublicityWindow) -> str:
    return OBJECTIONS.format(to=window.objections_to.strip() or BLANK_TO)


def publicity_table(rows: Iterable[PublicityRow], window: PublicityWindow) -> Table:
    """The list as a neutral table: the notice's sentences above, the sign-off below."""
    values = publicity_rows(rows)
    columns = (
        Column(header="序号", width=6, text=False),
        Column(header="姓名", width=fit_width(values, 1, "姓名", 9, 16), wrap=True),
        Column(header="性别", width=6),
        Column(header="工作单位", width=fit_width(values, 3, "工作单位", 20, 38), wrap=True),
        Column(header="职称", width=fit_width(values, 4, "职称", 12, 26), wrap=True),
        Column(header="拟入库专业组", width=15),
    )
    return Table(
        title=PUBLICITY_TITLE,
        subtitle=(opening(window, len(values)), window_line(window), objections_line(window)),
        columns=columns,
        rows=values,
        note="" if values else EMPTY,
        footer=("", BUREAU, format_cn_date(window.published_on)),
        sheet_name=SHEET_NAME,
        landscape=False,
    )


def publicity_xlsx(rows: Iterable[PublicityRow], window: PublicityWindow) -> bytes:
    """The list as a spreadsheet, to publish online or print."""
    return write_xlsx(publicity_table(rows, window))


def publicity_docx(
    rows: Iterable[PublicityRow], window: PublicityWindow, *, now: datetime | None = None
) -> bytes:
    """The list as a document to print and post; `now` goes in the file's
    properties (default: the current time)."""
    values = publicity_rows(rows)
    doc = Document()
    word.page_setup(doc, MARGINS)
    word.set_fonts(doc, BODY_SIZE, BODY_LINE)
    word.properties(doc, PUBLICITY_TITLE, now or datetime.now(UTC))

    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.line(title, Pt(36), after=Pt(12))
    word.run(title, PUBLICITY_TITLE, size=TITLE_SIZE, bold=True)
    for text in (opening(window, len(values)), window_line(window), objections_line(window)):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
        word.line(paragraph, BODY_LINE)
        word.run(paragraph, clean(text), size=BODY_SIZE)
    word.sign_off(
        doc,
        (BUREAU, format_cn_date(window.published_on)),
        size=BODY_SIZE,
        width=Cm(8.5),
        before=Pt(24),
    )
    caption = doc.add_paragraph()
    word.line(caption, BODY_LINE, before=Pt(18), after=Pt(6))
    caption.paragraph_format.keep_with_next = True
    word.run(caption, LIST_CAPTION, font=word.MARK_FONT, size=BODY_SIZE)
    _grid(doc, values)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _grid(doc, values: Sequence[tuple[object, ...]]) -> None:
    """The bordered list, its header on every page, no row split across two."""
    table = doc.add_table(rows=1 + max(len(values), 1), cols=len(GRID))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, GRID, strict=True):
        column.width = width
    rows = table.rows
    texts = [HEADERS, *values] if values else [HEADERS]
    for r, (row, cells_text) in enumerate(zip(rows, texts, strict=False)):
        row.height = ROW_HEIGHT
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        word.cant_split(row)
        for c, (cell, width, value) in enumerate(zip(row.cells, GRID, cells_text, strict=True)):
            cell.width = width
            _cell(cell, str(value), header=r == 0, centred=r == 0 or c in CENTRED)
    word.repeat_header(rows[0])
    if not values:
        row = rows[1]
        word.cant_split(row)
        cell = row.cells[0].merge(row.cells[-1])
        _cell(cell, EMPTY, header=False, centred=True)


def _cell(cell, text: str, *, header: bool, centred: bool) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
    word.line(paragraph, GRID_LINE)
    word.run(paragraph, clean(text), size=GRID_SIZE, bold=header)
