"""Annex 1 (推荐表) as .docx: one application laid out like the notice's form,
ready to print, sign and stamp.

The grid follows the notice: seven columns, the photo box spanning the first
four rows at the right, 主要从事专业 and 熟悉专业 four lines each, then the
résumé, the applicant's pledge and signature, and a box for the unit's
opinion and stamp. Every value is a plain run of text; nothing becomes a
field.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from exports.names import annex1_filename
from exports.rows import Annex1Form
from exports.sanitize import clean
from exports.table import format_cn_date

__all__ = ["ANNEX1_TITLE", "annex1_filename", "render_annex1_docx"]

ANNEX1_TITLE = "重庆人力资源和社会保障局工伤预防专家聘任推荐表"
ANNEX1_MARK = "附件1"
PLEDGE = "本人承诺所填信息真实有效。"
SIGNATURE_LINE = "本人签名：＿＿＿＿＿＿＿＿　　　　日期：　　　　年　　月　　日"
UNIT_OPINION = "所在单位意见（盖章）："
STAMP_DATE = "（盖章）　　　　年　　月　　日"
BLANK_DATE = "　　　　年　　月　　日"
PHOTO_LABEL = "照片"

BODY_FONT = "宋体"
MARK_FONT = "黑体"
BODY_SIZE = Pt(10.5)  # 五号
TITLE_SIZE = Pt(18)  # 小二

COLUMN_WIDTHS = (Cm(2.3), Cm(2.6), Cm(2.0), Cm(2.4), Cm(2.0), Cm(2.3), Cm(3.4))
"""Seven grid columns filling the 17 cm between A4 margins of 2 cm."""
ROW_HEIGHT = Cm(0.85)
RESUME_HEIGHT = Cm(4.6)
PHOTO_HEIGHT = Cm(3.0)
PHOTO_MAX_WIDTH = Cm(2.8)


@dataclass(frozen=True)
class _Cell:
    text: str
    span: int = 1
    label: bool = False
    photo: bool = False
    """Part of the photo box, filled once after the rows are merged."""


def _label(text: str, span: int = 1) -> _Cell:
    return _Cell(text, span, label=True)


def render_annex1_docx(form: Annex1Form) -> bytes:
    """The filled form on A4 portrait; the photo box stays empty, labelled,
    when there is no photo."""
    doc = Document()
    _page_setup(doc)
    _fonts(doc)
    doc.core_properties.title = ANNEX1_TITLE
    doc.core_properties.author = ""
    doc.core_properties.comments = ""

    mark = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    _run(mark, ANNEX1_MARK, font=MARK_FONT, size=Pt(14))

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    _run(title, ANNEX1_TITLE, size=TITLE_SIZE, bold=True)

    meta = doc.add_paragraph()
    meta.paragraph_format.tab_stops.add_tab_stop(sum(COLUMN_WIDTHS, Cm(0)), WD_TAB_ALIGNMENT.RIGHT)
    meta.paragraph_format.space_after = Pt(4)
    filled = format_cn_date(form.filled_on) if form.filled_on else BLANK_DATE
    _run(meta, f"拟报专业组：{clean(form.group)}\t填表时间：{filled}", size=Pt(12))

    _form_table(doc, form)

    pledge = doc.add_paragraph()
    pledge.paragraph_format.space_before = Pt(8)
    _run(pledge, PLEDGE, size=Pt(12))
    signature = doc.add_paragraph()
    signature.paragraph_format.space_before = Pt(8)
    signature.paragraph_format.space_after = Pt(8)
    _run(signature, SIGNATURE_LINE, size=Pt(12))
    _unit_box(doc)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _rows(form: Annex1Form) -> list[list[_Cell]]:
    """The form's rows as (text, span) cells; column 6 of rows 0-3 is the photo."""
    photo = _Cell("", photo=True)
    rows = [
        [_label("姓名"), _Cell(form.name), _label("性别"), _Cell(form.gender),
         _label("民族"), _Cell(form.ethnicity), photo],
        [_label("身份证号"), _Cell(form.id_number, 2), _label("出生年月"),
         _Cell(form.birth_month, 2), photo],
        [_label("工作单位"), _Cell(form.unit, 2), _label("职务"), _Cell(form.position, 2), photo],
        [_label("社会兼职"), _Cell(form.part_time, 2), _label("健康状况"), _Cell(form.health, 2), photo],
        [_label("学历"), _Cell(form.education), _label("职称"), _Cell(form.title, 4)],
        [_label("毕业学校"), _Cell(form.school, 3), _label("所学专业"), _Cell(form.major, 2)],
    ]  # fmt: skip
    for i in range(4):
        rows.append(
            [
                _label("主要从事专业"),
                _Cell(_numbered(form.main_specialties, i), 3),
                _label("熟悉专业"),
                _Cell(_numbered(form.familiar_specialties, i), 2),
            ]
        )
    rows += [
        [_label("单位地址"), _Cell(form.unit_address, 3), _label("移动电话"), _Cell(form.mobile, 2)],
        [_label("家庭地址"), _Cell(form.home_address, 3), _label("办公电话"), _Cell(form.office_phone, 2)],
        [_label("个人邮箱"), _Cell(form.email, 3), _label("紧急电话"), _Cell(form.emergency_phone, 2)],
    ]  # fmt: skip
    if form.emergency_expert:
        rows.append([_label("重庆市应急管理专家资格"), _Cell(form.emergency_expert, 6)])
    if form.relaxation_reason:
        rows.append([_label("申请放宽条件说明"), _Cell(form.relaxation_reason, 6)])
    return rows


SPECIALTY_ROWS = range(6, 10)
"""Rows of 主要从事专业 / 熟悉专业, whose labels merge vertically."""


def _form_table(doc, form: Annex1Form) -> None:
    rows = _rows(form)
    resume_lines = [entry.as_line() for entry in form.resume]
    if form.resume_text:
        resume_lines.append(form.resume_text)
    rows.append([_label("工作简历"), _Cell("\n".join(resume_lines), 6)])

    table = doc.add_table(rows=len(rows), cols=len(COLUMN_WIDTHS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width
    for r, cells in enumerate(rows):
        row = table.rows[r]
        row.height = RESUME_HEIGHT if r == len(rows) - 1 else ROW_HEIGHT
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        col = 0
        for spec in cells:
            cell = table.cell(r, col)
            cell.width = sum(COLUMN_WIDTHS[col : col + spec.span], Cm(0))
            if spec.span > 1:
                cell = cell.merge(table.cell(r, col + spec.span - 1))
            if not spec.photo:
                _write(cell, spec, top=r == len(rows) - 1)
            col += spec.span

    photo_cell = table.cell(0, 6).merge(table.cell(3, 6))
    _photo(photo_cell, form.photo_jpeg)
    first, last = SPECIALTY_ROWS[0], SPECIALTY_ROWS[-1]
    for col in (0, 4):
        merged = table.cell(first, col).merge(table.cell(last, col))
        for extra in merged.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)


def _write(cell, spec: _Cell, *, top: bool = False) -> None:
    cell.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.TOP if top else WD_CELL_VERTICAL_ALIGNMENT.CENTER
    )
    paragraph = cell.paragraphs[0]
    if spec.label:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, clean(spec.text), size=BODY_SIZE)


def _photo(cell, jpeg: bytes | None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if jpeg:
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
    _run(paragraph, PHOTO_LABEL, size=BODY_SIZE)


def _unit_box(doc) -> None:
    box = doc.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.alignment = WD_TABLE_ALIGNMENT.CENTER
    box.rows[0].height = Cm(3.6)
    box.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    cell = box.cell(0, 0)
    cell.width = sum(COLUMN_WIDTHS, Cm(0))
    _run(cell.paragraphs[0], UNIT_OPINION, size=Pt(12))
    for _ in range(3):
        cell.add_paragraph()
    stamp = cell.add_paragraph()
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(stamp, STAMP_DATE, size=Pt(12))


def _numbered(values: Sequence[str], index: int) -> str:
    return f"{index + 1}．{values[index]}" if index < len(values) else f"{index + 1}．"


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)


def _fonts(doc) -> None:
    """Sets 宋体 for both Latin and East-Asian text: python-docx's font.name
    sets only the Latin slots, and Word then falls back to its own CJK font."""
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _run(paragraph, text: str, *, font: str = BODY_FONT, size=None, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if size is not None:
        run.font.size = size
    run.bold = bold or None
    return run
