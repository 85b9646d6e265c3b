"""Text rules every service shares: the word tokenizer, stopwords and Porter stemmer that
keyword search (BM25), graph extraction and answer scoring all read text with."""

from __future__ import annotations

import functools
import re

TOKEN = re.compile(r"\w+", re.UNICODE)

# A short list: only words that carry no topic in any domain.
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have he her
    his how i if in into is it its may me might my no nor not of on or our she should so
    such than that the their them then there these they this those to too us was we were
    what when where which while who whom why will with would you your""".split()
)


# Function words of questions, a longer list than STOPWORDS: what is left of a question is
# what it asks about (query rewriting, the agent's planning). One string, split once.
QUESTION_STOPWORDS = frozenset(
    (
        "a about above after again against all also am an and any are as at be because been "
        "before being between both but by can could did do does doing down during each few for "
        "from further had has have having he her here hers how i if in into is it its itself just "
        "me more most my no nor not now of off on once only or other our out over own same she "
        "should so some such than that the their them then there these they this those through to "
        "too under until up very was we were what when where which while who whom why will with "
        "would you your"
    ).split()
)


class Tokenizer:
    """Lowercase Unicode word characters, minus stopwords, optionally Porter-stemmed."""

    def __init__(self, stemming: bool = True, stopwords: frozenset[str] = STOPWORDS) -> None:
        self.stemming = stemming
        self._stopwords = stopwords

    def __call__(self, text: str) -> list[str]:
        words = [w for w in TOKEN.findall(text.lower()) if w not in self._stopwords]
        if not self.stemming:
            return words
        return [porter_stem(w) for w in words]


# ---- Porter stemmer (M. F. Porter, 1980, "An algorithm for suffix stripping") ------------

_STEP2 = sorted(
    {
        "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
        "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous",
        "ization": "ize", "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive",
        "fulness": "ful", "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble",
        "logi": "log",
    }.items(),
    key=lambda item: -len(item[0]),
)  # fmt: skip
_STEP3 = sorted(
    {
        "icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "",
        "ness": "",
    }.items(),
    key=lambda item: -len(item[0]),
)  # fmt: skip
_STEP4 = sorted(
    ("al ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize").split(),
    key=len,
    reverse=True,
)


def _consonant(word: str, i: int) -> bool:
    ch = word[i]
    if ch in "aeiou":
        return False
    if ch == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Number of vowel-consonant sequences: [C](VC){m}[V]."""
    m = 0
    i = 0
    n = len(stem)
    while i < n and _consonant(stem, i):
        i += 1
    while i < n:
        while i < n and not _consonant(stem, i):
            i += 1
        if i >= n:
            break
        while i < n and _consonant(stem, i):
            i += 1
        m += 1
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _consonant(word, len(word) - 1)


def _cvc(word: str) -> bool:
    n = len(word)
    return (
        n >= 3
        and _consonant(word, n - 3)
        and not _consonant(word, n - 2)
        and _consonant(word, n - 1)
        and word[-1] not in "wxy"
    )


@functools.lru_cache(maxsize=200_000)
def porter_stem(word: str) -> str:
    if len(word) <= 2 or not word.isalpha() or not word.isascii():
        return word
    # Step 1a
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("ss"):
        pass
    elif word.endswith("s"):
        word = word[:-1]
    # Step 1b
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _double_consonant(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    # Step 1c
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    # Steps 2 and 3: the longest matching suffix decides; its condition is m > 0
    for table in (_STEP2, _STEP3):
        for suffix, replacement in table:
            if word.endswith(suffix):
                stem = word[: -len(suffix)]
                if _measure(stem) > 0:
                    word = stem + replacement
                break
    # Step 4
    for suffix in _STEP4:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if _measure(stem) > 1 and (suffix != "ion" or stem.endswith(("s", "t"))):
                word = stem
            break
    # Step 5a
    if word.endswith("e"):
        stem = word[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            word = stem
    # Step 5b
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word
