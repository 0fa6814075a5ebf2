"""The documents as a printer sees them: rendered by LibreOffice, read back from the PDF.

One soffice run converts every document kind (benchmarks.render) for the
whole module. Skipped without soffice and poppler, except in CI (CI=true),
where a missing tool fails the run.
"""

from __future__ import annotations

import os
import re

import pytest

from benchmarks import render

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, render.Report]:
    missing = render.tools_missing()
    if missing:
        message = f"{', '.join(missing)} not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI installs them in .ci/run)")
        pytest.skip(message)
    pdfs = render.render_all(tmp_path_factory.mktemp("render"))
    return {name: render.check_pdf(name, pdf) for name, pdf in pdfs.items()}


def page_text(page: render.Page) -> str:
    return "".join(word.text for word in page.words)


def test_a_short_form_prints_on_one_portrait_page_with_its_stamp_box(reports):
    (page,) = reports["annex1_short"].pages
    assert not page.landscape
    text = page_text(page)
    assert render.short_form().name in text
    assert "所在单位意见（盖章）" in text and "本人签名" in text


def test_a_long_form_prints_on_two_pages_with_signature_and_stamp_on_the_last(reports):
    first, last = reports["annex1_long"].pages
    form = render.long_form()
    assert "所在单位意见" not in page_text(first) and "本人签名" not in page_text(first)
    text = page_text(last)
    assert "所在单位意见（盖章）" in text and "本人签名" in text
    assert form.name in text and form.id_number in text  # the second page says whose it is
    assert "工作简历" in page_text(first) and "（续）" in text


def test_annex2_with_sixty_rows_prints_on_two_landscape_pages_with_the_header_repeated(reports):
    report = reports["annex2_60"]
    assert len(report.pages) == 2 and report.landscape
    for page in report.pages:
        text = page_text(page)
        assert "身份证号码" in text and "拟报专业组" in text and "联系方式" in text
    names = [row.name for row in render.annex2_rows(60)]
    printed = page_text(report.pages[0]) + page_text(report.pages[1])
    assert all(name in printed for name in names)


def test_the_full_export_prints_landscape(reports):
    assert reports["full"].pages and reports["full"].landscape


@pytest.mark.parametrize("name", sorted(render.EXPECTED))
def test_no_text_line_prints_over_another(reports, name):
    report = reports[name]
    assert report.overlapping == [], report.problems(None)
    assert report.problems(render.EXPECTED[name]) == []


@pytest.mark.parametrize("name", ["publicity_60", "publicity_60_xlsx"])
def test_the_publicity_list_prints_everyone_with_its_header_on_every_page_and_no_numbers(
    reports, name
):
    report = reports[name]
    assert len(report.pages) >= 2 and not report.landscape
    for page in report.pages:
        assert "拟入库专业组" in page_text(page)
    printed = "".join(page_text(p) for p in report.pages)
    assert all(row.name in printed for row in render.publicity_rows(60))
    assert "公示期：2026年12月7日至2026年12月11日" in printed
    words = " ".join(word.text for p in report.pages for word in p.words)
    assert not re.search(r"1[3-9]\d{9}|\d{17}[\dX]", words)
    assert not any(row.id_number in printed for row in render.annex2_rows(60))


@pytest.mark.parametrize("name", ["certificate", "certificate_long"])
def test_a_certificate_prints_on_one_page_with_its_number_and_the_bureau(reports, name):
    (page,) = reports[name].pages
    text = page_text(page)
    assert "CQGSYF-2026-0001" in text and "重庆市人力资源和社会保障局" in text
    assert "2031年12月14日" in text


@pytest.mark.parametrize("name", ["letter_not_renewed", "letter_dismissed"])
def test_a_letter_prints_on_one_page_down_to_the_copy_to_the_unit(reports, name):
    (page,) = reports[name].pages
    text = page_text(page)
    assert "重庆市人力资源和社会保障局" in text and "抄送：" in text and "特此函告。" in text


def test_the_registry_prints_landscape_with_its_header_on_every_page(reports):
    report = reports["registry_60"]
    assert report.landscape
    for page in report.pages:
        assert "证书编号" in page_text(page) and "聘期止" in page_text(page)
