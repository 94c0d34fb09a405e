"""The fast paths of the engines find exactly what the plain algorithms find.

The repetition rules search only the units that folded tokens show to hold a repeat; the
balance and readability rules skip units in bulk; NM001 and UT001 use patterns restructured
for the regex engine's fast scan. Each is compared here with the straightforward version it
replaced, on the sample files and on random and tricky text.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from mtqa.config import Config
from mtqa.document import Document, Unit
from mtqa.formats import read_document
from mtqa.formats.plain import read_text
from mtqa.rules.engines import balance, readability, repetition
from mtqa.rules.engines.repetition import _ADJACENT, Candidate, RepetitionRule, fold
from mtqa.rules.loader import load_rules
from mtqa.rules.model import ScanContext, spaces_to_whitespace

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "mtqa" / "rules" / "packs"
SAMPLES = [
    *sorted((ROOT / "samples").glob("*.txt")),
    ROOT / "bench" / "data" / "heldout2-good.txt",
    ROOT / "tests" / "data" / "heldout" / "good.txt",
]
EVERY_CHARACTER = "".join(map(chr, range(0x110000)))

TRICKY = [
    "The the meeting. the the. (the the) “the the” 'the the' \"the the\"",
    "very very very cold; go go go go; A B A B; for their for their for their money",
    "non-stop stop, re-do do, e-mail mail, C++ ++ and C# # and x-ray ray",
    "don't t, China's s, l'état état, rock'n'roll rock'n'roll, 'the the', students' students'",
    "don’t t, ’tis tis, it’s it’s, the the’s, the’s the’s",
    "line break the \nthe, the\nthe, the \r\nthe, tab\t\ttab, nbsp\u00a0nbsp, the \n the",
    "İstanbul istanbul, ISTANBUL İSTANBUL, KELVIN \u212aelvin kelvin, Å \u212b å",
    "ÉTÉ été, Straße STRASSE, Ÿ ÿ, ẞ ß, ſ s, ΟΔΟΣ οδοσ, Σ σ ς, µ μ Μ",
    "中文 中文, 中 中, Москва москва, ÆON æon, ĳ Ĳ, ǅ ǆ Ǆ, ǈ ǉ",
    "one one, 2 2, 10 10, x1 x1, _a _a, a_ a_, ab12 ab12, a1b a1b",
    "Walla Walla, Bora Bora, NN NN, had had, that that, what it is is",
    "realistic and realistic, Realistic and realistic, bold and BOLD, open or open to",
    "structural reform and structural reform, the plan and the plan, a b c d and a b c d",
    "x and x, and and and, or or or, waited and waited, trained and trained teams",
    "a,a a.a a;a a:a a!a a?a a?a? and? and?",
    "the the\u2019s, the\u2019 the\u2019, “quoted” “quoted”, «dit» «dit», ‘x’ ‘x’",
    "ﬁ ﬁ, Ⅻ Ⅻ, ² ², ½ ½, ª ª, º º, ٣ ٣, ① ①",
]

WORDS = """
    the The THE a A and And AND or Or of plan Plan realistic reform don't China's students'
    it’s l'état état État non-stop stop x X go very İ i I K k \u212a ſ s ΟΔΟΣ οδος οδοσ 中文 中
    Москва москва 10 _x C++ C# e-mail ÿ Ÿ ß ẞ Å å \u212b µ μ
""".split()  # noqa: SIM905 - a word list reads better as text
GAPS = [" ", " ", " ", "  ", "\t", "\u00a0", "\n", " \n", " \r\n", " \n ", "\r\n", ", ", ". "]
GAPS += ["-", "'", "’", "“", "”", "(", ")", '"', "\x00", "? ", "; ", "…", "—"]


def _random_text(seed: int, lines: int = 200) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(lines):
        words: list[str] = []
        for _ in range(rng.randint(0, 14)):
            word = rng.choice(WORDS)
            words.append(word)
            if rng.random() < 0.3:
                words.append(rng.choice(GAPS) if rng.random() < 0.3 else " ")
                words.append(word)  # a doubling
            if rng.random() < 0.1 and len(words) >= 4:
                words.extend([" ", *words[-4:]])  # a doubled phrase
            if rng.random() < 0.1 and len(words) >= 4:
                phrase = words[-rng.randint(1, 4) :]
                words.extend([" ", rng.choice(["and", "or", "AND"]), " ", *phrase])
            words.append(rng.choice(GAPS))
        out.append("".join(words))
    return "\n".join(out)


def _documents() -> list[Document]:
    documents = [read_document(str(path)) for path in SAMPLES]
    documents.append(read_text("tricky.txt", "\n".join(TRICKY)))
    # Repeats that fill a document or end it, where the comparisons run out of tokens.
    edges = ["the the", "A B A B", "a b c a b c", "x\nmore more", "x\nand so on and so on"]
    edges += ["'s s", "a and a", "b or b.", "x y and x y", "it is"]
    documents.extend(read_text(f"edge-{i}.txt", text) for i, text in enumerate(edges))
    documents.extend(read_text(f"random-{seed}.txt", _random_text(seed)) for seed in range(30))
    # Units that touch, a unit with line breaks, and masked text between units.
    text = "the the\x00\x00\x00and and\nand more more\nx x"
    units = [Unit("the the", 0), Unit("and and\nand more more", 10), Unit("\nx x", 31)]
    documents.append(Document("touching.txt", text, units))
    flat = [re.sub(r"[\t\r\n]", " ", t) for t in TRICKY]
    rows = (f"source source {i}\tthe the {t}" for i, t in enumerate(flat))
    data = "\n".join(rows)
    documents.append(read_document("bilingual.tsv", data.encode()))
    return documents


def _context(document: Document) -> ScanContext:
    return ScanContext(document, {}, None)


# ---------------------------------------------------------------------------------------------
# The fold


def test_fold_gives_one_byte_per_character() -> None:
    assert len(fold(EVERY_CHARACTER)) == len(EVERY_CHARACTER)


def test_fold_turns_exactly_the_non_word_characters_into_spaces() -> None:
    folded = fold(EVERY_CHARACTER)
    spaces = {m.start() for m in re.finditer(r"[^\w'’\x00]", EVERY_CHARACTER)}
    assert {i for i, byte in enumerate(folded) if byte == ord(" ")} == spaces
    assert fold("\x00'’") == b"\x00''"


def test_fold_keeps_word_starts_recognisable() -> None:
    folded = fold(EVERY_CHARACTER)
    starts = {folded[m.start()] for m in re.finditer(r"[^\W\d_]", EVERY_CHARACTER)}
    assert starts <= repetition._WORD_START_BYTES


def test_characters_a_backreference_takes_as_equal_fold_alike() -> None:
    # IGNORECASE back-references compare simple lowercase mappings; every case relation
    # Unicode defines is tried, including the ones that cross into Latin-1 (K, Å, İ, Ÿ, ẞ).
    same = re.compile(r"(.)\1", re.IGNORECASE | re.DOTALL)
    checked = 0
    for char in EVERY_CHARACTER:
        variants = {char.lower(), char.upper(), char.title(), char.casefold(), char.swapcase()}
        for variant in variants:
            for other in variant:
                if other != char and same.fullmatch(char + other):
                    assert fold(char) == fold(other), (hex(ord(char)), hex(ord(other)))
                    checked += 1
    assert checked > 2000
    assert fold("İiI") == b"iii"
    assert fold("\u212akK") == b"kkk"


# ---------------------------------------------------------------------------------------------
# Doubled words and phrases (RP001, RP003)


def _adjacent_reference(text: str) -> list[Candidate]:
    """The regex over the whole text, as before the prefilter."""
    out: list[Candidate] = []
    pos = 0
    while (match := _ADJACENT.search(text, pos)) is not None:
        pos = match.end()
        first = match.group("first")
        words = first.split()
        if len(words) > 1 and len({w.lower() for w in words}) == 1:
            first = words[0]
        first_end = match.start() + len(first)
        second = text[first_end:pos].split()[0]
        out.append(Candidate(match.start(), first_end, pos, first, second, len(first.split())))
    return out


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.path)
def test_token_ends_are_cut_out_of_the_folded_text_exactly(document: Document) -> None:
    folded = repetition._Folded(document.scan_text)
    tokens = folded.folded.replace(b"\x00", b" \x01 ").split()
    assert folded.heads == b"".join(t[:2] if len(t) > 1 else t + b" " for t in tokens)
    assert folded.tails == b"".join(t[-2:] if len(t) > 1 else b" " + t for t in tokens)


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.path)
def test_adjacent_repeats_match_the_full_text_regex(document: Document) -> None:
    found = repetition.adjacent_repeats(_context(document))
    assert found == _adjacent_reference(document.scan_text)


def test_adjacent_repeats_are_found_in_tricky_text() -> None:
    document = read_text("tricky.txt", "\n".join(TRICKY))
    firsts = {c.first for c in repetition.adjacent_repeats(_context(document))}
    expected = {"the", "very", "stop", "t", "état", "İstanbul", "ÉTÉ", "ΟΔΟΣ", "中文", "for their"}
    assert expected <= firsts


# ---------------------------------------------------------------------------------------------
# Coordinated duplicates (RP002)


def _coordinated_reference(rule: RepetitionRule, text: str) -> list[Candidate]:
    """The conjunction loop over the whole lowercased text, as before the prefilter."""
    assert rule.conjunction is not None
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text
    out: list[Candidate] = []
    last_end = 0
    for conj in rule.conjunction.finditer(lowered):
        gap = conj.start()
        while gap > 0 and lowered[gap - 1] in " \t\u00a0\r\n":
            gap -= 1
        window_start = max(last_end, gap - 120)
        if conj.group("after") not in lowered[window_start:gap]:
            continue
        for start in repetition._word_starts(text, window_start, gap, rule.max_words):
            match = rule.regex.match(text, start)
            if match is not None and match.end("first") == gap:
                last_end = match.end()
                first = match.group("first")
                out.append(
                    Candidate(
                        start,
                        match.end("first"),
                        match.end(),
                        first,
                        match.group("second"),
                        len(first.split()),
                    )
                )
                break
    return out


def _coordinated_rules() -> list[RepetitionRule]:
    rp002 = next(r for r in load_rules(Config().rule_packs) if r.meta.code == "RP002")
    assert isinstance(rp002, RepetitionRule)
    others: list[Any] = [
        {"mode": "coordinated", "max-words": 1},
        {"mode": "coordinated", "max-words": 8, "conjunctions": ["and", "or", "nor", "but"]},
        {"mode": "coordinated", "conjunctions": ["and", "и"]},  # not foldable: whole text
    ]
    return [rp002, *(repetition.compile(rp002.meta, p, "test") for p in others)]


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.path)
def test_coordinated_candidates_match_the_plain_scan(document: Document) -> None:
    for rule in _coordinated_rules():
        found = list(rule._coordinated(_context(document)))
        assert found == _coordinated_reference(rule, document.scan_text)


def test_lowercasing_keeps_the_length_except_for_dotted_capital_i() -> None:
    longer = [c for c in EVERY_CHARACTER if len(c.lower()) != 1]
    assert longer == ["\u0130"]


def test_coordinated_candidates_with_dotted_i_and_final_sigma() -> None:
    text = "İ\nBold and BOLD.\nΣ ΟΔΟΣ and ΟΔΟΣ Σ\nΟΔΟΣ and οδος"
    for source in (text, text.replace("İ", "I")):
        document = read_text("sigma.txt", source)
        for rule in _coordinated_rules():
            found = list(rule._coordinated(_context(document)))
            assert found == _coordinated_reference(rule, document.scan_text)


# ---------------------------------------------------------------------------------------------
# Balance (TY003, TY004) and readability (RD001, RD002)


def test_nested_brackets_never_have_a_finding() -> None:
    rng = random.Random(4)
    for _ in range(20000):
        body = "".join(rng.choice("()[]{}a) :-8") for _ in range(rng.randint(0, 12)))
        if balance._balanced(body):
            assert balance.BalanceRule._brackets(body, 0, len(body)) == []
    assert balance._balanced("a (b [c] {d}) e")
    assert not balance._balanced(")(")


def test_units_holding_quotes_and_brackets() -> None:
    for document in _documents():
        for chars in (balance._QUOTES, balance._BRACKETS):
            starts = [u.offset for u in document.units]
            pattern = re.compile("[" + re.escape(chars) + "]")
            expected = sorted(
                {
                    balance.bisect_right(starts, m.start()) - 1
                    for m in pattern.finditer(document.scan_text)
                }
            )
            assert balance._units_holding(_context(document), chars) == expected


def test_units_over_the_readability_thresholds() -> None:
    document = read_text("long.txt", "\n".join(" ".join(["word"] * n) for n in range(0, 130)))
    spaces = readability._space_counts(_context(document))
    assert spaces == [u.target.count(" ") for u in document.units]


# ---------------------------------------------------------------------------------------------
# NM001 and UT001


def _rule(pack: str, code: str) -> dict[str, Any]:
    data = yaml.safe_load((PACKS / pack).read_text(encoding="utf-8"))
    rule: dict[str, Any] = next(r for r in data["rules"] if r["code"] == code)
    return rule


_SURNAMES = (
    "Bai|Cai|Cao|Chen|Cheng|Cui|Deng|Dong|Du|Duan|Feng|Fu|Gao|Gu|Guo|Hao|Hou|Hu|Huang|Jia|"
    "Jiang|Jin|Kang|Lai|Lei|Li|Liang|Liao|Lin|Liu|Lu|Luo|Mao|Meng|Peng|Qian|Qin|Qiu|Ren|Shao|"
    "Shen|Shi|Su|Tian|Wang|Wei|Wu|Xi|Xiao|Xie|Xiong|Xu|Xue|Yan|Yang|Yao|Yu|Zeng|Zhang|Zhao|"
    "Zheng|Zhong|Zhou|Zhu|Zou"
)


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    return [(m.span(), *(m.span(g) for g in pattern.groupindex)) for m in pattern.finditer(text)]


def test_pinyin_names_pattern_matches_as_the_leading_look_behind_form() -> None:
    rule = _rule("names.yaml", "NM001")
    given = rule["match"][rule["match"].index("(?P<g>") :]
    plain = (
        r"(?<![\w'’-])(?!(?:Hu bei|Jiang xi|Fu jian|Shen zhen)(?![\w'’-]))"
        f"(?:{_SURNAMES}) {given}"
    )
    old = re.compile(spaces_to_whitespace(plain))
    new = re.compile(spaces_to_whitespace(rule["match"]))
    assert rule["case-sensitive"] is True
    names = re.search(r"\(\?P<g>([a-z|]+)\)", rule["match"])
    assert names is not None
    pieces = [
        *_SURNAMES.split("|"),
        *names.group(1).split("|"),
        *["Hu bei", "Jiang xi", "Fu jian", "Shen zhen", "Hu beijing", "bei", "xi", "zhen"],
        *["jian", "li", "Li"],
        *[" ", "  ", "\n", "\t", "\u00a0", "-", "'", "’", "x", "X", ".", "\x00"],
    ]
    rng = random.Random(7)
    for _ in range(100000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 7)))
        assert _matches(old, text) == _matches(new, text), text
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        assert _matches(old, text) == _matches(new, text)


def test_cjk_pattern_matches_as_the_plain_character_class() -> None:
    rule = _rule("untranslated.yaml", "UT001")
    cjk = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
    old = re.compile(f"{cjk}+(?:[ ·\u3000]*{cjk}+)*", re.IGNORECASE)
    flags = 0 if rule.get("case-sensitive") else re.IGNORECASE
    new = re.compile(spaces_to_whitespace(rule["match"]), flags)
    assert [m.span() for m in old.finditer(EVERY_CHARACTER)] == [
        m.span() for m in new.finditer(EVERY_CHARACTER)
    ]
    pieces = [
        *"中文あア한 ·\u3000a.\u30ff\u3100\u4dc0\ud7b0\uf8ff\ufb00\u3040\u303f\U00020000",
        "  ",
    ]
    rng = random.Random(5)
    for _ in range(50000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        assert [m.span() for m in old.finditer(text)] == [m.span() for m in new.finditer(text)]
