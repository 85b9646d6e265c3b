"""What Git's output means for the index: ``git diff --raw -z`` and ``git ls-tree -r -z``
parsed, and turned into the changes of a Git source's documents. No I/O, no git.

A diff between the cursor and the new head gives, per path: A (added), M (modified),
T (type changed), D (deleted), R (renamed: a deletion of the old path and an upsert of the
new one) and C (copied: an upsert of the new path). Only regular files are documents
(symlinks and submodules are not); a file turning into one of those is a deletion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from services.indexer.changes import ChangeKind
from services.indexer.detection import safe_key

# Modes of regular files (plain and executable); 120000 is a symlink, 160000 a submodule.
_FILE_MODES = ("100644", "100755")


@dataclass(frozen=True)
class DiffEntry:
    """One line of ``git diff --raw``: status letter, modes and blobs of both sides."""

    status: str
    path: str
    old_path: str = ""
    old_mode: str = "000000"
    new_mode: str = "000000"
    old_blob: str = ""
    new_blob: str = ""


@dataclass(frozen=True)
class TreeFile:
    """One entry of ``git ls-tree -r``: a path with its mode and object."""

    path: str
    mode: str
    blob: str


@dataclass(frozen=True)
class FileChange:
    """A change to one document of the source: its key (the id without the source prefix),
    and for an upsert the path and blob to read."""

    kind: ChangeKind
    key: str
    path: str = ""
    blob: str = ""


def _text(raw: bytes) -> str:
    # Paths are bytes in Git; a non-UTF-8 one round-trips through surrogateescape.
    return raw.decode("utf-8", "surrogateescape")


def parse_raw_diff(output: bytes) -> list[DiffEntry]:
    """``git diff --raw -z --no-abbrev -M``: ":<mode> <mode> <blob> <blob> <status>\\0<path>\\0",
    with a second path after renames and copies (status R<score> / C<score>)."""
    fields = output.split(b"\0")
    entries: list[DiffEntry] = []
    i = 0
    while i < len(fields) and fields[i]:
        header = fields[i].decode("ascii")
        if not header.startswith(":"):
            raise ValueError(f"unexpected git diff output: {header[:80]!r}")
        old_mode, new_mode, old_blob, new_blob, status = header[1:].split(" ")
        letter = status[0]
        if letter in "RC":
            old_path, path = _text(fields[i + 1]), _text(fields[i + 2])
            i += 3
        else:
            old_path, path = "", _text(fields[i + 1])
            i += 2
        entries.append(DiffEntry(letter, path, old_path, old_mode, new_mode, old_blob, new_blob))
    return entries


def parse_tree(output: bytes) -> list[TreeFile]:
    """``git ls-tree -r -z --full-tree``: "<mode> <type> <object>\\t<path>\\0" per entry."""
    files: list[TreeFile] = []
    for record in output.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, _, obj = meta.decode("ascii").split(" ")
        files.append(TreeFile(_text(raw_path), mode, obj))
    return files


def diff_changes(entries: Sequence[DiffEntry], accept: Callable[[str], bool]) -> list[FileChange]:
    """The changes of one diff (cursor -> head) for the paths ``accept`` selects: deletions
    first, then upserts; a key both deleted and upserted (a path renamed away and re-added)
    is an upsert, since it exists at the head."""
    deletions: dict[str, FileChange] = {}
    upserts: dict[str, FileChange] = {}

    def delete(path: str) -> None:
        if accept(path):
            key = safe_key(path)
            deletions[key] = FileChange(ChangeKind.DELETE, key, path)

    for entry in entries:
        if entry.status == "D":
            delete(entry.path)
            continue
        if entry.status == "R":
            delete(entry.old_path)
        if entry.new_mode not in _FILE_MODES:
            if entry.old_mode in _FILE_MODES and entry.status in "MT":
                delete(entry.path)  # a file became a symlink or a submodule
            continue
        if entry.status in "AMTRC" and accept(entry.path):
            key = safe_key(entry.path)
            upserts[key] = FileChange(ChangeKind.UPSERT, key, entry.path, entry.new_blob)
    return [c for k, c in deletions.items() if k not in upserts] + list(upserts.values())


def tree_changes(
    files: Sequence[TreeFile], known: Mapping[str, str], accept: Callable[[str], bool]
) -> list[FileChange]:
    """The full comparison: the head's files against what the source has indexed
    (``known``: key -> blob last queued, "" when unknown). Upserts for new or changed files,
    deletions for keys that are no longer in the tree."""
    upserts: list[FileChange] = []
    at_head: set[str] = set()
    for file in files:
        if file.mode not in _FILE_MODES or not accept(file.path):
            continue
        key = safe_key(file.path)
        at_head.add(key)
        if known.get(key) != file.blob:
            upserts.append(FileChange(ChangeKind.UPSERT, key, file.path, file.blob))
    deletions = [FileChange(ChangeKind.DELETE, key) for key in sorted(known) if key not in at_head]
    return deletions + upserts
