"""Many Annex 1 documents in one zip, for a reviewer who downloads a batch."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable


def annex1_archive(forms: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (file name, document) pairs, in the given order.

    Names are reduced to their last path component, so an entry cannot
    escape the folder it is unpacked into, and repeated names get a
    " (2)" suffix instead of silently overwriting each other.
    """
    seen: set[str] = set()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in forms:
            archive.writestr(_unique(_base(name), seen), data)
    return out.getvalue()


def _base(name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/")).strip()
    return "document.docx" if base in ("", ".", "..") else base


def _unique(name: str, seen: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate in seen:
        n += 1
        candidate = f"{stem} ({n}).{ext}" if dot else f"{stem} ({n})"
    seen.add(candidate)
    return candidate
