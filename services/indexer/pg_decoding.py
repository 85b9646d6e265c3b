"""Parse PostgreSQL's ``test_decoding`` output: which rows of which table changed. No I/O.

The plugin writes one line per event (``BEGIN``, ``COMMIT``, and per row
``table public.docs: INSERT: id[integer]:1 body[text]:'it''s'``). Only the row's id
matters to us: content is read from the table when the change is applied, so values of
other columns (possibly ``unchanged-toast-datum``) are skipped.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

_PLAIN = re.compile(r"^[a-z_][a-z0-9_$]*$")


class RowEvent(enum.Enum):
    BEGIN = "BEGIN"
    COMMIT = "COMMIT"
    INSERT = "INSERT"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    TRUNCATE = "TRUNCATE"
    # Anything else a plugin writes that is not a row of a table (pg_logical_emit_message).
    OTHER = "OTHER"


@dataclass(frozen=True)
class DecodedLine:
    """One line: the event, the table (``schema.name`` as printed), and for row events the
    id column's value before (``old_id``: an UPDATE that changed the key, a DELETE) and
    after (``new_id``: INSERT, UPDATE). None: not in the line (or SQL NULL)."""

    event: RowEvent
    table: str = ""
    old_id: str | None = None
    new_id: str | None = None


class DecodingError(ValueError):
    """A line that is not test_decoding output."""


def quote_ident(name: str) -> str:
    """How PostgreSQL prints an identifier (quote_identifier, keywords aside)."""
    return name if _PLAIN.match(name) else '"' + name.replace('"', '""') + '"'


def printed_table(table: str) -> str:
    """``[schema.]name`` as test_decoding prints it (schema ``public`` when not given)."""
    schema, _, name = table.rpartition(".")
    return f"{quote_ident(schema or 'public')}.{quote_ident(name)}"


def _quoted(text: str, start: int, what: str) -> tuple[str, int]:
    """The quoted string opening at ``text[start]`` (its quote doubled inside), unescaped,
    and the index just past its closing quote."""
    quote, chars, i, n = text[start], [], start + 1, len(text)
    while i < n:
        if text[i] == quote:
            if i + 1 < n and text[i + 1] == quote:
                chars.append(quote)
                i += 2
                continue
            return "".join(chars), i + 1
        chars.append(text[i])
        i += 1
    raise DecodingError(f"unterminated {what}")


def _columns(text: str) -> dict[str, str | None]:
    """``name[type]:value ...`` -> {name: value}; quoted values unescaped, null -> None."""
    values: dict[str, str | None] = {}
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] == " ":
            i += 1
        if i >= n:
            break
        if text[i] == '"':
            name, i = _quoted(text, i, "column name")
        else:
            j = text.find("[", i)
            if j < 0:
                raise DecodingError(f"no column type in {text[i : i + 80]!r}")
            name = text[i:j]
            i = j
        if i >= n or text[i] != "[":
            raise DecodingError(f"no column type after {name!r}")
        end = text.find("]:", i)
        if end < 0:
            raise DecodingError(f"unterminated type of {name!r}")
        i = end + 2
        if i < n and text[i] == "'":
            values[name], i = _quoted(text, i, f"value of {name!r}")
        else:
            j = text.find(" ", i)
            j = n if j < 0 else j
            raw = text[i:j]
            values[name] = None if raw == "null" else raw
            i = j
    return values


def decode_line(line: str, id_column: str) -> DecodedLine:
    """One line of test_decoding output (with ``include-xids`` off)."""
    if line.startswith("BEGIN"):
        return DecodedLine(RowEvent.BEGIN)
    if line.startswith("COMMIT"):
        return DecodedLine(RowEvent.COMMIT)
    if line.startswith("message:"):
        return DecodedLine(RowEvent.OTHER)
    if not line.startswith("table "):
        raise DecodingError(f"unexpected line {line[:80]!r}")
    # "table <schema>.<name>: <ACTION>: <data>"; a quoted name may itself hold ": ".
    for action in RowEvent:
        marker = f": {action.value}:"
        at = line.find(marker)
        if at > 0 and action not in (RowEvent.BEGIN, RowEvent.COMMIT, RowEvent.OTHER):
            break
    else:
        raise DecodingError(f"no action in {line[:80]!r}")
    table = line[len("table ") : at]
    data = line[at + len(marker) :].strip()
    if action is RowEvent.TRUNCATE:
        return DecodedLine(action, table)
    if data.startswith("(no-tuple-data)"):
        return DecodedLine(action, table)
    if action is RowEvent.UPDATE and data.startswith("old-key:"):
        old_part, _, new_part = data[len("old-key:") :].partition(" new-tuple:")
        old = _columns(old_part).get(id_column)
        new = _columns(new_part).get(id_column)
        return DecodedLine(action, table, old_id=old, new_id=new)
    if action is RowEvent.UPDATE and data.startswith("new-tuple:"):
        data = data[len("new-tuple:") :]
    row_id = _columns(data).get(id_column)
    if action is RowEvent.DELETE:
        return DecodedLine(action, table, old_id=row_id)
    return DecodedLine(action, table, new_id=row_id)
