"""Parsers for typed answers: text in, clean value out, or ValueError with a message.

Every parser is a `Callable[[str], T]`; the message of the ValueError is shown
to the applicant as is (bot/texts/validation.py). Formats follow
shared/reference/form_vocabularies.md; normalisation follows
security_checklist.md §3 (NFKC, then no control or format characters).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.excerpt import excerpt
from bot.texts import review as review_msg
from bot.texts import validation as msg

# Length caps, sized to the boxes of the paper form (Annex 1).
MIN_NAME = 2
MAX_NAME = 30
MAX_UNIT_NAME = 60
MAX_POSITION = 30
MAX_PART_TIME = 100
MAX_TITLE = 30
MAX_SCHOOL = 40
MAX_MAJOR = 30
MAX_SPECIALTY = 20
MAX_SPECIALTIES = 4
MAX_ADDRESS = 60
MAX_EMAIL = 254
MAX_RESUME_ENTRIES = 15
MAX_RESUME_UNIT = 60
MAX_RESUME_POSITION = 30
MAX_RELAXATION_REASON = 500

TIMEZONE = ZoneInfo("Asia/Shanghai")

_LINE_BREAKS = {"\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"}
_NOT_TEXT = frozenset({"Cc", "Cf", "Cs"})


_CJK_PUNCTUATION = re.compile("([，：；（）！？…])")
"""The full-width marks Chinese prose is written in. NFKC makes them ASCII: a position of
安全处处长（兼） would be stored, reviewed and printed on Annex 1 as 安全处处长(兼)."""


def normalize(text: str, keep_newlines: bool = False, *, keep_cjk_punctuation: bool = False) -> str:
    """NFKC, no control or format characters, single spaces, stripped: the one cleaning of typed text.

    Tabs and line breaks become spaces unless `keep_newlines`, in which case
    lines are kept (each stripped) and runs of blank lines shrink to one.
    Removed: controls (NUL, ESC, DEL …), format characters (zero-width
    spaces and joiners, BOM, bidi overrides such as U+202E) and lone
    surrogates, which no UTF-8 database or Telegram message can carry.
    `keep_cjk_punctuation`: ，：；（）！？… stay as typed (free text that is
    kept); full-width letters and digits still become ASCII.
    """
    if keep_cjk_punctuation:
        parts = _CJK_PUNCTUATION.split(text)
        parts[::2] = [unicodedata.normalize("NFKC", part) for part in parts[::2]]
        text = "".join(parts)
    else:
        text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n")
    chars = []
    for ch in text:
        if ch in _LINE_BREAKS:
            chars.append("\n" if keep_newlines else " ")
        elif ch == "\t" or ch.isspace():
            chars.append(" ")
        elif unicodedata.category(ch) not in _NOT_TEXT:
            chars.append(ch)
    lines = [re.sub(" +", " ", line).strip() for line in "".join(chars).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def same_text(a: str, b: str) -> bool:
    """Equal once normalized: 重庆大学（虎溪校区） and 重庆大学(虎溪校区) name one unit."""
    return normalize(a) == normalize(b)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Free text as it is kept: `normalize` with Chinese punctuation as typed, refusing text that
    is empty once cleaned, with a message saying why."""
    cleaned = normalize(text, keep_newlines=multiline, keep_cjk_punctuation=True)
    if not cleaned:
        raise ValueError(msg.EMPTY if not text.strip() else msg.EMPTY_AFTER_CLEANING)
    return cleaned


def _check_length(text: str, max_len: int, min_len: int) -> str:
    if not text:
        raise ValueError(msg.EMPTY)
    if len(text) < min_len:
        raise ValueError(msg.TOO_SHORT.format(min_len=min_len, length=len(text)))
    if len(text) > max_len:
        raise ValueError(msg.TOO_LONG.format(max_len=max_len, length=len(text)))
    return text


def text_parser(max_len: int, min_len: int = 1) -> Callable[[str], str]:
    """A single-line text field of bounded length."""

    def parse(text: str) -> str:
        return _check_length(clean_text(text), max_len, min_len)

    return parse


parse_unit_name = text_parser(MAX_UNIT_NAME, min_len=2)
"""A unit's full name, typed by an applicant or by a district reviewer creating the unit."""


def long_text_parser(max_len: int, min_len: int = 1) -> Callable[[str], str]:
    """A multi-line text field of bounded length; line breaks are kept."""

    def parse(text: str) -> str:
        return _check_length(clean_text(text, multiline=True), max_len, min_len)

    return parse


_LIST_SEPARATORS = re.compile(r"[\n,;、，；]")
_LIST_NUMBERS = re.compile(
    r"(?:(?:^|(?<=[\s,;、，；]))\d{1,2}\s*[.．、)）]|[(（]\d{1,2}[)）])\s*(?=\D)"
)
"""1. 矿山安全 / (2) 职业卫生 / 3、应急管理: the number of an entry, which separates entries too."""


def parse_specialties(text: str, max_items: int = MAX_SPECIALTIES) -> list[str]:
    """One or more specialties in one message: one per line or separated by 、，；(numbered
    or not); each at most MAX_SPECIALTY characters, at most `max_items` of them, repeats once."""
    cleaned = normalize(text, keep_newlines=True, keep_cjk_punctuation=True)
    items: list[str] = []
    for item in _LIST_SEPARATORS.split(_LIST_NUMBERS.sub("\n", cleaned)):
        item = item.strip().rstrip("。.")
        if item and item not in items:
            items.append(item)
    if not items:
        raise ValueError(msg.EMPTY_AFTER_CLEANING if text.strip() and not cleaned else msg.EMPTY)
    if len(items) > max_items:
        raise ValueError(msg.SPECIALTIES_TOO_MANY.format(max_items=max_items, count=len(items)))
    for item in items:
        if len(item) > MAX_SPECIALTY:
            if len(items) == 1:
                raise ValueError(msg.TOO_LONG.format(max_len=MAX_SPECIALTY, length=len(item)))
            raise ValueError(
                msg.SPECIALTY_TOO_LONG.format(
                    item=excerpt(item), max_len=MAX_SPECIALTY, length=len(item)
                )
            )
    return items


# Names --------------------------------------------------------------------------------

_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "⋅": "·", "●": "·"})
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


def _name_char_ok(ch: str) -> bool:
    return bool(_CJK.fullmatch(ch) or _LATIN.fullmatch(ch)) or ch in " ·-'"


def parse_name(text: str) -> str:
    """A person's name: Chinese (阿卜杜·热合曼) or Latin letters for minority and foreign names."""
    name = normalize(text).translate(_MIDDLE_DOTS)
    if _CJK.search(name):
        # IMEs often give a full stop for the middle dot between the parts of a name.
        name = re.sub(r"\s*[.。]\s*", "·", name)
        name = re.sub(r"\s*·\s*", "·", name)
        name = re.sub(rf"(?<={_CJK.pattern})\s+(?={_CJK.pattern})", "", name)
    if not name:
        raise ValueError(msg.NAME_EMPTY)
    if any(ch.isdigit() for ch in name):
        raise ValueError(msg.NAME_DIGITS)
    bad = next((ch for ch in name if not _name_char_ok(ch)), None)
    if bad is not None:
        raise ValueError(msg.NAME_CHARS.format(char=bad))
    if name[0] in "·-'" or name[-1] in "·-'" or "··" in name:
        raise ValueError(msg.NAME_DOT_POSITION)
    if len(name) < MIN_NAME:
        raise ValueError(msg.NAME_TOO_SHORT.format(min_len=MIN_NAME, length=len(name)))
    if len(name) > MAX_NAME:
        raise ValueError(msg.NAME_TOO_LONG.format(max_len=MAX_NAME, length=len(name)))
    return name


# Phones and e-mail ----------------------------------------------------------------------

_PHONE_NOISE = re.compile(r"[\s\-()\[\]‐‑‒–—―]")
_TWO_DIGIT_AREAS = frozenset({"010", "020", "021", "022", "023", "024", "025", "027", "028", "029"})
_EXTENSION_WORDS = re.compile(r"(?:转|分机|ext\.?|x|#)", re.IGNORECASE)


def _mobile_digits(text: str) -> str:
    digits = _PHONE_NOISE.sub("", normalize(text))
    if digits.startswith("+86"):
        return digits[3:]
    if digits.startswith("0086") and len(digits) == 15:
        return digits[4:]
    if digits.startswith("86") and len(digits) == 13:
        return digits[2:]
    return digits


def parse_mobile(text: str) -> str:
    """A mainland mobile number as 11 digits (form_vocabularies.md §10)."""
    digits = _mobile_digits(text)
    if not digits:
        raise ValueError(msg.MOBILE_EMPTY)
    if digits.startswith("+"):
        raise ValueError(msg.MOBILE_FOREIGN)
    bad = next((ch for ch in digits if not ("0" <= ch <= "9")), None)
    if bad is not None:
        raise ValueError(msg.MOBILE_CHARS.format(char=bad))
    if len(digits) != 11:
        raise ValueError(msg.MOBILE_LENGTH.format(length=len(digits)))
    if not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise ValueError(msg.MOBILE_PREFIX)
    if digits[:3] in {"140", "141", "142", "143", "144"}:
        raise ValueError(msg.MOBILE_IOT)
    return digits


def parse_landline(text: str) -> str:
    """A fixed line as 023-XXXXXXXX[-ext] (§11); a bare 7-8 digit number is taken as 023."""
    raw = _EXTENSION_WORDS.sub("-", normalize(text))
    raw = re.sub(r"[\s()\[\]]", "", raw).replace("—", "-").replace("–", "-")
    if not raw:
        raise ValueError(msg.LANDLINE_EMPTY)
    if raw.startswith("+86"):
        raw = "0" + raw[3:].lstrip("-")
    elif raw.startswith("0086"):
        raw = "0" + raw[4:].lstrip("-")
    parts = [p for p in raw.split("-") if p]
    if not parts or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(msg.LANDLINE_FORMAT)
    if not parts[0].startswith("0"):
        parts.insert(0, "023")
    elif len(parts) == 1 or (len(parts) == 2 and len(parts[0]) > 4):
        head = parts[0]
        area_len = 3 if head[:3] in _TWO_DIGIT_AREAS else 4
        parts[:1] = [head[:area_len], head[area_len:]]
    if len(parts) > 3:
        raise ValueError(msg.LANDLINE_FORMAT)
    area, local, *ext = parts
    if not re.fullmatch(r"0\d{2,3}", area) or not re.fullmatch(r"\d{7,8}", local):
        raise ValueError(msg.LANDLINE_FORMAT)
    if ext and not re.fullmatch(r"\d{1,6}", ext[0]):
        raise ValueError(msg.LANDLINE_FORMAT)
    return "-".join([area, local, *ext])


def parse_phone(text: str) -> str:
    """A mobile or a fixed line, for 办公电话 and 紧急电话."""
    digits = _mobile_digits(text)
    if digits.startswith("1"):
        return parse_mobile(text)
    try:
        return parse_landline(text)
    except ValueError:
        raise ValueError(msg.PHONE_FORMAT) from None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_email(text: str) -> str:
    """An e-mail address with a lower-cased domain (§12); no DNS lookups."""
    address = normalize(text).replace("。", ".")
    if not address:
        raise ValueError(msg.EMAIL_EMPTY)
    if address.count("@") != 1:
        raise ValueError(msg.EMAIL_NO_AT)
    if len(address) > MAX_EMAIL:
        raise ValueError(msg.EMAIL_TOO_LONG.format(max_len=MAX_EMAIL, length=len(address)))
    local, _, domain = address.partition("@")
    domain = domain.lower()
    if (
        not _EMAIL.fullmatch(address)
        or domain.startswith(".")
        or domain.endswith(".")
        or ".." in domain
    ):
        raise ValueError(msg.EMAIL_FORMAT.format(text=excerpt(address)))
    return f"{local}@{domain}"


# Dates ------------------------------------------------------------------------------

_YM = r"\d{4}(?:\s*[.\-/年]\s*\d{1,2}\s*月?|\d{2})"
_YM_PARTS = re.compile(r"(\d{4})(?:\s*[.\-/年]\s*(\d{1,2})\s*月?|(\d{2}))\.?")
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def parse_year_month(text: str) -> str:
    """A month as YYYY-MM, from 2010.7, 2010-07, 2010/07, 2010年7月 or 201007."""
    value = normalize(text)
    m = _YM_PARTS.fullmatch(value)
    if m is None:
        raise ValueError(msg.YEAR_MONTH_FORMAT.format(text=excerpt(value)))
    year, month = int(m[1]), int(m[2] or m[3])
    if not 1 <= month <= 12:
        raise ValueError(msg.YEAR_MONTH_MONTH.format(text=excerpt(value)))
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(
            msg.YEAR_MONTH_YEAR.format(text=excerpt(value), min_year=_MIN_YEAR, max_year=_MAX_YEAR)
        )
    return f"{year:04d}-{month:02d}"


PRESENT = "至今"
_RESUME_LINE = re.compile(
    rf"(?P<start>{_YM})\s*(?:(?:[-~—–]+|至|到)\s*)?(?P<end>{_YM}|至今|今|现在|目前)\s*[.,;、:，；：]?\s*(?P<rest>.*)"
)
_BULLET = re.compile(r"^(?:[(（]?\d{1,2}[.、)）]|[•·*])\s*(?=\d{4})")
_RANGE_AHEAD = rf"(?:{_YM})\s*(?:[-~—–]+|至|到)\s*(?:\d{{4}}|至今|今|现在|目前)"
_NEXT_ENTRY = re.compile(
    rf"(?<=[\s,;，；、。])(?=(?:\d{{1,2}}[.、)）]\s*)?{_RANGE_AHEAD})|(?=[(（]\d{{1,2}}[)）]\s*{_RANGE_AHEAD})"
)
"""Where a second entry starts on the same line: 2005.07-2012.06 重庆大学 讲师 2012.07-至今 …,
typed where Enter sends the message, or run together to save lines."""
_BETWEEN_ENTRIES = " ,;，；、。"
_ENUMERATOR = re.compile(r"[(（]?\d{0,2}[.、)）]?")
"""What is left between two entries on one line: separators, or the number of the next."""
_RESUME_SPLIT = re.compile(r"[\s,;，；]+")
"""Words of a résumé line. 、 is not among them: it joins items of one list,
as in 教授、副院长, and only separates unit from position when nothing else does."""


def parse_resume(text: str) -> list[dict[str, str]]:
    """Work history, one entry per line: "2010.07-2015.06 重庆大学 讲师".

    Entries typed on one line (after a space or a separator) are taken apart.
    The last word of a line is the position and the words before it the unit;
    a line with one word is a unit without a position. Words are separated
    by spaces, commas or semicolons; 、 stays inside a word (教授、副院长) unless
    the line has no other separator (某公司、工程师). Entries keep the order
    in which they were typed.
    """
    lines = normalize(text, keep_newlines=True, keep_cjk_punctuation=True).split("\n")
    numbered = [
        (i, entry.strip(_BETWEEN_ENTRIES))
        for i, line in enumerate(lines, start=1)
        for entry in _NEXT_ENTRY.split(line)
        if not _ENUMERATOR.fullmatch(entry.strip(_BETWEEN_ENTRIES))
    ]
    if not numbered:
        raise ValueError(msg.RESUME_EMPTY)
    if len(numbered) > MAX_RESUME_ENTRIES:
        raise ValueError(
            msg.RESUME_TOO_MANY.format(max_entries=MAX_RESUME_ENTRIES, count=len(numbered))
        )
    return [_resume_entry(line_no, line) for line_no, line in numbered]


def _resume_entry(line_no: int, line: str) -> dict[str, str]:
    m = _RESUME_LINE.fullmatch(_BULLET.sub("", line, count=1))
    if m is None:
        shown = line if len(line) <= 30 else line[:29] + "…"
        raise ValueError(msg.RESUME_NO_DATES.format(line_no=line_no, line=shown))
    try:
        start = parse_year_month(m["start"])
        end = PRESENT if m["end"] in {"至今", "今", "现在", "目前"} else parse_year_month(m["end"])
    except ValueError as e:
        raise ValueError(msg.RESUME_BAD_DATE.format(line_no=line_no, message=e)) from None
    if end != PRESENT and start > end:
        raise ValueError(msg.RESUME_ORDER.format(line_no=line_no, start=start, end=end))
    words = [w.strip("、") for w in _RESUME_SPLIT.split(m["rest"]) if w.strip("、")]
    if len(words) == 1 and "、" in words[0]:
        words = words[0].split("、", 1)
    if not words:
        raise ValueError(msg.RESUME_NO_UNIT.format(line_no=line_no))
    unit, position = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (words[0], "")
    if len(unit) > MAX_RESUME_UNIT:
        raise ValueError(
            msg.RESUME_UNIT_TOO_LONG.format(
                line_no=line_no, max_len=MAX_RESUME_UNIT, length=len(unit)
            )
        )
    if len(position) > MAX_RESUME_POSITION:
        raise ValueError(
            msg.RESUME_POSITION_TOO_LONG.format(
                line_no=line_no, max_len=MAX_RESUME_POSITION, length=len(position)
            )
        )
    return {"start": start, "end": end, "unit": unit, "position": position}


def parse_deadline(text: str) -> datetime:
    """A deadline "YYYY-MM-DD HH:MM" in Chongqing time, as an aware datetime."""
    value = normalize(text)
    try:
        naive = datetime.strptime(value, "%Y-%m-%d %H:%M")  # noqa: DTZ007 - zone attached below
    except ValueError:
        raise ValueError(msg.DEADLINE_FORMAT.format(text=excerpt(value))) from None
    return naive.replace(tzinfo=TIMEZONE)


_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_day(text: str) -> date:
    """A calendar day: 2022-10-28, 2022/10/28, 2022.10.28 or 2022年10月28日."""
    value = normalize(text)
    match = _DAY.match(value)
    try:
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(msg.DAY_FORMAT.format(text=excerpt(value))) from None


_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")


_DAYS_AHEAD = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
"""Days named from today, for a day still to come."""
_DAYS_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3}
"""Days named from today, for a day that has happened."""
_WEEKDAY = re.compile(r"^(上|下|本|这)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天])$")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_OF_MONTH = re.compile(r"^(\d{1,2})\s*[日号]$")


def _weekday_near(match: re.Match[str], today: date, past: bool) -> date:
    """周五: the nearest Friday, today or later (`past`: today or earlier); 本周五: this week's;
    下周五 and 上周五: next week's and last week's. A week starts on Monday."""
    monday = today - timedelta(days=today.weekday())
    day = monday + timedelta(days=_WEEKDAYS[match[2]])
    week = {"下": 1, "上": -1}.get(match[1] or "", 0)
    if week or match[1]:
        return day + timedelta(days=7 * week)
    if past:
        return day if day <= today else day - timedelta(days=7)
    return day if day >= today else day + timedelta(days=7)


def parse_day_near(text: str, today: date, *, past: bool = False) -> date:
    """A day as `parse_day` reads it, or a month and day without the year (12月20日, 12-20,
    12月20号): the next such day, today or later; with `past` (a day that has happened, such
    as a meeting's), the latest such day, today or earlier. 29 February: the nearest leap year
    that way. Also a weekday (周五, 星期五, 礼拜五: the nearest that way; 本周五, 下周五,
    上周五: this, next and last week's), a day of the month (20号, 20日: the nearest 20th that
    way), and 今天 with 明天, 后天, 大后天 ahead or 昨天, 前天, 大前天 back."""
    value = normalize(text)
    if (days := (_DAYS_BACK if past else _DAYS_AHEAD).get(value)) is not None:
        return today + timedelta(days=-days if past else days)
    if weekday := _WEEKDAY.match(value):
        return _weekday_near(weekday, today, past)
    if of_month := _DAY_OF_MONTH.match(value):
        return _day_of_month_near(int(of_month[1]), today, text, past)
    match = _MONTH_DAY.match(value)
    if match is None:
        return parse_day(text)
    month, day = int(match[1]), int(match[2])
    step = -1 if past else 1
    for year in range(today.year, today.year + 9 * step, step):
        try:
            found = date(year, month, day)
        except ValueError:
            if not (1 <= month <= 12 and 1 <= day <= 31):
                break  # 13月5日 is no day in any year
            continue
        if (found <= today) if past else (found >= today):
            return found
    return parse_day(text)  # refused with the format the user should type


def parse_day_said(text: str, today: date) -> date:
    """A day that may be past or to come (a publicity window, a term's first day), each shown
    in full on a confirmation before anything is recorded: a date as `parse_day` reads it, one
    named from today (今天, 明天, 昨天, 周五, 下周一), or a month and day (11月1日) or a day of
    the month (20号) without the year or month: the nearest such day, either way."""
    value = normalize(text)
    for named, sign in ((_DAYS_AHEAD, 1), (_DAYS_BACK, -1)):
        if (days := named.get(value)) is not None:
            return today + timedelta(days=sign * days)
    if weekday := _WEEKDAY.match(value):
        return _weekday_near(weekday, today, past=False)
    if _MONTH_DAY.match(value) or _DAY_OF_MONTH.match(value):
        ahead = parse_day_near(text, today)
        back = parse_day_near(text, today, past=True)
        return ahead if ahead - today <= today - back else back
    return parse_day(text)


def _day_of_month_near(day: int, today: date, text: str, past: bool) -> date:
    """The nearest `day` of a month, today or later (`past`: today or earlier); 31号 in a month
    of 30 days: the nearest 31st that way."""
    year, month = today.year, today.month
    for _ in range(13):
        with contextlib.suppress(ValueError):
            found = date(year, month, day)
            if (found <= today) if past else (found >= today):
                return found
        if past:
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        else:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return parse_day(text)  # 32号: refused with the format the user should type


_YES = frozenset({"是", "有", "是的", "对", "yes", "y"})
_NO = frozenset({"否", "无", "没有", "不是", "no", "n"})


def parse_yes_no(text: str) -> bool:
    answer = normalize(text).casefold()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise ValueError(msg.YES_NO)


# Review reasons -----------------------------------------------------------------------

MIN_REASON, MAX_REASON = 2, 500
"""A reason the applicant reads: at least a word, at most what the card and a message hold."""


def parse_reason(text: str | None) -> str:
    """A reviewer's reason for returning or declining: cleaned like every free text, lines kept."""
    try:
        reason = clean_text(text or "", multiline=True)
    except ValueError:
        raise ValueError(review_msg.REASON_EMPTY) from None
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        raise ValueError(
            review_msg.REASON_LENGTH.format(low=MIN_REASON, high=MAX_REASON, length=len(reason))
        )
    if not any(ch.isalnum() for ch in reason):
        raise ValueError(review_msg.REASON_NO_WORDS)  # 🙂🙂🙂 or "……" tell the applicant nothing
    return reason


def check_resume_dates(entries: list[dict[str, str]], today: date) -> list[dict[str, str]]:
    """Refuses an entry that starts after this month: work not yet begun is no history."""
    this_month = f"{today:%Y-%m}"
    for entry in entries:
        if entry["start"] > this_month:
            raise ValueError(msg.RESUME_FUTURE.format(start=entry["start"], month=this_month))
    return entries
