"""GraphService's domain on a real SQLite file: indexing, multi-hop traversal, access,
deletion and replacement, listing, and the errors of the contract."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.graph.core import ChunkInput, GraphService, TraverseQuery
from services.graph.extraction import EntityType, entity_id
from services.graph.settings import GraphSettings
from services.graph.store import UNRESTRICTED, Caller, GraphStore
from services.runtime.errors import InvalidArgument, NotFound, PermissionDenied, ResourceExhausted
from services.runtime.grants import Grantor

WIDGET = ChunkInput(
    "widget#0", "widget",
    "Widget Inc makes marine sensors. In 2014 Widget Inc was acquired by Halvard Marine Group.",
)  # fmt: skip
HALVARD = ChunkInput(
    "halvard#0", "halvard",
    "Halvard Marine Group has its head office in Kvalvik. Ingrid Solberg has led Halvard "
    "Marine Group since 2016.",
)  # fmt: skip
SECRET = ChunkInput(
    "memo#0", "memo", "Halvard Marine Group acquired Tindra Electronics.", ("board",)
)
QUESTION = "In which town is the company that acquired Widget Inc headquartered?"
HALVARD_ID = entity_id(EntityType.ORGANIZATION, "halvard marine group")


@pytest.fixture
async def graph(tmp_path: Path) -> AsyncIterator[GraphService]:
    service = GraphService(GraphStore(tmp_path / "graph.sqlite3"), GraphSettings())
    yield service
    await service.close()


async def test_two_hops_link_the_documents_a_question_needs(graph: GraphService) -> None:
    counts = await graph.index_chunks([WIDGET, HALVARD], replace_documents=True)
    assert (counts.indexed_chunks, counts.unchanged_chunks) == (2, 0)
    assert counts.new_entities == 4  # Widget Inc, Halvard Marine Group, Kvalvik, Ingrid Solberg
    result = await graph.traverse(TraverseQuery(question=QUESTION), UNRESTRICTED)
    assert [e.name for e in result.seeds] == ["Widget Inc"]
    chains = [[e.name for e in p.entities] for p in result.paths]
    assert ["Widget Inc", "Halvard Marine Group", "Kvalvik"] in chains
    # The question's words (town... headquartered) favour Kvalvik's path over Solberg's.
    assert chains.index(["Widget Inc", "Halvard Marine Group", "Kvalvik"]) < chains.index(
        ["Widget Inc", "Halvard Marine Group", "Ingrid Solberg"]
    )
    scores = [p.score for p in result.paths]
    assert scores == sorted(scores, reverse=True)
    assert {c.document_id for c in result.chunks} == {"widget", "halvard"}
    hop = next(p for p in result.paths if len(p.relations) == 2)
    assert hop.relations[0].predicate == "acquired"
    assert hop.relations[0].supporting_chunk_ids == ["widget#0"]
    one_hop = await graph.traverse(TraverseQuery(question=QUESTION, max_hops=1), UNRESTRICTED)
    assert {c.document_id for c in one_hop.chunks} == {"widget"}


async def test_reindexing_is_idempotent_and_replace_switches_versions(graph: GraphService) -> None:
    await graph.index_chunks([WIDGET, HALVARD], replace_documents=True)
    again = await graph.index_chunks([WIDGET], replace_documents=True)
    assert (again.indexed_chunks, again.unchanged_chunks, again.removed_facts) == (0, 1, 0)
    new_version = ChunkInput(
        "halvard#0-v2", "halvard", "Halvard Marine Group moved its head office to Brennvik."
    )
    replaced = await graph.index_chunks([new_version], replace_documents=True)
    assert replaced.indexed_chunks == 1 and replaced.removed_facts > 0
    _, relations = await graph.get_entity(HALVARD_ID, "", None, 0, True, UNRESTRICTED)
    assert {r.object_name for r in relations} >= {"Brennvik"}
    assert "Kvalvik" not in {r.object_name for r in relations}
    assert "Ingrid Solberg" not in {r.subject_name for r in relations}
    with pytest.raises(NotFound):
        await graph.get_entity("", "Kvalvik", None, 0, True, UNRESTRICTED)


async def test_deleting_a_document_removes_its_facts(graph: GraphService) -> None:
    await graph.index_chunks([WIDGET, HALVARD], replace_documents=False)
    deleted = await graph.delete_document("halvard")
    assert deleted.mentions == 4 and deleted.relations == 2
    assert deleted.entities == 2  # Kvalvik and Ingrid Solberg had no other support
    result = await graph.traverse(TraverseQuery(question=QUESTION), UNRESTRICTED)
    assert {c.document_id for c in result.chunks} == {"widget"}
    page = await graph.list_entities(0, "", "", None, "halvard", False, UNRESTRICTED)
    assert page.entities == []
    entity, _ = await graph.get_entity(HALVARD_ID, "", None, 0, True, UNRESTRICTED)
    assert entity.document_ids == ["widget"] and entity.mention_count == 1
    again = await graph.delete_document("halvard")
    assert (again.mentions, again.relations, again.entities) == (0, 0, 0)


async def test_a_writer_plants_no_facts_for_a_group_they_are_not_in(graph: GraphService) -> None:
    """Facts are read by their chunks' groups, so IndexChunks grants access as an ingest
    does (services/runtime/grants.py): the writer's own groups only, nothing of a refused
    request stored."""
    sales = Grantor(frozenset({"sales"}), everyone_allowed=False, username="sam")
    with pytest.raises(PermissionDenied, match="'board'"):
        await graph.index_chunks([SECRET], replace_documents=False, grantor=sales)
    with pytest.raises(PermissionDenied, match="everyone"):
        await graph.index_chunks([WIDGET], replace_documents=False, grantor=sales)
    board = Caller(frozenset({"board"}))
    assert (await graph.list_entities(0, "", "", None, "", False, board)).entities == []
    member = Grantor(frozenset({"board"}), everyone_allowed=False, username="bea")
    counts = await graph.index_chunks([SECRET], replace_documents=False, grantor=member)
    assert counts.indexed_chunks == 1
    # Nor removes or replaces the facts a group they are not in reads.
    await graph.index_chunks([WIDGET], replace_documents=False)
    mine = ChunkInput("memo#1", "memo", "Widget Inc acquired Halvard Marine Group.", ("sales",))
    for refused in (
        graph.delete_document("memo", sales),
        graph.index_chunks([mine], replace_documents=True, grantor=sales),
        graph.delete_document("widget", member),  # public: everyone reads it
    ):
        with pytest.raises(PermissionDenied):
            await refused
    seen = await graph.list_entities(0, "", "", None, "", False, board)
    assert "Tindra Electronics" in {e.name for e in seen.entities}
    assert (await graph.delete_document("memo", member)).mentions > 0


async def test_callers_see_only_facts_of_chunks_they_may_read(graph: GraphService) -> None:
    await graph.index_chunks([WIDGET, HALVARD, SECRET], replace_documents=False)
    tindra = entity_id(EntityType.ORGANIZATION, "tindra electronics")
    outsider, insider = Caller(frozenset({"sales"})), Caller(frozenset({"board"}))
    with pytest.raises(NotFound):
        await graph.get_entity(tindra, "", None, 0, True, outsider)
    seen, _ = await graph.get_entity(tindra, "", None, 0, True, insider)
    assert seen.document_ids == ["memo"]
    public, relations = await graph.get_entity(HALVARD_ID, "", None, 0, True, outsider)
    assert "memo" not in public.document_ids and public.relation_count == len(relations) == 3
    assert all("memo#0" not in r.supporting_chunk_ids for r in relations)
    for caller, visible in ((outsider, False), (insider, True), (UNRESTRICTED, True)):
        result = await graph.traverse(TraverseQuery(entity_names=("Widget Inc",)), caller)
        reached = {e.name for p in result.paths for e in p.entities}
        assert ("Tindra Electronics" in reached) is visible
        assert ("memo" in {c.document_id for c in result.chunks}) is visible
    hidden = await graph.traverse(TraverseQuery(entity_ids=(tindra,)), outsider)
    assert hidden.seeds == [] and hidden.unmatched == [tindra]
    listed = await graph.list_entities(0, "", "", None, "", False, Caller(frozenset()))
    assert "Tindra Electronics" not in {e.name for e in listed.entities}


async def test_list_entities_pages_through_everything_once(graph: GraphService) -> None:
    await graph.index_chunks([WIDGET, HALVARD], replace_documents=False)
    names: list[str] = []
    token = ""
    while True:
        page = await graph.list_entities(2, token, "", None, "", False, UNRESTRICTED)
        names += [e.name for e in page.entities]
        token = page.next_page_token
        if not token:
            break
    assert names == ["Halvard Marine Group", "Ingrid Solberg", "Kvalvik", "Widget Inc"]
    people = await graph.list_entities(0, "", "", EntityType.PERSON, "", False, UNRESTRICTED)
    assert [e.name for e in people.entities] == ["Ingrid Solberg"]
    prefixed = await graph.list_entities(0, "", "hal", None, "", False, UNRESTRICTED)
    assert [e.name for e in prefixed.entities] == ["Halvard Marine Group"]
    first = await graph.list_entities(1, "", "", None, "", False, UNRESTRICTED)
    with pytest.raises(InvalidArgument):  # a token is bound to its filters
        await graph.list_entities(1, first.next_page_token, "k", None, "", False, UNRESTRICTED)
    relations = await graph.list_relations(HALVARD_ID, "", 1, "", UNRESTRICTED)
    rest = await graph.list_relations(HALVARD_ID, "", 10, relations.next_page_token, UNRESTRICTED)
    assert len(relations.relations) + len(rest.relations) == 3 and not rest.next_page_token


async def test_the_graph_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite3"
    first = GraphService(GraphStore(path), GraphSettings())
    await first.index_chunks([WIDGET, HALVARD], replace_documents=False)
    await first.close()
    second = GraphService(GraphStore(path), GraphSettings())
    result = await second.traverse(TraverseQuery(question=QUESTION), UNRESTRICTED)
    assert {c.document_id for c in result.chunks} == {"widget", "halvard"}
    await second.close()


@pytest.mark.parametrize(
    ("chunks", "field"),
    [
        ([], "chunks"),
        ([ChunkInput("", "d", "text")], "chunks[0].id"),
        ([ChunkInput("c", "", "text")], "chunks[0].document_id"),
        ([ChunkInput("c", "d", "  ")], "chunks[0].text"),
        ([ChunkInput(f"c{i}", "d", "x") for i in range(1001)], "chunks"),
    ],
)
async def test_bad_chunks_are_rejected(
    graph: GraphService, chunks: list[ChunkInput], field: str
) -> None:
    with pytest.raises(InvalidArgument) as error:
        await graph.index_chunks(chunks, replace_documents=False)
    assert error.value.field_violations[0].field == field
    assert graph.store.counts()["chunks"] == 0  # nothing written


@pytest.mark.parametrize(
    "query",
    [
        TraverseQuery(),
        TraverseQuery(question="Who?", max_hops=5),
        TraverseQuery(question="Who?", max_hops=-1),
        TraverseQuery(question="x" * 2001),
        TraverseQuery(entity_names=tuple(f"n{i}" for i in range(21))),
    ],
)
async def test_bad_traversals_are_rejected(graph: GraphService, query: TraverseQuery) -> None:
    with pytest.raises(InvalidArgument):
        await graph.traverse(query, UNRESTRICTED)


async def test_other_bad_reads(graph: GraphService) -> None:
    with pytest.raises(InvalidArgument):
        await graph.get_entity("", "", None, 0, True, UNRESTRICTED)
    with pytest.raises(InvalidArgument):
        await graph.get_entity("ent_x", "", None, -1, True, UNRESTRICTED)
    with pytest.raises(InvalidArgument):
        await graph.list_entities(-1, "", "", None, "", False, UNRESTRICTED)
    with pytest.raises(InvalidArgument):
        await graph.list_entities(0, "not-a-token", "", None, "", False, UNRESTRICTED)
    with pytest.raises(NotFound):
        await graph.list_relations("ent_missing", "", 0, "", UNRESTRICTED)
    with pytest.raises(InvalidArgument):
        await graph.extract("")
    unknown = await graph.traverse(TraverseQuery(entity_names=("Nobody",)), UNRESTRICTED)
    assert unknown.paths == [] and unknown.unmatched == ["Nobody"]


async def test_extraction_capacity_is_bounded(tmp_path: Path) -> None:
    settings = GraphSettings(max_concurrent_index_calls=1)
    graph = GraphService(GraphStore(tmp_path / "graph.sqlite3"), settings)
    first, second = await asyncio.gather(
        graph.index_chunks([WIDGET], replace_documents=False),
        graph.index_chunks([HALVARD], replace_documents=False),
        return_exceptions=True,
    )
    assert not isinstance(first, BaseException) and first.indexed_chunks == 1
    assert isinstance(second, ResourceExhausted) and second.retry_after_s
    await graph.close()
