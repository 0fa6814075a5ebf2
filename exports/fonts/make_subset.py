"""Makes exports/fonts/ExpertbotSansSC-Regular.otf, the charts' font, from Noto Sans CJK SC.

    python exports/fonts/make_subset.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

The source is the Simplified Chinese face of Noto Sans CJK 2.004 (SIL OFL 1.1),
as Debian's fonts-noto-cjk ships it. The subset keeps every character of
GB 2312 (6,763 hanzi and its symbols), printable ASCII, the punctuation charts
use, and every character of the project's vocabularies (bot/domain/data),
texts (bot/texts) and the charts' words (exports/chart_texts.py), so a new
district or status name is covered when the subset is made again. The source's timestamp is kept, so the same source
makes the same bytes. Hinting is dropped (matplotlib hints with FreeType's
autohinter). The family is renamed so that no installed Noto font can stand
in for it. Run again after a vocabulary gains a character outside GB 2312;
tests/exports/test_charts.py says which.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(__file__).with_name("ExpertbotSansSC-Regular.otf")
FAMILY = "Expertbot Sans SC"
POSTSCRIPT = "ExpertbotSansSC-Regular"
SOURCE_FACE = "NotoSansCJKsc-Regular"


def gb2312() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def project_characters() -> set[str]:
    chars: set[str] = set()
    for folder, pattern in (
        (ROOT / "bot/domain/data", "*.csv"),
        (ROOT / "bot/texts", "*.py"),
        (ROOT / "exports", "chart_texts.py"),
    ):
        for path in folder.glob(pattern):
            chars |= {c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F}
    return chars


def wanted() -> set[str]:
    ascii_ = {chr(c) for c in range(0x20, 0x7F)}
    extra = set("·–—‘’“”…‰※℃−×÷≤≥、。〈〉《》「」『』【】〔〕（）：；，！？％＋－／")
    return gb2312() | ascii_ | extra | project_characters()


def source_face(path: str) -> TTFont:
    if path.endswith((".ttc", ".otc")):
        for font in TTCollection(path, recalcTimestamp=False).fonts:
            if font["name"].getDebugName(6) == SOURCE_FACE:
                return font
        raise SystemExit(f"{path} has no {SOURCE_FACE} face")
    return TTFont(path, recalcTimestamp=False)


def main(source: str) -> None:
    font = source_face(source)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(wanted())))
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 6):
            names.setName(
                POSTSCRIPT, record.nameID, record.platformID, record.platEncID, record.langID
            )
        elif record.nameID == 4:
            names.setName(
                f"{FAMILY} Regular", 4, record.platformID, record.platEncID, record.langID
            )
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT]
    font.save(TARGET)


if __name__ == "__main__":
    main(sys.argv[1])
