"""One exception class per error in the ECR model (generated in ``ecrclient._generated.faults``),
their base :class:`AmazonECRException`, ``FAULTS`` by error code, and ``ECRExceptions`` (the
``client.exceptions`` of the boto3-style clients).

``__all__`` is extended with the generated module's (a form mypy and pyright both follow), so
every fault is an explicit export for type checkers too.
"""

from __future__ import annotations

from ecrclient._generated import faults as _faults
from ecrclient._generated.faults import *  # noqa: F403
from ecrclient._generated.faults import FAULTS as FAULTS
from ecrclient._generated.faults import ECRExceptions as ECRExceptions

__all__ = ["ECRExceptions", "FAULTS"]
__all__ += _faults.__all__
