"""Content for multi-modal tests, made in code: text rendered into images, scanned PDFs,
spreadsheets. Nothing binary is committed."""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from tests.support.pdf import make_pdf


def text_image(lines: Sequence[str], mode: str = "L") -> Image.Image:
    """Black text on white, large enough for Tesseract to read it reliably."""
    font = ImageFont.load_default(size=40)
    image = Image.new(mode, (1500, 120 + 90 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 60 + 90 * i), line, font=font, fill="black")
    return image


def encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def tiff_frames(pages: Sequence[Sequence[str]]) -> bytes:
    frames = [text_image(lines) for lines in pages]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def scanned_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF whose pages are only pictures of text (no text layer), as a scanner makes."""
    frames = [text_image(lines) for lines in pages]
    buffer = io.BytesIO()
    frames[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def mixed_pdf(text_page: str, scanned_lines: Sequence[str]) -> bytes:
    """Page 1 with a text layer, page 2 scanned."""
    writer = PdfWriter()
    for source in (make_pdf([text_page], title="Mixed"), scanned_pdf([scanned_lines])):
        for page in PdfReader(io.BytesIO(source)).pages:
            writer.add_page(page)
    writer.add_metadata({"/Author": "Test Author", "/Title": "Mixed"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf(["secret text"]))).pages:
        writer.add_page(page)
    writer.encrypt("a-password")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def workbook(sheets: dict[str, dict[str, object]]) -> bytes:
    """XLSX from {sheet: {cell: value}}; formulas are saved without results (as openpyxl does)."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, cells in sheets.items():
        sheet = book.create_sheet(name)
        for cell, value in cells.items():
            sheet[cell] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
