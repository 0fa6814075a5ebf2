import pytest

from exports.sanitize import clean, is_formula_like, neutralize


@pytest.mark.parametrize(
    "value",
    ["=1", "+1", "-1", "@SUM(1)", "\t1", "\r1", "\n1", "\x00a", "\x1fa", "\x7fa", "\x85a",
     " =1", "\u3000=1", "  +1", " \t@x", "＝1", "＋1", "－1", "＠x"],
)  # fmt: skip
def test_trigger_is_formula_like(value):
    assert is_formula_like(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "张三",
        "13800138000",
        "500103199001019998",
        "高级工程师（副高级）",
        "a=1",
        "1-2",
        "a@b.cn",
        "#N/A",
    ],
)
def test_ordinary_text_is_not_formula_like(value):
    assert not is_formula_like(value)


def test_neutralize_prefixes_an_apostrophe_only_when_triggered():
    assert neutralize("=1+1") == "'=1+1"
    assert neutralize(" -1") == "' -1"
    assert neutralize("张三") == "张三"
    assert neutralize(None) is None


def test_clean_replaces_characters_xml_cannot_carry_and_keeps_tab_and_newlines():
    assert clean("a\x00b\x0bc\x1f") == "a\ufffdb\ufffdc\ufffd"
    assert clean("a\tb\nc\rd") == "a\tb\nc\rd"


def test_the_cleaned_text_is_what_gets_judged():
    assert neutralize("\x01=1") == "\ufffd=1"
    assert neutralize("\x01\t=1") == "\ufffd\t=1"
    assert neutralize("\t\x01") == "'\t\ufffd"
