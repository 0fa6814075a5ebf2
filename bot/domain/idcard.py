"""The citizen identity number (GB 11643-1999): validation, derived facts, masking.

Also accepts the Hong Kong, Macau and Taiwan residence permits (810000,
820000, 830000), which use the same number rules. Rules and test numbers are
in shared/reference/id_card_rules.md.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from importlib.resources import files

from bot.domain.parsers import normalize
from bot.texts import validation as msg

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def _load_provinces() -> dict[str, str]:
    text = files("bot.domain").joinpath("data", "id_provinces.csv").read_text(encoding="utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


PROVINCES: dict[str, str] = _load_provinces()
"""§1.2 province-level codes plus 83 (Taiwan residence permit, §2). Only these two
digits are checked: 6-digit address codes stay valid for life after renames."""
_MIN_YEAR = 1900
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―]")


@dataclass(frozen=True)
class IdNumber:
    number: str
    """18 characters, upper-case X; kept as a string everywhere (Excel keeps 15 digits)."""
    birth_date: datetime.date
    gender: str
    """男 or 女, from the parity of the 17th digit."""


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(msg.ID_LENGTH.format(length=len(first17) + 1))
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def _clean(raw: str) -> str:
    return _SEPARATORS.sub("", normalize(raw)).replace("x", "X")


_LOOKS_LIKE_ID = re.compile(r"\d{17}[\dX]|\d{15}")


def contains_id_number(raw: str) -> bool:
    """Whether a message carries something shaped like an ID number (15 or 18 characters),
    whatever field it was typed in: such a message is deleted from the chat."""
    return bool(_LOOKS_LIKE_ID.search(_clean(raw)))


def _first_bad_char(number: str) -> str | None:
    for ch in number:
        if not ("0" <= ch <= "9" or ch == "X"):
            return ch
    return None


def parse_id_number(raw: str, today: datetime.date) -> IdNumber:
    """Validates a typed ID number; the message names the first rule it breaks."""
    number = _clean(raw)
    if not number:
        raise ValueError(msg.ID_EMPTY)
    bad = _first_bad_char(number)
    if bad is not None:
        raise ValueError(msg.ID_CHARS.format(char=bad))
    if len(number) == 15 and number.isdigit():
        raise ValueError(msg.ID_OLD_FORMAT)
    if len(number) != 18:
        raise ValueError(msg.ID_LENGTH.format(length=len(number)))
    if "X" in number[:17]:
        raise ValueError(msg.ID_X_POSITION)
    if number[0] == "9" and number[1:3] in PROVINCES:
        raise ValueError(msg.ID_FOREIGNER)
    if number[:2] not in PROVINCES:
        raise ValueError(msg.ID_PROVINCE.format(code=number[:2]))

    digits = number[6:14]
    shown = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    try:
        birth_date = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValueError(msg.ID_BAD_DATE.format(date=shown)) from None
    if birth_date.year < _MIN_YEAR:
        raise ValueError(msg.ID_BEFORE_1900.format(date=shown))
    if birth_date > today:
        raise ValueError(msg.ID_FUTURE_DATE.format(date=shown))

    if check_character(number[:17]) != number[17]:
        raise ValueError(msg.ID_CHECKSUM)
    gender = "男" if int(number[16]) % 2 else "女"
    return IdNumber(number=number, birth_date=birth_date, gender=gender)


def mask_id_number(number: str) -> str:
    """First 3 and last 4 characters, the rest starred; same length as the input.

    Hides the birth date and the county, which together with the name narrow
    a person down most.
    """
    keep_head, keep_tail = 3, 4
    if len(number) <= keep_head + keep_tail:
        return "*" * len(number)
    return number[:keep_head] + "*" * (len(number) - keep_head - keep_tail) + number[-keep_tail:]


def mask_phone(number: str) -> str:
    """138****1234 for a mobile, 023-****5678 for a fixed line (extension dropped)."""
    if len(number) == 11 and number.isdigit() and number[0] == "1":
        return f"{number[:3]}****{number[-4:]}"
    area, sep, rest = number.partition("-")
    if sep and rest:
        local = rest.split("-", 1)[0]
        return f"{area}-****{local[-4:]}"
    return "*" * max(len(number) - 4, 0) + number[-4:]
