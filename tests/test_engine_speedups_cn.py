"""CN001 and CN002 find what their plain definitions find: the fast paths are only faster.

Each engine is compared with a slow reference written the simple way (one regex over the text,
one Aho-Corasick pass over the lowercased text, a Python loop over every match), on texts built
to hit the corner cases of the fast paths: non-ASCII letters and the Kelvin sign, "İ" and "Σ"
(which lowercase differently in context), words of 59 characters or more, opening brackets and
quotes, line starts, hyphens, connectors in any case, Title Case headings.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

import pytest

from mtqa.config import Config
from mtqa.document import Document
from mtqa.formats.plain import read_text
from mtqa.model import Finding
from mtqa.rules.engines import consistency, wordcase
from mtqa.rules.engines.consistency import ConsistencyRule
from mtqa.rules.engines.wordcase import WordCaseRule
from mtqa.rules.loader import load_rules
from mtqa.rules.model import ScanContext

RULES = {rule.meta.code: rule for rule in load_rules(Config().rule_packs)}

PHRASES = [
    "provincial party committee", "ministry of finance", "belt and road", "world war",
    "five-year plan", "bank of the west", "de-gaulle airport", "xi’an road", "zürich airport",
    "kelvin hall", "istanbul port", "σοφία square", "city of new york", "governor andrew cuomo",
    "northern ireland office", "ministry of", "of-the de", "sinopec group", "haidian district",
    "a plan", "mr smith", "the hague court", "at&t corp",
]  # fmt: skip
FILLERS = ["he said", "the report", "in", "and then", "officials from", "a", "by", "we met"]
LEADS = ["", "", "\n", ". ", "“", "(", "- ", "* ", ", ", "\u00a0", "’", "x", "# ", "?", "é "]
ENDINGS = [" met.", " Office", ", and", " said", "", ".\n", " of", "-x", " Sinopec", " sinopec"]


def _cased(word: str, rng: random.Random) -> str:
    mode = rng.randrange(8)
    if mode == 0:
        return word
    if mode == 1:
        return word.upper()
    if mode == 2:
        return "".join(c.upper() if rng.random() < 0.3 else c for c in word)
    if mode == 3:
        return word.replace("k", "\u212a") if "k" in word else word.title()  # Kelvin sign
    if mode == 4:
        return word.replace("i", "\u0130", 1) if "i" in word else word  # İ: two when lowered
    return word[:1].upper() + word[1:]


def _written(phrase: str, rng: random.Random) -> str:
    """The phrase in Title Case, in lowercase or in a mixture."""
    style = rng.random()
    words = []
    for word in phrase.split(" "):
        if style < 0.4:
            words.append(word.title() if word not in ("of", "and", "the", "de") else word)
        elif style < 0.55:
            words.append(word)
        else:
            words.append("-".join(_cased(part, rng) for part in word.split("-")))
    return " ".join(words)


def _text(rng: random.Random, sentences: int) -> str:
    phrases = rng.sample(PHRASES, 3)
    out = []
    for _ in range(sentences):
        phrase = _written(rng.choice(phrases), rng)
        if rng.random() < 0.1:
            out.append(phrase.title() + "\n")  # a heading
        elif rng.random() < 0.05:
            out.append("x" * 60 + " " + phrase)  # a word of 59 characters or more before it
        else:
            lead, filler, ending = rng.choice(LEADS), rng.choice(FILLERS), rng.choice(ENDINGS)
            out.append(f"{lead}{filler} {phrase}{ending}")
    return " ".join(out)


TEXTS = [
    "Zhang Guoqing, secretary of the Provincial Party Committee, spoke. Zhou Bo of the "
    "provincial party Committee attended.",
    "The Ministry of Finance agreed. Staff at the Ministry of finance did not.",
    "Sinopec said it would grow; analysts like Sinopec, but sinopec shares fell.",
    "Xyz Abc met Xyz Abc and abc.",  # the word before the first space has no space before it
    "(" * 70 + " Sinopec met Sinopec and sinopec.",
    "Kelvin Hall opened. The \u212aelvin Hall and the kelvin Hall closed.",
    "\u0130stanbul Port grew. The istanbul Port and İstanbul Port shrank.",
    "ΣΟΦΙΑ Square and Σοφία Square and σοφία Square met Σοφία Square.",
    "O’Neil Group met. The o’Neil Group met O’Neil Group.",
    "Zürich Airport is big; zürich Airport and Zürich Airport are one.",
    "The Belt AND Road forum; the belt aNd Road plan; the Belt and Road.",
    "Ministry Of Finance; Ministry oF Finance; ministry of Finance; Ministry of finance.",
    *(_text(random.Random(seed), 20) for seed in range(40)),
]


def _context(text: str) -> ScanContext:
    document: Document = read_text("<test>", text)
    return ScanContext(document, {"readability": Config().readability})


# --- CN001 -------------------------------------------------------------------------------------


class _PlainConsistency(ConsistencyRule):
    """CN001 with its phrases found the plain way (as the engine first did)."""

    def _candidates(self, text: str, kind: object) -> list[list[tuple[int, int]]]:
        keys: set[str] = set()
        for match in self.run.finditer(text):
            start = match.start()
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-'’"):
                continue
            low = match.group().lower()
            words = low.split(" ")
            offset = len(words[0]) + 1 if consistency._sentence_initial(text, start) else 0
            index = 1 if offset else 0
            for word in words[index:-1]:
                if len(words) - index <= self.max_words and word not in self.connectors:
                    keys.add(low[offset:])
                offset += len(word) + 1
                index += 1
        if not keys:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for key in keys:
            automaton.add_word(key, key)
        automaton.make_automaton()
        spans: dict[str, list[tuple[int, int]]] = {}
        for last, key in automaton.iter(lowered):
            start, end = last + 1 - len(key), last + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-'’"):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] in "_-'’"):
                continue
            spans.setdefault(key, []).append((start, end))
        return [spans[key] for key in sorted(spans) if len({text[s:e] for s, e in spans[key]}) > 1]


def _plain_cn001() -> ConsistencyRule:
    rule = RULES["CN001"]
    assert isinstance(rule, ConsistencyRule)
    return _PlainConsistency(
        rule.meta, rule.max_words, rule.connectors, rule.modifiers, rule.titles, rule.heading_ratio
    )


def _findings(rule: object, text: str) -> list[Finding]:
    scan = rule.scan  # type: ignore[attr-defined]
    found: Iterator[Finding] = scan(_context(text))
    return list(found)


@pytest.mark.parametrize("text", TEXTS)
def test_cn001_finds_what_the_plain_definition_finds(text: str) -> None:
    assert _findings(RULES["CN001"], text) == _findings(_plain_cn001(), text)


@pytest.mark.parametrize("text", TEXTS)
def test_cn001_runs_are_the_regex_matches(text: str) -> None:
    rule = RULES["CN001"]
    assert isinstance(rule, ConsistencyRule)
    runs = rule._runs(text, text.encode("ascii", "replace"))
    assert runs == [match.span() for match in rule.run.finditer(text)]


@pytest.mark.parametrize("text", TEXTS)
def test_cn001_runs_are_the_regex_matches_in_scan_text(text: str) -> None:
    # Units separated by "\x00" rather than line breaks, some with a character other than
    # ASCII or a "?": those are searched as they are, the others in the ASCII copy.
    rule = RULES["CN001"]
    assert isinstance(rule, ConsistencyRule)
    scan = _context(text + "\nÉcole Centrale Paris met? Ecole Centrale\nThe Belt And Road").document
    masked = scan.scan_text
    runs = rule._runs(masked, masked.encode("ascii", "replace"))
    assert runs == [match.span() for match in rule.run.finditer(masked)]


def test_cn001_variants_are_found_in_a_long_text() -> None:
    text = "\n".join(_text(random.Random(seed), 30) for seed in range(200))
    findings = _findings(RULES["CN001"], text)
    assert findings and findings == _findings(_plain_cn001(), text)


# --- CN002 -------------------------------------------------------------------------------------


def _plain_capitalised(text: str) -> Counter[str]:
    return Counter(
        match.group()
        for match in wordcase._CAPITALISED.finditer(text)
        if not wordcase._preceded_by_capital(text, match.start())
    )


class _PlainWordCase(WordCaseRule):
    """CN002 searching every name, however common (as the engine first did)."""

    def _names(self, text: str, capitalised: Counter[str]) -> dict[str, str]:
        return {w.lower(): w for w, n in capitalised.items() if n >= self.min_capitalised}


@pytest.mark.parametrize("text", TEXTS)
def test_cn002_counts_capitalised_uses_as_defined(text: str) -> None:
    assert wordcase._capitalised(text) == _plain_capitalised(text)


@pytest.mark.parametrize("seed", range(200))
def test_cn002_counts_capitalised_uses_in_odd_texts(seed: int) -> None:
    rng = random.Random(seed)
    words = ["Sinopec", "said", "Abc", "abc", "Ölç", "é", "A", "a1", "x,", "y;", "(Foo", "[Bar"]
    words += ['"Baz', "“Qux", "*Star", "_Und", "Foo,", "bar.", "x" * 70, "Y" + "y" * 65, "Xyz"]
    words += ["long" + "x" * 58 + ";", "(((", "Zz\nzz,", "Éa", "ab’", "Cd-"]
    lead = rng.choice(["", "(", "(" * 60, "Q", "q", "É", '"', " "])
    text = lead + "".join(
        rng.choice(words) + rng.choice([" ", " ", "  ", ", ", "\n"]) for _ in range(12)
    )
    assert wordcase._capitalised(text) == _plain_capitalised(text)


def test_cn002_long_text_drops_only_words_that_cannot_be_flagged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mtqa.cache import LEXICON

    # A stand-in lexicon, so that the test needs no dictionary and writes no cache.
    monkeypatch.setattr(LEXICON, "known", lambda words: {w for w in words if w in {"war", "plan"}})
    rng = random.Random(7)
    lines = []
    while sum(map(len, lines)) < 2 * wordcase._LONG_TEXT:
        lines.append(_text(rng, 10))
        lines.append("and the war, and the plan, and the day; and the night, said The War.")
    text = "\n".join(lines)
    assert len(text) > wordcase._LONG_TEXT
    rule = RULES["CN002"]
    assert isinstance(rule, WordCaseRule)
    names = rule._names(text, wordcase._capitalised(text))
    assert "the" not in names and "war" not in names  # dropped early: common, in the lexicon
    plain = _PlainWordCase(rule.meta, rule.min_capitalised)
    findings = _findings(rule, text)
    assert findings and findings == _findings(plain, text)
