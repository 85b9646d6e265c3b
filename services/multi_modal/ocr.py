"""OCR with the Tesseract executable (Debian's ``tesseract-ocr``), run as a subprocess.

The binary is called directly rather than through a wrapper library: one ``tsv`` run gives
both the text (rebuilt from block/paragraph/line numbers) and per-word confidences, and we
control the timeout, the thread count and the error messages.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

from PIL import Image

INSTALL_HINT = (
    "install it on the server with `apt-get install -y tesseract-ocr tesseract-ocr-eng` "
    "(or run `make setup`)"
)
# How long a failed probe is trusted before looking for the executable again.
_REPROBE_AFTER_S = 30.0


@dataclass(frozen=True)
class TesseractStatus:
    available: bool
    version: str = ""
    languages: tuple[str, ...] = ()
    reason: str = ""  # why OCR is unavailable; empty when available


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float  # mean word confidence, 0-100; 0 when no word was found
    word_count: int


class OcrFailed(Exception):
    """Tesseract ran but could not read this image (the message says why)."""


class Tesseract:
    """One Tesseract installation: what it can do, and recognising text in an image."""

    def __init__(self, command: str, timeout_s: float, max_pixels: int) -> None:
        self._command = command
        self._timeout_s = timeout_s
        self._max_pixels = max_pixels
        self._lock = threading.Lock()
        self._status: TesseractStatus | None = None
        self._probed_at = 0.0

    def status(self) -> TesseractStatus:
        """Whether OCR works here and which languages are installed (probed, then cached)."""
        with self._lock:
            stale = (
                self._status is not None
                and not self._status.available
                and time.monotonic() - self._probed_at > _REPROBE_AFTER_S
            )
            if self._status is None or stale:
                self._status = self._probe()
                self._probed_at = time.monotonic()
            return self._status

    def _probe(self) -> TesseractStatus:
        executable = shutil.which(self._command)
        if executable is None:
            return TesseractStatus(False, reason=f"tesseract not installed: {INSTALL_HINT}")
        try:
            version = _run([executable, "--version"], 10.0).stdout.decode(errors="replace")
            listing = _run([executable, "--list-langs"], 10.0).stdout.decode(errors="replace")
        except (OSError, subprocess.SubprocessError) as exc:
            return TesseractStatus(False, reason=f"tesseract does not run ({exc}); {INSTALL_HINT}")
        # First line is 'List of available languages in "...":'; "osd" is not a language.
        languages = tuple(
            sorted(
                line.strip() for line in listing.splitlines()[1:] if line.strip() not in ("", "osd")
            )
        )
        if not languages:
            return TesseractStatus(
                False, reason=f"tesseract has no language data installed; {INSTALL_HINT}"
            )
        first_line = version.splitlines()[0] if version else "tesseract"
        return TesseractStatus(True, version=first_line.strip(), languages=languages)

    def recognize(
        self, image: Image.Image, languages: str, dpi: int | None, timeout_s: float | None = None
    ) -> OcrResult:
        """Text and mean confidence of ``image``. Raises OcrFailed, or OSError if not runnable."""
        png = _prepared_png(image, self._max_pixels)
        command = [self._command, "stdin", "stdout", "-l", languages, "--psm", "3"]
        if dpi:
            command += ["--dpi", str(dpi)]
        command.append("tsv")
        timeout = self._timeout_s if timeout_s is None else min(self._timeout_s, timeout_s)
        try:
            result = _run(command, max(timeout, 0.1), png)
        except subprocess.TimeoutExpired as exc:
            raise OcrFailed(f"OCR took longer than {timeout:.0f} s") from exc
        if result.returncode != 0:
            detail = result.stderr.decode(errors="replace").strip().splitlines()
            raise OcrFailed(f"tesseract failed: {detail[-1] if detail else result.returncode}")
        return parse_tsv(result.stdout.decode("utf-8", errors="replace"))


def _run(
    command: list[str], timeout: float, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    # One OpenMP thread per Tesseract: the service already runs extractions in parallel and
    # Tesseract's own threads only contend with them on a small machine.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run(
        command, input=stdin, capture_output=True, timeout=timeout, env=env, check=False
    )


def _prepared_png(image: Image.Image, max_pixels: int) -> bytes:
    """Grayscale PNG on a white background, scaled down to ``max_pixels`` when larger."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        # Transparent pixels have undefined colour (often black): put them on white paper.
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    gray = image.convert("L")
    pixels = gray.width * gray.height
    if pixels > max_pixels:
        scale = (max_pixels / pixels) ** 0.5
        size = (max(1, int(gray.width * scale)), max(1, int(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    gray.save(buffer, format="PNG")
    return buffer.getvalue()


def parse_tsv(tsv: str) -> OcrResult:
    """Rebuild text from Tesseract's TSV: words by line, lines by paragraph, paragraphs by block."""
    paragraphs: list[list[list[str]]] = []  # paragraph -> lines -> words
    keys: list[tuple[int, int]] = []
    line_keys: list[tuple[int, int, int]] = []
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5":
            continue
        word = fields[11].strip()
        try:
            confidence = float(fields[10])
            block, paragraph, line = int(fields[2]), int(fields[3]), int(fields[4])
        except ValueError:
            continue
        if not word or confidence < 0:
            continue
        confidences.append(confidence)
        if not keys or keys[-1] != (block, paragraph):
            keys.append((block, paragraph))
            paragraphs.append([])
            line_keys.append((block, paragraph, -1))
        if line_keys[-1] != (block, paragraph, line):
            line_keys[-1] = (block, paragraph, line)
            paragraphs[-1].append([])
        paragraphs[-1][-1].append(word)
    text = "\n\n".join("\n".join(" ".join(words) for words in lines) for lines in paragraphs)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrResult(text=text, confidence=round(mean, 1), word_count=len(confidences))


@dataclass(frozen=True)
class OcrSession:
    """OCR as one extraction uses it: installed or not, its languages, the call's deadline."""

    tesseract: Tesseract | None
    languages: str
    available: bool
    unavailable_reason: str = ""
    deadline: float | None = None  # time.monotonic() by which the caller gives up

    def recognize(self, image: Image.Image, dpi: int | None) -> OcrResult:
        assert self.tesseract is not None and self.available
        remaining = None if self.deadline is None else self.deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise OcrFailed("the call's deadline passed before OCR could run")
        return self.tesseract.recognize(image, self.languages, dpi, remaining)
