"""mtqa: quality checks and post-editing support for machine-translated English."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
