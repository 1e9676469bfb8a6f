"""How unexpected failures become transfer errors, in one place."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator

from ecrclient.errors import RequestValidationError
from ecrclient.transfer.errors import TransferError


@contextlib.contextmanager
def failures_as(wrap: Callable[[Exception], TransferError]) -> Generator[None]:
    """Turn any failure but the transfer's own errors and argument mistakes into ``wrap(it)``,
    chained to it. Usable around ``yield`` in steps: a fault thrown in at the ``yield`` passes
    through the ``with``; interrupts and cancellations (not ``Exception``) pass untouched."""
    try:
        yield
    except (TransferError, RequestValidationError):
        raise
    except Exception as exc:
        raise wrap(exc) from exc
