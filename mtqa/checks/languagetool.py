"""The LanguageTool checker: grammar, spelling and punctuation from a LanguageTool server.

Modes (``grammar`` setting or ``--grammar``): *auto* uses the server when it answers and
otherwise skips with one notice; *required* makes an unreachable server or an unfinished check
an error (exit 2); *off* never connects. Results are cached per sentence (see
:mod:`mtqa.languagetool.cache`), so a re-run on unchanged text sends nothing to the server.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtqa.checks import CheckContext, no_grammar
from mtqa.config import Config
from mtqa.document import Document, Sentence
from mtqa.errors import ConfigError, ServiceError
from mtqa.languagetool import URL_ENV, local_url
from mtqa.languagetool.client import (
    CheckOptions,
    Client,
    LanguageToolError,
    Match,
    RequestRejected,
    ServerInfo,
    check_sentences,
)
from mtqa.languagetool.mapping import (
    default_disabled,
    is_spelling_rule,
    mqm_category,
    rule_code,
    rule_name,
    severity,
)
from mtqa.model import Applicability, Finding, Fix, make_fix
from mtqa.rules.model import UnitSpans

NAME = "languagetool"
MAX_SUGGESTIONS = 5
DEFAULT_CACHE_DIR = ".mtqa-cache"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
_HINT = (f"start one with `mtqa languagetool start`, or set {URL_ENV}; "
         "--grammar off turns grammar checks off")


@dataclass(frozen=True)
class Settings:
    """Everything the checker needs from the configuration, validated."""

    url: str
    options: CheckOptions
    timeout: float
    connect_timeout: float
    total_timeout: float
    retries: int
    concurrency: int
    batch_chars: int
    spellcheck_names: bool
    cache_dir: Path | None


def settings_for(config: Config) -> Settings:
    """Validate the LanguageTool part of a configuration (ConfigError on bad values)."""
    lt = config.languagetool
    url = os.environ.get(URL_ENV) or lt.url or local_url(lt.port)
    if not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError(f"LanguageTool URL '{url}' must start with http:// or https://")
    language = lt.language or config.language
    if language == "en":
        language = "en-US"  # spelling needs a variant
    if not _LANGUAGE.match(language):
        raise ConfigError(f"language '{language}' is not a language code like en-US or en-GB")
    for key, value in (("timeout", lt.timeout), ("connect-timeout", lt.connect_timeout),
                       ("total-timeout", lt.total_timeout)):
        if value <= 0:
            raise ConfigError(f"languagetool.{key} must be a positive number of seconds")
    if lt.concurrency < 1 or lt.batch_chars < 100 or lt.retries < 0:
        raise ConfigError("languagetool: concurrency must be >= 1, batch-chars >= 100, "
                          "retries >= 0")
    enabled = {r.upper() for r in lt.enabled_rules}
    disabled = sorted(({r for r in default_disabled() if r not in enabled}
                       | {r.upper() for r in lt.disabled_rules}) - enabled)
    options = CheckOptions(
        language=language,
        enabled_rules=tuple(sorted(enabled)),
        disabled_rules=tuple(disabled),
        enabled_categories=tuple(sorted(c.upper() for c in lt.enabled_categories)),
        disabled_categories=tuple(sorted(c.upper() for c in lt.disabled_categories)),
        picky=lt.picky,
    )
    cache_dir = None if config.no_cache else (config.cache_dir or Path(DEFAULT_CACHE_DIR))
    return Settings(url.rstrip("/"), options, lt.timeout, lt.connect_timeout, lt.total_timeout,
                    lt.retries, lt.concurrency, lt.batch_chars, lt.spellcheck_names, cache_dir)


class LanguageToolChecker:
    """Sends each distinct sentence once (unless cached) and maps matches to findings."""

    name = NAME

    def __init__(self, settings: Settings, info: ServerInfo, mode: str) -> None:
        self.settings = settings
        self.info = info
        self.mode = mode

    def check(self, documents: Sequence[Document], ctx: CheckContext) -> list[Finding]:
        """Findings for every sentence of every document's target text."""
        from mtqa.languagetool.cache import ResultCache

        settings = self.settings
        started = time.monotonic()
        occurrences: list[tuple[Document, Sentence]] = []
        unique: dict[str, None] = {}
        for document in documents:
            for sentence in document.sentences:
                if _checkable(sentence.text):
                    occurrences.append((document, sentence))
                    unique.setdefault(sentence.text)
        texts = list(unique)
        config_key = f"languagetool {self.info.version}|{settings.options.key()}"
        cache = (ResultCache(settings.cache_dir, config_key, ctx.notice)
                 if settings.cache_dir is not None and texts else None)
        try:
            results: dict[str, list[Match]] = cache.get_many(texts) if cache else {}
            cached = len(results)
            missing = [t for t in texts if t not in results]
            client = Client(settings.url, settings.timeout, settings.retries,
                            deadline=started + settings.total_timeout)
            limit = max(100, min(settings.batch_chars, self.info.max_text_length))
            outcome = check_sentences(client, missing, settings.options, limit,
                                      settings.concurrency)
            fresh = {t: m for t, m in zip(missing, outcome.results, strict=True) if m is not None}
            results.update(fresh)
            if cache is not None:
                cache.put_many(fresh)
        finally:
            if cache is not None:
                cache.close()
        findings: list[Finding] = []
        incomplete: dict[str, int] = {}
        # Code, URLs and quoted mentions of words are not prose to correct ("the word
        # "xiaokang"", "`len(x)`"), as for the built-in rules.
        protected = {id(d): UnitSpans(d, _PROTECT) for d in documents}
        for document, sentence in occurrences:
            matches = results.get(sentence.text)
            if matches is None:
                incomplete[document.path] = incomplete.get(document.path, 0) + 1
                continue
            for match in matches:
                finding = self._finding(document, sentence, match)
                if finding is not None and not protected[id(document)].overlaps(
                    finding.offset, finding.end
                ):
                    findings.append(finding)
        entry: dict[str, Any] = {
            "status": "partial" if incomplete else "ran",
            "url": settings.url,
            "language": settings.options.language,
            "version": self.info.version,
            "sentences": len(occurrences),
            "distinct_sentences": len(texts),
            "cached": cached,
            "checked": len(fresh),
            "requests": client.requests,
            "seconds": round(time.monotonic() - started, 3),
        }
        ctx.summary.setdefault("checkers", {})[NAME] = entry
        if incomplete:
            unchecked = sum(incomplete.values())
            reason = "; ".join(outcome.errors) or "unknown error"
            entry["reason"] = reason
            entry["unchecked_sentences"] = unchecked
            entry["incomplete_files"] = sorted(incomplete)
            what = (f"LanguageTool at {settings.url} did not check {unchecked} of "
                    f"{len(occurrences)} sentences ({reason})")
            if self.mode == "required":
                raise ServiceError(f"{what}; grammar = required, so no result is reported")
            ctx.notice(f"grammar checks incomplete: {what}; files not fully checked: "
                       f"{', '.join(sorted(incomplete)[:5])}"
                       f"{' ...' if len(incomplete) > 5 else ''}")
        return findings

    def _finding(self, document: Document, sentence: Sentence, match: Match) -> Finding | None:
        if (is_spelling_rule(match.rule_id) and not self.settings.spellcheck_names
                and _name_like(sentence.text, match)):
            return None
        category = mqm_category(match.rule_id, match.category_id, match.issue_type)
        start = sentence.offset + match.offset
        suggestions: list[str] = []
        for value in match.replacements:
            if value not in suggestions:
                suggestions.append(value)
            if len(suggestions) == MAX_SUGGESTIONS:
                break
        fix: Fix
        if suggestions:
            safe = match.issue_type == "whitespace" and len(match.replacements) == 1
            fix = make_fix(start, match.length, suggestions[0],
                           Applicability.SAFE if safe else Applicability.UNSAFE,
                           f"Replace with “{suggestions[0]}”")
        else:
            fix = Fix((), Applicability.DISPLAY_ONLY, match.short_message or match.message)
        extra = [("languagetool_rule", match.rule_id), ("languagetool_category",
                                                         match.category_id),
                 ("languagetool_issue_type", match.issue_type)]
        if match.sub_id:
            extra.append(("languagetool_sub_id", match.sub_id))
        return Finding(
            rule=rule_code(match.rule_id),
            name=rule_name(match.rule_id),
            category=category,
            severity=severity(category, match.issue_type),
            offset=start,
            length=match.length,
            message=match.message,
            text=document.text[start : start + match.length],
            suggestions=tuple(suggestions),
            fix=fix,
            path=document.path,
            checker=NAME,
            extra=tuple(extra),
        )


_PROTECT = ("code", "mention", "url")


def _checkable(text: str) -> bool:
    return "\x00" not in text and any(ch.isalpha() for ch in text)


def _name_like(sentence: str, match: Match) -> bool:
    """A capitalised word after the first word of the sentence, or one that starts a run of
    capitalised words ("Cai Qi heads ..."): most likely a name."""
    word = sentence[match.offset : match.offset + match.length]
    if not word[:1].isupper():
        return False
    if any(ch.isalnum() for ch in sentence[: match.offset]):
        return True
    following = sentence[match.offset + match.length :].split(None, 1)
    return bool(following) and following[0][:1].isupper()


def build(ctx: CheckContext) -> LanguageToolChecker | str:
    """Connect to the configured server, or say why LanguageTool does not run."""
    mode = ctx.config.grammar
    reason = no_grammar(ctx.config)
    if reason is not None:
        return reason
    settings = settings_for(ctx.config)
    probe = Client(settings.url, timeout=settings.connect_timeout, retries=1, backoff=0.2)
    # a freshly started server answers its first check slowly (rules load lazily): reach it
    # with the short timeout, then ask for its version with the ordinary one
    first = Client(settings.url, timeout=settings.timeout, retries=settings.retries,
                   deadline=time.monotonic() + settings.total_timeout)
    try:
        probe.ping()
        info = first.info(settings.options.language)
    except RequestRejected as exc:
        if exc.status == 400:
            raise ConfigError(f"LanguageTool at {settings.url} rejected the settings "
                              f"(language {settings.options.language}): {exc}") from None
        return _unreachable(ctx, mode, settings.url, f"not a LanguageTool server? {exc}")
    except LanguageToolError as exc:
        return _unreachable(ctx, mode, settings.url, str(exc))
    return LanguageToolChecker(settings, info, mode)


def _unreachable(ctx: CheckContext, mode: str, url: str, detail: str) -> str:
    reason = f"no LanguageTool server answers at {url} ({detail})"
    if mode == "required":
        raise ServiceError(f"{reason}; grammar = required; {_HINT}")
    ctx.notice(f"grammar checks skipped: {reason}; {_HINT}")
    return reason

