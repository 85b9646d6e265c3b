"""Parse plain text, Markdown, HTML and PDF into one text with a section outline.

Offsets everywhere are code-point offsets into ``ParsedDocument.text``.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from services.common.chunking import ParsedDocument, Section
from services.runtime.errors import InvalidArgument, invalid_field

SUPPORTED_TYPES = ("text/plain", "text/markdown", "text/html", "application/pdf")


def parse(content: bytes, content_type: str) -> ParsedDocument:
    """Dispatch on MIME type (parameters such as ``; charset=utf-8`` are ignored)."""
    kind = (content_type or "text/plain").split(";")[0].strip().lower()
    if kind in ("text/plain", "text/x-rst"):
        text = decode_utf8(content)
        return ParsedDocument(text=text, sections=[Section((), 0, len(text))])
    if kind in ("text/markdown", "text/x-markdown"):
        return parse_markdown(decode_utf8(content))
    if kind in ("text/html", "application/xhtml+xml"):
        return parse_html(decode_utf8(content))
    if kind == "application/pdf":
        return parse_pdf(content)
    raise InvalidArgument(
        message=f"document.content_type {content_type!r} is not supported; use one of "
        + ", ".join(SUPPORTED_TYPES),
        reason="UNSUPPORTED_CONTENT_TYPE",
        metadata={"content_type": content_type},
    )


def decode_utf8(content: bytes) -> str:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise invalid_field(
            "document.content",
            f"is not valid UTF-8 (byte {exc.start}); send UTF-8 text or set content_type",
            reason="INVALID_ENCODING",
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\x00", "")


_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def parse_markdown(text: str) -> ParsedDocument:
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    start = 0
    current: tuple[str, ...] = ()
    title = ""
    for match in _MD_HEADING.finditer(text):
        if match.start() > start:
            sections.append(Section(current, start, match.start()))
        level, heading = len(match.group(1)), match.group(2).strip()
        if level == 1 and not title:
            title = heading
        path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, heading)]
        current = tuple(h for _, h in path)
        start = match.start()  # the heading line belongs to its own section
    if start < len(text):
        sections.append(Section(current, start, len(text)))
    return ParsedDocument(text=text, title=title, sections=sections)


_BLOCK_TAGS = {
    "p", "div", "section", "article", "li", "ul", "ol", "br", "tr", "table",
    "blockquote", "pre", "header", "footer", "main", "nav", "aside", "dd", "dt",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "head"}
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _HtmlText(HTMLParser):
    """Collects visible text; headings open sections; blocks become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.skip = 0
        self.title = ""
        self.in_title = False
        self.heading_level = 0
        self.heading_text: list[str] = []
        self.heading_start = 0
        self.headings: list[tuple[int, str, int]] = []  # (level, text, start offset)

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _HEADING_TAGS:
            self._emit("\n\n")
            self.heading_level = _HEADING_TAGS[tag]
            self.heading_text = []
            self.heading_start = self.length
        elif tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _HEADING_TAGS and self.heading_level:
            heading = " ".join("".join(self.heading_text).split())
            if heading:
                self.headings.append((self.heading_level, heading, self.heading_start))
            self.heading_level = 0
            self._emit("\n\n")
        elif tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip:
            return
        if self.heading_level:
            self.heading_text.append(data)
        self._emit(data)


def parse_html(markup: str) -> ParsedDocument:
    collector = _HtmlText()
    collector.feed(markup)
    collector.close()
    raw = "".join(collector.parts)
    # Collapse runs of blank lines and spaces, keeping offsets of headings consistent.
    text, mapping = _squeeze_whitespace(raw)
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    current: tuple[str, ...] = ()
    start = 0
    for level, heading, raw_start in collector.headings:
        offset = mapping(raw_start)
        if offset > start:
            sections.append(Section(current, start, offset))
        path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, heading)]
        current = tuple(h for _, h in path)
        start = offset
    if start < len(text):
        sections.append(Section(current, start, len(text)))
    title = " ".join(collector.title.split())
    if not title and collector.headings:
        title = collector.headings[0][1]
    return ParsedDocument(text=text, title=title, sections=sections)


def _squeeze_whitespace(raw: str) -> tuple[str, _OffsetMap]:
    """Collapse space runs to one space and newline runs to one or two, mapping offsets."""
    out: list[str] = []
    length = 0
    positions: list[int] = []  # positions[i] = output offset of raw character i
    newlines = 0
    pending_space = False
    for ch in raw:
        positions.append(length)
        if ch == "\n":
            newlines += 1
            pending_space = False
            continue
        if ch.isspace():
            pending_space = True
            continue
        if newlines and out:
            sep = "\n\n" if newlines > 1 else "\n"
            out.append(sep)
            length += len(sep)
        elif pending_space and out:
            out.append(" ")
            length += 1
        newlines = 0
        pending_space = False
        out.append(ch)
        length += 1
    positions.append(length)
    return "".join(out), _OffsetMap(positions)


class _OffsetMap:
    def __init__(self, positions: list[int]) -> None:
        self._positions = positions

    def __call__(self, raw_offset: int) -> int:
        return self._positions[min(raw_offset, len(self._positions) - 1)]


def parse_pdf(content: bytes) -> ParsedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise invalid_field(
            "document.content", f"is not a readable PDF ({exc})", reason="INVALID_PDF"
        ) from exc
    text_parts: list[str] = []
    sections: list[Section] = []
    offset = 0
    for number, page_text in enumerate(pages, start=1):
        page_text = page_text.replace("\x00", "").strip()
        if text_parts:
            text_parts.append("\n\n")
            offset += 2
        sections.append(Section((f"page {number}",), offset, offset + len(page_text)))
        text_parts.append(page_text)
        offset += len(page_text)
    title = ""
    metadata = reader.metadata
    if metadata is not None and metadata.title:
        title = str(metadata.title)
    return ParsedDocument(text="".join(text_parts), title=title, sections=sections)
