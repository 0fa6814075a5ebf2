import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import form as form_schema
from bot.texts import chat
from exports.annex1 import (
    ANNEX1_TITLE,
    BODY_SIZE,
    CELL_PADDING,
    CONTINUED_TITLE,
    MIN_CARRIED,
    PLEDGE,
    RESUME_CONTINUES,
    SPECIALTY_ROWS,
    _paginate,
    annex1_filename,
    render_annex1_docx,
    text_lines,
)
from exports.archive import annex1_archive
from exports.rows import Annex1Form, ResumeEntry

LABELS = [
    "姓 名", "性 别", "民 族", "身份证号", "出生年月", "工作单位", "职 务", "社会兼职", "健康状况",
    "学 历", "职 称", "毕业学校", "所学专业", "主要\n从事\n专业", "熟悉\n专业", "单位地址",
    "移动电话", "家庭地址", "办公电话", "个人邮箱", "紧急电话", "工\n作\n简\n历",
]  # fmt: skip
"""As printed: two-character labels spaced, the vertical ones broken between words."""
PHOTO_COLUMN = 8


@pytest.fixture
def form(jpeg) -> Annex1Form:
    return Annex1Form(
        group="消防",
        name="张三",
        gender="男",
        ethnicity="汉族",
        birth_month="1990-01",
        id_number="500103199001019998",
        photo_jpeg=jpeg,
        unit="重庆建工集团股份有限公司",
        position="安全总监",
        part_time="重庆市安全生产协会理事",
        health="良好",
        education="大学本科",
        title="高级工程师（副高级）",
        school="重庆大学",
        major="安全工程",
        main_specialties=("建筑施工安全", "消防安全"),
        familiar_specialties=("职业卫生",),
        unit_address="重庆市渝中区解放碑1号",
        mobile="13800138000",
        home_address="重庆市江北区观音桥2号",
        office_phone="023-63000000",
        email="zhangsan@example.cn",
        emergency_phone="13900139000",
        resume=(
            ResumeEntry(start="2010-07", end="2015-06", unit="重庆大学", position="助教"),
            ResumeEntry(
                start="2015-07", end="至今", unit="重庆建工集团股份有限公司", position="安全总监"
            ),
        ),
        resume_text="2018年获评重庆市安全生产先进个人。",
        filled_on=date(2022, 9, 20),
    )


def table_texts(doc) -> list[str]:
    return [cell.text for table in doc.tables for row in table.rows for cell in row.cells]


def test_the_form_has_the_notice_title_labels_and_values(form):
    doc = Document(io.BytesIO(render_annex1_docx(form)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert ANNEX1_TITLE in paragraphs
    assert "拟报专业组：消防\t填表时间：2022年9月20日" in paragraphs
    cells = table_texts(doc)
    for label in LABELS:
        assert label in cells
    for value in ("张三", "500103199001019998", "1990年1月", "高级工程师（副高级）", "13800138000",
                  "建筑施工安全", "消防安全", "职业卫生", "1", "4", "zhangsan@example.cn"):  # fmt: skip
        assert value in cells
    resume = next(c for c in cells if "2010-07—2015-06" in c)
    assert "2015-07—至今　重庆建工集团股份有限公司　安全总监" in resume
    assert "先进个人" in resume


def test_pledge_signature_and_unit_opinion_follow_the_table(form):
    doc = Document(io.BytesIO(render_annex1_docx(form)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "本人承诺所填信息真实有效，如有不实，本人承担相应责任。" in text and "本人签名：" in text
    assert any("所在单位意见（盖章）" in c and "（盖章）" in c for c in table_texts(doc))


def test_the_photo_is_an_inline_picture_in_the_merged_photo_box(form):
    doc = Document(io.BytesIO(render_annex1_docx(form)))
    assert len(doc.inline_shapes) == 1
    photo_box = doc.tables[0].cell(0, PHOTO_COLUMN)
    assert photo_box is not None
    assert doc.tables[0].cell(3, PHOTO_COLUMN)._tc is photo_box._tc
    assert photo_box._tc.xpath(".//pic:pic")


def test_without_a_photo_the_box_is_labelled_and_empty(form):
    doc = Document(io.BytesIO(render_annex1_docx(replace(form, photo_jpeg=None))))
    assert len(doc.inline_shapes) == 0
    assert doc.tables[0].cell(0, PHOTO_COLUMN).text == "照片"


def test_a_damaged_photo_leaves_the_box_empty(form):
    doc = Document(io.BytesIO(render_annex1_docx(replace(form, photo_jpeg=b"not a jpeg"))))
    assert doc.tables[0].cell(0, PHOTO_COLUMN).text == "照片"


def test_page_is_a4_portrait_with_an_east_asian_font(form):
    doc = Document(io.BytesIO(render_annex1_docx(form)))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.page_width < section.page_height
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"


def test_optional_rows_appear_only_when_given(form):
    plain = table_texts(Document(io.BytesIO(render_annex1_docx(form))))
    assert "重庆市应急管理专家资格" not in plain
    full = replace(form, emergency_expert="是", relaxation_reason="院士，年龄放宽")
    cells = table_texts(Document(io.BytesIO(render_annex1_docx(full))))
    assert "重庆市应急管理专家资格" in cells and "院士，年龄放宽" in cells


def test_blank_fill_date_leaves_room_to_write_it(form):
    doc = Document(io.BytesIO(render_annex1_docx(replace(form, filled_on=None))))
    assert any("填表时间：　　　　年　　月　　日" in p.text for p in doc.paragraphs)


def test_user_text_is_plain_text_never_a_field(form):
    hostile = replace(form, name='=HYPERLINK("http://x","y")', unit="{ DDEAUTO c:\\cmd }\x01")
    data = render_annex1_docx(hostile)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "fldSimple" not in xml and "instrText" not in xml and "fldChar" not in xml
    cells = table_texts(Document(io.BytesIO(data)))
    assert '=HYPERLINK("http://x","y")' in cells
    assert "{ DDEAUTO c:\\cmd }\ufffd" in cells


def test_file_name_carries_the_application_id_not_the_name():
    assert annex1_filename("张三", 42) == "附件1_推荐表_42.docx"


def test_archive_holds_every_document_under_a_safe_unique_name(form):
    doc = render_annex1_docx(form)
    data = annex1_archive(
        [("附件1_推荐表_1.docx", doc), ("附件1_推荐表_1.docx", doc), ("../../evil.docx", b"x")]
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["附件1_推荐表_1.docx", "附件1_推荐表_1 (2).docx", "evil.docx"]
        assert Document(io.BytesIO(archive.read("附件1_推荐表_1 (2).docx"))).tables


def test_the_printed_pledge_is_the_one_the_applicant_signed_in_chat(form):
    assert PLEDGE == form_schema.PLEDGE
    assert PLEDGE in chat.PLEDGE
    doc = Document(io.BytesIO(render_annex1_docx(form)))
    assert PLEDGE in [p.text for p in doc.paragraphs]


def test_dates_are_printed_without_leading_zeros(form):
    doc = Document(io.BytesIO(render_annex1_docx(replace(form, filled_on=date(2026, 12, 1),
                                                         birth_month="1970-03"))))  # fmt: skip
    assert any(p.text.endswith("填表时间：2026年12月1日") for p in doc.paragraphs)
    assert "1970年3月" in table_texts(doc)


def test_health_prints_what_the_person_chose(form):
    for chosen in ("健康", "良好"):
        cells = table_texts(Document(io.BytesIO(render_annex1_docx(replace(form, health=chosen)))))
        assert chosen in cells and "健康或良好" not in cells


def test_specialty_numbers_stand_in_their_own_narrow_column(form):
    table = Document(io.BytesIO(render_annex1_docx(form))).tables[0]
    for i, row in enumerate(SPECIALTY_ROWS):
        assert table.cell(row, 1).text == str(i + 1)
        assert table.cell(row, 6).text == str(i + 1)
        assert table.cell(row, 1).width < Cm(1)
    assert table.cell(SPECIALTY_ROWS[0], 2).text == "建筑施工安全"
    assert table.cell(SPECIALTY_ROWS[0], 7).text == "职业卫生"


def test_the_id_number_cell_holds_eighteen_digits_of_a_wide_fallback_font(form):
    table = Document(io.BytesIO(render_annex1_docx(form))).tables[0]
    cell = table.cell(1, 1)
    assert cell.text == form.id_number
    digits = 18 * 0.65 * BODY_SIZE  # DejaVu Sans digits are 0.64 em
    assert cell.width - CELL_PADDING > digits
    assert text_lines(form.id_number, cell.width) == 1


def test_document_properties_are_the_bureaus_and_the_export_time(form):
    now = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    props = Document(io.BytesIO(render_annex1_docx(form, now=now))).core_properties
    assert props.author == props.last_modified_by == "重庆市人力资源和社会保障局"
    assert props.title == ANNEX1_TITLE
    # Stored as UTC; python-docx 1.1 reads it back naive, 1.2 with the zone.
    stamps = {d if d.tzinfo else d.replace(tzinfo=UTC) for d in (props.created, props.modified)}
    assert stamps == {now}
    assert props.comments == ""


def test_a_short_form_keeps_everything_on_one_page(form):
    doc = Document(io.BytesIO(render_annex1_docx(form)))
    assert len(doc.tables) == 2  # the form and the unit's box
    assert not any(p.paragraph_format.page_break_before for p in doc.paragraphs)


def long_form(form: Annex1Form) -> Annex1Form:
    entries = tuple(
        ResumeEntry(start=f"{1990 + 3 * n}-07", end=f"{1993 + 3 * n}-06",
                    unit="重庆市安全生产科学研究院职业安全健康研究中心", position="高级工程师")
        for n in range(10)
    )  # fmt: skip
    return replace(form, resume=entries, resume_text="", position="职" * 60)


def test_a_long_resume_continues_on_a_second_page_with_the_name_and_the_signature(form):
    doc = Document(io.BytesIO(render_annex1_docx(long_form(form))))
    assert len(doc.tables) == 3  # form, continuation, unit box
    breaks = [p for p in doc.paragraphs if p.paragraph_format.page_break_before]
    assert [p.text for p in breaks] == [CONTINUED_TITLE]
    first, second = (t.cell(len(t.rows) - 1, 1).text for t in doc.tables[:2])
    assert first.endswith(RESUME_CONTINUES)
    assert "1990-07—1993-06" in first and "2017-07—2020-06" in second
    assert second.count("\n") + 1 >= MIN_CARRIED
    header = [c.text for c in doc.tables[1].rows[0].cells]
    assert form.name in header and form.id_number in header
    body = doc.element.body
    order = [child for child in body.iterchildren()]
    continuation = order.index(doc.tables[1]._tbl)
    pledge = next(p for p in doc.paragraphs if p.text == PLEDGE)
    assert order.index(pledge._p) > continuation
    assert order.index(doc.tables[2]._tbl) > order.index(pledge._p)


def test_pledge_and_signature_stay_with_the_unit_box(form):
    doc = Document(io.BytesIO(render_annex1_docx(form)))
    pledge = next(p for p in doc.paragraphs if p.text == PLEDGE)
    signature = next(p for p in doc.paragraphs if p.text.startswith("本人签名"))
    assert pledge.paragraph_format.keep_with_next and signature.paragraph_format.keep_with_next
    assert doc.tables[-1].rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_a_resume_longer_than_two_pages_goes_on_and_the_last_page_keeps_the_stamp(form):
    longest = ResumeEntry(start="2001-01", end="2002-02", unit="单" * 60, position="职" * 30)
    doc = Document(io.BytesIO(render_annex1_docx(replace(long_form(form), resume=(longest,) * 15))))
    titles = [p.text for p in doc.paragraphs if p.paragraph_format.page_break_before]
    assert titles == [CONTINUED_TITLE] * (len(doc.tables) - 2)
    assert len(titles) >= 2
    resumes = [t.cell(len(t.rows) - 1, 1).text for t in doc.tables[:-1]]
    assert all(r.endswith(RESUME_CONTINUES) for r in resumes[:-1])
    assert resumes[-1].count("2001-01") >= MIN_CARRIED
    assert sum(r.count("2001-01") for r in resumes) == 15


def test_a_relaxation_reason_that_does_not_fit_opens_the_second_page(form):
    reason = "理" * 500
    doc = Document(io.BytesIO(render_annex1_docx(replace(long_form(form), relaxation_reason=reason))))
    first, second = ([c.text for row in t.rows for c in row.cells] for t in doc.tables[:2])
    assert "申请放宽条件说明" not in first
    assert "申请放宽条件说明" in second and reason in second


@settings(database=None, max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=45), max_size=20),
    st.lists(st.integers(min_value=1, max_value=20), max_size=2),
    st.integers(min_value=10, max_value=30),
)
def test_pages_keep_every_entry_in_order_and_the_stamp_with_the_last_ones(lines, extra, rows_cm):
    blocks = ["\n".join([f"{i}"] * n) for i, n in enumerate(lines)]
    pages = _paginate(
        blocks,
        rows_height=Cm(rows_cm),
        extra_heights=[Cm(n) for n in extra],
        header_height=Cm(0.8),
    )
    assert [b for page in pages for b in page.blocks] == blocks
    assert [p.extra_end for p in pages] == sorted(p.extra_end for p in pages)
    assert pages[-1].extra_end == len(extra)
    if len(pages) > 1 and blocks:
        assert pages[-1].blocks  # the stamp box is never without résumé entries
        assert all(page.blocks for page in pages[1:])
    assert len(pages) <= max(2, len(blocks) + 1)
    assert all(p.resume_height == Cm(0.8) for p in pages[:-1])


def test_rows_never_split_and_say_so_in_schema_order(form):
    doc = Document(io.BytesIO(render_annex1_docx(long_form(form))))
    for table in doc.tables:
        for row in table.rows:
            tags = [child.tag for child in row._tr.trPr]
            assert tags[:2] == [qn("w:cantSplit"), qn("w:trHeight")]
