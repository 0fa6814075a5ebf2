"""Shared test data and readers for the export tests."""

import io
import zipfile

from openpyxl import load_workbook

from exports.rows import Annex2Row

INJECTIONS = (
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    " =1",
    "=1+1",
    "\n=cmd|' /C calc'!A0",
    "＝1",
)


def annex2_row(**overrides) -> Annex2Row:
    values = {
        "group": "建筑",
        "name": "张三",
        "gender": "男",
        "id_number": "500103199001019998",
        "unit": "重庆建工集团股份有限公司",
        "position": "安全总监",
        "title": "高级工程师（副高级）",
        "contact": "13800138000",
    }
    return Annex2Row(**(values | overrides))


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def open_sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active
