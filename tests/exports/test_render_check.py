"""The render check's own logic on hand-made `pdftotext -bbox` output; no soffice needed."""

from __future__ import annotations

from benchmarks.render import LONG_POSITION, Box, group_lines, long_form, overlaps, parse_bbox

BBOX = """<!DOCTYPE html><html><body><doc>
  <page width="841.89" height="595.30">
    <word xMin="10.0" yMin="100.0" xMax="40.0" yMax="111.0">安全与</word>
    <word xMin="42.0" yMin="100.0" xMax="80.0" yMax="111.0">应急管理</word>
    <word xMin="10.0" yMin="106.0" xMax="50.0" yMax="117.0">总工程师</word>
    <word xMin="200.0" yMin="106.0" xMax="260.0" yMax="117.0">13900000001</word>
    <word xMin="10.0" yMin="130.0" xMax="50.0" yMax="141.0">A&amp;B</word>
  </page>
  <page width="595.30" height="841.89">
  </page>
</doc></body></html>"""


def test_bbox_output_becomes_pages_of_word_boxes():
    first, second = parse_bbox(BBOX)
    assert first.landscape and not second.landscape
    assert [w.text for w in first.words][-1] == "A&B"
    assert second.words == ()


def test_words_on_one_baseline_close_together_are_one_line():
    lines = group_lines(parse_bbox(BBOX)[0].words)
    assert "安全与 应急管理" in [line.text for line in lines]
    assert len(lines) == 4  # the merged line, 总工程师, the phone far right, A&B


def test_a_line_printed_over_the_next_one_is_found():
    lines = group_lines(parse_bbox(BBOX)[0].words)
    found = [(a.text, b.text) for a, b in overlaps(lines)]
    assert found == [("安全与 应急管理", "总工程师")]


def test_lines_that_merely_touch_or_sit_side_by_side_do_not_overlap():
    above = Box(10, 100, 80, 111, "上一行")
    below = Box(10, 110.5, 80, 121.5, "下一行")  # glyph boxes touching by half a point
    beside = Box(100, 104, 160, 115, "右边")
    assert overlaps([above, below, beside]) == []


def test_the_long_sample_has_ten_entries_and_a_sixty_character_position():
    form = long_form()
    assert len(form.resume) == 10
    assert form.position == LONG_POSITION and len(LONG_POSITION) == 60
