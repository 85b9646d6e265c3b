"""The Git source: Git's output turned into changes (pure), validation, and the source
following a real bare repository (git CLI) into an in-memory index."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from rag.v1 import indexer_pb2
from services.indexer import git as git_source
from services.indexer.__main__ import detector_factory
from services.indexer.changes import ChangeKind, ChangeRequest
from services.indexer.convert import source_message, source_spec
from services.indexer.core import Indexer
from services.indexer.detection import safe_key
from services.indexer.event_sources import EventDelivery
from services.indexer.git_changes import (
    DiffEntry,
    FileChange,
    TreeFile,
    diff_changes,
    parse_raw_diff,
    parse_tree,
    tree_changes,
)
from services.indexer.model import NotifyInput
from services.indexer.source_registry import spec_from_json, spec_to_json
from services.indexer.sources import (
    GitConfig,
    SourceSpec,
    SourceState,
    SourceStatus,
    selected,
    valid_branch,
    validate_source,
)
from services.runtime.errors import FailedPrecondition, InvalidArgument
from tests.support.git_repo import GitRepo
from tests.unit.test_indexer_core import MemorySink, eventually, settings

A = "a" * 40
B = "b" * 40
C = "c" * 40


def markdown_only(path: str) -> bool:
    return selected(path, ("**/*.md",), ("drafts/**",))


# --- Git's output -> changes (pure) ---------------------------------------------------


def test_raw_diff_is_parsed_with_both_paths_of_a_rename() -> None:
    raw = (
        f":000000 100644 {'0' * 40} {A} A\0new.md\0"
        f":100644 100644 {A} {B} M\0docs/edited.md\0"
        f":100644 100644 {B} {B} R100\0old name.md\0moved/new name.md\0"
        f":100644 000000 {C} {'0' * 40} D\0gone.md\0"
    ).encode()
    assert parse_raw_diff(raw) == [
        DiffEntry("A", "new.md", "", "000000", "100644", "0" * 40, A),
        DiffEntry("M", "docs/edited.md", "", "100644", "100644", A, B),
        DiffEntry("R", "moved/new name.md", "old name.md", "100644", "100644", B, B),
        DiffEntry("D", "gone.md", "", "100644", "000000", C, "0" * 40),
    ]
    assert parse_raw_diff(b"") == []
    with pytest.raises(ValueError):
        parse_raw_diff(b"diff --git a/x b/x\0")


def test_adds_modifications_renames_and_deletions_become_changes() -> None:
    entries = [
        DiffEntry("A", "new.md", new_mode="100644", new_blob=A),
        DiffEntry("M", "edited.md", old_mode="100644", new_mode="100755", new_blob=B),
        DiffEntry("R", "to.md", "from.md", "100644", "100644", C, C),
        DiffEntry("D", "gone.md", old_mode="100644"),
        DiffEntry("A", "image.png", new_mode="100644", new_blob=A),  # no content type
        DiffEntry("A", "drafts/wip.md", new_mode="100644", new_blob=A),  # excluded
    ]
    assert diff_changes(entries, markdown_only) == [
        FileChange(ChangeKind.DELETE, "from.md", "from.md"),
        FileChange(ChangeKind.DELETE, "gone.md", "gone.md"),
        FileChange(ChangeKind.UPSERT, "new.md", "new.md", A),
        FileChange(ChangeKind.UPSERT, "edited.md", "edited.md", B),
        FileChange(ChangeKind.UPSERT, "to.md", "to.md", C),
    ]


def test_renames_across_the_selection_and_non_files() -> None:
    entries = [
        # Renamed out of the selection: only the deletion; into it: only the upsert.
        DiffEntry("R", "drafts/a.md", "a.md", "100644", "100644", A, A),
        DiffEntry("R", "b.md", "drafts/b.md", "100644", "100644", B, B),
        # A file that became a symlink is gone; a submodule never was a document.
        DiffEntry("T", "link.md", "", "100644", "120000", A, C),
        DiffEntry("A", "vendor.md", "", "000000", "160000", "", C),
        # Renamed away and re-created under the old name: the old key is an upsert.
        DiffEntry("R", "c2.md", "c.md", "100644", "100644", A, A),
        DiffEntry("A", "c.md", "", "000000", "100644", "", B),
    ]
    assert diff_changes(entries, markdown_only) == [
        FileChange(ChangeKind.DELETE, "a.md", "a.md"),
        FileChange(ChangeKind.DELETE, "link.md", "link.md"),
        FileChange(ChangeKind.UPSERT, "b.md", "b.md", B),
        FileChange(ChangeKind.UPSERT, "c2.md", "c2.md", A),
        FileChange(ChangeKind.UPSERT, "c.md", "c.md", B),
    ]


def test_paths_that_are_not_id_safe_get_distinct_keys() -> None:
    entries = [DiffEntry("A", "notes/ä b.md", new_mode="100644", new_blob=A)]
    (change,) = diff_changes(entries, markdown_only)
    assert change.path == "notes/ä b.md" and change.key == safe_key("notes/ä b.md")
    assert change.key != change.path


def test_full_comparison_upserts_what_changed_and_deletes_what_vanished() -> None:
    listing = (
        f"100644 blob {A}\tsame.md\x00100644 blob {C}\tchanged.md\x00"
        f"100644 blob {A}\tnew.md\x00120000 blob {B}\tlink.md\x00160000 commit {B}\tsub\x00"
        f"100644 blob {A}\tpicture.png\x00"
    ).encode()
    files = parse_tree(listing)
    assert files[0] == TreeFile("same.md", "100644", A)
    known = {"same.md": A, "changed.md": B, "vanished.md": A, "link.md": B}
    assert tree_changes(files, known, markdown_only) == [
        FileChange(ChangeKind.DELETE, "link.md"),
        FileChange(ChangeKind.DELETE, "vanished.md"),
        FileChange(ChangeKind.UPSERT, "changed.md", "changed.md", C),
        FileChange(ChangeKind.UPSERT, "new.md", "new.md", A),
    ]
    # Nothing known yet (first sync): every selected file.
    assert [c.key for c in tree_changes(files, {}, markdown_only)] == [
        "same.md",
        "changed.md",
        "new.md",
    ]


# --- validation and conversion --------------------------------------------------------


@pytest.mark.parametrize("name", ["main", "feature/x-1", "release-2.0", "user/ana/fix_7", "v1.2.3"])
def test_valid_branch_names(name: str) -> None:
    assert valid_branch(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "@",
        "-x",
        "/main",
        "main/",
        "a..b",
        "a b",
        "a~1",
        "a^",
        "a:b",
        "a?",
        "a*",
        "a[",
        "a\\b",
        "x.lock",
        "a/.hidden",
        "end.",
        "a//b",
        "a@{1}",
        "tab\tname",
    ],
)
def test_invalid_branch_names(name: str) -> None:
    assert not valid_branch(name)


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (GitConfig(url=""), "source.git.url"),
        (GitConfig(url="relative/repo"), "source.git.url"),
        (GitConfig(url="ext::sh -c touch% /tmp/pwned"), "source.git.url"),
        (GitConfig(url="--upload-pack=touch /tmp/x"), "source.git.url"),
        (GitConfig(url="/srv/repo.git\nx"), "source.git.url"),
        (GitConfig(url="/srv/repo.git", branch="a..b"), "source.git.branch"),
        (GitConfig(url="/srv/repo.git", branch=""), "source.git.branch"),
        (GitConfig(url="/srv/repo.git", include_globs=("/abs/*.md",)), "source.git.include_globs"),
        (GitConfig(url="/srv/repo.git", exclude_globs=("",)), "source.git.exclude_globs"),
        (GitConfig(url="/srv/repo.git", poll_interval_s=0.5), "source.git.poll_interval"),
    ],
)
def test_bad_configuration_names_the_field(config: GitConfig, field: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate_source(SourceSpec(id="git-docs", config=config))
    assert raised.value.field_violations[0].field == field
    assert field in raised.value.message


def test_good_urls_pass_validation() -> None:
    for url in ("/srv/repo.git", "https://git.example.com/docs.git", "file:///srv/r", "ssh://h/r"):
        validate_source(SourceSpec(id="git-docs", config=GitConfig(url=url)))


def test_contract_round_trip_and_stored_spec() -> None:
    message = indexer_pb2.Source(
        git=indexer_pb2.GitSourceConfig(
            url="https://bot:s3cret@git.example.com/docs.git",
            include_globs=["docs/**/*.md"],
        ),
        access_groups=["eng"],
    )
    spec = source_spec("git-docs", message)
    assert spec.config == GitConfig(
        url="https://bot:s3cret@git.example.com/docs.git",
        branch="main",  # empty means main
        include_globs=("docs/**/*.md",),
        poll_interval_s=60.0,
    )
    assert spec_from_json(spec_to_json(spec)) == spec
    shown = source_message(SourceStatus(spec, SourceState.ACTIVE, 0.0, None, "", 0, "abc", None))
    assert shown.kind == indexer_pb2.SOURCE_KIND_GIT
    assert shown.git.url == "https://bot:****@git.example.com/docs.git"
    assert shown.git.commits_behind == -1 and shown.cursor == "abc"


# --- a real repository ----------------------------------------------------------------


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
async def indexer(tmp_path: Path, sink: MemorySink) -> AsyncIterator[Indexer]:
    config = settings(tmp_path)
    running = Indexer(config, sink, detector_factory(config))
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    made = GitRepo(tmp_path / "repo")
    made.write("README.md", "# Handbook\n\nWelcome.")
    made.write("docs/setup.md", "Install the tools.")
    made.write("docs/drafts/wip.md", "Not yet.")
    made.write("logo.png", "not an image")
    made.commit("first")
    return made


def spec_for(repo: GitRepo, source_id: str = "git-docs") -> SourceSpec:
    return SourceSpec(
        id=source_id,
        config=GitConfig(
            url=str(repo.origin), exclude_globs=("docs/drafts/**",), poll_interval_s=1.0
        ),
        access_groups=("eng",),
    )


def texts(sink: MemorySink) -> dict[str, str]:
    return {doc_id: doc.content.decode() for doc_id, doc in sink.index.items()}


async def test_commits_reach_the_index_as_adds_modifications_renames_and_deletions(
    indexer: Indexer, sink: MemorySink, repo: GitRepo, tmp_path: Path
) -> None:
    await indexer.create_source(spec_for(repo))
    await eventually(lambda: len(sink.index) == 2)
    assert texts(sink) == {
        "git-docs:README.md": "# Handbook\n\nWelcome.",
        "git-docs:docs/setup.md": "Install the tools.",
    }
    readme = sink.index["git-docs:README.md"]
    assert readme.content_type == "text/markdown" and readme.access_groups == ("eng",)
    assert readme.metadata["path"] == "README.md"
    status = await indexer.get_source("git-docs")
    assert status.cursor == repo.head() and status.state is SourceState.ACTIVE

    repo.write("docs/new.md", "A new page.")
    repo.write("README.md", "# Handbook\n\nWelcome, edited.")
    repo.move("docs/setup.md", "guide/setup.md")
    repo.write("notes.txt", "to be deleted")
    repo.commit("second")
    repo.remove("notes.txt")
    head = repo.commit("third")
    expected = {
        "git-docs:README.md": "# Handbook\n\nWelcome, edited.",
        "git-docs:docs/new.md": "A new page.",
        "git-docs:guide/setup.md": "Install the tools.",
    }
    await eventually(lambda: texts(sink) == expected)
    assert "git-docs:docs/setup.md" in sink.deletes
    # Both commits came as one diff: the file added and removed in between never arrived.
    assert "git-docs:notes.txt" not in sink.upserts
    await eventually(lambda: sink.upserts.count("git-docs:README.md") == 2)
    status = await indexer.get_source("git-docs")
    assert status.cursor == head and status.commits_behind == 0 and not status.last_error
    assert (await indexer.status()).sources[0].commits_behind == 0

    mirror = tmp_path / "state" / "git" / "git-docs"
    assert (mirror / "HEAD").exists()
    await indexer.delete_source("git-docs", delete_documents=True, allow_missing=False)
    assert not mirror.exists()
    await eventually(lambda: not sink.index)


async def test_force_push_falls_back_to_a_full_comparison(
    indexer: Indexer,
    sink: MemorySink,
    repo: GitRepo,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    base = repo.head()
    repo.write("docs/extra.md", "Extra page.")
    repo.write("docs/setup.md", "Install the tools, v2.")
    repo.commit("second")
    await indexer.create_source(spec_for(repo))
    await eventually(lambda: len(sink.index) == 3)
    readme_upserts = sink.upserts.count("git-docs:README.md")

    # History rewritten: back to the first commit, then a different change on top.
    repo.reset_hard(base)
    repo.write("docs/other.md", "Another page.")
    repo.commit("rewritten", push=False)
    repo.push(force=True)
    expected = {
        "git-docs:README.md": "# Handbook\n\nWelcome.",
        "git-docs:docs/setup.md": "Install the tools.",
        "git-docs:docs/other.md": "Another page.",
    }
    await eventually(lambda: texts(sink) == expected)
    assert "git-docs:docs/extra.md" in sink.deletes
    # Unchanged files are not indexed again.
    assert sink.upserts.count("git-docs:README.md") == readme_upserts
    await eventually(lambda: sink.upserts.count("git-docs:docs/setup.md") == 2)
    assert (await indexer.get_source("git-docs")).cursor == repo.head()
    assert "history rewritten" in caplog.text

    # The mirror lost and history rewritten again: the cursor's commit is unknown to the
    # fresh mirror. Compared in full too, and only what changed is indexed again.
    upserts = len(sink.upserts)
    shutil.rmtree(tmp_path / "state" / "git" / "git-docs")
    repo.reset_hard(base)
    repo.write("docs/other.md", "Another page, edited.")
    repo.commit("rewritten again", push=False)
    repo.push(force=True)
    expected["git-docs:docs/other.md"] = "Another page, edited."
    await eventually(lambda: texts(sink) == expected)
    assert sink.upserts[upserts:] == ["git-docs:docs/other.md"]
    await eventually(lambda: caplog.text.count("history rewritten") == 2)


async def test_a_crash_between_chunks_keeps_the_cursor_and_requeues(
    tmp_path: Path, sink: MemorySink, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cursor moves with the last chunk only: a crash after the first chunk leaves it
    where it was, and the next round queues the whole diff again, duplicating nothing."""
    config = settings(tmp_path)
    indexer = Indexer(config, sink, detector_factory(config))
    await indexer.start()
    try:
        await indexer.create_source(spec_for(repo))
        await eventually(lambda: len(sink.index) == 2)
        first_head = repo.head()
        for i in range(5):
            repo.write(f"pages/p{i}.md", f"Page {i}.")
        repo.commit("five pages")
        monkeypatch.setattr(git_source, "_CHUNK", 2)
        real = indexer.queue_with_cursor
        calls: list[str] = []

        async def crash_after_first_chunk(
            source_id: str, changes: list[tuple[ChangeRequest, str]], cursor: str
        ) -> None:
            calls.append(cursor)
            if len(calls) == 2:
                raise RuntimeError("simulated crash")
            await real(source_id, changes, cursor)

        monkeypatch.setattr(indexer, "queue_with_cursor", crash_after_first_chunk)
        await eventually(lambda: len(calls) >= 2)
        assert (await indexer.get_source("git-docs")).cursor == first_head
        monkeypatch.setattr(indexer, "queue_with_cursor", real)
        await eventually(lambda: len(sink.index) == 7)
        assert (await indexer.get_source("git-docs")).cursor == repo.head()
        assert calls[0] == "" and calls[1] == ""  # neither chunk carried the cursor
    finally:
        await indexer.stop()
    for i in range(5):
        assert sink.index[f"git-docs:pages/p{i}.md"].content == f"Page {i}.".encode()


async def test_restart_applies_commits_made_while_down(
    tmp_path: Path, sink: MemorySink, repo: GitRepo
) -> None:
    config = settings(tmp_path)
    first = Indexer(config, sink, detector_factory(config))
    await first.start()
    await first.create_source(spec_for(repo))
    await eventually(lambda: len(sink.index) == 2)
    await first.stop()
    repo.write("docs/later.md", "Written while the indexer was down.")
    repo.remove("README.md")
    repo.commit("while down")
    second = Indexer(config, sink, detector_factory(config))
    await second.start()
    try:
        await eventually(
            lambda: set(sink.index) == {"git-docs:docs/setup.md", "git-docs:docs/later.md"}
        )
        assert (await second.get_source("git-docs")).cursor == repo.head()
    finally:
        await second.stop()


async def state_within(
    indexer: Indexer, source_id: str, state: SourceState, within: float = 10.0
) -> SourceStatus:
    deadline = time.monotonic() + within
    while (status := await indexer.get_source(source_id)).state is not state:
        assert time.monotonic() < deadline, f"{source_id} still {status.state.name}"
        await asyncio.sleep(0.05)
    return status


async def test_unreachable_repository_backs_off_with_a_reason(
    indexer: Indexer, sink: MemorySink, repo: GitRepo, tmp_path: Path
) -> None:
    await indexer.create_source(spec_for(repo))
    await eventually(lambda: len(sink.index) == 2)
    moved = tmp_path / "elsewhere.git"
    shutil.move(repo.origin, moved)
    try:
        status = await state_within(indexer, "git-docs", SourceState.ERROR)
        assert "git fetch" in status.last_error and "retrying in" in status.last_error
        assert str(repo.origin) in status.last_error
        assert status.commits_behind is None and status.cursor  # the cursor is kept
    finally:
        shutil.move(moved, repo.origin)
    repo.write("docs/back.md", "Reachable again.")
    repo.commit("back")
    await eventually(lambda: "git-docs:docs/back.md" in sink.index, within=15)
    status = await indexer.get_source("git-docs")
    assert status.state is SourceState.ACTIVE and not status.last_error


async def test_create_source_refuses_unreadable_repositories_and_missing_branches(
    indexer: Indexer, repo: GitRepo, tmp_path: Path
) -> None:
    missing = SourceSpec(id="git-missing", config=GitConfig(url=str(tmp_path / "nowhere.git")))
    with pytest.raises(FailedPrecondition) as raised:
        await indexer.create_source(missing)
    assert raised.value.reason == "SOURCE_UNREACHABLE"
    assert raised.value.message.startswith("source.git.url: cannot read the repository")
    branchless = SourceSpec(
        id="git-branch", config=GitConfig(url=str(repo.origin), branch="no-such-branch")
    )
    with pytest.raises(FailedPrecondition) as raised:
        await indexer.create_source(branchless)
    assert raised.value.message.startswith("source.git.branch:")
    assert await indexer.sources.list_sources() == []


async def test_a_push_notification_fetches_at_once(
    indexer: Indexer, sink: MemorySink, repo: GitRepo
) -> None:
    hourly = GitConfig(url=str(repo.origin), poll_interval_s=3600.0)
    await indexer.create_source(SourceSpec(id="git-hook", config=hourly))
    await eventually(lambda: "git-hook:README.md" in sink.index)
    repo.write("docs/pushed.md", "Announced by a push hook.")
    repo.commit("pushed")
    # The body is not read: a forge's push payload, or nothing at all.
    outcome = await indexer.receive_event("git-hook", EventDelivery(b'{"ref": "whatever"}'))
    assert outcome.queued == 0 and outcome.reply is None
    await eventually(lambda: "git-hook:docs/pushed.md" in sink.index, within=10)
    assert (await indexer.get_source("git-hook")).cursor == repo.head()


async def test_notify_change_without_content_reads_the_fetched_head(
    indexer: Indexer, sink: MemorySink, repo: GitRepo
) -> None:
    await indexer.create_source(spec_for(repo))
    await eventually(lambda: len(sink.index) == 2)
    # A file the globs leave out, asked for by name: read from the head the mirror has.
    for doc_id in ("git-docs:docs/drafts/wip.md", "git-docs:docs/none.md"):
        await indexer.notify(
            NotifyInput("k-" + doc_id, ChangeKind.UPSERT, doc_id, doc_id, source_id="git-docs")
        )
    await eventually(lambda: sink.text("git-docs:docs/drafts/wip.md") == "Not yet.")
    await eventually(lambda: "git-docs:docs/none.md" in sink.deletes)  # not in the repository
    assert "git-docs:docs/none.md" not in sink.index


async def test_a_host_without_git_is_told_so(
    indexer: Indexer, repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(FailedPrecondition) as raised:
        await indexer.create_source(spec_for(repo))
    assert "git is not installed on the indexer host" in raised.value.message


async def test_a_token_variable_gone_at_restart_fails_the_source_not_the_indexer(
    tmp_path: Path, sink: MemorySink, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAGMESH_TEST_GIT_ROOT", str(repo.origin.parent))
    spec = SourceSpec(
        id="git-env", config=GitConfig(url="file://${RAGMESH_TEST_GIT_ROOT}/origin.git")
    )
    config = settings(tmp_path)
    first = Indexer(config, sink, detector_factory(config))
    await first.start()
    await first.create_source(spec)
    await eventually(lambda: "git-env:README.md" in sink.index)
    await first.stop()
    monkeypatch.delenv("RAGMESH_TEST_GIT_ROOT")
    second = Indexer(config, sink, detector_factory(config))
    await second.start()
    try:
        status = await state_within(second, "git-env", SourceState.ERROR)
        assert "environment variable RAGMESH_TEST_GIT_ROOT is not set" in status.last_error
    finally:
        await second.stop()
