"""The answer path's statements, compiled once and run straight on the pysqlite cursor.

SQLAlchemy's Connection.execute builds an execution context and a cursor
result around every statement: for the conditional UPDATE of an answer,
50 µs on top of SQLite's 11, and more under load. Every answer runs that
UPDATE and the freshness SELECT before it. A statement marked with
`execution_options(precompiled=True)` is compiled once per set of parameter
names instead, and runs on the cursor with the bind and result processors
of its own column types, so the same values go in and come out as through
Connection.execute (tests/storage/test_sqlite_precompiled.py compares the
two). Engine events such as `echo` do not see these statements.

Only what that can do faithfully is accepted: a SELECT, UPDATE or DELETE
whose parameters are plain values. Python-side defaults, which the execution
context computes, and expanding IN lists are refused when compiled.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.exc import ArgumentError, DBAPIError

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class RowCount:
    """What an UPDATE or DELETE run here returns: the rows it matched, as `CursorResult.rowcount`."""

    rowcount: int
    returns_rows: bool = False


@dataclass(frozen=True)
class Bind:
    name: str
    value: Any
    """The value compiled into the statement (`version + 1`), used when the parameters have none."""
    required: bool
    process: Processor


@dataclass(frozen=True)
class Precompiled:
    sql: str
    binds: tuple[Bind, ...]
    """The positional parameters in order."""
    keys: tuple[str, ...] | None
    """The result's column names; None for an UPDATE or DELETE."""
    processors: tuple[Processor, ...]

    def run(self, connection: sqlite3.Connection, params: Mapping[str, Any]) -> Any:
        """An IteratorResult of the rows for a SELECT, a RowCount otherwise.

        Errors arrive as through Connection.execute: the driver's as DBAPIError,
        a parameter's that would not convert (a naive datetime) as StatementError.
        """
        args: list[Any] = []
        try:
            args = [_value(bind, params) for bind in self.binds]
            cursor = connection.execute(self.sql, args)
            try:
                if self.keys is None:
                    return RowCount(cursor.rowcount)
                rows = [
                    tuple(value if p is None else p(value) for p, value in zip(self.processors, r, strict=True))
                    for r in cursor.fetchall()
                ]
            finally:
                cursor.close()
        except ArgumentError:
            raise
        except Exception as error:
            raise DBAPIError.instance(self.sql, args, error, sqlite3.Error) from error
        return IteratorResult(SimpleResultMetaData(self.keys), iter(rows))


def precompile(statement: Any, dialect: Dialect, names: frozenset[str]) -> Precompiled:
    """`statement` compiled for parameters named `names`; ArgumentError if it cannot run here."""
    if not (statement.is_select or statement.is_update or statement.is_delete):
        raise ArgumentError(f"only SELECT, UPDATE and DELETE are precompiled, not {statement}")
    compiled = statement.compile(dialect=dialect, column_keys=sorted(names))
    if (
        not compiled.positional
        or compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.post_compile_params
        or compiled.literal_execute_params
        or compiled.escaped_bind_names
        or any(b.callable is not None for b in compiled.binds.values())
    ):
        raise ArgumentError(f"needs SQLAlchemy's execution context: {compiled}")
    binds = tuple(
        Bind(name, b.value, b.required, b.type.dialect_impl(dialect).bind_processor(dialect))
        for name in compiled.positiontup or ()
        for b in (compiled.binds[name],)
    )
    if not statement.is_select:
        return Precompiled(compiled.string, binds, None, ())
    columns = statement.selected_columns
    keys = tuple(columns.keys())
    if len(set(keys)) != len(keys):
        raise ArgumentError(f"result columns need distinct names: {keys}")
    processors = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    return Precompiled(compiled.string, binds, keys, processors)


def _value(bind: Bind, params: Mapping[str, Any]) -> Any:
    if bind.name in params:
        value = params[bind.name]
    elif bind.required:
        raise ArgumentError(f"a value is required for parameter {bind.name!r}")
    else:
        value = bind.value
    return value if bind.process is None else bind.process(value)
