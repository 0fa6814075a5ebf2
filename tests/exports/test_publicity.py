import dataclasses
import html
import io
import re
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from exports.publicity import (
    BLANK_TO,
    EMPTY,
    GRID,
    PUBLICITY_TITLE,
    publicity_docx,
    publicity_filename,
    publicity_xlsx,
)
from exports.registry_rows import PublicityRow, PublicityWindow
from tests.exports.support import INJECTIONS, annex2_row, open_sheet, sheet_xml

WINDOW = PublicityWindow(
    start=date(2022, 11, 1),
    end=date(2022, 11, 7),
    published_on=date(2022, 10, 31),
    objections_to="市人力社保局工伤保险处",
    meeting="联席会议纪要〔2022〕3号",
)
HEADERS = ["序号", "姓名", "性别", "工作单位", "职称", "拟入库专业组"]
ID_NUMBER = "500103199001019998"
MOBILE = "13800138000"
LONG_UNIT = "重庆市安全生产科学研究院职业安全健康与应急管理研究中心安全评价与检测检验所第三研究室"
LONG_NAME = "阿卜杜热合曼·买买提艾力·司马义托合提"
ID_LIKE = re.compile(r"\d{6}(?:19|20)\d{2}[01]\d[0-3]\d{4}|\d{17}[\dXx]")
MOBILE_LIKE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def row(**overrides) -> PublicityRow:
    return PublicityRow.from_annex2(annex2_row(**overrides))


def docx_text(data: bytes) -> str:
    """Every piece of text in the document, tables and all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    return html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


def xlsx_text(data: bytes) -> str:
    """Every part of the workbook, character references resolved."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = (archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
        return html.unescape("".join(parts))


def grid(data: bytes) -> list[list[str]]:
    table = Document(io.BytesIO(data)).tables[-1]
    return [[cell.text for cell in r.cells] for r in table.rows]


def test_a_publicity_row_has_no_field_for_id_numbers_phones_or_addresses():
    fields = {f.name for f in dataclasses.fields(PublicityRow)}
    assert fields == {"name", "gender", "unit", "title", "group"}


@pytest.mark.parametrize("render", [publicity_xlsx, publicity_docx])
def test_the_list_carries_no_id_or_phone_number_even_when_the_source_row_does(render):
    rows = [
        row(id_number=ID_NUMBER, contact=MOBILE),
        row(name="李四", id_number="50010619800102998X"),
    ]
    assert all(isinstance(r, PublicityRow) for r in rows)
    text = (xlsx_text if render is publicity_xlsx else docx_text)(render(rows, WINDOW))
    assert "张三" in text and "李四" in text
    assert ID_NUMBER not in text and MOBILE not in text and "50010619800102998X" not in text
    assert not ID_LIKE.search(text) and not MOBILE_LIKE.search(text)


def test_the_spreadsheet_has_title_window_objections_header_rows_and_sign_off():
    rows = [row(group="综合管理", name="乙"), row(group="矿山", name="甲", title="教授（正高级）")]
    ws = open_sheet(publicity_xlsx(rows, WINDOW))
    assert ws["A1"].value == PUBLICITY_TITLE
    assert ws["A2"].value == (
        "经资格审核和市工伤预防联席会议确定（联席会议纪要〔2022〕3号），"
        "现将重庆市工伤预防专家库拟入库专家名单（共2人）予以公示。"
    )
    assert ws["A3"].value == "公示期：2022年11月1日至2022年11月7日"
    assert "向市人力社保局工伤保险处反映" in ws["A4"].value
    assert [c.value for c in ws[5]] == HEADERS
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=6, max_row=7)]
    assert values == [
        [1, "甲", "男", "重庆建工集团股份有限公司", "教授（正高级）", "矿山"],
        [2, "乙", "男", "重庆建工集团股份有限公司", "高级工程师（副高级）", "综合管理"],
    ]
    assert [ws.cell(row=r, column=1).value for r in (9, 10)] == [
        "重庆市人力资源和社会保障局",
        "2022年10月31日",
    ]
    assert ws["A9"].alignment.horizontal == "right"


def test_the_spreadsheet_prints_a4_portrait_with_the_header_on_every_page():
    ws = open_sheet(publicity_xlsx([row()], WINDOW))
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == "$5:$5"
    assert ws.page_setup.fitToWidth == 1


def test_the_document_has_title_window_objections_sign_off_and_the_list():
    data = publicity_docx([row(), row(name="李四", group="矿山")], WINDOW)
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    assert PUBLICITY_TITLE in paragraphs
    assert "公示期：2022年11月1日至2022年11月7日" in paragraphs
    assert any("向市人力社保局工伤保险处反映" in p for p in paragraphs)
    sign_off = doc.tables[0].cell(0, 0).text
    assert sign_off == "重庆市人力资源和社会保障局\n2022年10月31日"
    assert grid(data) == [
        HEADERS,
        ["1", "李四", "男", "重庆建工集团股份有限公司", "高级工程师（副高级）", "矿山"],
        ["2", "张三", "男", "重庆建工集团股份有限公司", "高级工程师（副高级）", "建筑"],
    ]


def test_the_document_is_a4_portrait_in_song_with_the_header_row_repeated():
    doc = Document(io.BytesIO(publicity_docx([row()] * 3, WINDOW)))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    header, *body = doc.tables[-1].rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in body)
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in [header, *body])


def test_long_names_and_units_wrap_in_fixed_columns():
    rows = [row(name=LONG_NAME, unit=LONG_UNIT)]
    ws = open_sheet(publicity_xlsx(rows, WINDOW))
    assert ws["D6"].value == LONG_UNIT and ws["D6"].alignment.wrap_text
    assert ws["B6"].alignment.wrap_text
    assert ws.row_dimensions[6].height >= 2 * 15
    data = publicity_docx(rows, WINDOW)
    assert grid(data)[1][1:4] == [LONG_NAME, "男", LONG_UNIT]
    table = Document(io.BytesIO(data)).tables[-1]
    assert [round(c.width.cm, 2) for c in table.rows[1].cells] == [round(w.cm, 2) for w in GRID]


@pytest.mark.parametrize("value", INJECTIONS)
def test_formula_like_names_and_units_stay_text(value):
    data = publicity_xlsx([row(name=value, unit=value, title=value)], WINDOW)
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    ws = open_sheet(data)
    for column in (2, 4, 5):
        cell = ws.cell(row=6, column=column)
        assert cell.data_type == "s" and cell.value == value and cell.quotePrefix


def test_an_empty_batch_says_so_in_both_files():
    ws = open_sheet(publicity_xlsx([], WINDOW))
    assert ws["A6"].value == EMPTY
    assert "共0人" in ws["A2"].value
    assert grid(publicity_docx([], WINDOW))[1] == [EMPTY] * len(HEADERS)


def test_without_an_office_for_objections_a_blank_is_left_to_fill_in():
    window = dataclasses.replace(WINDOW, objections_to=" ", meeting="")
    ws = open_sheet(publicity_xlsx([row()], window))
    assert BLANK_TO in ws["A4"].value
    assert ws["A2"].value.startswith("经资格审核和市工伤预防联席会议确定，")


def test_file_names_carry_the_window_start_only():
    assert (
        publicity_filename(WINDOW.start, "xlsx")
        == "重庆市工伤预防专家库拟入库专家名单公示_20221101.xlsx"
    )
