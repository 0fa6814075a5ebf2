"""Exports: pure functions from plain rows to file bytes (xlsx, docx, zip).

No Telegram and no database in here: callers build `exports.rows` objects
and get bytes and a file name back. Nothing is imported here, so importing
`exports.rows` stays cheap for code that never renders a file.

- `rows`: input dataclasses (stdlib only)
- `sanitize`: the formula-injection rule shared by every writer
- `table`: the neutral table and the Annex 2 layout
- `xlsx`: table → .xlsx (openpyxl, write-only)
- `annex2`, `full`: the two spreadsheets; `annex1`: the docx form
- `word`: what the Word documents share (A4, fonts, exact lines, row flags)
- after the call: `registry_rows` (their input types, stdlib and `rows`
  only), `publicity` (公示名单, xlsx and docx), `certificate` (聘书),
  `registry` (入库专家名册), `letter` (书面函告)
- `archive`: many forms in one zip; `names`: file names without PII
"""
