import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn

from bot.domain.parsers import MAX_REASON
from bot.domain.registry import LETTER_FOR, ExpertAction
from exports.letter import SIZES, choose_size, letter_docx, letter_filename, letter_title
from exports.registry_rows import Letter, LetterKind

NOT_RENEWED = Letter(
    kind=LetterKind.NOT_RENEWED,
    name="张三",
    unit="重庆建工集团股份有限公司",
    group="建筑",
    certificate_number="CQGSYF-2017-0001",
    term_start=date(2017, 11, 10),
    term_end=date(2022, 11, 9),
    reason="聘期内年度评价两次不合格。",
    decided_on=date(2022, 10, 20),
    reference="渝人社函〔2022〕118号",
)
DISMISSED = replace(
    NOT_RENEWED,
    kind=LetterKind.DISMISSED,
    reason="违反职业道德，评审时未按规定回避。",
    effective_on=date(2022, 10, 21),
    reference="",
)


def read(letter: Letter) -> Document:
    return Document(io.BytesIO(letter_docx(letter, now=datetime(2022, 10, 20, tzinfo=UTC))))


def texts(letter: Letter) -> list[str]:
    return [p.text for p in read(letter).paragraphs]


def test_the_kinds_are_the_domains_moves_that_produce_a_letter():
    assert {ExpertAction(kind.value) for kind in LetterKind} == LETTER_FOR


def test_a_not_renewed_letter_says_decision_reason_term_and_number_to_the_expert():
    paragraphs = texts(NOT_RENEWED)
    assert (
        paragraphs[0]
        == "关于不予续聘重庆市工伤预防专家库专家的函"
        == letter_title(LetterKind.NOT_RENEWED)
    )
    assert paragraphs[1] == "渝人社函〔2022〕118号"
    assert paragraphs[2] == "张三同志："
    decision = paragraphs[3]
    assert "2017年11月10日" in decision and "2022年11月9日" in decision
    assert (
        "（建筑）" in decision and "CQGSYF-2017-0001" in decision and "决定对您不予续聘" in decision
    )
    assert "理由：聘期内年度评价两次不合格。" in paragraphs
    assert "特此函告。" in paragraphs


def test_a_dismissal_letter_says_from_when_and_why():
    paragraphs = texts(DISMISSED)
    assert paragraphs[0] == "关于解聘重庆市工伤预防专家库专家的函"
    assert paragraphs[1] == "张三同志："
    assert "决定自2022年10月21日起解聘" in paragraphs[2]
    assert "解聘理由：违反职业道德，评审时未按规定回避。" in paragraphs
    assert "不予续聘" not in "".join(paragraphs)


def test_a_dismissal_without_its_own_effective_day_takes_effect_on_the_decision():
    paragraphs = texts(replace(DISMISSED, effective_on=None))
    assert "决定自2022年10月20日起解聘" in paragraphs[2]


@pytest.mark.parametrize("letter", [NOT_RENEWED, DISMISSED], ids=["not_renewed", "dismissed"])
def test_the_unit_is_copied_under_the_bureaus_sign_off(letter):
    doc = read(letter)
    (sign_off,) = doc.tables
    assert sign_off.cell(0, 0).text == "重庆市人力资源和社会保障局\n2022年10月20日"
    last = doc.paragraphs[-1]
    assert last.text == "抄送：重庆建工集团股份有限公司。"
    borders = last._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:top")) is not None and borders.find(qn("w:bottom")) is not None


def test_the_body_is_three_hao_unless_a_long_reason_needs_a_smaller_size():
    assert choose_size(NOT_RENEWED) == SIZES[0]
    longest = replace(DISMISSED, reason="违反职业道德，评审时未按规定回避，" * (MAX_REASON // 17))
    assert len(longest.reason) <= MAX_REASON
    smaller = choose_size(longest)
    assert smaller.text < SIZES[0].text
    runs = [r for p in read(longest).paragraphs[2:] for r in p.runs]
    assert {r.font.size for r in runs} == {smaller.text}


def test_one_a4_portrait_page_in_song_for_zh_cn():
    doc = read(NOT_RENEWED)
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    rpr = doc.styles["Normal"].element.rPr
    assert rpr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert not any(p.paragraph_format.page_break_before for p in doc.paragraphs)


def test_the_file_is_the_bureaus_and_named_by_decision_and_number():
    props = read(DISMISSED).core_properties
    assert props.author == "重庆市人力资源和社会保障局"
    assert props.title == "关于解聘重庆市工伤预防专家库专家的函"
    assert letter_filename("解聘", "CQGSYF-2017-0001") == "书面函告_解聘_CQGSYF-2017-0001.docx"
