"""File system source: watchdog events, debounced, plus full rescans.

Events arrive on watchdog's thread and land in a bounded map keyed by path (a burst of
saves to one file is one entry). A path is handled once it has been quiet for the
debounce time: a file that exists and whose content hash differs from the last one seen
becomes an upsert; a path that is gone and was known becomes a deletion; a directory event
(created, moved, deleted folder) rescans that subtree. A move is a deletion of the old
path and an upsert of the new one. When the map is full, events are dropped and the whole
source is rescanned instead, so memory stays bounded whatever the burst. A rescan at start
catches what changed while the indexer was down. Rescans and new files are queued as bulk
work, behind edits of documents already indexed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import time
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirMovedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from services.indexer.changes import (
    ApplyFailure,
    ChangeKind,
    ChangeRequest,
    DocumentPayload,
    Origin,
)
from services.indexer.detection import ChangeIntake, safe_key
from services.indexer.sources import (
    FilesystemConfig,
    SourceSpec,
    SourceState,
    content_type_for,
    document_id,
    selected,
)

log = logging.getLogger(__name__)
_HASH_BLOCK = 1 << 20


@dataclass
class _Pending:
    first_seen: float  # wall clock: freshness lag starts here
    first_mono: float
    last_mono: float
    is_dir: bool


def file_fingerprint(path: Path, max_bytes: int) -> str | None:
    """SHA-256 of the file (streamed), a size marker when over the limit, None if unreadable."""
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            if stat.st_size > max_bytes:
                return f"oversize:{stat.st_size}:{stat.st_mtime_ns}"
            digest = hashlib.sha256()
            while block := handle.read(_HASH_BLOCK):
                digest.update(block)
            return digest.hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return None


class _EventBridge(FileSystemEventHandler):
    """Runs on watchdog's thread: hands paths to the event loop, nothing else."""

    def __init__(self, watcher: FilesystemWatcher, loop: asyncio.AbstractEventLoop) -> None:
        self._watcher = watcher
        self._loop = loop

    def on_any_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, FileOpenedEvent | FileClosedNoWriteEvent):
            return
        paths = [event.src_path]
        if isinstance(event, FileMovedEvent | DirMovedEvent) and event.dest_path:
            paths.append(event.dest_path)
        if isinstance(event, FileClosedEvent) and not event.is_directory:
            paths = [event.src_path]
        for raw in paths:
            path = os.fsdecode(raw)
            with contextlib.suppress(RuntimeError):  # loop closed during shutdown
                self._loop.call_soon_threadsafe(self._watcher.note, path, event.is_directory)


class FilesystemWatcher:
    """One watched folder: detection (events + rescans) and reading files when applying."""

    def __init__(
        self,
        spec: SourceSpec,
        intake: ChangeIntake,
        *,
        max_document_bytes: int,
        debounce_s: float,
        debounce_max_wait_s: float,
        max_pending_paths: int,
    ) -> None:
        assert isinstance(spec.config, FilesystemConfig)
        self.spec = spec
        self.config: FilesystemConfig = spec.config
        self.root = Path(self.config.path)
        self._intake = intake
        self._max_bytes = max_document_bytes
        self._debounce_s = debounce_s
        self._max_wait_s = debounce_max_wait_s
        self._max_pending = max_pending_paths
        self._pending: dict[str, _Pending] = {}
        self._overflowed = False
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._observer: BaseObserver | None = None
        # Largest the pending map ever got: the memory bound, observable in tests.
        self.peak_pending = 0

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        observer = Observer()
        observer.schedule(_EventBridge(self, loop), str(self.root), recursive=self.config.recursive)
        observer.daemon = True
        await asyncio.to_thread(observer.start)
        self._observer = observer
        self._tasks = [
            asyncio.create_task(self._debounce_loop(), name=f"fs-debounce-{self.spec.id}"),
            asyncio.create_task(self._rescan_loop(), name=f"fs-rescan-{self.spec.id}"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._observer is not None:
            self._observer.stop()
            await asyncio.to_thread(self._observer.join, 5)
            self._observer = None

    # --- events -------------------------------------------------------------------------

    def note(self, path: str, is_dir: bool) -> None:
        """Record an event (on the loop thread); bounded: overflow turns into a rescan."""
        now = time.monotonic()
        entry = self._pending.get(path)
        if entry is not None:
            entry.last_mono = now
            entry.is_dir = entry.is_dir or is_dir
        elif len(self._pending) >= self._max_pending:
            self._overflowed = True
        else:
            self._pending[path] = _Pending(time.time(), now, now, is_dir)
            self.peak_pending = max(self.peak_pending, len(self._pending))
        self._wake.set()

    async def _debounce_loop(self) -> None:
        while True:
            timeout = self._next_due()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
            self._wake.clear()
            if self._overflowed:
                self._overflowed = False
                self._pending.clear()
                log.warning("%s: too many pending file events; rescanning", self.spec.id)
                await self._guarded(self.scan(self.root, Origin.FILESYSTEM))
                continue
            now = time.monotonic()
            due = [
                (path, entry)
                for path, entry in self._pending.items()
                if now - entry.last_mono >= self._debounce_s
                or now - entry.first_mono >= self._max_wait_s
            ]
            for path, entry in due:
                self._pending.pop(path, None)
                if entry.is_dir or await asyncio.to_thread(os.path.isdir, path):
                    await self._guarded(self.scan(Path(path), Origin.FILESYSTEM))
                else:
                    await self._guarded(
                        self.check_file(Path(path), Origin.FILESYSTEM, entry.first_seen)
                    )

    def _next_due(self) -> float | None:
        if not self._pending:
            return None
        now = time.monotonic()
        return max(
            0.0,
            min(
                min(e.last_mono + self._debounce_s, e.first_mono + self._max_wait_s) - now
                for e in self._pending.values()
            ),
        )

    async def _guarded(self, work: Awaitable[None]) -> None:
        """One bad path must not stop detection: log, record on the source, go on."""
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("%s: detection failed", self.spec.id)
            await self._intake.set_source_state(self.spec.id, SourceState.ERROR, str(exc)[:500])

    async def _rescan_loop(self) -> None:
        origin = Origin.INITIAL_SYNC
        while True:
            try:
                if not self.root.is_dir():
                    raise FileNotFoundError(f"{self.root} is missing or not a folder")
                await self.scan(self.root, origin)
                await self._intake.set_source_state(self.spec.id, SourceState.ACTIVE, synced=True)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("%s: rescan failed: %s", self.spec.id, exc)
                await self._intake.set_source_state(self.spec.id, SourceState.ERROR, str(exc)[:500])
            origin = Origin.FILESYSTEM
            await asyncio.sleep(self.config.rescan_interval_s)

    # --- detection ----------------------------------------------------------------------

    def relative(self, path: Path) -> str | None:
        """The path relative to the root, if it is one of this source's files."""
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            return None
        if rel in ("", ".") or (not self.config.recursive and "/" in rel):
            return None
        if not selected(rel, self.config.include_globs, self.config.exclude_globs):
            return None
        return rel

    def document_id_of(self, rel: str) -> str:
        return document_id(self.spec.id, safe_key(rel))

    async def check_file(
        self, path: Path, origin: Origin, seen_time: float = 0.0, bulk: bool = False
    ) -> None:
        """Compare one path with what is known and queue an upsert or deletion if it changed."""
        rel = self.relative(path)
        if rel is None:
            return
        doc_id = self.document_id_of(rel)
        fingerprint = await asyncio.to_thread(file_fingerprint, path, self._max_bytes)
        known = await self._intake.known(doc_id)
        if fingerprint is None:
            if known is not None and (known.seen_hash or known.present):
                await self._intake.submit_detected(
                    ChangeRequest(
                        ChangeKind.DELETE,
                        doc_id,
                        origin,
                        source_id=self.spec.id,
                        seen_time=seen_time or time.time(),
                        bulk=bulk,
                    )
                )
            return
        if known is not None and known.seen_hash == fingerprint:
            return  # saved without changing anything
        # Stale content is worse than missing content: edits of indexed documents go before
        # new files, so saving one file is not stuck behind a folder being copied in.
        bulk = bulk or known is None or not known.present
        if known is None or known.locator != rel:
            await self._intake.set_locator(doc_id, self.spec.id, rel)
        await self._intake.submit_detected(
            ChangeRequest(
                ChangeKind.UPSERT,
                doc_id,
                origin,
                source_id=self.spec.id,
                seen_hash=fingerprint,
                seen_time=seen_time or time.time(),
                bulk=bulk,
            )
        )

    async def scan(self, folder: Path, origin: Origin) -> None:
        """Reconcile a subtree: every file checked, every known document that is gone deleted."""
        seen: set[str] = set()
        for path in await asyncio.to_thread(lambda: list(self._walk(folder))):
            rel = self.relative(path)
            if rel is not None:
                seen.add(rel)
                await self.check_file(path, origin, bulk=True)
        prefix = "" if folder == self.root else folder.relative_to(self.root).as_posix() + "/"
        for known in await self._intake.source_documents(self.spec.id):
            rel = known.locator
            if rel and rel.startswith(prefix) and rel not in seen:
                await self.check_file(self.root / rel, origin, bulk=True)

    def _walk(self, folder: Path) -> Iterator[Path]:
        if not folder.is_dir():
            return
        if not self.config.recursive:
            yield from (p for p in folder.iterdir() if p.is_file())
            return
        for dirpath, _, filenames in os.walk(folder):
            for name in filenames:
                yield Path(dirpath) / name

    # --- reading ------------------------------------------------------------------------

    async def read(self, document_id: str, locator: str) -> DocumentPayload | None:
        if not locator:
            return None
        return await asyncio.to_thread(self._read, self.root / locator, locator)

    def _read(self, path: Path, rel: str) -> DocumentPayload | None:
        try:
            with path.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > self._max_bytes:
                    raise ApplyFailure(
                        f"DOCUMENT_TOO_LARGE: {rel} is {size} bytes; the limit is "
                        f"{self._max_bytes} bytes",
                        permanent=True,
                    )
                content = handle.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        except PermissionError as exc:
            raise ApplyFailure(f"cannot read {rel}: {exc.strerror}") from exc
        return DocumentPayload(
            content=content,
            content_type=content_type_for(rel) or "text/plain",
            source=str(path),
            access_groups=self.spec.access_groups,
            metadata={**self.spec.metadata, "source_id": self.spec.id, "path": rel},
        )
