"""Glossary formats, matching and checks (library level)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from mtqa.checks.glossary import check_document
from mtqa.errors import InputError
from mtqa.formats import read_document
from mtqa.formats.plain import read_text
from mtqa.glossary import parse_glossary, read_glossary, serialize
from mtqa.glossary.loader import load_compiled
from mtqa.glossary.matcher import compile_glossaries
from mtqa.glossary.model import Entry, Glossary, Term
from mtqa.glossary.rules import RULES
from mtqa.model import Finding

DATA = Path(__file__).resolve().parent / "data" / "glossary"
ROOT = Path(__file__).resolve().parent.parent


def _check(text: str, *glossaries: Glossary, precedence: str = "last") -> list[Finding]:
    compiled = compile_glossaries(list(glossaries), precedence)
    return check_document(compiled, read_text("t.txt", text + "\n"))


@pytest.fixture(scope="module")
def basic() -> Glossary:
    return read_glossary(DATA / "basic-multiterm.tbx")


@pytest.fixture(scope="module")
def examples() -> Glossary:
    return read_glossary(DATA / "examples.csv")


# --- reading ---------------------------------------------------------------------------------


def test_tbx_basic_export_loads_with_every_data_category(basic: Glossary) -> None:
    assert (basic.source_lang, basic.target_lang, basic.tbx_version) == ("zh-CN", "en-US", 2)
    assert basic.title == "Economy terms (test)"
    first = basic.entries[0]
    assert first.id == "c1" and first.subject == "economy"
    assert first.definition == "Reform that improves the quality of supply."
    en = first.in_lang("en")
    assert [(t.text, t.status, t.pos) for t in en] == [
        ("supply-side structural reform", "preferred", "noun"),
        ("structural reform on the supply side", "deprecated", "noun"),
    ]
    assert en[1].note == "Literal machine translation."
    assert en[1].line == 37
    # ntig/termGrp with normativeAuthorization, proper noun
    bri = basic.entries[2].in_lang("en")
    assert bri[0].term_type == "properNoun" and bri[0].is_case_sensitive
    assert [t.status for t in bri] == ["preferred", "superseded"]
    # legalTerm is kept as written, read as preferred; a third language is kept
    pension = basic.entries[4]
    assert pension.in_lang("en")[0].status == "preferred"
    assert pension.in_lang("en")[0].status_label == "legalTerm"
    assert pension.in_lang("de")[0].text == "Rentenversicherung"
    assert not basic.problems


@pytest.mark.parametrize("name", ["v3-dca.tbx", "v3-dct.tbx"])
def test_tbx_v3_loads(name: str) -> None:
    glossary = read_glossary(DATA / name)
    assert glossary.tbx_version == 3 and glossary.source_lang == "zh"
    entry = glossary.entries[0]
    statuses = [t.status for t in entry.in_lang("en")]
    assert statuses == ["preferred", "deprecated"]
    assert entry.subject in ("technology", "economy")
    assert entry.in_lang("en")[0].pos == "noun"


def test_tbx_v3_proper_noun_is_case_sensitive() -> None:
    glossary = read_glossary(DATA / "v3-dca.tbx")
    bay = glossary.entries[1].in_lang("en")[0]
    assert bay.is_case_sensitive
    findings = _check("The Guangdong-Hong Kong-Macao greater bay area grew.", glossary)
    assert [(f.rule, f.suggestions[0]) for f in findings] == [
        ("GL004", "Guangdong-Hong Kong-Macao Greater Bay Area")
    ]


def test_csv_columns_and_unknown_columns_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "source:zh,target,status,forbidden,case_sensitive,note,pos,domain,id,reviewer\n"
        "实体经济,real economy,preferred,entity economy|physical economy,no,ok,noun,economy,e1,Li\n"
        "实体经济,real-economy sector,admitted,,,,,,e1,\n",
        encoding="utf-8",
    )
    glossary = read_glossary(path)
    assert glossary.source_lang == "zh"
    [entry] = glossary.entries
    assert entry.subject == "economy" and entry.id == "e1"
    en = entry.in_lang("en")
    assert [(t.text, t.status) for t in en] == [
        ("real economy", "preferred"),
        ("entity economy", "forbidden"),
        ("physical economy", "forbidden"),
        ("real-economy sector", "admitted"),
    ]
    assert en[0].extra == {"reviewer": "Li"} and en[0].case_sensitive is False
    again = parse_glossary(tmp_path / "h.csv", serialize(glossary, tmp_path / "h.csv"))
    assert again.entries[0].in_lang("en")[0].extra == {"reviewer": "Li"}


def test_tsv_glossary(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("source\ttarget\tstatus\n产能\tcapacity\tpreferred\n", encoding="utf-8")
    assert read_glossary(path).entries[0].in_lang("en")[0].text == "capacity"


# --- round trips -----------------------------------------------------------------------------


def _terms(
    glossary: Glossary, langs: tuple[str, ...] = ("zh", "en")
) -> list[tuple[str, str, str | None]]:
    from mtqa.glossary.model import primary

    return sorted(
        (primary(t.lang), t.text, t.status_label or t.status)
        for e in glossary.entries
        for t in e.terms
        if primary(t.lang) in langs
    )


@pytest.mark.parametrize("name", ["basic-multiterm.tbx", "v3-dca.tbx", "v3-dct.tbx"])
@pytest.mark.parametrize("via", [".csv", ".tsv"])
def test_tbx_csv_tbx_round_trip_keeps_terms_and_statuses(
    name: str, via: str, tmp_path: Path
) -> None:
    original = read_glossary(DATA / name)
    table = tmp_path / f"g{via}"
    table.write_bytes(serialize(original, table))
    middle = read_glossary(table)
    back = tmp_path / "back.tbx"
    back.write_bytes(serialize(middle, back, original.tbx_version))
    final = read_glossary(back)
    assert _terms(final) == _terms(original)
    assert [e.subject for e in final.entries] == [e.subject for e in original.entries]
    cs = [[t.is_case_sensitive for t in e.terms] for e in final.entries]
    assert cs == [
        [t.is_case_sensitive for t in e.terms if t.lang[:2] in ("zh", "en")]
        for e in original.entries
    ]


def test_tbx_round_trip_keeps_all_languages(basic: Glossary, tmp_path: Path) -> None:
    for version in (2, 3):
        out = tmp_path / f"v{version}.tbx"
        out.write_bytes(serialize(basic, out, version))
        again = read_glossary(out)
        assert again.tbx_version == version
        assert _terms(again, ("zh", "en", "de")) == _terms(basic, ("zh", "en", "de"))
        assert again.entries[0].definition == basic.entries[0].definition


def test_shipped_glossary_csv_matches_tbx() -> None:
    tbx = read_glossary(ROOT / "glossaries" / "zh-en-governance.tbx")
    csv = read_glossary(ROOT / "glossaries" / "zh-en-governance.csv")
    assert len(tbx.entries) >= 150
    assert _terms(csv) == _terms(tbx)
    assert "Report on the Work of the Government" in (tbx.source_desc or "")


# --- untrusted XML ---------------------------------------------------------------------------


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tbx"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [\n<!ENTITY x SYSTEM "file://{secret}">\n]>\n'
        '<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="en">'
        "<tig><term>&x;</term></tig></langSet></termEntry></body></text></martif>\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_glossary(path)
    message = str(info.value)
    assert "entity" in message and f"{path}:3:" in message and "\n" not in message
    assert "TOP-SECRET" not in message


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ['<!ENTITY lol "lol">']
    for i in range(1, 10):
        lines.append(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.replace("&lol0;", "&lol;")
        )
    path = tmp_path / "bomb.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE martif [\n' + "\n".join(lines) + "\n]>\n"
        '<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&lol9;</term>'
        "</tig></langSet></termEntry></body></text></martif>\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="entity declarations are not allowed"):
        read_glossary(path)


def test_malformed_tbx_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n<martif>\n<text><body>\n<termEntry>\n'
        "</langSet>\n</body></text></martif>\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_glossary(path)
    assert str(info.value).startswith(f"{path}:5: malformed XML")


def test_not_tbx_and_bad_csv_are_one_line_errors(tmp_path: Path) -> None:
    html = tmp_path / "x.tbx"
    html.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(InputError, match="not a TBX file"):
        read_glossary(html)
    headerless = tmp_path / "x.csv"
    headerless.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="'source' and a 'target'"):
        read_glossary(headerless)
    with pytest.raises(InputError, match="no such glossary"):
        read_glossary(tmp_path / "missing.tbx")
    with pytest.raises(InputError, match="unsupported glossary type"):
        read_glossary(tmp_path / "g.xlsx")


# --- matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "flagged", "suggestion"),
    [
        (
            "We will deepen structural reforms on the supply side.",
            "structural reforms on the supply side",
            "supply-side structural reforms",
        ),
        (
            "Structural reform on the supply side comes first.",
            "Structural reform on the supply side",
            "Supply-side structural reform",
        ),
        (
            "a structural reform on the supply-side",
            "structural reform on the supply-side",
            "supply-side structural reform",
        ),
        (
            "They firmly implement the new development concept.",
            "new development concept",
            "new development philosophy",
        ),
        (
            "Both new development concepts were dropped.",
            "new development concepts",
            "new development philosophies",
        ),
        (
            "It deepens the combination of production, teaching and research.",
            "combination of production, teaching and research",
            "industry-university-research collaboration",
        ),
        (
            "without the comma: combination of production teaching and research",
            "combination of production teaching and research",
            "industry-university-research collaboration",
        ),
        (
            "They liberated the thought of the people.",
            "liberated the thought",
            "emancipated the mind",
        ),
        ("He keeps liberating the thought.", "liberating the thought", "emancipating the mind"),
        ("She liberates the thought.", "liberates the thought", "emancipates the mind"),
    ],
)
def test_deprecated_terms_in_inflected_forms(
    examples: Glossary, sentence: str, flagged: str, suggestion: str
) -> None:
    findings = _check(sentence, examples)
    assert [(f.rule, f.text) for f in findings] == [("GL001", flagged)]
    assert findings[0].suggestions[0] == suggestion
    assert findings[0].fix is not None and findings[0].fix.edits[0].replacement == suggestion
    assert findings[0].category == "terminology" and findings[0].checker == "glossary"


def test_tbx_statuses_drive_severity(basic: Glossary) -> None:
    findings = _check("Endowment insurance and the new development concept.", basic)
    by_rule = {(f.text, f.severity.value) for f in findings}
    assert by_rule == {("Endowment insurance", "error"), ("new development concept", "warning")}
    assert findings[0].suggestions == ("Old-age insurance",)


@pytest.mark.parametrize(
    "sentence",
    [
        "We will deepen supply-side structural reform.",
        "We will deepen supply side structural reforms.",
        "The new development philosophy matters.",
        "A renewed development concept.",  # not the word "new"
        "The new development conceptual framework.",  # word boundary
        "See https://example.org/new-development-concept for details.",
        "Run `new development concept` in the shell.",
        "structural reform on the supply\n side",  # the line break ends a unit in plain text
    ],
)
def test_no_false_alarms(examples: Glossary, sentence: str) -> None:
    assert _check(sentence, examples) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("China proposed the Belt And Road Initiative.", ["Belt And Road Initiative"]),
        ("the belt and road initiative grew.", ["belt and road initiative"]),
        ("China proposed the Belt and Road Initiative.", []),
        ("BELT AND ROAD INITIATIVE TURNS TEN", []),
        ("Belt and Road Initiative projects.", []),
    ],
)
def test_proper_nouns_match_with_case(
    examples: Glossary, sentence: str, expected: list[str]
) -> None:
    findings = _check(sentence, examples)
    assert [f.text for f in findings] == expected
    assert all(
        f.rule == "GL004" and f.suggestions == ("Belt and Road Initiative",) for f in findings
    )


def _glossary(*terms: tuple[str, str], path: str = "g.csv") -> Glossary:
    entry = Entry(terms=[Term(text, "en", status=status) for text, status in terms])
    return Glossary(path=path, entries=[entry], source_lang=None, target_lang="en")


def test_longest_match_wins() -> None:
    glossary = Glossary(
        path="g.csv",
        entries=[
            Entry(
                terms=[
                    Term("wellbeing", "en", status="preferred"),
                    Term("people's livelihood", "en", status="deprecated"),
                ]
            ),
            Entry(terms=[Term("people's livelihood projects", "en", status="preferred")]),
        ],
    )
    assert _check("They funded people's livelihood projects.", glossary) == []
    assert [f.text for f in _check("They improved people's livelihood.", glossary)] == [
        "people's livelihood"
    ]


def test_precedence_between_glossaries() -> None:
    strict = _glossary(("new normal", "deprecated"), path="strict.csv")
    relaxed = _glossary(("new normal", "preferred"), path="relaxed.csv")
    text = "China entered a new normal."
    assert _check(text, strict, relaxed) == []  # the later one wins by default
    assert len(_check(text, relaxed, strict)) == 1
    assert len(_check(text, strict, relaxed, precedence="first")) == 1


# --- bilingual -------------------------------------------------------------------------------


def _tsv(tmp_path: Path, *rows: str) -> list[Finding]:
    path = tmp_path / "doc.tsv"
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    document = read_document(str(path))
    glossary = read_glossary(DATA / "examples.csv")
    return check_document(compile_glossaries([glossary]), document)


def test_source_term_without_its_translation(tmp_path: Path) -> None:
    findings = _tsv(
        tmp_path,
        "深化供给侧结构性改革\tWe will deepen reform of the supply system.",
        "深化供给侧结构性改革\tWe will deepen supply-side structural reforms.",
        "深化供给侧结构性改革\tWe will deepen structural reforms on the supply side.",
    )
    assert [(f.rule, f.text, f.segment) for f in findings] == [
        ("GL002", "供给侧结构性改革", "1"),
        ("GL001", "structural reforms on the supply side", "3"),
    ]
    assert findings[0].suggestions == ("supply-side structural reform",)
    assert findings[0].offset == 2  # points at the source term in the file


def test_do_not_translate(tmp_path: Path) -> None:
    findings = _tsv(
        tmp_path,
        "加快5G网络建设\tWe will speed up building fifth-generation networks.",
        "加快5G网络建设\tWe will speed up building 5G networks.",
        "加快25G网络建设\tWe will speed up building 25G networks.",
    )
    assert [(f.rule, f.text, f.segment) for f in findings] == [("GL003", "5G", "1")]


def test_non_cjk_source_matches_word_forms(tmp_path: Path) -> None:
    glossary = parse_glossary(
        tmp_path / "de.csv",
        b"source:de,target,status\nStrukturreform,structural reform,preferred\n",
    )
    path = tmp_path / "doc.tsv"
    path.write_text(
        "Die Strukturreformen gehen weiter.\tThe changes go on.\n"
        "Die Strukturreformen gehen weiter.\tThe structural reforms go on.\n",
        encoding="utf-8",
    )
    findings = check_document(compile_glossaries([glossary]), read_document(str(path)))
    assert [(f.rule, f.text) for f in findings] == [("GL002", "Strukturreformen")]


# --- cache -----------------------------------------------------------------------------------


def test_compiled_matcher_is_cached_and_rebuilt_when_damaged(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes((DATA / "examples.csv").read_bytes())
    cache = tmp_path / "cache"
    first, info = load_compiled([path], cache_dir=cache)
    assert info["cache"] == "miss"
    second, info = load_compiled([path], cache_dir=cache)
    assert info["cache"] == "hit"
    text = "the new development concept\n"
    assert len(check_document(second, read_text("t.txt", text))) == 1
    [pickled] = list((cache / "glossary").iterdir())
    pickled.write_bytes(b"not a pickle")
    _, info = load_compiled([path], cache_dir=cache)
    assert info["cache"] == "miss"
    with (cache / "glossary" / pickled.name).open("rb") as handle:
        assert pickle.load(handle).term_count == first.term_count
    path.write_text(
        path.read_text(encoding="utf-8") + "改,reform,preferred,,,,,\n", encoding="utf-8"
    )
    _, info = load_compiled([path], cache_dir=cache)
    assert info["cache"] == "miss"  # new content, new key
    _, info = load_compiled([path], cache_dir=cache, use_cache=False)
    assert info["cache"] == "off"


# --- the rule table --------------------------------------------------------------------------


@pytest.mark.parametrize("meta", RULES, ids=lambda m: m.code)
def test_rule_examples(meta, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert meta.flag and meta.ok, f"{meta.code} needs examples"
    glossary = read_glossary(DATA / "examples.csv")
    compiled = compile_glossaries([glossary])

    def run(text: str) -> list[Finding]:
        if "\t" in text:
            path = tmp_path / "e.tsv"
            path.write_text(text + "\n", encoding="utf-8")
            document = read_document(str(path))
        else:
            document = read_text("e.txt", text + "\n")
        return [f for f in check_document(compiled, document) if f.rule == meta.code]

    for example in meta.flag:
        found = run(example.text)
        assert found, f"{meta.code} should flag: {example.text}"
        assert found[0].suggestions[0] == example.suggestion
    for example in meta.ok:
        assert not run(example.text), f"{meta.code} should not flag: {example.text}"
