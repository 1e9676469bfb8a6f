"""One exception class per error in the ECR model (generated in ``ecrclient._generated.faults``),
their base :class:`AmazonECRException`, ``FAULTS`` by error code, and ``ECRExceptions`` (the
``client.exceptions`` of the boto3-style clients)."""

from __future__ import annotations

from ecrclient._generated.faults import *  # noqa: F403
from ecrclient._generated.faults import __all__ as __all__
