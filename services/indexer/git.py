"""Git source: a branch of a repository, applied commit by commit.

The source keeps a private bare mirror under the indexer's data folder and fetches the
branch every poll interval (``git`` run as a program with an argument list, never through
a shell). Each round:

- no cursor yet (first sync), or history rewritten (the cursor is no longer an ancestor of
  the head, or unknown after the mirror was lost): the head's tree is compared with what
  the index holds for the source (services/indexer/git_changes.py ``tree_changes``);
- otherwise the diff cursor..head (``git diff --raw -M``) becomes the changes.

The changes are queued in chunks; the last chunk moves the cursor to the head in the same
SQLite transaction. A crash before that leaves the cursor where it was, and the next round
queues the same changes again: each supersedes its waiting twin, and applying is
idempotent, so nothing is lost or applied twice. A document's locator is its path and
blob; its content is that blob, read from the mirror when the change is applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import time
from pathlib import Path

from services.indexer import metrics
from services.indexer.changes import (
    ApplyFailure,
    ChangeKind,
    ChangeRequest,
    DocumentPayload,
    Origin,
)
from services.indexer.detection import ChangeIntake
from services.indexer.event_sources import EventDelivery, EventOutcome
from services.indexer.git_changes import (
    FileChange,
    diff_changes,
    parse_raw_diff,
    parse_tree,
    tree_changes,
)
from services.indexer.polling import poll_forever
from services.indexer.sources import (
    GitConfig,
    SourceSpec,
    content_type_for,
    document_id,
    expand_dsn,
    key_of,
    redact_dsn,
    selected,
)
from services.runtime.errors import FailedPrecondition

log = logging.getLogger(__name__)
_CHUNK = 256  # changes per SQLite transaction
_FETCH_TIMEOUT_S = 900.0
_COMMAND_TIMEOUT_S = 120.0
_URL_FIELD = "source.git.url"
_HEAD = "refs/ragmesh/head"


class GitError(Exception):
    """A git command failed; the message is git's, with credentials redacted."""


async def run_git(
    args: list[str],
    git_dir: Path | None,
    secret: tuple[str, str] = ("", ""),
    ok: tuple[int, ...] = (0,),
    limit_s: float = _COMMAND_TIMEOUT_S,
) -> tuple[int, bytes]:
    """Run git with an argument list (no shell); GitError with git's own error lines,
    ``secret[0]`` (the URL as expanded) shown as ``secret[1]`` (as configured)."""
    prefix = [f"--git-dir={git_dir}"] if git_dir is not None else []
    try:
        process = await asyncio.create_subprocess_exec(
            "git",
            *prefix,
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            # No prompt for credentials (a fetch must fail, not hang), messages in English.
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed on the indexer host (install Debian's git)") from exc
    try:
        async with asyncio.timeout(limit_s):
            out, err = await process.communicate()
    except BaseException as exc:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        if isinstance(exc, TimeoutError):
            raise GitError(f"git {args[0]}: no answer within {limit_s:.0f} s") from exc
        raise
    code = process.returncode or 0
    if code not in ok:
        text = err.decode("utf-8", "replace")
        if secret[0]:
            text = text.replace(secret[0], secret[1])
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # git's "fatal:"/"error:" lines say what went wrong (hints and progress do not).
        wanted = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines[-1:]
        raise GitError(f"git {args[0]}: {' '.join(wanted)[:400] or f'exit {code}'}")
    return code, out


async def check_repository(config: GitConfig) -> None:
    """FAILED_PRECONDITION (SOURCE_UNREACHABLE) unless the repository is readable and has
    the branch."""
    url, shown = expand_dsn(config.url, field=_URL_FIELD), redact_dsn(config.url)
    try:
        _, out = await run_git(
            ["ls-remote", "--heads", "--", url, f"refs/heads/{config.branch}"],
            None,
            (url, shown),
            limit_s=60.0,
        )
    except GitError as exc:
        raise FailedPrecondition(
            message=f"{_URL_FIELD}: cannot read the repository {shown}: {exc}",
            reason="SOURCE_UNREACHABLE",
        ) from exc
    if not out.strip():
        raise FailedPrecondition(
            message=f"source.git.branch: {shown} has no branch {config.branch!r}",
            reason="SOURCE_UNREACHABLE",
        )


class GitMirror:
    """The source's private bare repository, and the git commands run in it."""

    def __init__(self, path: Path, config: GitConfig) -> None:
        self.path = path
        self._config = config

    def _urls(self) -> tuple[str, str]:
        """The URL for git and as shown. ``${NAME}`` is expanded at each call: a variable
        missing at start makes the source fail with a reason, not the indexer."""
        return expand_dsn(self._config.url, field=_URL_FIELD), redact_dsn(self._config.url)

    async def run(
        self, *args: str, ok: tuple[int, ...] = (0,), limit_s: float = _COMMAND_TIMEOUT_S
    ) -> tuple[int, bytes]:
        return await run_git(list(args), self.path, self._urls(), ok, limit_s)

    async def ensure(self) -> None:
        if not (self.path / "HEAD").exists():
            await asyncio.to_thread(self.path.mkdir, parents=True, exist_ok=True)
            await self.run("init", "--bare", "--quiet")

    async def fetch(self) -> str:
        """Fetch the branch (history rewrites included) and return its head commit."""
        await self.run(
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--",
            self._urls()[0],
            f"+refs/heads/{self._config.branch}:{_HEAD}",
            limit_s=_FETCH_TIMEOUT_S,
        )
        _, out = await self.run("rev-parse", "--verify", f"{_HEAD}^{{commit}}")
        return out.decode().strip()

    async def is_ancestor(self, commit: str, head: str) -> bool:
        """False too when ``commit`` is not in the mirror (lost, or never fetched here)."""
        code, _ = await self.run("merge-base", "--is-ancestor", commit, head, ok=(0, 1, 128))
        return code == 0

    async def commits_between(self, old: str, new: str) -> int:
        _, out = await self.run("rev-list", "--count", f"{old}..{new}")
        return int(out.strip() or 0)

    async def diff(self, old: str, new: str) -> bytes:
        _, out = await self.run(
            "diff", "--raw", "-z", "--no-abbrev", "--no-ext-diff", "-M", old, new, "--"
        )
        return out

    async def tree(self, commit: str) -> bytes:
        _, out = await self.run("ls-tree", "-r", "-z", "--full-tree", commit)
        return out

    async def blob_at_head(self, path: str) -> str | None:
        code, out = await self.run("rev-parse", "--verify", "--quiet", f"{_HEAD}:{path}", ok=(0, 1))
        return out.decode().strip() if code == 0 else None

    async def blob_size(self, blob: str) -> int | None:
        code, out = await self.run("cat-file", "-s", blob, ok=(0, 128))
        return int(out.strip()) if code == 0 else None

    async def blob(self, blob: str) -> bytes:
        _, out = await self.run("cat-file", "blob", blob)
        return out


class GitFollower:
    """One Git source: fetching, queueing changes with the commit as cursor, reading blobs."""

    def __init__(
        self,
        spec: SourceSpec,
        intake: ChangeIntake,
        *,
        mirror_root: Path,
        max_document_bytes: int,
    ) -> None:
        assert isinstance(spec.config, GitConfig)
        self.spec = spec
        self.config: GitConfig = spec.config
        self._intake = intake
        self._max_bytes = max_document_bytes
        self.mirror = GitMirror(mirror_root / spec.id, self.config)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # Commits on the fetched head not queued yet; None when unknown.
        self.commits_behind: int | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"git-follow-{self.spec.id}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        with contextlib.suppress(KeyError):
            metrics.SOURCE_LAG_COMMITS.remove(self.spec.id)

    async def drop(self) -> None:
        """The source is deleted: its mirror goes too."""
        await asyncio.to_thread(shutil.rmtree, self.mirror.path, True)

    async def receive(self, delivery: EventDelivery) -> EventOutcome:
        """A push notification (``POST /v1/sources/{id}/events``, e.g. a forge's push
        hook): fetch at once instead of at the next poll. Nothing in the body is read or
        trusted, so no signature is needed: the changes come from the repository itself,
        and notifications arriving during a fetch make one more fetch, not one each."""
        self._wake.set()
        return EventOutcome()

    # --- following ------------------------------------------------------------------------

    async def _run(self) -> None:
        await poll_forever(
            self.spec.id,
            self._intake,
            self.sync,
            interval_s=self.config.poll_interval_s,
            why=lambda exc: (
                str(exc) if isinstance(exc, GitError) else f"{type(exc).__name__}: {exc}"
            ),
            pause=self._pause,
            on_error=lambda: self._set_behind(None),
        )

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    async def sync(self) -> None:
        """One round: fetch, then queue what changed since the cursor and move it."""
        await self.mirror.ensure()
        head = await self.mirror.fetch()
        cursor = await self._intake.cursor(self.spec.id)
        if cursor == head:
            self._set_behind(0)
            return
        now = time.time()
        if cursor and await self.mirror.is_ancestor(cursor, head):
            self._set_behind(await self.mirror.commits_between(cursor, head))
            changes = diff_changes(
                parse_raw_diff(await self.mirror.diff(cursor, head)), self._accept
            )
            await self._queue(changes, Origin.GIT, head, now)
        else:
            if cursor:
                log.warning(
                    "%s: commit %s is not an ancestor of %s (history rewritten); comparing "
                    "the whole tree",
                    self.spec.id,
                    cursor[:12],
                    head[:12],
                )
            self._set_behind(None)
            known = {
                key: doc.seen_hash
                for doc in await self._intake.source_documents(self.spec.id)
                if (key := key_of(self.spec.id, doc.document_id)) is not None
            }
            changes = tree_changes(parse_tree(await self.mirror.tree(head)), known, self._accept)
            await self._queue(changes, Origin.GIT if cursor else Origin.INITIAL_SYNC, head, now)
        self._set_behind(0)

    def _accept(self, path: str) -> bool:
        return selected(path, self.config.include_globs, self.config.exclude_globs)

    async def _queue(
        self, changes: list[FileChange], origin: Origin, head: str, now: float
    ) -> None:
        requests = [self._request(change, origin, now) for change in changes]
        for start in range(0, max(len(requests), 1), _CHUNK):
            last = start + _CHUNK >= len(requests)
            await self._intake.queue_with_cursor(
                self.spec.id, requests[start : start + _CHUNK], head if last else ""
            )

    def _request(self, change: FileChange, origin: Origin, now: float) -> tuple[ChangeRequest, str]:
        doc_id = document_id(self.spec.id, change.key)
        if change.kind is ChangeKind.DELETE:
            return ChangeRequest(ChangeKind.DELETE, doc_id, origin, self.spec.id, seen_time=now), ""
        request = ChangeRequest(
            ChangeKind.UPSERT,
            doc_id,
            origin,
            self.spec.id,
            # The blob id: the full comparison tells changed files by it.
            seen_hash=change.blob,
            seen_time=now,
        )
        return request, json.dumps({"path": change.path, "blob": change.blob})

    def _set_behind(self, commits: int | None) -> None:
        self.commits_behind = commits
        metrics.SOURCE_LAG_COMMITS.labels(self.spec.id).set(-1 if commits is None else commits)

    # --- applying -------------------------------------------------------------------------

    async def read(self, document_id: str, locator: str) -> DocumentPayload | None:
        if not locator:
            return None
        body = json.loads(locator)
        # A NotifyChange without content for this source names the path ("value"): the
        # fetched head's version of it is read.
        path = str(body.get("path") or body.get("value") or "")
        if not path:
            return None
        blob = str(body.get("blob") or "") or await self.mirror.blob_at_head(path)
        if not blob:
            return None
        size = await self.mirror.blob_size(blob)
        if size is None:
            raise ApplyFailure(f"blob {blob[:12]} of {path} is not in the mirror yet; retrying")
        if size > self._max_bytes:
            raise ApplyFailure(
                f"DOCUMENT_TOO_LARGE: {path} is {size} bytes; the limit is {self._max_bytes} bytes",
                permanent=True,
            )
        return DocumentPayload(
            content=await self.mirror.blob(blob),
            content_type=content_type_for(path) or "text/plain",
            source=f"{redact_dsn(self.config.url)}#{self.config.branch}:{path}",
            access_groups=self.spec.access_groups,
            metadata={**self.spec.metadata, "source_id": self.spec.id, "path": path},
        )
