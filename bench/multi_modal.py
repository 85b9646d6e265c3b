"""How long MultiModalService's extraction takes per content type, in process (no transport).

    python -m bench.multi_modal [--repeat 3] [--smoke]

Content is made in code (rendered text images, scanned PDF pages, generated tables). OCR
runs the real Tesseract. The last line is ``RESULT key=value ...`` (seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import time

from bench.harness import median, table
from services.common.documents import DocumentInput
from services.multi_modal.core import MultiModalExtractor, RequestedOptions
from services.multi_modal.settings import MultiModalSettings
from tests.support import multi_modal_content as content
from tests.support.pdf import make_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINES = [f"Line {i}: the pump in hall {i} was serviced on day {i + 3}" for i in range(12)]


def cases(
    pages: int = 3, rows_csv: int = 5000, rows: int = 2000
) -> list[tuple[str, bytes, str, int]]:
    """(name, content, content type, parts). The key of a case is its name up to the comma."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["id", "name", "amount", "note"])
    for i in range(rows_csv):
        writer.writerow([i, f"item-{i}", i * 3, "ok"])
    sheet: dict[str, object] = {"A1": "id", "B1": "name", "C1": "amount"}
    for i in range(2, rows + 2):
        sheet.update({f"A{i}": i, f"B{i}": f"item-{i}", f"C{i}": i * 3})
    html = "<table><tr><th>id</th><th>name</th></tr>" + "".join(
        f"<tr><td>{i}</td><td>item-{i}</td></tr>" for i in range(rows)
    )
    scanned = content.scanned_pdf([LINES] * pages)
    return [
        ("png, 12 lines (OCR)", content.encoded(content.text_image(LINES), "PNG"), "image/png", 1),
        (f"scanned pdf, {pages} pages (OCR)", scanned, "application/pdf", pages),
        (f"text pdf, {pages} pages", make_pdf([" ".join(LINES)] * pages), "application/pdf", pages),
        (f"csv, {rows_csv} rows", text.getvalue().encode(), "text/csv", 1),
        (f"xlsx, {rows} rows", content.workbook({"Data": sheet}), XLSX, 1),
        (f"html, {rows} rows", html.encode(), "text/html", 1),
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes (seconds): checks that the bench runs and reports, not what it measures",
    )
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 1
    extractor = MultiModalExtractor(MultiModalSettings())
    rows: list[list[object]] = []
    result: dict[str, float] = {}
    for name, data, content_type, parts in cases(1, 200, 100) if args.smoke else cases():
        times: list[float] = []
        chunks = 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            extracted = await extractor.extract(
                DocumentInput("bench", data, content_type), RequestedOptions()
            )
            times.append(time.perf_counter() - started)
            chunks = len(extracted.chunks)
        per_part = median(times) / parts
        rows.append([name, len(data), chunks, f"{median(times):.3f}", f"{per_part:.3f}"])
        key = name.split(",")[0].replace(" ", "_")
        result[f"{key}_s_per_part"] = per_part
    print(table(["content", "bytes", "chunks", "median s", "s per page/part"], rows))
    print("RESULT " + " ".join(f"{k}={v:.3f}" for k, v in result.items()))


if __name__ == "__main__":
    asyncio.run(main())
