"""Vocabulary invariants and the lookups from typed text to canonical values."""

import csv
from pathlib import Path

import pytest

from bot.domain import vocab
from bot.domain.vocab import (
    COMMON_ETHNIC_GROUPS,
    DISCIPLINES,
    DISTRICTS,
    ETHNIC_GROUPS,
    OTHER_DISCIPLINE,
    PROFESSIONAL_GROUPS,
    STRICT_TITLE_UNIT_KINDS,
    TITLE_LEVELS,
    TYPICAL_MAJORS,
    UNIT_KINDS,
    District,
    district_by_code,
    find_districts,
    guess_discipline,
    parse_choice,
    parse_ethnicity,
    resolve_district,
    search_ethnic_groups,
    title_level_of,
)

DATA = Path(vocab.__file__).parent / "data"


def test_there_are_38_districts_and_counties_plus_3_special_zones():
    assert len(DISTRICTS) == 41
    assert len({d.code for d in DISTRICTS}) == 41
    assert len({d.name for d in DISTRICTS}) == 41
    special = [d for d in DISTRICTS if d.kind == "special zone"]
    assert [(d.code, d.name) for d in special] == [
        ("SZ01", "两江新区"),
        ("SZ02", "西部科学城重庆高新区"),
        ("SZ03", "万盛经开区"),
    ]
    assert all(len(d.code) == 6 and d.code.startswith("50") for d in DISTRICTS if d not in special)


def test_district_lookups_by_code_and_name():
    assert district_by_code("500103") == District("500103", "渝中区", "district")
    with pytest.raises(KeyError):
        district_by_code("500222")
    assert [d.name for d in find_districts("sz03")] == ["万盛经开区"]
    assert {d.name for d in find_districts("江北")} == {"江北区"}
    assert find_districts("  ") == []
    assert find_districts("北京") == []


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("500112", "渝北区"),
        ("渝北区", "渝北区"),
        ("渝北", "渝北区"),
        ("ＳＺ01", "两江新区"),
        ("高新区", "西部科学城重庆高新区"),
    ],
)
def test_resolve_district_takes_code_name_or_unique_part(query, name):
    assert resolve_district(query).name == name


def test_resolve_district_explains_ambiguous_and_unknown_input():
    with pytest.raises(ValueError, match="江北区、綦江区"):
        resolve_district("江")
    with pytest.raises(ValueError, match="没有找到“北京”对应的区县"):
        resolve_district("北京")


def test_ethnic_groups_are_56_plus_two_extensions_with_han_first():
    assert len(ETHNIC_GROUPS) == 58
    assert ETHNIC_GROUPS[0] == ("01", "汉族")
    codes = [code for code, _name in ETHNIC_GROUPS]
    assert codes[1:] == sorted(codes[1:])
    assert codes[-2:] == ["97", "98"]
    names = {name for _code, name in ETHNIC_GROUPS}
    assert set(COMMON_ETHNIC_GROUPS) <= names
    assert 6 <= len(COMMON_ETHNIC_GROUPS) <= 10


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("汉族", "汉族"),
        ("汉", "汉族"),
        ("土家", "土家族"),
        ("土", "土族"),
        ("15", "土家族"),
        ("1", "汉族"),
        ("毛难族", "毛南族"),
        ("崩龙", "德昂族"),
        (" 苗 族 ", "苗族"),
        ("其他", "其他"),
    ],
)
def test_parse_ethnicity_accepts_names_stems_codes_and_old_names(text, name):
    assert parse_ethnicity(text) == name


def test_parse_ethnicity_suggests_close_names_or_explains():
    with pytest.raises(ValueError, match="鄂温克族、鄂伦春族"):
        parse_ethnicity("鄂")
    with pytest.raises(ValueError, match="没有找到民族“火星族”"):
        parse_ethnicity("火星族")


def test_search_ethnic_groups_keeps_display_order():
    assert search_ethnic_groups("土") == ["土家族", "土族"]
    assert search_ethnic_groups("") == []


def test_professional_groups_are_the_11_of_the_notice():
    assert len(PROFESSIONAL_GROUPS) == 11
    assert PROFESSIONAL_GROUPS[0] == "矿山"
    assert PROFESSIONAL_GROUPS[-1] == "综合管理"


def test_disciplines_are_the_18_of_the_notice_and_match_the_data_file():
    assert len(DISCIPLINES) == 18
    assert OTHER_DISCIPLINE not in DISCIPLINES
    with (DATA / "disciplines.csv").open(encoding="utf-8") as f:
        in_file = list(dict.fromkeys(row["category"] for row in csv.DictReader(f)))
    assert in_file == list(DISCIPLINES)
    assert set(TYPICAL_MAJORS.values()) == set(DISCIPLINES)


@pytest.mark.parametrize(
    ("major", "discipline"),
    [
        ("安全工程", "安全科学与工程类"),
        ("临床医学", "医学类"),
        ("法医学", "医学类"),
        ("中西医结合", "医学类"),
        ("护理", "医学类"),
        ("法学", "法律类"),
        ("法学（经济法方向）", "法律类"),
        ("法律事务", "法律类"),
        ("应用心理学专业", "心理学类"),
        ("化学工程与技术", "化工与制药类"),
        ("化学", "化学类"),
        ("建筑工程技术", "土木类"),
        ("建筑学", "建筑类"),
        ("机械制造与自动化", "机械类"),
        ("电气自动化技术", "电气类"),
        ("矿物加工工程技术", "矿业类"),
        ("交通运输", "交通运输类"),
        ("物流管理", "物流管理与工程类"),
        ("土木", "土木类"),
    ],
)
def test_guess_discipline_matches_typical_majors_then_keywords(major, discipline):
    assert guess_discipline(major) == discipline


@pytest.mark.parametrize(
    "major",
    [
        "会计学",
        "消防工程",
        "劳动与社会保障",
        "计算机科学与技术",
        "兽医",
        "生物医学工程",
        "",
        "其他",
    ],
)
def test_guess_discipline_gives_none_for_majors_outside_the_18(major):
    assert guess_discipline(major) is None


def test_education_levels_are_the_recommended_short_list():
    assert vocab.EDUCATION_LEVELS == (
        ("11", "博士研究生"),
        ("14", "硕士研究生"),
        ("21", "大学本科"),
        ("31", "大学专科"),
        ("41", "中专/中技"),
        ("61", "高中"),
        ("71", "初中及以下"),
        ("90", "其他"),
    )


def test_titles_file_gives_each_title_one_level():
    with (DATA / "titles.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    levels: dict[str, set[str]] = {}
    for row in rows:
        levels.setdefault(row["title"], set()).add(row["level"])
    assert all(len(found) == 1 for found in levels.values())
    assert {row["level"] for row in rows} == set(TITLE_LEVELS) - {"无"}


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("教授", "正高级"),
        ("正高级工程师", "正高级"),
        ("高级工程师", "副高级"),
        ("副主任医师", "副高级"),
        ("高级记者", "正高级"),
        ("主任编辑", "副高级"),
        ("讲师", "中级"),
        ("技术员", "初级"),
        ("高级工程师（安全）", "副高级"),
        ("电气高级工程师", "副高级"),
        ("无", "无"),
    ],
)
def test_title_level_of_reads_the_title_table(title, level):
    assert title_level_of(title) == level


@pytest.mark.parametrize("title", ["注册安全工程师", "一级建造师", "处长", ""])
def test_title_level_of_gives_none_for_qualifications_and_unknown_titles(title):
    assert title_level_of(title) is None


def test_health_statuses_offer_no_disease_or_disability_levels():
    assert vocab.HEALTH_STATUSES[:3] == ("健康", "良好", "一般或较弱")
    assert not {"有慢性病", "残疾"} & set(vocab.HEALTH_STATUSES)


def test_strict_title_unit_kinds_are_universities_and_research_institutes():
    strict = STRICT_TITLE_UNIT_KINDS
    assert strict == {"高等院校", "科研机构"}
    assert strict <= set(UNIT_KINDS)


def test_parse_choice_accepts_exact_prefix_or_unique_substring():
    options = ("博士研究生", "硕士研究生", "大学本科", "大学专科", "其他")
    assert parse_choice(" 大学本科 ", options) == "大学本科"
    assert parse_choice("博士", options) == "博士研究生"
    assert parse_choice("本科", options) == "大学本科"
    assert parse_choice("ＹＥＳ", ("yes", "no")) == "yes"


def test_parse_choice_lists_the_options_when_unsure():
    options = ("博士研究生", "硕士研究生", "大学本科")
    with pytest.raises(ValueError, match="博士研究生、硕士研究生"):
        parse_choice("研究生", options)
    with pytest.raises(ValueError, match="请从以下选项中选择：博士研究生、硕士研究生、大学本科"):
        parse_choice("小学", options)
    with pytest.raises(ValueError, match="请从以下选项中选择"):
        parse_choice("", options)
