"""Images (PNG, JPEG, TIFF with its frames) into OCR text parts, plus EXIF and size metadata."""

from __future__ import annotations

import io
import warnings

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from services.multi_modal.extraction import (
    LOW_CONFIDENCE,
    Extraction,
    ExtractionOptions,
    Modality,
    OcrMode,
    TextPart,
    WarningCode,
    unreadable,
)
from services.multi_modal.ocr import OcrFailed, OcrSession

# Larger images are refused before decoding (Pillow's own bomb check is at ~179 MP).
MAX_IMAGE_PIXELS = 150_000_000
_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
# Binary or private tags that carry nothing a reader can search for.
_SKIPPED_TAGS = {"MakerNote", "UserComment", "PrintImageMatching", "ExifOffset", "GPSInfo"}


def ocr_part(
    extraction: Extraction,
    ocr: OcrSession,
    image: Image.Image,
    dpi: int | None,
    location: str,
    section_path: tuple[str, ...] = (),
    metadata: dict[str, str] | None = None,
) -> TextPart | None:
    """OCR one image into a part; problems become warnings of ``location``."""
    try:
        result = ocr.recognize(image, dpi)
    except OcrFailed as exc:
        extraction.failed_parts += 1
        extraction.warn(location, WarningCode.PARSE_ERROR, f"OCR failed: {exc}")
        return None
    except OSError as exc:
        extraction.failed_parts += 1
        extraction.warn(location, WarningCode.OCR_UNAVAILABLE, f"tesseract did not run: {exc}")
        return None
    if not result.text.strip():
        extraction.warn(location, WarningCode.NO_TEXT, "OCR found no text")
        return None
    if result.confidence < LOW_CONFIDENCE:
        extraction.warn(
            location,
            WarningCode.OCR_LOW_CONFIDENCE,
            f"mean OCR confidence is {result.confidence:.0f}/100: the text may be wrong",
        )
    return TextPart(
        text=result.text,
        modality=Modality.IMAGE,
        location=location,
        section_path=section_path,
        metadata={
            **(metadata or {}),
            "ocr_confidence": f"{result.confidence:.1f}",
            "ocr_language": ocr.languages,
        },
    )


def _exif_metadata(image: Image.Image) -> dict[str, str]:
    """EXIF tags as "exif.Name" strings. GPS tags are never returned (privacy)."""
    found: dict[str, str] = {}
    try:
        exif = image.getexif()
        tags = dict(exif.items())
        tags.update(exif.get_ifd(_EXIF_IFD).items())
    except (ValueError, TypeError, KeyError, OSError):
        return found  # broken EXIF does not make the image unreadable
    for tag, value in tags.items():
        name = ExifTags.TAGS.get(tag)
        if name is None or name in _SKIPPED_TAGS or tag == _GPS_IFD or name.startswith("GPS"):
            continue
        if isinstance(value, bytes):
            try:
                value = value.decode("ascii").strip("\x00 ")
            except UnicodeDecodeError:
                continue
        text = str(value).strip("\x00 ").strip()
        if text:
            found[f"exif.{name}"[:64]] = text[:1024]
    return found


def _dpi(image: Image.Image) -> int | None:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        return None
    # Many files carry a meaningless 1 or 72; let Tesseract estimate instead.
    return value if value >= 100 else None


def extract_image(
    content: bytes, content_type: str, options: ExtractionOptions, ocr: OcrSession
) -> Extraction:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombWarning) as exc:
        raise unreadable(f"the content is not a readable image ({exc})", content_type) from exc
    except Image.DecompressionBombError as exc:
        raise unreadable(f"the image is too large to decode ({exc})", content_type) from exc
    with image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise unreadable(
                f"the image has {image.width}x{image.height} pixels; the limit is "
                f"{MAX_IMAGE_PIXELS}",
                content_type,
            )
        frames = int(getattr(image, "n_frames", 1) or 1)
        extraction = Extraction(part_count=frames)
        extraction.metadata.update(
            {
                "image.width": str(image.width),
                "image.height": str(image.height),
                "image.format": image.format or "",
                "image.frames": str(frames),
                **_exif_metadata(image),
            }
        )
        for index in range(frames):
            location = "image" if frames == 1 else f"page={index + 1}"
            if index >= options.max_pages:
                extraction.warn(
                    location,
                    WarningCode.TRUNCATED,
                    f"frames after the first {options.max_pages} were not extracted",
                )
                break
            try:
                image.seek(index)
                # Phones store rotated pixels plus an orientation tag: OCR needs them upright.
                frame = ImageOps.exif_transpose(image.copy())
                frame.load()
            except (OSError, ValueError, EOFError) as exc:
                extraction.failed_parts += 1
                extraction.warn(location, WarningCode.PARSE_ERROR, f"cannot decode ({exc})")
                continue
            if options.ocr_mode is OcrMode.OFF:
                extraction.warn(location, WarningCode.NO_TEXT, "OCR is off: no text extracted")
                continue
            page = {} if frames == 1 else {"page": str(index + 1)}
            part = ocr_part(extraction, ocr, frame, _dpi(image), location, (), page)
            if part is not None:
                extraction.parts.append(part)
    return extraction
