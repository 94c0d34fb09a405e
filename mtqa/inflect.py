"""Word forms: which inflection a word is, and the same inflection of another word.

Backed by lemminflect, imported on first use.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_UPOS = ("VERB", "NOUN", "ADJ", "AUX")


@lru_cache(maxsize=1)
def _lemminflect() -> Any:
    import lemminflect

    return lemminflect


@lru_cache(maxsize=65536)
def all_forms(lemma: str, upos: str | None = None) -> dict[str, tuple[str, ...]]:
    """Penn tag -> forms of ``lemma`` (for one part of speech, or all when upos is None)."""
    out: dict[str, tuple[str, ...]] = {}
    for pos in (upos,) if upos else ("VERB", "NOUN", "ADJ"):
        for tag, forms in known_forms(lemma, pos).items():
            out.setdefault(tag, forms)
        if not out:
            guessed = _lemminflect().getAllInflectionsOOV(lemma.lower(), upos=pos)
            for tag, found in guessed.items():
                out.setdefault(str(tag), tuple(str(f) for f in found))
    return out


def forms_of(lemma: str, upos: str | None = None) -> set[str]:
    """Every surface form of ``lemma``, including itself."""
    forms = {lemma.lower()}
    for values in all_forms(lemma, upos).values():
        forms.update(v.lower() for v in values)
    return forms


@lru_cache(maxsize=65536)
def tag_of(word: str, lemma: str | None = None) -> str | None:
    """The Penn tag of ``word`` as a form of ``lemma`` (or of its own lemma)."""
    li = _lemminflect()
    w = word.lower()
    lemmas: list[str] = [lemma.lower()] if lemma else []
    if not lemmas:
        for upos in _UPOS:
            lemmas.extend(li.getLemma(w, upos=upos))
    for lem in lemmas:
        for pos in ("VERB", "NOUN", "ADJ"):
            for tag, forms in li.getAllInflections(lem, upos=pos).items():
                if w in (f.lower() for f in forms):
                    if (
                        w == lem
                        and tag in ("VBP", "VBD", "VBN")
                        and "VB" in li.getAllInflections(lem, upos=pos)
                    ):
                        return "VB"
                    return str(tag)
    return None


def inflect_like(lemma: str, word: str, word_lemma: str | None = None) -> str:
    """``lemma`` in the inflection that ``word`` has: inflect_like("make", "gave") == "made"."""
    tag = tag_of(word, word_lemma)
    if tag is None:
        return lemma
    forms = _lemminflect().getInflection(lemma, tag=tag)
    return str(forms[0]) if forms else lemma


def match_case(original: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation pattern of ``original`` (Title, UPPER, lower)."""
    if not original or not replacement:
        return replacement
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


@lru_cache(maxsize=65536)
def known_forms(lemma: str, upos: str) -> dict[str, tuple[str, ...]]:
    """Penn tag -> forms of ``lemma`` as ``upos`` from lemminflect's dictionary (no guesses)."""
    found = _lemminflect().getAllInflections(lemma.lower(), upos=upos)
    return {str(tag): tuple(str(f) for f in forms) for tag, forms in found.items()}


def inflect_to(lemma: str, tag: str) -> str | None:
    """``lemma`` in the inflection ``tag`` (dictionary first, then lemminflect's rules)."""
    li = _lemminflect()
    forms = li.getInflection(lemma.lower(), tag=tag)
    if not forms:
        forms = li.getInflection(lemma.lower(), tag=tag, inflect_oov=True)
    return str(forms[0]) if forms else None
