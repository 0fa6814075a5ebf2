"""Annex 1 (推荐表) as .docx: one application laid out like the notice's form,
ready to print, sign and stamp.

The grid follows the notice: labels spaced as printed (姓 名, 性 别), the photo
box spanning the first four rows at the right, 主要从事专业 and 熟悉专业 four
lines each with their numbers in a narrow column, then the résumé, the
pledge the applicant signed, the signature line and a box for the unit's
opinion and stamp. Every value is a plain run of text; nothing becomes a
field.

A short form prints on one A4 page. Page breaks are decided here, not left
to the word processor: every body line is exactly `LINE` high, so the height
of each row can be estimated from its text, and a résumé that does not fit
continues on a second page that repeats the title, the name and the ID
number, and carries the pledge, signature and stamp box with the last part
of the résumé. The stamp box is never alone on a page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Cm, Emu, Length, Pt

from bot.domain.form import PLEDGE as SIGNED_PLEDGE
from exports import word
from exports.names import annex1_filename
from exports.rows import Annex1Form
from exports.sanitize import clean
from exports.table import format_cn_date, format_cn_month, wrapped_lines
from exports.word import MARK_FONT, PAGE_HEIGHT

__all__ = ["ANNEX1_TITLE", "PLEDGE", "annex1_filename", "render_annex1_docx"]

ANNEX1_TITLE = "重庆人力资源和社会保障局工伤预防专家聘任推荐表"
ANNEX1_MARK = "附件1"
CONTINUED_TITLE = ANNEX1_TITLE + "（续）"
PLEDGE = SIGNED_PLEDGE
"""Printed above the signature: the very sentence the applicant signed in chat."""
SIGNATURE_LINE = "本人签名：＿＿＿＿＿＿＿＿　　　　日期：　　　　年　　月　　日"
UNIT_OPINION = "所在单位意见（盖章）："
STAMP_DATE = "（盖章）　　　　年　　月　　日"
BLANK_DATE = "　　　　年　　月　　日"
PHOTO_LABEL = "照片"
RESUME_LABEL = "工\n作\n简\n历"
RESUME_CONTINUED_LABEL = "工作\n简历\n（续）"
RESUME_CONTINUES = "（转下页）"
META = "拟报专业组：{group}\t填表时间：{filled}"

BODY_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(18)  # 小二
LINE = Pt(16)
"""Exact height of every body line, whatever font the printer's machine substitutes."""

GRID = (Cm(2.2), Cm(0.7), Cm(2.3), Cm(1.6), Cm(1.9), Cm(2.1), Cm(0.7), Cm(2.5), Cm(3.0))
"""Nine grid columns filling the 17 cm between A4 margins of 2 cm: labels in
columns 0, 3 and 5, the numbers of the specialty lists in the narrow 1 and 6,
the photo in 8. The ID number spans 1-4 (6.5 cm), room for 18 digits in any
fallback font."""
MARGINS = {"left": Cm(2.0), "right": Cm(2.0), "top": Cm(2.0), "bottom": Cm(1.6)}
ROW_HEIGHT = Cm(0.8)
RESUME_HEIGHT = Cm(4.6)
UNIT_BOX_HEIGHT = Cm(3.4)
PHOTO_HEIGHT = Cm(3.0)
PHOTO_MAX_WIDTH = Cm(2.5)
CELL_PADDING = Cm(0.38)
"""Left plus right cell margin of the Table Grid style (0.19 cm each)."""
SAFETY = Cm(1.2)
"""Page height left unplanned: borders, rounding, a renderer's own spacing."""
MIN_CARRIED = 2
"""Résumé entries that move with the signature when the form needs a second page."""

SPECIALTY_ROWS = range(6, 10)
"""Rows of 主要从事专业 / 熟悉专业, whose labels merge vertically."""


@dataclass(frozen=True)
class _Cell:
    text: str
    span: int = 1
    kind: str = "value"
    """"value" (left), "label" or "number" (centred), "photo" (filled after merging)."""


def _label(text: str, span: int = 1) -> _Cell:
    return _Cell(text, span, "label")


def _number(n: int) -> _Cell:
    return _Cell(str(n), 1, "number")


PHOTO = _Cell("", 1, "photo")


def render_annex1_docx(form: Annex1Form, *, now: datetime | None = None) -> bytes:
    """The filled form on A4 portrait, one page or more; the photo box stays
    empty, labelled, when there is no photo. `now` is the export time stored
    in the document's properties (default: the current time)."""
    doc = Document()
    word.page_setup(doc, MARGINS)
    word.set_fonts(doc, BODY_SIZE, LINE)
    word.properties(doc, ANNEX1_TITLE, now or datetime.now(UTC))

    mark = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    word.line(mark, Pt(20))
    word.run(mark, ANNEX1_MARK, font=MARK_FONT, size=Pt(14))
    _title(doc, ANNEX1_TITLE)
    meta = doc.add_paragraph()
    word.line(meta, Pt(20), after=Pt(4))
    meta.paragraph_format.tab_stops.add_tab_stop(_width(0, len(GRID)), WD_TAB_ALIGNMENT.RIGHT)
    filled = format_cn_date(form.filled_on) if form.filled_on else BLANK_DATE
    word.run(meta, META.format(group=clean(form.group), filled=filled), size=Pt(12))

    rows, extra = _rows(form), _extra_rows(form)
    header = [_label("姓 名"), _Cell(form.name, 4), _label("身份证号"), _Cell(form.id_number, 3)]
    pages = _paginate(
        _resume_blocks(form),
        rows_height=_height(rows),
        extra_heights=[_row_height(r) for r in extra],
        header_height=_row_height(header),
    )
    printed = 0
    for number, page in enumerate(pages):
        last = number == len(pages) - 1
        blocks = page.blocks if last else [*page.blocks, RESUME_CONTINUES]
        height = page.resume_height
        label = RESUME_CONTINUED_LABEL if any(p.blocks for p in pages[:number]) else RESUME_LABEL
        grid = [*extra[printed : page.extra_end], _resume_row(label, blocks)]
        printed = page.extra_end
        if number == 0:
            _table(doc, [*rows, *grid], last_height=height, first_page=True, photo=form.photo_jpeg)
        else:
            _title(doc, CONTINUED_TITLE, new_page=True)
            _table(doc, [header, *grid], last_height=height)
    _signature(doc)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _rows(form: Annex1Form) -> list[list[_Cell]]:
    """The form's rows above the résumé, as cells spanning grid columns."""
    rows = [
        [_label("姓 名"), _Cell(form.name, 2), _label("性 别"), _Cell(form.gender),
         _label("民 族"), _Cell(form.ethnicity, 2), PHOTO],
        [_label("身份证号"), _Cell(form.id_number, 4), _label("出生年月"),
         _Cell(format_cn_month(form.birth_month), 2), PHOTO],
        [_label("工作单位"), _Cell(form.unit, 4), _label("职 务"), _Cell(form.position, 2), PHOTO],
        [_label("社会兼职"), _Cell(form.part_time, 4), _label("健康状况"), _Cell(form.health, 2), PHOTO],
        [_label("学 历"), _Cell(form.education, 2), _label("职 称"), _Cell(form.title, 5)],
        [_label("毕业学校"), _Cell(form.school, 4), _label("所学专业"), _Cell(form.major, 3)],
    ]  # fmt: skip
    for i in range(4):
        rows.append(
            [
                _label("主要\n从事\n专业"),
                _number(i + 1),
                _Cell(_nth(form.main_specialties, i), 3),
                _label("熟悉\n专业"),
                _number(i + 1),
                _Cell(_nth(form.familiar_specialties, i), 2),
            ]
        )
    rows += [
        [_label("单位地址"), _Cell(form.unit_address, 4), _label("移动电话"), _Cell(form.mobile, 3)],
        [_label("家庭地址"), _Cell(form.home_address, 4), _label("办公电话"), _Cell(form.office_phone, 3)],
        [_label("个人邮箱"), _Cell(form.email, 4), _label("紧急电话"), _Cell(form.emergency_phone, 3)],
    ]  # fmt: skip
    return rows


def _extra_rows(form: Annex1Form) -> list[list[_Cell]]:
    """Rows the notice's form does not have, printed only when given."""
    rows = []
    if form.emergency_expert:
        rows.append([_label("重庆市应急管理专家资格", 3), _Cell(form.emergency_expert, 6)])
    if form.relaxation_reason:
        rows.append([_label("申请放宽条件说明", 3), _Cell(form.relaxation_reason, 6)])
    return rows


def _resume_blocks(form: Annex1Form) -> list[str]:
    blocks = [entry.as_line() for entry in form.resume]
    if form.resume_text:
        blocks.append(form.resume_text)
    return blocks


def _resume_row(label: str, blocks: Sequence[str]) -> list[_Cell]:
    return [_label(label), _Cell("\n".join(blocks), len(GRID) - 1, "resume")]


# pagination -------------------------------------------------------------------------------

NARROW_EM = 0.65
"""Advance of Latin letters and digits in ems, counted wide (DejaVu Sans
digits, a common fallback for 宋体, are 0.64 em) so that estimates err long."""


def text_lines(text: str, width: Length, size: Length = BODY_SIZE) -> int:
    """Lines `text` takes in a cell `width` wide at `size`."""
    return wrapped_lines(clean(text), (width - CELL_PADDING) / size, wide=1.0, narrow=NARROW_EM)


def _width(col: int, span: int) -> Length:
    return Emu(sum(GRID[col : col + span]))


def _row_height(cells: Sequence[_Cell], minimum: Length = ROW_HEIGHT) -> int:
    col, tallest = 0, 0
    for cell in cells:
        if cell.kind in ("value", "resume", "number"):
            tallest = max(tallest, text_lines(cell.text, _width(col, cell.span)))
        col += cell.span
    return max(minimum, tallest * LINE + Pt(2))


def _height(rows: Sequence[Sequence[_Cell]]) -> int:
    return sum(_row_height(row) for row in rows)


def _body_height() -> int:
    return PAGE_HEIGHT - MARGINS["top"] - MARGINS["bottom"] - SAFETY


HEAD_HEIGHT = Pt(20) + (Pt(30) + Pt(6)) + (Pt(20) + Pt(4))
"""附件1, the title and the 拟报专业组 line."""
TAIL_HEIGHT = (Pt(20) + Pt(6)) + (Pt(20) + Pt(12)) + UNIT_BOX_HEIGHT
"""Pledge, signature line and the unit's box."""


@dataclass(frozen=True)
class _Page:
    blocks: list[str]
    """Résumé entries printed on this page."""
    extra_end: int
    """Optional rows (`_extra_rows`) printed up to here, counting earlier pages."""
    resume_height: int = ROW_HEIGHT
    """Least height of the résumé row: room to write on the last page, none before."""


CONTINUED_TITLE_HEIGHT = Pt(30) + Pt(6)


def _paginate(
    blocks: list[str], *, rows_height: int, extra_heights: list[int], header_height: int
) -> list[_Page]:
    """The pages of the form: one when everything fits, else as many as the
    résumé needs. The last carries the pledge, signature and stamp box with
    at least `MIN_CARRIED` entries (one when two do not fit a page with
    them), so the box is never without the person's data. Optional rows that
    do not fit on page 1 open page 2."""
    width = _width(1, len(GRID) - 1)
    heights = [text_lines(b, width) * LINE for b in blocks]
    note = LINE + Pt(2)  # the 转下页 line

    def last_page(hs: Sequence[int], room: int) -> int | None:
        """The résumé row's height if `hs` fit on a page of `room` with the tail."""
        free = room - TAIL_HEIGHT
        return min(RESUME_HEIGHT, free) if sum(hs) + Pt(2) <= free else None

    room = _body_height() - HEAD_HEIGHT - rows_height
    height = last_page(heights, room - sum(extra_heights))
    if height is not None:
        return [_Page(blocks, len(extra_heights), height)]
    continuation = _body_height() - CONTINUED_TITLE_HEIGHT - header_height
    carried = MIN_CARRIED if last_page(heights[-MIN_CARRIED:], continuation) else 1
    extra_here = len(extra_heights) if sum(extra_heights) + note <= room else 0
    room -= sum(extra_heights[:extra_here])
    pages: list[_Page] = []
    start = 0
    while True:
        if pages and (height := last_page(heights[start:], room)) is not None:
            return [*pages, _Page(blocks[start:], len(extra_heights), height)]
        end, used = start, 0
        while end < len(blocks) and used + heights[end] <= room - note:
            used, end = used + heights[end], end + 1
        end = max(start, min(end, len(blocks) - carried))
        if pages:
            end = max(end, start + 1)  # a continuation page always moves the résumé on
            if end >= len(blocks):
                return [*pages, _Page(blocks[start:], len(extra_heights), RESUME_HEIGHT)]
        pages.append(_Page(blocks[start:end], extra_here if not pages else len(extra_heights)))
        start = end
        room = continuation
        if len(pages) == 1:
            room -= sum(extra_heights[extra_here:])


# writing ------------------------------------------------------------------------------------


def _table(
    doc,
    rows: list[list[_Cell]],
    *,
    last_height: Length,
    first_page: bool = False,
    photo: bytes | None = None,
) -> None:
    """The grid; the last row (the résumé) is at least `last_height` high. On
    the first page the photo box and the specialty labels span their rows."""
    table = doc.add_table(rows=len(rows), cols=len(GRID))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, GRID, strict=True):
        column.width = width
    for r, (row, specs) in enumerate(zip(table.rows, rows, strict=True)):
        row.height = last_height if r == len(rows) - 1 else ROW_HEIGHT
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        word.cant_split(row)
        # The row's cells, fetched once before merging: table.cell() walks the whole grid.
        cells = row.cells
        for cell, width in zip(cells, GRID, strict=True):
            cell.width = width
        col = 0
        for spec in specs:
            cell = cells[col]
            if spec.span > 1:
                cell = cell.merge(cells[col + spec.span - 1])
            if spec.kind != "photo":
                _write(cell, spec)
            col += spec.span
    if first_page:
        photo_col = len(GRID) - 1
        _photo(table.cell(0, photo_col).merge(table.cell(3, photo_col)), photo)
        first, last = SPECIALTY_ROWS[0], SPECIALTY_ROWS[-1]
        for col in (0, 5):
            merged = table.cell(first, col).merge(table.cell(last, col))
            for extra in merged.paragraphs[1:]:
                extra._element.getparent().remove(extra._element)


def _write(cell, spec: _Cell) -> None:
    cell.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.TOP if spec.kind == "resume" else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    )
    paragraph = cell.paragraphs[0]
    if spec.kind in ("label", "number"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.run(paragraph, clean(spec.text), size=BODY_SIZE)


def _photo(cell, jpeg: bytes | None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if jpeg:
        # An exact line height would crop the picture to one line.
        paragraph.paragraph_format.line_spacing = 1.0
        try:
            shape = paragraph.add_run().add_picture(io.BytesIO(jpeg), height=PHOTO_HEIGHT)
        except UnrecognizedImageError:
            # A damaged photo must not block printing the form; the box stays empty.
            pass
        else:
            if shape.width > PHOTO_MAX_WIDTH:
                shape.height = int(shape.height * PHOTO_MAX_WIDTH / shape.width)
                shape.width = PHOTO_MAX_WIDTH
            return
    word.run(paragraph, PHOTO_LABEL, size=BODY_SIZE)


def _title(doc, text: str, *, new_page: bool = False) -> None:
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.line(title, Pt(30), after=Pt(6))
    title.paragraph_format.page_break_before = new_page or None
    word.run(title, text, size=TITLE_SIZE, bold=True)


def _signature(doc) -> None:
    """Pledge, signature line and the unit's box, kept together on one page."""
    pledge = doc.add_paragraph()
    word.line(pledge, Pt(20), before=Pt(6))
    pledge.paragraph_format.keep_with_next = True
    word.run(pledge, PLEDGE, size=Pt(12))
    signature = doc.add_paragraph()
    word.line(signature, Pt(20), before=Pt(6), after=Pt(6))
    signature.paragraph_format.keep_with_next = True
    word.run(signature, SIGNATURE_LINE, size=Pt(12))

    box = doc.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.alignment = WD_TABLE_ALIGNMENT.CENTER
    box.rows[0].height = UNIT_BOX_HEIGHT
    box.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    word.cant_split(box.rows[0])
    cell = box.cell(0, 0)
    cell.width = _width(0, len(GRID))
    for text in (UNIT_OPINION, "", ""):
        paragraph = cell.paragraphs[0] if text == UNIT_OPINION else cell.add_paragraph()
        word.line(paragraph, Pt(20))
        if text:
            word.run(paragraph, text, size=Pt(12))
    stamp = cell.add_paragraph()
    word.line(stamp, Pt(20))
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.run(stamp, STAMP_DATE, size=Pt(12))


def _nth(values: Sequence[str], index: int) -> str:
    return values[index] if index < len(values) else ""
