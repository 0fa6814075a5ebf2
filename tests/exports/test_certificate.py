import io
from dataclasses import replace
from datetime import UTC, date, datetime

from docx import Document
from docx.oxml.ns import qn

from exports.certificate import CERTIFICATE_TITLE, certificate_docx, certificate_filename
from exports.registry_rows import Certificate

CERT = Certificate(
    number="CQGSYF-2022-0001",
    name="张三",
    group="职业卫生",
    term_start=date(2022, 11, 10),
    term_end=date(2027, 11, 9),
    issued_on=date(2022, 11, 10),
)


def read(cert: Certificate = CERT) -> Document:
    return Document(io.BytesIO(certificate_docx(cert, now=datetime(2022, 11, 10, tzinfo=UTC))))


def test_the_certificate_names_the_expert_group_term_and_number():
    paragraphs = [p.text for p in read().paragraphs]
    assert CERTIFICATE_TITLE in paragraphs
    assert "证书编号：CQGSYF-2022-0001" in paragraphs
    assert "兹聘请　张三　同志为重庆市工伤预防专家库专家（职业卫生）。" in paragraphs
    assert "聘期：2022年11月10日至2027年11月9日。" in paragraphs


def test_the_dates_are_printed_as_given_not_computed():
    paragraphs = [p.text for p in read(replace(CERT, term_end=date(2027, 2, 28))).paragraphs]
    assert "聘期：2022年11月10日至2027年2月28日。" in paragraphs


def test_the_bureau_and_the_date_sit_at_the_bottom_right_under_room_for_the_seal():
    doc = read()
    (sign_off,) = doc.tables
    assert sign_off.cell(0, 0).text == "重庆市人力资源和社会保障局\n2022年11月10日"
    assert sign_off._tbl.tblPr.find(qn("w:jc")).get(qn("w:val")) == "right"
    spacer = doc.paragraphs[-1]
    assert spacer.text == "" and spacer.paragraph_format.line_spacing.pt >= 120


def test_one_a4_portrait_page_framed_in_song_and_hei_for_zh_cn():
    doc = read()
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    rpr = doc.styles["Normal"].element.rPr
    assert rpr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    title = next(p for p in doc.paragraphs if p.text == CERTIFICATE_TITLE)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    borders = section._sectPr.find(qn("w:pgBorders"))
    assert borders is not None and borders.find(qn("w:top")).get(qn("w:val")) == "double"
    assert not any(p.paragraph_format.page_break_before for p in doc.paragraphs)


def test_the_file_is_the_bureaus_and_named_by_number():
    props = read().core_properties
    assert props.author == "重庆市人力资源和社会保障局"
    assert props.title == "聘书 CQGSYF-2022-0001"
    assert certificate_filename(CERT.number) == "聘书_CQGSYF-2022-0001.docx"
    assert certificate_filename("../x") == "聘书_x.docx"


def test_control_characters_in_a_name_do_not_break_the_file():
    paragraphs = [p.text for p in read(replace(CERT, name="张\x00三")).paragraphs]
    assert "兹聘请　张\ufffd三　同志为重庆市工伤预防专家库专家（职业卫生）。" in paragraphs
