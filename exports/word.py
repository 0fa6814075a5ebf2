"""What every Word document of the exports shares: A4 pages, 宋体/黑体 named
for both Latin and East-Asian text (language zh-CN), exact line heights,
table rows that never split, and the bureau as the file's author.

A run names its font in both slots because python-docx's `font.name` sets
only the Latin ones, and Word then falls back to its own CJK font. Lines are
given exact heights so that a substituted font cannot move a page break.
"""

from __future__ import annotations

from datetime import UTC, datetime

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt

from exports.table import BUREAU

BODY_FONT = "宋体"
MARK_FONT = "黑体"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
NO_SPACE = Pt(0)


def page_setup(doc, margins: dict[str, Length]) -> None:
    """A4 portrait with `margins` (left, right, top, bottom)."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = margins["left"], margins["right"]
    section.top_margin, section.bottom_margin = margins["top"], margins["bottom"]


def properties(doc, title: str, now: datetime) -> None:
    """The file's properties as the bureau's document `title`, made `now`; not
    python-docx's template (author python-docx, created 2013)."""
    props = doc.core_properties
    stamp = now.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    props.author = props.last_modified_by = BUREAU
    props.title = title
    props.subject = props.comments = props.keywords = props.category = ""
    props.created = props.modified = stamp
    props.revision = 1


def set_fonts(doc, size: Length, line: Length) -> None:
    """宋体 at `size` for the Normal style, both font slots, zh-CN, lines exactly `line` high."""
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = size
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = line


def line(paragraph, height: Length, *, before: Length = NO_SPACE, after: Length = NO_SPACE) -> None:
    """Lines of `paragraph` exactly `height` high, with the given space around it."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing = height
    fmt.space_before, fmt.space_after = before, after


def run(paragraph, text: str, *, font: str = BODY_FONT, size=None, bold: bool = False):
    """A run of `text` in `font` for Latin and East-Asian characters alike."""
    r = paragraph.add_run(text)
    r.font.name = font
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if size is not None:
        r.font.size = size
    r.bold = bold or None
    return r


_TR_PR_ORDER = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
    "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
    "w:ins", "w:del", "w:trPrChange",
)  # fmt: skip
"""The children of w:trPr in the order of ECMA-376 CT_TrPr: Word refuses a
file with w:cantSplit after w:trHeight."""


def _row_flag(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        later = _TR_PR_ORDER[_TR_PR_ORDER.index(tag) + 1 :]
        tr_pr.insert_element_before(tr_pr.makeelement(qn(tag), {}), *later)


def cant_split(row) -> None:
    """The row never breaks across pages (w:cantSplit)."""
    _row_flag(row, "w:cantSplit")


def repeat_header(row) -> None:
    """The row is printed again at the top of every page the table runs onto (w:tblHeader)."""
    _row_flag(row, "w:tblHeader")


def sign_off(doc, lines: tuple[str, ...], *, size: Length, width: Length, before: Length) -> None:
    """The issuer's name and the date, each centred on the other, at the right
    margin: a borderless one-cell table `width` wide, so that the centring holds
    whatever font prints the digits. `before` is the space above it, where the
    seal goes over the name and date."""
    spacer = doc.add_paragraph()
    line(spacer, before)
    spacer.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    table.autofit = False
    row = table.rows[0]
    cant_split(row)
    cell = row.cells[0]
    cell.width = width
    table.columns[0].width = width
    for i, text in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line(paragraph, Pt(size.pt * 1.75))
        run(paragraph, text, size=size)
