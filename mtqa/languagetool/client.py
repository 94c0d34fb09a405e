"""A small client for LanguageTool's HTTP API (``/v2/check``, ``/v2/configinfo``).

Why not language-tool-python's ``LanguageTool`` class: its 3.4 release shares an offset cache
between instances (class level), so concurrent ``check()`` calls from threads can return wrong
offsets; it also drops ``subId`` and the short message, and has no total time limit. This client
sends sentences joined into batches up to the server's text limit, keeps a few requests in
flight, converts LanguageTool's UTF-16 offsets to Python string indices, retries transient
failures with back-off under a total deadline, and reports sentences it could not check instead
of treating them as clean.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

#: What separates sentences inside one request: LanguageTool treats each as a paragraph.
SEPARATOR = "\n\n"

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class LanguageToolError(Exception):
    """The server could not be used (down, too slow, answering errors or garbage)."""


class RequestRejected(LanguageToolError):
    """The server refused the request itself (HTTP 4xx): retrying cannot help."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Match:
    """One LanguageTool match, with offsets in Python characters of its sentence."""

    offset: int
    length: int
    rule_id: str
    message: str
    replacements: tuple[str, ...]
    issue_type: str
    category_id: str
    short_message: str = ""
    sub_id: str = ""

    def to_json(self) -> list[Any]:
        """A compact JSON value (for the cache)."""
        return [self.offset, self.length, self.rule_id, self.message, list(self.replacements),
                self.issue_type, self.category_id, self.short_message, self.sub_id]

    @classmethod
    def from_json(cls, value: list[Any]) -> Match:
        """The inverse of :meth:`to_json`."""
        o, n, rule, msg, repl, issue, cat, short, sub = value
        return cls(int(o), int(n), str(rule), str(msg), tuple(str(r) for r in repl), str(issue),
                   str(cat), str(short), str(sub))


@dataclass(frozen=True)
class ServerInfo:
    """What the server says about itself."""

    version: str
    max_text_length: int


@dataclass(frozen=True)
class CheckOptions:
    """Request parameters that change which matches come back."""

    language: str = "en-US"
    enabled_rules: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    enabled_categories: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()
    picky: bool = False

    def form(self) -> dict[str, str]:
        """Form fields for ``/v2/check`` (without ``text``)."""
        fields = {"language": self.language}
        for name, values in (("enabledRules", self.enabled_rules),
                             ("disabledRules", self.disabled_rules),
                             ("enabledCategories", self.enabled_categories),
                             ("disabledCategories", self.disabled_categories)):
            if values:
                fields[name] = ",".join(values)
        if self.picky:
            fields["level"] = "picky"
        return fields

    def key(self) -> str:
        """A stable description of these options (part of the cache key)."""
        return json.dumps(self.form(), sort_keys=True, separators=(",", ":"))


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what LanguageTool counts)."""
    return len(text) + len(_ASTRAL.findall(text))


def utf16_to_index(text: str) -> Callable[[int], int]:
    """A function mapping UTF-16 offsets in ``text`` to Python string indices."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda unit: unit
    starts = [index + k for k, index in enumerate(astral)]  # UTF-16 offset of each astral char

    def convert(unit: int) -> int:
        return unit - bisect_left(starts, unit)

    return convert


class Client:
    """Talks to one LanguageTool server; thread-safe (one short-lived connection per request)."""

    def __init__(
        self,
        url: str,
        timeout: float = 60.0,
        retries: int = 2,
        backoff: float = 0.5,
        deadline: float | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.deadline = deadline
        self.requests = 0
        self._lock = threading.Lock()

    def _remaining(self) -> float:
        if self.deadline is None:
            return self.timeout
        return min(self.timeout, self.deadline - time.monotonic())

    def _once(self, path: str, form: dict[str, str] | None, timeout: float,
              parse: bool = True) -> Any:
        """One HTTP request; transient problems raise LanguageToolError, 4xx RequestRejected."""
        import http.client
        import urllib.error
        import urllib.parse
        import urllib.request

        data = urllib.parse.urlencode(form).encode("utf-8") if form is not None else None
        request = urllib.request.Request(self.url + path, data=data,
                                         headers={"Accept": "application/json"})
        with self._lock:
            self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = _first_line(exc.read())
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise RequestRejected(exc.code, f"HTTP {exc.code}: {detail}") from None
            raise LanguageToolError(f"HTTP {exc.code} from the server") from None
        except urllib.error.URLError as exc:
            raise LanguageToolError(f"cannot connect ({_reason(exc.reason)})") from None
        except (TimeoutError, OSError) as exc:
            raise LanguageToolError(f"no answer within {timeout:.3g} s"
                                    if isinstance(exc, TimeoutError)
                                    else f"connection failed ({_reason(exc)})") from None
        except http.client.HTTPException as exc:
            raise LanguageToolError(f"broken HTTP answer ({type(exc).__name__})") from None
        if not parse:
            return body
        try:
            return json.loads(body)
        except ValueError:
            raise LanguageToolError("the server answered with malformed JSON") from None

    def _with_retries(self, path: str, form: dict[str, str] | None, parse: bool = True) -> Any:
        last: LanguageToolError | None = None
        for attempt in range(self.retries + 1):
            timeout = self._remaining()
            if timeout <= 0:
                break
            try:
                return self._once(path, form, timeout, parse)
            except RequestRejected:
                raise
            except LanguageToolError as exc:
                last = exc
            if attempt < self.retries:
                pause = self.backoff * (2**attempt)
                if self.deadline is not None:
                    pause = min(pause, max(0.0, self.deadline - time.monotonic()))
                time.sleep(pause)
        if last is None or self._remaining() <= 0:
            raise LanguageToolError("time limit reached") from None
        raise LanguageToolError(f"{last} (after {self.retries + 1} attempts)")

    def ping(self) -> None:
        """Raise LanguageToolError unless ``/v2/healthcheck`` answers (any HTTP status) in time."""
        # an HTTP error status is still an answer (an old or proxied server without the endpoint)
        with contextlib.suppress(RequestRejected):
            self._with_retries("/v2/healthcheck", None, parse=False)

    def info(self, language: str) -> ServerInfo:
        """Server version, from a one-character ``/v2/check`` (cheap; also checks the language).

        ``/v2/configinfo`` would also give the text limit, but it lists every rule and takes
        a quarter of a second; an over-long request is answered 413 and split instead.
        """
        data = self._with_retries("/v2/check", {"language": language, "text": "."})
        try:
            version = str(data["software"]["version"])
            if not isinstance(data["matches"], list):
                raise TypeError
        except (KeyError, TypeError, ValueError):
            raise LanguageToolError("the /v2/check answer is not LanguageTool's") from None
        limit = data.get("parameter", {}).get("maxTextLength") if isinstance(
            data.get("parameter"), dict) else None
        return ServerInfo(version, int(limit) if isinstance(limit, int) else 2**31 - 1)

    def check(self, text: str, options: CheckOptions) -> list[dict[str, Any]]:
        """Raw matches of ``/v2/check`` for ``text`` (offsets in UTF-16 code units)."""
        form = options.form()
        form["text"] = text
        data = self._with_retries("/v2/check", form)
        matches = data.get("matches") if isinstance(data, dict) else None
        if not isinstance(matches, list):
            raise LanguageToolError("the server's answer has no list of matches")
        return matches


@dataclass
class Outcome:
    """Matches per sentence (``None``: not checked) and what went wrong, if anything."""

    results: list[list[Match] | None]
    errors: list[str] = field(default_factory=list)
    batches: int = 0


def make_batches(sentences: Sequence[str], limit: int) -> list[list[int]]:
    """Group sentence indices, in order, into batches of at most ``limit`` UTF-16 units."""
    batches: list[list[int]] = []
    current: list[int] = []
    size = 0
    gap = len(SEPARATOR)
    for index, sentence in enumerate(sentences):
        length = utf16_length(sentence)
        if current and size + gap + length > limit:
            batches.append(current)
            current, size = [], 0
        size += (gap if current else 0) + length
        current.append(index)
    if current:
        batches.append(current)
    return batches


def parse_matches(
    raw: list[dict[str, Any]], sentences: Sequence[str]
) -> list[list[Match]]:
    """Split the matches of one batch back into its sentences, offsets in Python characters."""
    starts: list[int] = []
    pos = 0
    for sentence in sentences:
        starts.append(pos)
        pos += utf16_length(sentence) + len(SEPARATOR)
    converters: dict[int, Callable[[int], int]] = {}
    out: list[list[Match]] = [[] for _ in sentences]
    for item in raw:
        try:
            offset = int(item["offset"])
            length = int(item["length"])
            rule = item.get("rule") or {}
            rule_id = str(rule["id"])
        except (KeyError, TypeError, ValueError):
            continue
        which = bisect_right(starts, offset) - 1
        if which < 0:
            continue
        sentence = sentences[which]
        local = offset - starts[which]
        if local > utf16_length(sentence):
            continue  # inside a separator
        convert = converters.get(which)
        if convert is None:
            convert = converters[which] = utf16_to_index(sentence)
        begin = convert(local)
        end = min(convert(local + max(0, length)), len(sentence))
        replacements = tuple(
            str(r.get("value", "")) for r in item.get("replacements") or [] if isinstance(r, dict)
        )
        category = rule.get("category") or {}
        out[which].append(Match(
            begin, max(0, end - begin), rule_id, str(item.get("message", "")),
            replacements, str(rule.get("issueType", "")),
            str(category.get("id", "")) if isinstance(category, dict) else "",
            str(item.get("shortMessage", "") or ""), str(rule.get("subId", "") or ""),
        ))
    return out


def check_sentences(
    client: Client,
    sentences: Sequence[str],
    options: CheckOptions,
    limit: int,
    workers: int = 4,
) -> Outcome:
    """Check sentences in batches with ``workers`` requests in flight; never raises."""
    outcome = Outcome([None] * len(sentences))
    long_ones = [i for i, s in enumerate(sentences) if utf16_length(s) > limit]
    if long_ones:
        outcome.errors.append(f"{len(long_ones)} sentence(s) longer than the server's limit "
                              f"of {limit} characters")
    todo = [i for i, s in enumerate(sentences) if utf16_length(s) <= limit]
    batches = [[todo[j] for j in b] for b in make_batches([sentences[i] for i in todo], limit)]
    outcome.batches = len(batches)
    broken: list[str] = []

    def run(batch: list[int]) -> None:
        if broken:
            return
        texts = [sentences[i] for i in batch]
        try:
            raw = client.check(SEPARATOR.join(texts), options)
        except RequestRejected as exc:
            if exc.status == 413 and len(batch) > 1:  # over the server's text limit: halve
                half = len(batch) // 2
                run(batch[:half])
                run(batch[half:])
                return
            broken.append(str(exc))
            return
        except LanguageToolError as exc:
            broken.append(str(exc))
            return
        for i, matches in zip(batch, parse_matches(raw, texts), strict=True):
            outcome.results[i] = matches

    if batches:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(batches)))) as pool:
            list(pool.map(run, batches))
    if broken:
        outcome.errors.append(broken[0])
    return outcome


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    return (text.splitlines() or ["no detail"])[0][:200]


def _reason(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason)
    return str(text)
