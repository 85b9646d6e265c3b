"""Tables from CSV, XLSX and HTML into ``TablePart``s with their source cell ranges.

The first non-empty row of a table is its header (repeated in every chunk of the table).
Locations: CSV ``rows=FIRST-LAST`` (1-based lines), XLSX ``sheet=NAME!A1:D20`` (the name
quoted like Excel when it needs it), HTML ``table=N`` (with ``rows`` in the chunk metadata).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from html.parser import HTMLParser
from typing import Any

from services.multi_modal.extraction import (
    Extraction,
    ExtractionOptions,
    TablePart,
    TableRow,
    WarningCode,
    unreadable,
)
from services.multi_modal.formats import CSV, HTML, XLSX
from services.runtime.errors import invalid_field

# XLSX is a zip: refuse archives that inflate far beyond any real workbook (zip bombs).
MAX_XLSX_INFLATED_BYTES = 512 * 1024 * 1024
MAX_CELL_CHARS = 4096  # longer cells are cut (a table cell is not a document)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value).strip()[:MAX_CELL_CHARS]


def _trim_row(cells: Sequence[str]) -> tuple[str, ...]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return tuple(cells[:end])


def _table(
    rows: Iterable[TableRow],
    locate: Callable[[int, int], str],
    section: tuple[str, ...] = (),
    metadata: dict[str, str] | None = None,
) -> TablePart | None:
    """First non-empty row as header, later non-empty rows as data; None when all empty."""
    kept = [r for r in rows if any(r.cells)]
    if not kept:
        return None
    return TablePart(kept[0], kept[1:], locate, section, metadata or {})


def _fixed(location: str) -> Callable[[int, int], str]:
    """A locator for tables whose location does not depend on the rows (HTML tables)."""

    def locate(first: int, last: int) -> str:
        return location

    return locate


class _CellBudget:
    """Counts cells across a document's tables; past the limit, tables are truncated."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def take(self, cells: int) -> bool:
        self.left -= cells
        return self.left >= 0


# ---- CSV ---------------------------------------------------------------------------------


def extract_csv(
    content: bytes, parameters: dict[str, str], options: ExtractionOptions, max_cells: int
) -> Extraction:
    charset = parameters.get("charset", "utf-8")
    try:
        codecs.lookup(charset)
    except LookupError as exc:
        raise invalid_field(
            "document.content_type", f"unknown charset {charset!r}", reason="UNKNOWN_CHARSET"
        ) from exc
    try:
        text = content.decode("utf-8-sig" if charset.lower() in ("utf-8", "utf8") else charset)
    except UnicodeDecodeError as exc:
        raise unreadable(
            f"CSV is not valid {charset} (byte {exc.start}); save it as UTF-8 or name its "
            "encoding in content_type, e.g. 'text/csv; charset=windows-1252'",
            CSV,
        ) from exc
    sample = text[: 64 * 1024]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel  # one column, or too irregular to sniff: plain commas
    extraction = Extraction(part_count=1)
    budget = _CellBudget(max_cells)
    rows: list[TableRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for cells in reader:
            # reader.line_num is the physical line where this record ended.
            if not budget.take(len(cells)):
                extraction.warn(
                    "",
                    WarningCode.TRUNCATED,
                    f"only the first {len(rows)} rows were read: the table has more than "
                    f"{max_cells} cells",
                )
                break
            rows.append(TableRow(reader.line_num, _trim_row([_text(c) for c in cells])))
    except csv.Error as exc:
        raise unreadable(f"CSV is malformed near line {reader.line_num}: {exc}", CSV) from exc
    table = _table(rows, lambda first, last: f"rows={first}-{last}", ())
    if table is None:
        extraction.warn("", WarningCode.NO_TEXT, "the CSV has no non-empty cell")
    else:
        extraction.parts.append(table)
        extraction.metadata["csv.rows"] = str(len(table.rows) + 1)
        extraction.metadata["csv.delimiter"] = getattr(dialect, "delimiter", ",")
    return extraction


# ---- XLSX --------------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_reference(name: str) -> str:
    """Sheet name as Excel writes it in a range: quoted when not a plain word."""
    if name.replace("_", "").isalnum():
        return name
    return "'" + name.replace("'", "''") + "'"


def extract_xlsx(content: bytes, options: ExtractionOptions, max_cells: int) -> Extraction:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise unreadable(f"XLSX is not a valid zip archive ({exc})", XLSX) from exc
    if inflated > MAX_XLSX_INFLATED_BYTES:
        raise unreadable(
            f"XLSX inflates to {inflated} bytes, over the {MAX_XLSX_INFLATED_BYTES} limit", XLSX
        )
    try:
        values = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise unreadable(f"XLSX cannot be read ({exc})", XLSX) from exc
    try:
        return _read_workbook(values, formulas, names, options, max_cells)
    finally:
        values.close()
        formulas.close()


def _read_workbook(
    values: Any, formulas: Any, names: list[str], options: ExtractionOptions, max_cells: int
) -> Extraction:
    sheets = list(values.worksheets)
    extraction = Extraction(part_count=len(sheets))
    extraction.metadata["xlsx.sheet_names"] = ",".join(s.title for s in sheets)[:1024]
    budget = _CellBudget(max_cells)
    for index, sheet in enumerate(sheets):
        location = f"sheet={sheet.title}"
        if index >= options.max_pages:
            extraction.warn(
                location,
                WarningCode.TRUNCATED,
                f"sheets after the first {options.max_pages} were not extracted",
            )
            break
        try:
            part = _read_sheet(sheet, formulas[sheet.title], budget, extraction)
        except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            extraction.failed_parts += 1
            extraction.warn(location, WarningCode.PARSE_ERROR, f"sheet cannot be read ({exc})")
            continue
        if part is None:
            extraction.warn(location, WarningCode.NO_TEXT, "the sheet is empty")
            continue
        extraction.parts.append(part)
    if any(n.startswith(("xl/charts/", "xl/drawings/", "xl/media/")) for n in names):
        extraction.warn(
            "",
            WarningCode.UNSUPPORTED_ELEMENT,
            "charts, drawings and pictures in the workbook were ignored",
        )
    return extraction


def _read_sheet(
    sheet: Any, formula_sheet: Any, budget: _CellBudget, extraction: Extraction
) -> TablePart | None:
    # Stored dimensions are often wrong in files from other tools: read what is there.
    sheet.reset_dimensions()
    formula_sheet.reset_dimensions()
    rows: list[TableRow] = []
    missing_results = 0
    first_column: int | None = None
    last_column = 0
    pairs = zip(
        sheet.iter_rows(min_row=1, min_col=1, values_only=True),
        formula_sheet.iter_rows(min_row=1, min_col=1, values_only=True),
        strict=False,
    )
    for number, (cells, raw) in enumerate(pairs, start=1):
        if not budget.take(len(cells)):
            extraction.warn(
                f"sheet={sheet.title}",
                WarningCode.TRUNCATED,
                f"rows after {number - 1} were not read: the document has more than the "
                "server's cell limit",
            )
            break
        texts = [_text(c) for c in cells]
        for column, (value, formula) in enumerate(zip(cells, raw, strict=False), start=1):
            # A formula whose result was never saved (file not written by Excel): no value.
            if value is None and isinstance(formula, str) and formula.startswith("="):
                missing_results += 1
                texts[column - 1] = formula
        used = [i for i, t in enumerate(texts, start=1) if t]
        if used:
            first_column = min(first_column or used[0], used[0])
            last_column = max(last_column, used[-1])
        rows.append(TableRow(number, tuple(texts)))
    if missing_results:
        extraction.warn(
            f"sheet={sheet.title}",
            WarningCode.UNSUPPORTED_ELEMENT,
            f"{missing_results} formula cell(s) have no saved result; their formulas are "
            "shown instead (open and save the file in a spreadsheet program to compute them)",
        )
    if first_column is None:
        return None
    start = first_column - 1
    # Drop empty leading columns so the Markdown table starts at the data.
    sliced = [TableRow(r.number, _trim_row(r.cells[start:])) for r in rows]
    reference = sheet_reference(sheet.title)
    first_letter, last_letter = column_letter(first_column), column_letter(last_column)

    def locate(first: int, last: int) -> str:
        return f"sheet={reference}!{first_letter}{first}:{last_letter}{last}"

    return _table(sliced, locate, (sheet.title,), {"sheet": sheet.title})


# ---- HTML --------------------------------------------------------------------------------


class _HtmlTables(HTMLParser):
    """Collects every <table> (nested ones separately) as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[list[str]]]] = []  # (caption, rows), document order
        self._stack: list[int] = []  # indexes into self.tables of open tables
        self._cell: list[str] | None = None
        self._colspan = 1
        self._caption: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag == "table":
            self._close_cell()
            self.tables.append(("", []))
            self._stack.append(len(self.tables) - 1)
        elif not self._stack:
            return
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._close_cell()
            self.tables[self._stack[-1]][1].append([])
        elif tag in ("td", "th"):
            self._close_cell()
            rows = self.tables[self._stack[-1]][1]
            if not rows:
                rows.append([])
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._colspan = min(int(span), 100) if span.isdigit() and int(span) > 0 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag == "table" and self._stack:
            self._close_cell()
            self._stack.pop()
        elif tag == "caption" and self._caption is not None and self._stack:
            index = self._stack[-1]
            caption = " ".join("".join(self._caption).split())
            self.tables[index] = (caption, self.tables[index][1])
            self._caption = None
        elif tag in ("td", "th", "tr"):
            self._close_cell()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is None or not self._stack:
            self._cell = None
            return
        text = " ".join("".join(self._cell).split())[:MAX_CELL_CHARS]
        # A cell spanning several columns fills them all, so columns stay aligned.
        self.tables[self._stack[-1]][1][-1].extend([text] * self._colspan)
        self._cell = None


def extract_html(
    content: bytes, parameters: dict[str, str], options: ExtractionOptions, max_cells: int
) -> Extraction:
    charset = parameters.get("charset", "utf-8")
    try:
        markup = content.decode("utf-8-sig" if charset.lower() in ("utf-8", "utf8") else charset)
    except (UnicodeDecodeError, LookupError) as exc:
        raise unreadable(
            f"HTML is not valid {charset}; send UTF-8 or name the charset in content_type", HTML
        ) from exc
    collector = _HtmlTables()
    collector.feed(markup)
    collector.close()
    extraction = Extraction(part_count=len(collector.tables))
    budget = _CellBudget(max_cells)
    if not collector.tables:
        extraction.warn(
            "",
            WarningCode.NO_TEXT,
            "the page has no <table>; send it to DocumentProcessorService for its text",
        )
    for number, (caption, raw_rows) in enumerate(collector.tables, start=1):
        location = f"table={number}"
        if number > options.max_pages:
            extraction.warn(
                location,
                WarningCode.TRUNCATED,
                f"tables after the first {options.max_pages} were not extracted",
            )
            break
        rows: list[TableRow] = []
        for index, cells in enumerate(raw_rows, start=1):
            if not budget.take(len(cells)):
                extraction.warn(location, WarningCode.TRUNCATED, "cell limit reached")
                break
            rows.append(TableRow(index, _trim_row(cells)))
        section = (caption,) if caption else ()
        part = _table(rows, _fixed(location), section, {"table": str(number)})
        if part is None:
            extraction.warn(location, WarningCode.NO_TEXT, "the table has no text")
            continue
        extraction.parts.append(part)
    return extraction
