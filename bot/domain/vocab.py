"""Controlled vocabularies of Annex 1 and the lookups that turn typed text into them.

Owns the districts, ethnic groups, professional groups, discipline categories,
education levels, title levels, health statuses and unit kinds. Lists that
come from a standard or the notice are read from `data/` (copied from
`shared/reference/`); the short ones the notice spells out are literal here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files

from bot.domain.excerpt import excerpt
from bot.domain.parsers import normalize
from bot.texts import validation as msg


def _rows(filename: str) -> list[dict[str, str]]:
    text = files("bot.domain").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _norm(text: str) -> str:
    """The common cleaning (parsers.normalize) without any whitespace, for matching."""
    return normalize(text).replace(" ", "")


def _join(items: Iterable[str]) -> str:
    return "、".join(items)


def parse_choice(text: str, options: Sequence[str]) -> str:
    """Maps a typed answer to one of the button labels.

    Accepts the exact label, or a prefix or substring that fits exactly one
    label, so "本科" finds "大学本科" without making the applicant retype it.
    """
    wanted = _norm(text).casefold()
    keyed = [(_norm(o).casefold(), o) for o in options]
    if wanted:
        for key, option in keyed:
            if key == wanted:
                return option
        for matches in (
            [o for key, o in keyed if key.startswith(wanted)],
            [o for key, o in keyed if wanted in key],
        ):
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise ValueError(
                    msg.CHOICE_AMBIGUOUS.format(text=excerpt(_norm(text)), matches=_join(matches))
                )
    raise ValueError(msg.CHOICE_UNKNOWN.format(options=_join(options)))


# Districts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class District:
    code: str
    """GB/T 2260 code, or SZ01-SZ03 for the special zones, which have none."""
    name: str
    kind: str
    """As in the CSV: district, county, autonomous county, special zone."""


def _load_districts() -> tuple[District, ...]:
    districts = []
    special = 0
    for row in _rows("chongqing_districts.csv"):
        code = row["code"]
        if not code:
            special += 1
            code = f"SZ{special:02d}"
        districts.append(District(code=code, name=row["name"], kind=row["kind"]))
    return tuple(districts)


DISTRICTS: tuple[District, ...] = _load_districts()
_DISTRICT_BY_CODE = {d.code: d for d in DISTRICTS}


def district_by_code(code: str) -> District:
    return _DISTRICT_BY_CODE[code]


def find_districts(query: str) -> list[District]:
    """Districts whose code equals the query or whose name contains it."""
    q = _norm(query)
    if not q:
        return []
    by_code = _DISTRICT_BY_CODE.get(q.upper())
    if by_code is not None:
        return [by_code]
    return [d for d in DISTRICTS if q in d.name]


def resolve_district(code_or_name: str) -> District:
    q = _norm(code_or_name)
    exact = [d for d in DISTRICTS if q.upper() == d.code or q == d.name]
    matches = exact or find_districts(q)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValueError(
            msg.DISTRICT_AMBIGUOUS.format(text=excerpt(q), matches=_join(d.name for d in matches))
        )
    raise ValueError(msg.DISTRICT_NOT_FOUND.format(text=excerpt(q)))


# Ethnic groups (GB/T 3304-1991 plus 97/98) -------------------------------------------------


def _load_ethnic_groups() -> tuple[tuple[str, str], ...]:
    rows = [(r["code"], r["name"]) for r in _rows("ethnic_groups.csv")]
    # form_vocabularies.md §2: 汉族 first, then code order.
    return tuple(sorted(rows, key=lambda r: (r[1] != "汉族", r[0])))


ETHNIC_GROUPS: tuple[tuple[str, str], ...] = _load_ethnic_groups()
COMMON_ETHNIC_GROUPS: tuple[str, ...] = (
    "汉族",
    "土家族",
    "苗族",
    "回族",
    "满族",
    "壮族",
    "蒙古族",
    "藏族",
)
_ETHNIC_ALIASES = {"毛难族": "毛南族", "崩龙族": "德昂族"}


def _ethnic_keys() -> dict[str, str]:
    names = {name: name for _code, name in ETHNIC_GROUPS}
    keys: dict[str, str] = {}
    for alias, name in (*names.items(), *_ETHNIC_ALIASES.items()):
        keys[alias] = name
        if alias.endswith("族"):
            keys[alias[:-1]] = name
    for code, name in ETHNIC_GROUPS:
        keys[code] = name
    return keys


_ETHNIC_BY_KEY = _ethnic_keys()


def parse_ethnicity(text: str) -> str:
    """Canonical name for a name, a name without 族, a GB/T 3304 code or an old name."""
    q = _norm(text)
    if q.isdigit() and len(q) == 1:
        q = "0" + q
    name = _ETHNIC_BY_KEY.get(q)
    if name is not None:
        return name
    suggestions = search_ethnic_groups(q)
    if suggestions:
        raise ValueError(msg.ETHNICITY_SUGGEST.format(text=excerpt(q), matches=_join(suggestions[:8])))
    raise ValueError(msg.ETHNICITY_NOT_FOUND.format(text=excerpt(q)))


def search_ethnic_groups(text: str) -> list[str]:
    """Names containing the text (old names included), in display order."""
    q = _norm(text).removesuffix("族")
    if not q:
        return []
    found = {name for key, name in _ETHNIC_BY_KEY.items() if not key.isdigit() and q in key}
    return [name for _code, name in ETHNIC_GROUPS if name in found]


# Notice lists ------------------------------------------------------------------------

PROFESSIONAL_GROUPS: tuple[str, ...] = (
    "矿山",
    "危化",
    "建筑",
    "交通",
    "工贸",
    "消防",
    "职业卫生",
    "心理健康",
    "财务管理",
    "劳动保障",
    "综合管理",
)

DISCIPLINES: tuple[str, ...] = (
    "物理学类",
    "化学类",
    "机械类",
    "能源动力类",
    "电气类",
    "电子信息类",
    "自动化类",
    "医学类",
    "心理学类",
    "法律类",
    "土木类",
    "水利类",
    "化工与制药类",
    "矿业类",
    "交通运输类",
    "建筑类",
    "安全科学与工程类",
    "物流管理与工程类",
)
OTHER_DISCIPLINE = "其他"

TYPICAL_MAJORS: dict[str, str] = {r["major"]: r["category"] for r in _rows("disciplines.csv")}
"""Typical undergraduate major -> discipline category (form_vocabularies.md §7)."""

# Ordered: the first keyword found wins, so narrower words come before wider ones
# (化工 before 化学, 建筑工程 before 建筑, 机械/电气 before 自动化, 职业卫生 before 医).
# None stops the search: these look like a listed category but belong to another one.
_DISCIPLINE_KEYWORDS: tuple[tuple[str, str | None], ...] = (
    ("兽医", None),
    ("生物医学工程", None),
    ("信息安全", None),
    ("网络安全", None),
    ("职业卫生", "安全科学与工程类"),
    ("安全工程", "安全科学与工程类"),
    ("安全科学", "安全科学与工程类"),
    ("安全技术", "安全科学与工程类"),
    ("安全管理", "安全科学与工程类"),
    ("应急", "安全科学与工程类"),
    ("医", "医学类"),
    ("护理", "医学类"),
    ("药学", "医学类"),
    ("公共卫生", "医学类"),
    ("法学", "法律类"),
    ("法律", "法律类"),
    ("心理", "心理学类"),
    ("物流", "物流管理与工程类"),
    ("供应链", "物流管理与工程类"),
    ("化工", "化工与制药类"),
    ("化学工程", "化工与制药类"),
    ("制药", "化工与制药类"),
    ("化学", "化学类"),
    ("物理", "物理学类"),
    ("采矿", "矿业类"),
    ("矿", "矿业类"),
    ("石油", "矿业类"),
    ("油气", "矿业类"),
    ("水利", "水利类"),
    ("水文", "水利类"),
    ("水电", "水利类"),
    ("建筑工程", "土木类"),
    ("土木", "土木类"),
    ("岩土", "土木类"),
    ("结构工程", "土木类"),
    ("桥梁", "土木类"),
    ("隧道", "土木类"),
    ("给排水", "土木类"),
    ("建筑", "建筑类"),
    ("城乡规划", "建筑类"),
    ("城市规划", "建筑类"),
    ("交通", "交通运输类"),
    ("运输", "交通运输类"),
    ("机械", "机械类"),
    ("车辆", "机械类"),
    ("机电", "机械类"),
    ("电气", "电气类"),
    ("电力", "电气类"),
    ("自动化", "自动化类"),
    ("控制", "自动化类"),
    ("电子", "电子信息类"),
    ("通信", "电子信息类"),
    ("能源", "能源动力类"),
    ("动力", "能源动力类"),
    ("热能", "能源动力类"),
)
_QUALIFIERS = re.compile(r"\([^)]*\)|\[[^]]*\]|【[^】]*】")


def guess_discipline(major: str) -> str | None:
    """Suggests the discipline category of a free-text major; None when unsure.

    A guess to offer for confirmation, never a verdict: the applicant picks
    the category, and majors outside the 18 are flagged, not refused.
    """
    text = _QUALIFIERS.sub("", _norm(major)).removesuffix("专业")
    if not text:
        return None
    if text in TYPICAL_MAJORS:
        return TYPICAL_MAJORS[text]
    for category in DISCIPLINES:
        if text in (category, category.removesuffix("类")):
            return category
    # Short typical majors (化学, 药学) are too generic to match inside longer names.
    contained = [m for m in TYPICAL_MAJORS if len(m) >= 4 and m in text]
    if contained:
        return TYPICAL_MAJORS[max(contained, key=len)]
    for keyword, category in _DISCIPLINE_KEYWORDS:
        if keyword in text:
            return category
    return None


# Education (GB/T 4658-2006, the short list of form_vocabularies.md §3) ------------------

EDUCATION_LEVELS: tuple[tuple[str, str], ...] = (
    ("11", "博士研究生"),
    ("14", "硕士研究生"),
    ("21", "大学本科"),
    ("31", "大学专科"),
    ("41", "中专/中技"),
    ("61", "高中"),
    ("71", "初中及以下"),
    ("90", "其他"),
)

# Titles (form_vocabularies.md §5) ---------------------------------------------------

TITLE_LEVELS: tuple[str, ...] = ("正高级", "副高级", "中级", "初级", "无")
_TITLE_LEVEL_BY_NAME: dict[str, str] = {r["title"]: r["level"] for r in _rows("titles.csv")}


def title_level_of(title_name: str) -> str | None:
    """Level of a title name from the §5 table; None when the name is not in it.

    A 职业资格 such as 注册安全工程师 is not a 职称 (§5), so it gets no level.
    """
    text = _QUALIFIERS.sub("", _norm(title_name))
    if text in TITLE_LEVELS:
        return text
    if text in _TITLE_LEVEL_BY_NAME:
        return _TITLE_LEVEL_BY_NAME[text]
    if "注册" in text or "资格" in text:
        return None
    # A specialty in front of the title, as in 电气高级工程师: the longest known suffix decides.
    suffixes = [t for t in _TITLE_LEVEL_BY_NAME if text.endswith(t)]
    return _TITLE_LEVEL_BY_NAME[max(suffixes, key=len)] if suffixes else None


# Health (GB/T 2261.3-2003, minimised) ------------------------------------------------

# Health data is sensitive personal information (PIPL Art. 28), so following
# form_vocabularies.md §8 only the two upper GB/T 2261.3 levels are offered and
# everything else is 其他: no 有慢性病/残疾, never a diagnosis. Level 1 is offered
# as the everyday form's two words, 健康 and 良好, so that Annex 1 prints what
# the person chose rather than the code table's 健康或良好.
HEALTH_STATUSES: tuple[str, ...] = ("健康", "良好", "一般或较弱", "其他")

# Units ------------------------------------------------------------------------------

UNIT_KINDS: tuple[str, ...] = (
    "高等院校",
    "科研机构",
    "医疗卫生机构",
    "行政机关",
    "事业单位",
    "企业",
    "行业协会",
)
STRICT_TITLE_UNIT_KINDS: frozenset[str] = frozenset({"高等院校", "科研机构"})
"""Where the notice asks for 正高级 instead of 副高级 (section 二 (三))."""
