"""Errors that the CLI turns into a one-line message and exit code 2."""

from __future__ import annotations


class MtqaError(Exception):
    """Base of every error mtqa reports to the user without a traceback."""


class InputError(MtqaError):
    """A document cannot be read: missing, binary, not text, empty, malformed."""


class ConfigError(MtqaError):
    """The configuration (file, flags or rule pack) is invalid."""


class UsageError(MtqaError):
    """The command line asks for something impossible."""


class ServiceError(MtqaError):
    """A required service (such as the LanguageTool server) cannot be used."""
