"""The glossary rule codes (``GL``), documented like the YAML rules so ``mtqa rules`` can list them.

Examples assume the glossary of ``tests/data/glossary/examples.csv``; a test runs each one.
"""

from __future__ import annotations

from mtqa.model import Applicability, Severity
from mtqa.rules.model import Example, RuleMeta

_PACK = "glossary"

GL001 = RuleMeta(
    code="GL001",
    name="deprecated-term",
    category="terminology",
    severity=Severity.WARNING,
    message='"{text}" is a deprecated term; use "{suggestion}"',
    why=(
        "The glossary marks this term deprecated, superseded or forbidden (in any of its "
        "inflected forms). Readers of official texts expect the approved rendering; MT engines "
        "keep producing the old or literal one. The suggestion is the preferred term, "
        "re-inflected to fit (plural head noun, verb tense). Forbidden terms are errors."
    ),
    engine="glossary",
    pack=_PACK,
    flag=(
        Example(
            "We will deepen structural reforms on the supply side.",
            "supply-side structural reforms",
        ),
        Example(
            "They must firmly implement the new development concept.", "new development philosophy"
        ),
        Example(
            "It promotes the combination of production, teaching and research.",
            "industry-university-research collaboration",
        ),
    ),
    ok=(
        Example("We will deepen supply-side structural reform."),
        Example("The new development philosophy guides the plan."),
        Example("See https://example.org/new-development-concept for details."),
    ),
    fix=Applicability.UNSAFE,
)

GL002 = RuleMeta(
    code="GL002",
    name="missing-term-translation",
    category="terminology",
    severity=Severity.WARNING,
    message='the source term "{text}" is not translated with its glossary term "{suggestion}"',
    why=(
        "Bilingual input: the source segment contains a glossary source term (Chinese and "
        "Japanese by substring, other languages by word forms) but the target contains none of "
        "its preferred or admitted translations, in any inflected form. Either the term was "
        "mistranslated or it was left out."
    ),
    engine="glossary",
    pack=_PACK,
    flag=(
        Example(
            "深化供给侧结构性改革\tWe will deepen reform of the supply system.",
            "supply-side structural reform",
        ),
    ),
    ok=(Example("深化供给侧结构性改革\tWe will deepen supply-side structural reforms."),),
)

GL003 = RuleMeta(
    code="GL003",
    name="do-not-translate-missing",
    category="terminology",
    severity=Severity.WARNING,
    message='the do-not-translate term "{text}" is missing from the target',
    why=(
        "Bilingual input: the glossary says this source term stays as it is (a product name, "
        "an acronym such as 5G), but the target does not contain it: it was translated, "
        "transliterated or dropped."
    ),
    engine="glossary",
    pack=_PACK,
    flag=(Example("加快5G网络建设\tWe will speed up building fifth-generation networks.", "5G"),),
    ok=(Example("加快5G网络建设\tWe will speed up building 5G networks."),),
)

GL004 = RuleMeta(
    code="GL004",
    name="term-case",
    category="terminology",
    severity=Severity.WARNING,
    message='"{text}" is a proper name written with the wrong case; write "{suggestion}"',
    why=(
        "Proper nouns and terms marked case-sensitive must keep their capitalisation. A capital "
        "first letter at the start of a sentence and ALL CAPS are accepted."
    ),
    engine="glossary",
    pack=_PACK,
    flag=(
        Example("China proposed the Belt And Road Initiative in 2013.", "Belt and Road Initiative"),
        Example("the belt and road initiative has grown.", "Belt and Road Initiative"),
    ),
    ok=(
        Example("China proposed the Belt and Road Initiative in 2013."),
        Example("BELT AND ROAD INITIATIVE TURNS TEN"),
    ),
    fix=Applicability.SAFE,
)

#: Every glossary rule, in code order.
RULES: tuple[RuleMeta, ...] = (GL001, GL002, GL003, GL004)
