"""Many literal strings at once, in one pass: Aho-Corasick over UTF-8 bytes.

The automaton (ahocorasick-rs, in Rust) runs over bytes, several times faster than one over
Python strings. Callers want character offsets, so the automaton also looks for the bytes
that start multi-byte characters: counting the extra bytes of the characters passed so far
turns each byte offset into a character offset in the same pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate, compress
from operator import itemgetter, sub

#: Bytes that start a character of two (0xC2-0xDF), three (0xE0-0xEF) or four (0xF0-0xF4)
#: bytes in UTF-8; the pattern numbers beyond a caller's patterns stand for them, in order.
LEAD_BYTES = range(0xC2, 0xF5)
_EXTRA_BYTES = [1 if b < 0xE0 else 2 if b < 0xF0 else 3 for b in LEAD_BYTES]


#: Pattern bytes up to which the automaton is a DFA (built in under 10 ms).
DFA_BYTES = 20_000


def encode(text: str) -> bytes:
    """The text as :class:`ByteSearch` reads it: UTF-8, lone surrogates included."""
    return text.encode("utf-8", "surrogatepass")


def lead_byte(code_point: int) -> int:
    """The first byte of a character's UTF-8 encoding (they grow with the code point)."""
    return encode(chr(code_point))[0]


class ByteSearch:
    """Finds every occurrence of some strings (overlapping ones included) in UTF-8 text.

    Pattern numbers from ``size`` on stand for the first bytes of multi-byte characters,
    ``LEAD_BYTES[number - size]``: with ``leads=True`` those characters are reported too.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        import ahocorasick_rs

        if not all(patterns):
            raise ValueError("patterns must be non-empty strings")
        self.size = len(patterns)
        #: Per pattern number: 0 for a caller's pattern, else the bytes a lead byte adds.
        self._extra = [0] * len(patterns) + _EXTRA_BYTES
        encoded = [encode(p) for p in patterns] + [bytes([b]) for b in LEAD_BYTES]
        # A DFA searches two to three times faster, but takes longer to build and more memory
        # as the patterns grow: beyond DFA_BYTES of them, a contiguous NFA.
        implementation = ahocorasick_rs.Implementation
        kind = implementation.DFA
        if sum(map(len, encoded)) > DFA_BYTES:
            kind = implementation.ContiguousNFA
        self._automaton = ahocorasick_rs.BytesAhoCorasick(encoded, implementation=kind)

    def ends(self, encoded: bytes, length: int, leads: bool = False) -> tuple[list[int], list[int]]:
        """Pattern numbers, and the character offsets one past each occurrence, in the order
        of their ends; ``encoded`` is a text of ``length`` characters as :func:`encode` gives
        it. With ``leads``, each character beyond ASCII is an occurrence too (see above)."""
        hits = self._automaton.find_matches_as_indexes(encoded, overlapping=True)
        numbers = list(map(_NUMBER, hits))
        ends = list(map(_END, hits))
        if len(encoded) == length:
            return numbers, ends  # ASCII: a byte per character, and no lead byte was found
        # Hits come in the order of their ends, lead bytes among them: a byte offset less the
        # bytes that the characters before it have beyond their first is a character offset.
        # (A lead byte's own extra bytes come after it, so they are not subtracted.)
        extra = accumulate(map(self._extra.__getitem__, numbers), initial=0)
        ends = list(map(sub, ends, extra))
        if leads:
            return numbers, ends
        mine = list(map(self.size.__gt__, numbers))
        return list(compress(numbers, mine)), list(compress(ends, mine))


_NUMBER = itemgetter(0)
_END = itemgetter(2)
