"""How the command-line tools report: one line per error, DEBUG logs with secrets redacted.

:func:`describe_error` turns any exception into one line without a traceback: a service fault
as ``<ErrorCode>: <message>``, a missing region or credentials with the option that fixes it,
anything else as ``<ExceptionType>: <message>``. It reads attributes only, so it imports
nothing heavy.

:class:`SecretRedactor` is a logging filter. Every secret the tools obtain is registered with
:func:`register_secret`, and the filter replaces those values — and whatever the SDK's own
redaction recognises by shape (``ecrclient._core.redaction``: JSON members named like secrets,
``Authorization`` values and signatures, session tokens, URL userinfo) — in every record,
before any handler formats it.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from ecrclient._core import redaction

__all__ = ["SecretRedactor", "describe_error", "enable_debug_logging", "redact", "register_secret"]

_SECRETS: set[str] = set()


def register_secret(value: str) -> None:
    """Keep ``value`` out of every log record from now on (short values are ignored: they
    would redact ordinary words)."""
    if len(value) >= 8:
        _SECRETS.add(value)


def redact(text: str) -> str:
    """``text`` without registered secrets or anything secret-shaped."""
    return redaction.redact(text, _SECRETS)


class SecretRedactor(logging.Filter):
    """Formats each record's message once, redacted, so no handler can see the original."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = redact(message)
        record.args = None
        return True


def enable_debug_logging(stream: Any = None) -> None:
    """DEBUG from ecrclient (INFO from the libraries below it) to stderr, redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(SecretRedactor())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("ecrclient").setLevel(logging.DEBUG)


_PLAIN_MESSAGES = frozenset(
    {"CommandError", "NotAnECRRegistryError", "DockerConfigError", "ScanFindingsUnavailable"}
)
"""Errors whose message is already a sentence for the user: shown without their type."""
_REGION_HINT = "no region: pass --region, or set AWS_REGION or a profile's region"
_CREDENTIALS_HINT = "no AWS credentials found: configure a profile (--profile) or the environment"


def describe_error(error: BaseException) -> str:
    """One line for ``error``, with no traceback and no secret."""
    kind = type(error).__name__
    code = getattr(error, "error_code", None)
    if isinstance(code, str) and code:
        message = getattr(error, "error_message", None) or ""
        line = f"{code}: {message}" if message else code
    elif kind in _PLAIN_MESSAGES:
        line = str(error)
    elif kind == "NoRegionError":
        line = _REGION_HINT
    elif kind == "NoCredentialsError":
        line = _CREDENTIALS_HINT
    else:
        text = str(error).strip()
        line = f"{kind}: {text}" if text else kind
    return redact(" ".join(line.split()))
