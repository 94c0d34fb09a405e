"""Surface forms of terms, generated when a glossary loads, and re-inflected suggestions.

A noun term matches with its head noun in the plural ("structural reforms on the supply
side"); a verb term matches in every form of its first word ("deepened reform"). Hyphens and
spaces between words are interchangeable; that is done by the matcher's tokenizer, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.inflect import inflect_to, known_forms, match_case

#: Words after which a noun phrase's head has ended ("reform *on* the supply side").
_PHRASE_BREAKERS = frozenset(
    {
        "of", "on", "in", "for", "to", "with", "from", "by", "at", "about", "under", "between",
        "among", "against", "through", "into", "over", "toward", "towards", "across", "within",
        "without", "via", "per", "than", "as", "that", "which", "who", "whose",
    }
)  # fmt: skip
_VERB_POS = frozenset({"verb", "v", "vb", "vt", "vi"})
_NOUN_POS = frozenset({"noun", "n", "nn", "nns", "nnp", "properNoun".lower(), "proper noun"})
_OTHER_POS = frozenset({"adjective", "adj", "adverb", "adv", "other", "preposition", "conjunction"})
_WORD = re.compile(r"[^\W_]+")
_VERB_TAGS = ("VBZ", "VBD", "VBN", "VBG")


@dataclass(frozen=True)
class Form:
    """One surface form of a term; ``slot`` is the inflected word's index, ``tag`` its tag."""

    text: str
    kind: str | None = None  # "noun" or "verb" when a word was inflected
    tag: str | None = None


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text)]


def head_index(words: list[str]) -> int:
    """Index of the head noun of a noun phrase: the word before the first preposition."""
    for i, word in enumerate(words):
        if i > 0 and word.lower() in _PHRASE_BREAKERS:
            return i - 1
    return len(words) - 1


def phrase_kind(words: list[str], pos: str | None) -> str | None:
    """ "noun" or "verb" for a term's words and part of speech; None when it does not inflect."""
    p = (pos or "").strip().lower()
    if p in _VERB_POS:
        return "verb"
    if p in _NOUN_POS:
        return "noun"
    if p in _OTHER_POS or not words:
        return None
    first = words[0].lower()
    if (
        len(words) > 1
        and known_forms(first, "VERB")
        and not known_forms(first, "NOUN")
        and not known_forms(first, "ADJ")
    ):
        return "verb"
    return "noun"


def _replace_word(text: str, span: tuple[int, int], new: str) -> str:
    old = text[span[0] : span[1]]
    return text[: span[0]] + match_case(old, new) + text[span[1] :]


def term_forms(text: str, pos: str | None = None, inflect: bool = True) -> list[Form]:
    """The term itself plus its inflected forms (plural head noun or verb forms)."""
    forms = [Form(text)]
    spans = _word_spans(text)
    if not inflect or not spans:
        return forms
    words = [text[s:e] for s, e in spans]
    kind = phrase_kind(words, pos)
    single = len(words) == 1 and not (pos or "").strip()
    if kind == "noun" or single:
        h = head_index(words)
        head = words[h]
        if head.isalpha():
            plurals = known_forms(head, "NOUN").get("NNS") or _guess_plural(head)
            for plural in plurals:
                if plural.lower() != head.lower():
                    forms.append(Form(_replace_word(text, spans[h], plural), "noun", "NNS"))
    if kind == "verb" or single:
        first = words[0]
        if first.isalpha():
            verb_forms = known_forms(first, "VERB")
            for tag in _VERB_TAGS:
                for form in verb_forms.get(tag, ()):
                    if form.lower() != first.lower():
                        forms.append(Form(_replace_word(text, spans[0], form), "verb", tag))
    seen: set[str] = set()
    out: list[Form] = []
    for candidate in forms:
        if candidate.text.lower() not in seen:
            seen.add(candidate.text.lower())
            out.append(candidate)
    return out


def _guess_plural(word: str) -> tuple[str, ...]:
    """A rule-based plural for words lemminflect does not know (only for lower-case words)."""
    if not word.islower():
        return ()
    guessed = inflect_to(word, "NNS")
    return (guessed,) if guessed else ()


def reinflect(text: str, kind: str | None, tag: str | None, pos: str | None = None) -> str:
    """``text`` (a preferred term) inflected the way a matched form was: plural or verb tag."""
    if kind is None or tag is None:
        return text
    spans = _word_spans(text)
    if not spans:
        return text
    words = [text[s:e] for s, e in spans]
    if kind == "noun":
        if phrase_kind(words, pos) == "verb":
            return text
        h = head_index(words)
        if not words[h].isalpha():
            return text
        plural = inflect_to(words[h], tag)
        return _replace_word(text, spans[h], plural) if plural else text
    if not words[0].isalpha() or not known_forms(words[0], "VERB"):
        return text
    form = inflect_to(words[0], tag)
    return _replace_word(text, spans[0], form) if form else text


def source_forms(text: str, lang: str) -> list[str]:
    """Surface forms of a source-language term written with spaces between words.

    English source terms get lemminflect's forms; for other languages the last word also
    matches with the commonest inflectional endings (a deliberately small, safe set).
    """
    from mtqa.glossary.model import primary

    base = primary(lang)
    if base == "en":
        return [f.text for f in term_forms(text)]
    endings = _ENDINGS.get(base, ())
    spans = _word_spans(text)
    if not spans or not endings:
        return [text]
    start, end = spans[-1]
    last = text[start:end]
    if len(last) < 3:
        return [text]
    return [text] + [text[:end] + suffix + text[end:] for suffix in endings]


_ENDINGS: dict[str, tuple[str, ...]] = {
    "de": ("e", "en", "n", "s", "es", "er", "ern"),
    "nl": ("en", "s", "e"),
    "fr": ("s", "x", "e", "es"),
    "es": ("s", "es", "a", "as"),
    "it": ("i", "e"),
    "pt": ("s", "es"),
    "ru": ("а", "у", "ом", "е", "ы", "и", "ов", "ам", "ами", "ах"),
    "pl": ("u", "owi", "em", "ie", "y", "ów", "om", "ami", "ach"),
}
