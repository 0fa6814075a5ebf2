"""The registry's documents from the use cases' results: the publicity list, certificates,
the registry spreadsheet. Pure conversions to the exports' rows; the files are written
in a worker thread by the caller (they take tens of milliseconds)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date

from bot.domain.registry import ExpertAction
from bot.services.experts import Ended
from bot.services.registry import Appointment, Published
from bot.services.registry_ports import ExpertListRow
from bot.texts import registry as t
from exports.certificate import certificate_docx
from exports.letter import letter_docx
from exports.names import (
    certificate_filename,
    letter_filename,
    publicity_filename,
    registry_filename,
)
from exports.publicity import publicity_docx, publicity_xlsx
from exports.registry import status_label, write_registry
from exports.registry_rows import (
    Certificate,
    Letter,
    LetterKind,
    PublicityRow,
    PublicityWindow,
    RegistryRow,
)

File = tuple[str, bytes]


def publicity_files(published: Published, meeting: str, today: date) -> list[File]:
    """The list as a spreadsheet and as a document to print: name, gender, unit, title, group."""
    window = PublicityWindow(
        start=published.window.starts_on,
        end=published.window.ends_on,
        published_on=today,
        objections_to=t.OBJECTIONS_TO,
        meeting=meeting,
    )
    rows = [
        PublicityRow(name=e.name, gender=e.gender, unit=e.unit, title=e.title, group=e.group)
        for e in published.entries
    ]
    return [
        (publicity_filename(window.start, "docx"), publicity_docx(rows, window)),
        (publicity_filename(window.start, "xlsx"), publicity_xlsx(rows, window)),
    ]


def certificate_file(number: str, name: str, group: str, start: date, end: date, issued_on: date) -> File:
    cert = Certificate(
        number=number, name=name, group=group, term_start=start, term_end=end, issued_on=issued_on
    )
    return certificate_filename(number), certificate_docx(cert)


def certificates_zip(appointed: Sequence[Appointment], batch_id: int, issued_on: date) -> File:
    """Every certificate of an appointment, one document each, to print and stamp."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for a in appointed:
            name, data = certificate_file(
                a.certificate_no, a.name, a.group, a.starts_on, a.ends_on, issued_on
            )
            archive.writestr(name, data)
    return t.CERTIFICATES_ZIP.format(batch_id=batch_id), buffer.getvalue()


def my_certificate(row: ExpertListRow, issued_on: date) -> File:
    return certificate_file(
        row.certificate_no, row.name, row.group, row.starts_on, row.ends_on, issued_on
    )


def registry_file(rows: Sequence[ExpertListRow], today: date) -> File:
    """入库专家名册 with contact data: for the bureau only (the access log has the export)."""
    table = [
        RegistryRow(
            certificate_number=r.certificate_no,
            name=r.name,
            gender=r.gender,
            unit=r.unit,
            position=r.position,
            title=r.title,
            group=r.group,
            district=r.district,
            term_start=r.starts_on,
            term_end=r.last_day,
            status=status_label(
                r.standing,
                not_renewed=r.not_renewed_on is not None,
                renewed=r.renewed_to is not None,
            ),
            contact=r.mobile,
        )
        for r in rows
    ]
    return registry_filename(today), write_registry(table, filled_on=today)


def letter_file(ended: Ended) -> File:
    """书面函告 of 不予续聘 or 解聘, to the expert with a copy to the unit."""
    letter = Letter(
        kind=LetterKind(ended.action.value),
        name=ended.name,
        unit=ended.unit,
        group=ended.group,
        certificate_number=ended.certificate_no,
        term_start=ended.term_start,
        term_end=ended.term_end,
        reason=ended.reason,
        decided_on=ended.decided_on,
        effective_on=ended.effective_on if ended.action is ExpertAction.DISMISS else None,
    )
    decision = t.LETTER_DECISION[ended.action.value]
    return letter_filename(decision, ended.certificate_no), letter_docx(letter)
