"""Answer-quality signals for one answer, its question and its passages (no gRPC).

Scorer ``minilm-cosine+overlap-v1``:
- a passage's relevance is the cosine (clamped to [0, 1]) between the question's and the
  passage's all-MiniLM-L6-v2 vectors;
- a sentence's support by a passage is the mean of (a) the share of the sentence's content
  words (stemmed) that occur in the passage and (b) their clamped cosine. Word overlap
  catches copied or paraphrase-close statements; the cosine keeps a reworded sentence on
  the same claim from scoring 0. A sentence is supported at ``threshold`` (0.5) or more.

Prometheus histograms of every signal are exported, so live answer quality can be watched.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from prometheus_client import Histogram

from services.common.text import Tokenizer
from services.runtime.errors import invalid_field

SCORER = "minilm-cosine+overlap-v1"
Embed = Callable[[list[str]], Awaitable[list[list[float]]]]

_SIGNAL_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
SIGNALS = Histogram(
    "rag_answer_signal",
    "Answer-quality signals of scored answers, in [0, 1] (1 best), by signal name.",
    ["signal"],
    buckets=_SIGNAL_BUCKETS,
)
# A sentence ends at . ! ? (optionally followed by quotes or brackets) before whitespace, or at
# a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
_MARKER = re.compile(r"\[(\d{1,4})\]")
_LEADING_MARKERS = re.compile(r"(?:\[\d{1,4}\]\s*)+")


@dataclass(frozen=True)
class Passage:
    chunk_id: str
    text: str


@dataclass(frozen=True)
class CitedPassage:
    marker: int
    chunk_id: str
    snippet: str


@dataclass
class Sentence:
    text: str
    start: int
    end: int
    markers: list[int] = field(default_factory=list)
    support_score: float = 0.0
    supported: bool = False
    supporting_chunk_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerScore:
    context_relevance: float
    groundedness: float
    citation_coverage: float
    citation_precision: float
    sentences: list[Sentence]
    context_relevance_scores: list[float]
    scorer: str = SCORER


def split_sentences(answer: str) -> list[Sentence]:
    """Sentences with code-point offsets; markers that open a sentence belong to the one before
    (``... fact. [2] Next``), as writers place them either side of the full stop."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(answer):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(answer)))
    sentences: list[Sentence] = []
    for begin, end in spans:
        lead = _LEADING_MARKERS.match(answer, begin, end)
        if lead and sentences:
            previous = sentences[-1]
            previous.end = lead.end()
            previous.text = answer[previous.start : previous.end].rstrip()
            previous.end = previous.start + len(previous.text)
            begin = lead.end()
        text = answer[begin:end].strip()
        if not text:
            continue
        offset = answer.index(text, begin)
        sentences.append(Sentence(text, offset, offset + len(text)))
    return [s for s in sentences if _MARKER.sub("", s.text).strip(" .!?\"'")]


class AnswerScorer:
    def __init__(
        self,
        embed: Embed,
        threshold: float = 0.5,
        max_question_chars: int = 2000,
        max_answer_chars: int = 32_000,
        max_contexts: int = 100,
        max_citations: int = 100,
    ) -> None:
        self._embed = embed
        self._threshold = threshold
        self._tokenize = Tokenizer(stemming=True)
        self._max_question_chars = max_question_chars
        self._max_answer_chars = max_answer_chars
        self._max_contexts = max_contexts
        self._max_citations = max_citations

    def _validate(
        self,
        question: str,
        answer: str,
        contexts: Sequence[Passage],
        citations: Sequence[CitedPassage],
    ) -> None:
        for name, value, limit in (
            ("question", question, self._max_question_chars),
            ("answer", answer, self._max_answer_chars),
        ):
            if not value.strip():
                raise invalid_field(name, "must not be empty")
            if len(value) > limit:
                raise invalid_field(name, f"is {len(value)} characters; the limit is {limit}")
        if len(contexts) > self._max_contexts:
            raise invalid_field(
                "contexts", f"{len(contexts)} passages; the limit is {self._max_contexts}"
            )
        if len(citations) > self._max_citations:
            raise invalid_field(
                "citations", f"{len(citations)} citations; the limit is {self._max_citations}"
            )

    async def score(
        self,
        question: str,
        answer: str,
        contexts: Sequence[Passage],
        citations: Sequence[CitedPassage],
    ) -> AnswerScore:
        self._validate(question, answer, contexts, citations)
        sentences = split_sentences(answer)
        by_chunk = {c.chunk_id: c.text for c in contexts if c.chunk_id}
        # Marker -> the passage it cites: the context with that chunk id, else its snippet.
        cited: dict[int, str] = {}
        for citation in citations:
            if citation.marker > 0 and citation.marker not in cited:
                cited[citation.marker] = by_chunk.get(citation.chunk_id) or citation.snippet
        for sentence in sentences:
            sentence.markers = [
                m
                for m in dict.fromkeys(int(x) for x in _MARKER.findall(sentence.text))
                if m in cited
            ]
        claims = [_MARKER.sub("", s.text).strip() for s in sentences]
        cited_texts = list(dict.fromkeys(cited.values()))
        passage_texts = [c.text for c in contexts]
        vectors = await self._vectors([question, *claims, *passage_texts, *cited_texts])
        q_vec = vectors[0]
        claim_vecs = vectors[1 : 1 + len(claims)]
        passage_vecs = vectors[1 + len(claims) : 1 + len(claims) + len(passage_texts)]
        cited_vecs = dict(
            zip(cited_texts, vectors[1 + len(claims) + len(passage_texts) :], strict=True)
        )

        relevance = [_clamp(float(q_vec @ v)) for v in passage_vecs]
        passage_tokens = [set(self._tokenize(t)) for t in passage_texts]
        for sentence, claim, claim_vec in zip(sentences, claims, claim_vecs, strict=True):
            words = self._tokenize(claim)
            scores = [
                self._support(words, tokens, claim_vec, vec)
                for tokens, vec in zip(passage_tokens, passage_vecs, strict=True)
            ]
            if scores:
                sentence.support_score = max(scores)
                sentence.supported = sentence.support_score >= self._threshold
                order = sorted(range(len(scores)), key=lambda i: -scores[i])
                sentence.supporting_chunk_ids = [
                    contexts[i].chunk_id for i in order if scores[i] >= self._threshold
                ]
        markers = 0
        correct = 0
        for sentence, claim, claim_vec in zip(sentences, claims, claim_vecs, strict=True):
            words = self._tokenize(claim)
            for marker in sentence.markers:
                text = cited[marker]
                markers += 1
                support = self._support(
                    words, set(self._tokenize(text)), claim_vec, cited_vecs[text]
                )
                correct += support >= self._threshold
        n = len(sentences)
        result = AnswerScore(
            context_relevance=sum(relevance) / len(relevance) if relevance else 0.0,
            groundedness=(sum(s.supported for s in sentences) / n) if n and contexts else 0.0,
            citation_coverage=(sum(bool(s.markers) for s in sentences) / n) if n else 0.0,
            citation_precision=correct / markers if markers else 1.0,
            sentences=sentences,
            context_relevance_scores=relevance,
        )
        for name in (
            "context_relevance",
            "groundedness",
            "citation_coverage",
            "citation_precision",
        ):
            SIGNALS.labels(name).observe(getattr(result, name))
        return result

    def _support(
        self, words: list[str], passage: set[str], claim_vec: np.ndarray, passage_vec: np.ndarray
    ) -> float:
        overlap = sum(w in passage for w in words) / len(words) if words else 0.0
        return 0.5 * overlap + 0.5 * _clamp(float(claim_vec @ passage_vec))

    async def _vectors(self, texts: list[str]) -> list[np.ndarray]:
        unique = list(dict.fromkeys(texts))
        embedded = await self._embed(unique)
        by_text = {}
        for text, vector in zip(unique, embedded, strict=True):
            array = np.asarray(vector, dtype=np.float64)
            norm = float(np.linalg.norm(array))
            by_text[text] = array / norm if norm else array
        return [by_text[t] for t in texts]


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
