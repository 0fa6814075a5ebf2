"""File names of the exports.

Names carry what the file is, for whom and when, never personal data
(security_checklist §5.3): an application id, not a name or ID number.
"""

from __future__ import annotations

import re
from datetime import date

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def annex2_filename(district: str | None, day: date) -> str:
    """附件2_工伤预防专家聘任推荐汇总表_<district or 全市>_<YYYYMMDD>.xlsx."""
    return f"附件2_工伤预防专家聘任推荐汇总表_{_part(district or '全市')}_{day:%Y%m%d}.xlsx"


def annex1_filename(name: str | None, app_id: int | str) -> str:
    """附件1_推荐表_<app_id>.docx.

    `name` is accepted so callers need not change if policy allows it later,
    and deliberately left out: file names end up in chat logs and download
    folders, where an applicant's name does not belong.
    """
    del name
    return f"附件1_推荐表_{_part(str(app_id))}.docx"


def full_export_filename(day: date) -> str:
    """工伤预防专家申报信息_全量导出_<YYYYMMDD>.xlsx."""
    return f"工伤预防专家申报信息_全量导出_{day:%Y%m%d}.xlsx"


def _part(text: str) -> str:
    """A path-safe piece of a file name: no separators, no reserved characters."""
    return _UNSAFE.sub("_", text).strip("._") or "_"


def publicity_filename(start: date, extension: str) -> str:
    """重庆市工伤预防专家库拟入库专家名单公示_<YYYYMMDD of the window's start>.<extension>."""
    return f"重庆市工伤预防专家库拟入库专家名单公示_{start:%Y%m%d}.{extension}"


def certificate_filename(number: str) -> str:
    """聘书_<certificate number>.docx: the number, never the name."""
    return f"聘书_{_part(number)}.docx"


def registry_filename(day: date) -> str:
    """重庆市工伤预防专家库入库专家名册_<YYYYMMDD>.xlsx."""
    return f"重庆市工伤预防专家库入库专家名册_{day:%Y%m%d}.xlsx"


def letter_filename(decision: str, number: str) -> str:
    """书面函告_<不予续聘 or 解聘>_<certificate number>.docx."""
    return f"书面函告_{_part(decision)}_{_part(number)}.docx"
