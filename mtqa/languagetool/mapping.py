"""LanguageTool rules as mtqa sees them: MQM category, severity, code, name, default-off rules.

The category comes from, in order: a per-rule override; the rule's LanguageTool category
(where the category says more than the issue type, as CASING does); the rule's issue type;
else ``fluency/grammar``. ``docs/languagetool.md`` shows the same tables.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from mtqa.model import Severity

#: Rules whose issue type or category says less than the rule does.
RULE_CATEGORIES: dict[str, str] = {
    "EN_A_VS_AN": "fluency/grammar",  # issue type "misspelling", but a/an is grammar
    "ENGLISH_WORD_REPEAT_RULE": "fluency/repetition",
}

#: LanguageTool category id -> MQM category (checked before the issue type).
CATEGORY_MAP: dict[str, str] = {
    "CASING": "fluency/capitalization",
    "TYPOS": "fluency/spelling",
    "MULTITOKEN_SPELLING": "fluency/spelling",
    "COMPOUNDING": "fluency/spelling",
    "PROPER_NOUNS": "fluency/spelling",
    "GRAMMAR": "fluency/grammar",
    "COLLOCATIONS": "fluency/grammar",
    "CONFUSED_WORDS": "fluency/grammar",
    "PUNCTUATION": "fluency/punctuation",
    "TYPOGRAPHY": "fluency/punctuation",
    "REPETITIONS": "fluency/repetition",
    "REPETITIONS_STYLE": "style/awkward",
    "REDUNDANCY": "style/awkward",
    "STYLE": "style/awkward",
    "PLAIN_ENGLISH": "style/awkward",
    "NONSTANDARD_PHRASES": "style/awkward",
    "WIKIPEDIA": "style/awkward",
    "CREATIVE_WRITING": "style/awkward",
    "TON_ACADEMIC": "style/awkward",
    "AMERICAN_ENGLISH_STYLE": "style/awkward",
    "BRITISH_ENGLISH": "style/awkward",
    "GENDER_NEUTRALITY": "style/awkward",
    "TEXT_ANALYSIS": "style/readability",
    "FALSE_FRIENDS": "accuracy/mistranslation",
}

#: LanguageTool issue type (ITS 2.0 localization quality issue type) -> MQM category.
ISSUE_TYPE_MAP: dict[str, str] = {
    "misspelling": "fluency/spelling",
    "characters": "fluency/spelling",
    "locale-violation": "fluency/spelling",
    "grammar": "fluency/grammar",
    "typographical": "fluency/punctuation",
    "whitespace": "fluency/punctuation",
    "punctuation": "fluency/punctuation",
    "formatting": "fluency/punctuation",
    "duplication": "fluency/repetition",
    "style": "style/awkward",
    "register": "style/awkward",
    "inconsistency": "fluency/inconsistency",
    "inconsistent-entities": "fluency/inconsistency",
    "terminology": "terminology",
    "mistranslation": "accuracy/mistranslation",
    "untranslated": "accuracy/untranslated",
    "omission": "accuracy/omission",
    "addition": "accuracy/addition",
    "numbers": "accuracy/number",
}

DEFAULT_CATEGORY = "fluency/grammar"

#: Issue types whose matches are advice rather than errors.
_ADVICE = frozenset({"style", "register", "uncategorized", "other", "locale-violation"})

_SPELLING_RULE = re.compile(r"^MORFOLOGIK_RULE_")


def mqm_category(rule_id: str, category_id: str, issue_type: str) -> str:
    """The MQM category of a LanguageTool match."""
    return (
        RULE_CATEGORIES.get(rule_id)
        or CATEGORY_MAP.get(category_id)
        or ISSUE_TYPE_MAP.get(issue_type)
        or DEFAULT_CATEGORY
    )


def severity(category: str, issue_type: str) -> Severity:
    """Warning for errors of form; info for style advice."""
    if category.startswith("style/") or issue_type in _ADVICE:
        return Severity.INFO
    return Severity.WARNING


def rule_code(rule_id: str) -> str:
    """mtqa's code for a LanguageTool rule: ``LT`` + the rule id."""
    return "LT" + rule_id.upper()


def rule_name(rule_id: str) -> str:
    """Kebab-case name from the rule id: ``MORFOLOGIK_RULE_EN_US`` -> ``morfologik-rule-en-us``."""
    return re.sub(r"[^a-z0-9]+", "-", rule_id.lower()).strip("-")


def is_spelling_rule(rule_id: str) -> bool:
    """True for LanguageTool's dictionary spelling rules (one per language variant)."""
    return bool(_SPELLING_RULE.match(rule_id))


@cache
def default_disabled() -> dict[str, str]:
    """Rules off by default: rule id -> the reason (from ``disabled-rules.toml``)."""
    text = resources.files("mtqa.languagetool").joinpath("disabled-rules.toml").read_text("utf-8")
    rules = tomllib.loads(text).get("rules", {})
    return {str(rule): str(entry.get("reason", "")) for rule, entry in rules.items()}
