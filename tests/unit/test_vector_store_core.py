"""The vector store's domain logic on an embedded Chroma: writes, reads, search, access."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from prometheus_client import REGISTRY

from services.common.fusion import reciprocal_rank_fusion
from services.common.text import Tokenizer, porter_stem
from services.embedding.core import SentenceEncoder
from services.runtime.errors import (
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
)
from services.vector_store.__main__ import runtime_settings
from services.vector_store.bm25 import KeywordEntry, KeywordIndex
from services.vector_store.core import (
    UNRESTRICTED,
    Caller,
    ChunkData,
    ChunkStore,
    DocumentInput,
    EmbeddedChunk,
    FilterOperator,
    MetadataCondition,
    RetrievalMode,
    SearchQuery,
    StoredDocument,
    UpsertRequest,
    ValidatedUpsert,
    VectorStore,
    open_client,
)
from services.vector_store.settings import VectorStoreSettings

DIMS = 4
HASH = hashlib.sha256(b"content").hexdigest()
DENSE, KEYWORD, HYBRID = RetrievalMode.DENSE, RetrievalMode.KEYWORD, RetrievalMode.HYBRID


def settings_for(path: Path, **overrides: object) -> VectorStoreSettings:
    return VectorStoreSettings(
        persist_path=str(path), dimensions=DIMS, embedding_model_id="test-model", **overrides
    )


@pytest.fixture
def store(tmp_path: Path) -> ChunkStore:
    settings = settings_for(tmp_path)
    return ChunkStore(open_client(settings), settings)


def unit(*values: float) -> list[float]:
    v = np.asarray(values, dtype=np.float32)
    return (v / np.linalg.norm(v)).tolist()  # type: ignore[no-any-return]


def chunks(doc: str, *items: tuple[str, Sequence[float]], **fields: object) -> list[EmbeddedChunk]:
    return [
        EmbeddedChunk(ChunkData(id=f"{doc}#{i}", document_id=doc, position=i, text=t, **fields), e)  # type: ignore[arg-type]
        for i, (t, e) in enumerate(items)
    ]


def put(
    s: ChunkStore,
    doc: str,
    *items: tuple[str, Sequence[float]],
    groups: tuple[str, ...] = (),
    metadata: dict[str, str] | None = None,
    title: str = "",
) -> None:
    s.upsert(
        DocumentInput(doc, HASH, title=title, access_groups=groups, metadata=metadata or {}),
        chunks(doc, *items),
    )


def search(
    s: ChunkStore,
    text: str,
    vector: Sequence[float] | None = None,
    mode: RetrievalMode = HYBRID,
    caller: Caller = UNRESTRICTED,
    **options: object,
) -> list[str]:
    query = SearchQuery(
        text=text,
        embedding=vector if vector is not None else unit(1, 1, 1, 1),
        mode=mode,
        **options,  # type: ignore[arg-type]
    )
    return [c.chunk.id for c in s.search(query, caller).chunks]


# ---- writes and reads --------------------------------------------------------------------


def test_upsert_get_list_count_roundtrip(store: ChunkStore) -> None:
    stored = store.upsert(
        DocumentInput(
            "handbook/1", HASH, title="Handbook", source="wiki", metadata={"dept": "eng"}
        ),
        chunks(
            "handbook/1",
            ("cats purr when content", unit(1, 0, 0, 0)),
            ("dogs bark at strangers", unit(0, 1, 0, 0)),
        ),
    )
    assert stored.chunk_count == 2 and stored.content_hash == HASH
    assert abs(stored.update_time - time.time()) < 60
    got = store.get_document("handbook/1")
    assert (got.title, got.source, dict(got.metadata), got.version) == (
        "Handbook",
        "wiki",
        {"dept": "eng"},
        stored.version,
    )
    page = store.list_chunks("handbook/1")
    assert [c.id for c in page.chunks] == ["handbook/1#0", "handbook/1#1"]
    assert page.chunks[0].title == "Handbook"  # the document's title is copied
    assert dict(page.chunks[0].metadata) == {"dept": "eng"}  # document metadata merged
    assert page.next_page_token == ""
    assert store.count_chunks().chunk_count == 2


def test_bad_upserts_get_the_contract_codes(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, max_chunks_per_document=3)
    s = ChunkStore(open_client(settings), settings)
    ok = chunks("d", ("text", unit(1, 0, 0, 0)))

    def fails(
        kind: type[DomainError],
        document: DocumentInput,
        items: list[EmbeddedChunk],
        model: str = "",
    ) -> DomainError:
        with pytest.raises(kind) as err:
            s.upsert(document, items, model)
        return err.value

    fails(InvalidArgument, DocumentInput("", HASH), ok)
    fails(InvalidArgument, DocumentInput("bad id!", HASH), ok)
    fails(InvalidArgument, DocumentInput("d", HASH, has_content=True), ok)
    fails(InvalidArgument, DocumentInput("d", "not-a-hash"), ok)
    dup = chunks("d", ("a", unit(1, 0, 0, 0)), ("b", unit(0, 1, 0, 0)))
    dup[1] = EmbeddedChunk(
        ChunkData(id="d#0", document_id="d", position=1, text="b"), dup[1].embedding
    )
    fails(InvalidArgument, DocumentInput("d", HASH), dup)
    fails(InvalidArgument, DocumentInput("d", HASH), chunks("other", ("a", unit(1, 0, 0, 0))))
    fails(InvalidArgument, DocumentInput("d", HASH), chunks("d", ("a", [1.0, 0]), ("b", [1.0])))
    wrong = fails(FailedPrecondition, DocumentInput("d", HASH), chunks("d", ("a", [1.0, 0.0])))
    assert wrong.reason == "EMBEDDING_DIMENSION_MISMATCH"
    model = fails(FailedPrecondition, DocumentInput("d", HASH), ok, "other-model")
    assert model.reason == "EMBEDDING_MODEL_MISMATCH"
    many = chunks("d", *[(f"t{i}", unit(1, 0, 0, 0)) for i in range(4)])
    fails(ResourceExhausted, DocumentInput("d", HASH), many)
    with pytest.raises(NotFound):
        s.get_document("missing")
    with pytest.raises(NotFound):
        s.delete("missing")
    assert s.delete("missing", allow_missing=True) == 0
    assert s.count_chunks().chunk_count == 0  # nothing was half-written


def test_replace_leaves_no_stale_chunk_findable(store: ChunkStore) -> None:
    put(
        store, "doc", ("zebra stripes old text", unit(1, 0, 0, 0)), ("zebra mane", unit(0, 1, 0, 0))
    )
    put(store, "doc", ("giraffe necks new text", unit(0, 0, 1, 0)))
    for mode in RetrievalMode:
        assert search(store, "zebra giraffe", unit(1, 0, 0, 0), mode) == ["doc#0"]
        texts = [
            c.chunk.text
            for c in store.search(SearchQuery("zebra giraffe", unit(1, 0, 0, 0), mode=mode)).chunks
        ]
        assert texts == ["giraffe necks new text"]
    assert search(store, "zebra", None, KEYWORD) == []
    assert store.count_chunks().chunk_count == 1
    assert store._chunks.count() == 1  # the old version's records are gone from Chroma


def test_delete_disappears_from_dense_keyword_and_counts(store: ChunkStore) -> None:
    put(store, "a", ("quantum entanglement", unit(1, 0, 0, 0)))
    put(store, "b", ("classical mechanics", unit(0, 1, 0, 0)))
    assert store.delete("a") == 1
    for mode in RetrievalMode:
        assert search(store, "quantum mechanics", unit(1, 0, 0, 0), mode) == ["b#0"]
    assert store.count_chunks().document_count == 1
    with pytest.raises(NotFound):
        store.get_document("a")
    with pytest.raises(NotFound):
        store.delete("a")
    assert [d.id for d in store.list_documents().documents] == ["b"]


def test_replace_is_atomic_under_concurrent_searches(tmp_path: Path) -> None:
    """Readers on a second replica (same Chroma) never see two versions of one document."""
    settings = settings_for(tmp_path)
    writer = ChunkStore(open_client(settings), settings)
    reader = ChunkStore(open_client(settings), settings)
    put(writer, "other", ("unrelated filler text", unit(0, 0, 0, 1)))

    def version(n: int) -> list[tuple[str, Sequence[float]]]:
        tag = f"v{n}"
        return [(f"alpha beta {tag} part {i}", unit(1, i * 0.1, 0, 0)) for i in range(3 + n % 3)]

    stop = threading.Event()
    problems: list[str] = []
    searches = 0

    def read() -> None:
        nonlocal searches
        while not stop.is_set():
            reader.sync_keyword_index()
            for s in (writer, reader):
                for mode in RetrievalMode:
                    result = s.search(SearchQuery("alpha beta", unit(1, 0, 0, 0), mode=mode))
                    tags = {
                        c.chunk.text.split()[2]
                        for c in result.chunks
                        if c.chunk.document_id == "doc"
                    }
                    if len(tags) > 1:
                        problems.append(f"{mode}: mixed versions {tags}")
                    searches += 1

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for n in range(25):
            put(writer, "doc", *version(n))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not problems, problems[:3]
    assert searches > 25
    reader.sync_keyword_index()
    final = {
        c.chunk.text.split()[2]
        for c in reader.search(
            SearchQuery("alpha beta", unit(1, 0, 0, 0), mode=KEYWORD, top_k=50)
        ).chunks
    }
    assert final == {"v24"}
    assert writer._chunks.count() == len(version(24)) + 1


# ---- access ------------------------------------------------------------------------------


def test_access_filter_applies_to_every_mode_count_and_read(store: ChunkStore) -> None:
    put(store, "public", ("payroll policy overview", unit(1, 0, 0, 0)))
    put(store, "hr-only", ("payroll salaries secret", unit(1, 0.1, 0, 0)), groups=("hr",))
    put(store, "eng", ("payroll for engineers", unit(1, 0.2, 0, 0)), groups=("eng", "ops"))
    outsider = Caller(frozenset({"eng"}))
    for mode in RetrievalMode:
        assert set(search(store, "payroll salaries", unit(1, 0, 0, 0), mode, outsider)) == {
            "public#0",
            "eng#0",
        }
        assert set(search(store, "payroll", unit(1, 0, 0, 0), mode, Caller(frozenset()))) == {
            "public#0"
        }
        assert len(search(store, "payroll", unit(1, 0, 0, 0), mode)) == 3  # unrestricted
    assert store.count_chunks(caller=outsider).chunk_count == 2
    salary = (MetadataCondition("x", FilterOperator.NOT_EQUAL, ("y",)),)
    assert store.count_chunks(filters=salary, caller=outsider).chunk_count == 2
    assert store.count_chunks(document_ids=["hr-only"], caller=outsider).chunk_count == 0
    with pytest.raises(NotFound):
        store.get_document("hr-only", outsider)
    with pytest.raises(NotFound):
        store.list_chunks("hr-only", caller=outsider)
    with pytest.raises(NotFound):
        store.delete("hr-only", caller=outsider)
    with pytest.raises(PermissionDenied):
        store.upsert(DocumentInput("hr-only", HASH), [], caller=outsider)
    assert [d.id for d in store.list_documents(caller=outsider).documents] == ["eng", "public"]
    hr = Caller(frozenset({"hr"}))
    assert search(store, "secret", None, KEYWORD, hr) == ["hr-only#0"]


def test_hidden_chunks_never_shape_keyword_scores() -> None:
    index = KeywordIndex(Tokenizer())

    def entry(doc: str, groups: frozenset[str]) -> KeywordEntry:
        return KeywordEntry(f"{doc}@1", doc, "1", not groups, groups, {})

    index.replace_document("a", "1", [(entry("a", frozenset()), "rare word here")])
    index.replace_document("b", "1", [(entry("b", frozenset()), "common text")])
    caller = frozenset({"eng"})

    def visible(e: KeywordEntry) -> bool:
        return e.public or not e.groups.isdisjoint(caller)

    before = index.search("rare", 10, visible, caller)
    index.replace_document("h", "1", [(entry("h", frozenset({"hr"})), "rare rare rare " * 5)])
    after = index.search("rare", 10, visible, caller)
    assert [(h.entry.key, h.score) for h in after] == [(h.entry.key, h.score) for h in before]
    assert [h.entry.document_id for h in index.search("rare", 10)] == ["h", "a"]


# ---- search behaviour ---------------------------------------------------------------------


def put_orbits(store: ChunkStore) -> None:
    # Dense order for the query vector (1, 0, 0, 0): d1, d2, d3, d4. Keyword order for
    # "orbit": d4, d3.
    put(store, "d1", ("planets and stars", unit(1, 0, 0, 0)))
    put(store, "d2", ("galaxies far away", unit(1, 0.5, 0, 0)))
    put(store, "d3", ("orbit of the moon", unit(1, 1.2, 0, 0)))
    put(store, "d4", ("orbit orbit orbit decay", unit(0.2, 1, 0, 0)))


def test_hybrid_fuses_dense_and_keyword_ranks(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, fusion="rrf")
    store = ChunkStore(open_client(settings), settings)
    put_orbits(store)
    q = unit(1, 0, 0, 0)
    assert search(store, "orbit", q, DENSE) == ["d1#0", "d2#0", "d3#0", "d4#0"]
    assert search(store, "orbit", q, KEYWORD) == ["d4#0", "d3#0"]
    # RRF (k 60): d4 = 1/64 + 1/61 > d3 = 1/63 + 1/62 > d1 = 1/61 > d2 = 1/62.
    fused = store.search(SearchQuery("orbit", q, mode=HYBRID)).chunks
    assert [c.chunk.id for c in fused] == ["d4#0", "d3#0", "d1#0", "d2#0"]
    assert fused[0].score == pytest.approx(1 / 64 + 1 / 61)
    assert fused[0].dense_score > 0 and fused[0].keyword_score > 0 and fused[0].rank == 1
    assert fused[3].keyword_score == 0.0
    # Weights per request: dense-heavy fusion puts the dense winner first.
    assert search(store, "orbit", q, HYBRID, dense_weight=50.0)[0] == "d1#0"
    result = store.search(SearchQuery("orbit", q, mode=HYBRID, top_k=2))
    assert len(result.chunks) == 2
    assert (result.dense_candidate_count, result.keyword_candidate_count) == (4, 2)


def test_hybrid_default_sums_standardised_scores(store: ChunkStore) -> None:
    put_orbits(store)
    q = unit(1, 0, 0, 0)
    fused = store.search(SearchQuery("orbit", q, mode=HYBRID)).chunks
    # Each list's scores as z-scores over its own candidates; d1 and d2 are not keyword
    # candidates, so they get the keyword list's lowest z-score.
    dense = np.array([c.dense_score for c in fused])
    z_dense = (dense - dense.mean()) / dense.std()
    keyword = {c.chunk.id: c.keyword_score for c in fused if c.keyword_score > 0}
    assert sorted(keyword) == ["d3#0", "d4#0"]
    values = np.array(list(keyword.values()))
    z_keyword = dict(zip(keyword, (values - values.mean()) / values.std(), strict=True))
    low = min(z_keyword.values())
    expected = {
        c.chunk.id: float(z_dense[i] + z_keyword.get(c.chunk.id, low)) for i, c in enumerate(fused)
    }
    assert {c.chunk.id: c.score for c in fused} == pytest.approx(expected)
    assert [c.chunk.id for c in fused] == sorted(expected, key=lambda key: -expected[key])
    # The cosine gap between d1 and d3 outweighs d3's keyword match: ranks alone (RRF) put
    # d3 first, the scores do not.
    assert [c.chunk.id for c in fused] == ["d1#0", "d2#0", "d4#0", "d3#0"]
    # Weights per request still steer it: keyword-heavy puts the keyword winner first.
    assert search(store, "orbit", q, HYBRID, keyword_weight=50.0)[0] == "d4#0"


def test_reciprocal_rank_fusion_is_weighted_sum_of_inverse_ranks() -> None:
    fused = reciprocal_rank_fusion([(["a", "b"], 1.0), (["b", "c"], 2.0)], k=60)
    assert fused == pytest.approx({"a": 1 / 61, "b": 1 / 62 + 2 / 61, "c": 2 / 62})


def test_metadata_filters_and_document_ids_agree_across_modes(store: ChunkStore) -> None:
    put(store, "en1", ("solar energy report", unit(1, 0, 0, 0)), metadata={"lang": "en"})
    put(store, "fr1", ("solar energie rapport", unit(1, 0.1, 0, 0)), metadata={"lang": "fr"})
    put(store, "de1", ("solar energie bericht", unit(1, 0.2, 0, 0)), metadata={"lang": "de"})
    put(store, "none", ("solar without language", unit(1, 0.3, 0, 0)))
    cases = {
        (FilterOperator.EQUAL, ("fr",)): {"fr1#0"},
        (FilterOperator.NOT_EQUAL, ("fr",)): {"en1#0", "de1#0", "none#0"},
        (FilterOperator.IN, ("fr", "de")): {"fr1#0", "de1#0"},
        (FilterOperator.NOT_IN, ("fr", "de")): {"en1#0", "none#0"},
    }
    for (op, values), expected in cases.items():
        condition = (MetadataCondition("lang", op, values),)
        for mode in RetrievalMode:
            assert set(search(store, "solar", None, mode, filters=condition)) == expected, (
                op,
                mode,
            )
        assert store.count_chunks(filters=condition).chunk_count == len(expected)
    for mode in RetrievalMode:
        assert set(search(store, "solar", None, mode, document_ids=("de1", "none"))) == {
            "de1#0",
            "none#0",
        }


def test_bad_searches_are_invalid_arguments(store: ChunkStore) -> None:
    bad = [
        SearchQuery(),
        SearchQuery(text="", embedding=unit(1, 0, 0, 0), mode=HYBRID),
        SearchQuery(text="x" * 16_001, mode=KEYWORD),
        SearchQuery(text="x", embedding=[1.0, 0.0], mode=DENSE),
        SearchQuery(text="x", mode=KEYWORD, top_k=101),
        SearchQuery(text="x", mode=KEYWORD, top_k=-1),
        SearchQuery(text="x", mode=KEYWORD, keyword_weight=-1),
        SearchQuery(
            text="x",
            mode=KEYWORD,
            filters=(MetadataCondition("k", FilterOperator.EQUAL, ("a", "b")),),
        ),
        SearchQuery(
            text="x", mode=KEYWORD, filters=(MetadataCondition("", FilterOperator.IN, ("a",)),)
        ),
        SearchQuery(text="x", mode=KEYWORD, document_ids=("bad id",)),
    ]
    for query in bad:
        with pytest.raises(InvalidArgument):
            store.search(query)
    with pytest.raises(FailedPrecondition):
        store.search(SearchQuery(text="x", mode=KEYWORD, embedding_model_id="other"))


# ---- pagination ----------------------------------------------------------------------------


def test_list_documents_pages_and_binds_tokens_to_filters(store: ChunkStore) -> None:
    for i in range(5):
        put(store, f"doc-{i}", ("text", unit(1, 0, 0, 0)), metadata={"kind": "a" if i % 2 else "b"})
    seen: list[str] = []
    token = ""
    while True:
        page = store.list_documents(page_size=2, page_token=token)
        seen += [d.id for d in page.documents]
        token = page.next_page_token
        if not token:
            break
    assert seen == [f"doc-{i}" for i in range(5)]
    first = store.list_documents(page_size=1)
    only_a = (MetadataCondition("kind", FilterOperator.EQUAL, ("a",)),)
    assert [d.id for d in store.list_documents(filters=only_a).documents] == ["doc-1", "doc-3"]
    with pytest.raises(InvalidArgument):
        store.list_documents(page_token=first.next_page_token, filters=only_a)
    for token in ("!!!", "bm90IGpzb24", "e30"):
        with pytest.raises(InvalidArgument):
            store.list_documents(page_token=token)
    with pytest.raises(InvalidArgument):
        store.list_documents(page_size=-1)


def test_list_chunks_pages_and_detects_a_replaced_document(store: ChunkStore) -> None:
    put(store, "doc", *[(f"part {i}", unit(1, 0, 0, 0)) for i in range(5)])
    page = store.list_chunks("doc", page_size=3)
    assert [c.position for c in page.chunks] == [0, 1, 2]
    rest = store.list_chunks("doc", page_size=3, page_token=page.next_page_token)
    assert [c.position for c in rest.chunks] == [3, 4] and rest.next_page_token == ""
    put(store, "doc", ("new", unit(1, 0, 0, 0)))
    with pytest.raises(FailedPrecondition) as err:
        store.list_chunks("doc", page_size=3, page_token=page.next_page_token)
    assert err.value.reason == "DOCUMENT_CHANGED"
    with pytest.raises(InvalidArgument):
        store.list_chunks("doc", page_size=-5)


# ---- replicas --------------------------------------------------------------------------------


def test_second_replica_keyword_index_converges_and_sweeper_cleans(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    a = ChunkStore(open_client(settings), settings)
    b = ChunkStore(open_client(settings), settings)
    b.sync_keyword_index(full=True)
    put(a, "doc", ("meteor shower tonight", unit(1, 0, 0, 0)))
    assert search(b, "meteor", None, KEYWORD) == []  # not polled yet: missing, never stale
    assert b.sync_keyword_index() == 1
    assert search(b, "meteor", None, KEYWORD) == ["doc#0"]
    put(a, "doc", ("comet tail", unit(1, 0, 0, 0)))
    dropped = REGISTRY.get_sample_value(
        "rag_vector_store_stale_chunks_dropped_total", {"source": "keyword"}
    )
    assert search(b, "meteor comet", None, KEYWORD) == []  # stale entry dropped by version
    assert (
        REGISTRY.get_sample_value(
            "rag_vector_store_stale_chunks_dropped_total", {"source": "keyword"}
        )
        == (dropped or 0) + 1
    )
    b.sync_keyword_index()
    assert search(b, "meteor comet", None, KEYWORD) == ["doc#0"]
    a.delete("doc")
    b.sync_keyword_index()
    assert b.keyword.versions() == {}
    # A writer that died after writing chunks but before switching leaves orphans.
    a._chunks.add(
        ids=["ghost#0@dead"],
        embeddings=[unit(1, 0, 0, 0)],
        documents=["ghost"],
        metadatas=[
            {"doc_id": "ghost", "doc_version": "dead", "chunk_id": "ghost#0", "written_at": 0.0}
        ],
    )
    assert search(a, "ghost", unit(1, 0, 0, 0), DENSE) == []
    assert a.sweep(now=time.time() + 10 * settings.tombstone_ttl_s) == 2  # orphan + tombstone
    assert a._chunks.count() == 0 and a._documents.count() == 0


def test_stemming_tokenizer() -> None:
    assert Tokenizer()("The mutations IN proteins were studied") == ["mutat", "protein", "studi"]
    assert Tokenizer(stemming=False)("Élan vital, naïve") == ["élan", "vital", "naïve"]
    assert porter_stem("generalization") == "gener"


# ---- the async facade with a real encoder ------------------------------------------------------


class InProcessEmbedder:
    def __init__(self, encoder: SentenceEncoder) -> None:
        self.encoder = encoder

    async def embed_query(self, text: str) -> tuple[Sequence[float], str]:
        import asyncio

        (encoded,) = await asyncio.to_thread(self.encoder.encode, [text])
        return encoded.vector.tolist(), "sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture
def semantic_store(tmp_path: Path, encoder: SentenceEncoder) -> Iterator[ChunkStore]:
    settings = VectorStoreSettings(persist_path=str(tmp_path))
    s = ChunkStore(open_client(settings), settings)
    texts = {
        "pets": "Cats and dogs make affectionate household companions.",
        "finance": "Quarterly revenue grew while operating costs fell.",
        "weather": "Heavy rain and strong winds are expected tomorrow.",
    }
    vectors = encoder.encode(list(texts.values()))
    for (doc, text), v in zip(texts.items(), vectors, strict=True):
        s.upsert(DocumentInput(doc, HASH), chunks(doc, (text, v.vector.tolist())))
    yield s


async def test_text_only_dense_query_is_embedded_by_the_injected_embedder(
    semantic_store: ChunkStore, encoder: SentenceEncoder
) -> None:
    store = VectorStore(semantic_store, InProcessEmbedder(encoder), workers=2)
    try:
        result = await store.search(
            SearchQuery(text="a storm is coming", mode=DENSE, top_k=1), UNRESTRICTED
        )
        assert [c.chunk.document_id for c in result.chunks] == ["weather"]
        hybrid = await store.search(SearchQuery(text="kittens and puppies"), UNRESTRICTED)
        assert hybrid.chunks[0].chunk.document_id == "pets"
    finally:
        await store.close()


# ---- batched and coalesced writes ----------------------------------------------------------


def request(
    doc: str, *items: tuple[str, Sequence[float]], groups: tuple[str, ...] = ()
) -> UpsertRequest:
    return UpsertRequest(DocumentInput(doc, HASH, access_groups=groups), chunks(doc, *items))


def test_upsert_many_replaces_each_document_as_a_unit(store: ChunkStore) -> None:
    first = store.upsert_many(
        [
            request("a", ("apple orchard", unit(1, 0, 0, 0)), ("apple pie", unit(1, 1, 0, 0))),
            request("b", ("banana bread", unit(0, 1, 0, 0))),
            request("c", ("cherry blossom", unit(0, 0, 1, 0))),
        ]
    )
    assert [d.id for d in first] == ["a", "b", "c"]
    assert [d.chunk_count for d in first] == [2, 1, 1]
    assert len({d.version for d in first}) == 3  # one version per document
    second = store.upsert_many(
        [
            request("b", ("blueberry jam", unit(0, 1, 0, 0))),
            request("a", ("avocado toast", unit(1, 0, 0, 0))),
        ]
    )
    assert [d.id for d in second] == ["b", "a"]
    for mode in RetrievalMode:
        query = SearchQuery("apple banana avocado", unit(1, 1, 0, 0), mode=mode, top_k=10)
        texts = {c.chunk.text for c in store.search(query).chunks}
        assert texts <= {"avocado toast", "blueberry jam", "cherry blossom"}, mode
    assert search(store, "apple banana", None, KEYWORD) == []  # old versions gone
    assert sorted(search(store, "avocado blueberry", None, KEYWORD)) == ["a#0", "b#0"]
    assert [c.text for c in store.list_chunks("a").chunks] == ["avocado toast"]
    assert store.count_chunks().chunk_count == 3
    assert store._chunks.count() == 3  # the replaced versions' records are gone from Chroma
    assert store.get_document("a").version == second[1].version


def test_bad_batch_writes_nothing(store: ChunkStore) -> None:
    store.upsert_many([request("secret", ("hr salaries", unit(1, 0, 0, 0)), groups=("hr",))])
    good = request("ok", ("fine text", unit(1, 0, 0, 0)))
    bad_dims = request("bad", ("text", [1.0, 0.0]))
    with pytest.raises(FailedPrecondition) as wrong:
        store.upsert_many([good, bad_dims])
    assert wrong.value.metadata["request_index"] == "1"
    with pytest.raises(InvalidArgument) as bad_id:
        store.upsert_many([good, request("bad id!", ("t", unit(1, 0, 0, 0)))])
    assert all(v.field.startswith("requests[1].") for v in bad_id.value.field_violations)
    with pytest.raises(InvalidArgument) as twice:
        store.upsert_many([good, request("ok", ("again", unit(0, 1, 0, 0)))])
    assert twice.value.field_violations[0].field == "requests[1].document.id"
    with pytest.raises(InvalidArgument):
        store.upsert_many([])
    outsider = Caller(frozenset({"eng"}))
    hidden = request("secret", ("overwrite", unit(1, 0, 0, 0)), groups=("eng",))
    own = request("ok", ("fine text", unit(1, 0, 0, 0)), groups=("eng",))
    with pytest.raises(PermissionDenied) as denied:
        store.upsert_many([own, hidden], outsider)
    assert denied.value.metadata["request_index"] == "1"
    with pytest.raises(NotFound):
        store.get_document("ok")  # nothing of a refused batch was written
    assert store.count_chunks().chunk_count == 1
    assert [c.text for c in store.list_chunks("secret").chunks] == ["hr salaries"]


def test_batched_replace_is_atomic_under_concurrent_searches(tmp_path: Path) -> None:
    """Batched writes keep the one-version-per-document rule for every document."""
    settings = settings_for(tmp_path)
    writer = ChunkStore(open_client(settings), settings)
    reader = ChunkStore(open_client(settings), settings)
    docs = ("doc", "doc2", "doc3")

    def batch(n: int) -> list[UpsertRequest]:
        return [
            request(
                d,
                *[(f"alpha beta v{n} part {i}", unit(1, i * 0.1, j, 0)) for i in range(2 + n % 3)],
            )
            for j, d in enumerate(docs)
        ]

    stop = threading.Event()
    problems: list[str] = []
    searches = 0

    def read() -> None:
        nonlocal searches
        while not stop.is_set():
            reader.sync_keyword_index()
            for s in (writer, reader):
                for mode in RetrievalMode:
                    result = s.search(
                        SearchQuery("alpha beta", unit(1, 0, 0, 0), mode=mode, top_k=50)
                    )
                    for d in docs:
                        tags = {
                            c.chunk.text.split()[2]
                            for c in result.chunks
                            if c.chunk.document_id == d
                        }
                        if len(tags) > 1:
                            problems.append(f"{mode} {d}: mixed versions {tags}")
                    searches += 1

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for n in range(20):
            writer.upsert_many(batch(n))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not problems, problems[:3]
    assert searches > 20
    assert writer._chunks.count() == len(docs) * (2 + 19 % 3)


async def eventually(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    for _ in range(int(timeout_s / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met")


async def test_concurrent_upserts_are_written_together_each_with_its_outcome(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path)
    chunk_store = ChunkStore(open_client(settings), settings)
    chunk_store.upsert(
        DocumentInput("secret", HASH, access_groups=("hr",)),
        chunks("secret", ("hr pay", unit(1, 0, 0, 0))),
    )
    store = VectorStore(chunk_store, None, workers=2)
    writes: list[list[str]] = []
    gate = threading.Event()
    real_write = chunk_store.write

    def write(
        items: Sequence[ValidatedUpsert], callers: Sequence[Caller], all_or_nothing: bool = False
    ) -> list[StoredDocument | DomainError]:
        writes.append([i.document.id for i in items])
        gate.wait(10)  # the first write holds on while the others queue up
        return real_write(items, callers, all_or_nothing)

    chunk_store.write = write  # type: ignore[method-assign]
    outsider = Caller(frozenset({"eng"}))

    async def upsert(doc: str, text: str, caller: Caller = UNRESTRICTED) -> StoredDocument:
        return await store.upsert(
            DocumentInput(doc, HASH), chunks(doc, (text, unit(1, 0, 0, 0))), "", caller
        )

    try:
        first = asyncio.create_task(upsert("first", "lone write goes at once"))
        await eventually(lambda: bool(writes))
        rest = [asyncio.create_task(upsert(f"d{i}", f"text {i}")) for i in range(6)]
        again = asyncio.create_task(upsert("d0", "d0 written twice: the later wins"))
        denied = asyncio.create_task(upsert("secret", "not yours", outsider))
        await eventually(lambda: len(store._queued) == 8)
        gate.set()
        await first
        stored = await asyncio.gather(*rest)
        assert [d.id for d in stored] == [f"d{i}" for i in range(6)]
        assert (await again).version != stored[0].version
        with pytest.raises(PermissionDenied):
            await denied
    finally:
        gate.set()
        await store.close()
    assert writes[0] == ["first"]
    assert writes[1] == [*(f"d{i}" for i in range(6)), "secret"]  # written together
    assert writes[2] == ["d0"]  # the same document never twice in one write
    assert [c.text for c in chunk_store.list_chunks("d0").chunks] == [
        "d0 written twice: the later wins"
    ]
    assert [c.text for c in chunk_store.list_chunks("secret").chunks] == ["hr pay"]
    assert chunk_store.count_chunks().chunk_count == 8


def test_message_limit_is_the_upsert_limit_unless_the_operator_set_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = VectorStoreSettings(max_request_bytes=5000)
    monkeypatch.delenv("RAGMESH_MAX_MESSAGE_BYTES", raising=False)
    assert runtime_settings(settings).max_message_bytes == 5000
    monkeypatch.setenv("RAGMESH_MAX_MESSAGE_BYTES", "4096")
    assert runtime_settings(settings).max_message_bytes == 4096


def test_list_tokens_of_older_replicas_page_on_and_errors_keep_their_wording(
    store: ChunkStore,
) -> None:
    for i in range(3):
        put(store, f"doc-{i}", ("text", unit(1, 0, 0, 0)))
    # {"a":"doc-1","f":<digest of no filters>,"t":1} as the store's own codec wrote it.
    old = "eyJhIjoiZG9jLTEiLCJmIjoiNGY1M2NkYTE4YzJiYWEwYyIsInQiOjF9"
    assert store.list_documents(page_size=1).next_page_token != old  # after doc-0
    assert store.list_documents(page_size=2).next_page_token == old
    assert [d.id for d in store.list_documents(page_token=old).documents] == ["doc-2"]
    with pytest.raises(InvalidArgument) as bad_token:
        store.list_documents(page_token="e30")
    assert bad_token.value.message == "page_token: malformed; pass next_page_token unchanged"
    with pytest.raises(InvalidArgument) as bad_size:
        store.list_chunks("doc-0", page_size=-1)
    assert bad_size.value.message == "page_size: must be >= 0"
