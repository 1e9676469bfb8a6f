"""TypedDicts of the boto3-style dicts (generated in ``ecrclient._generated.type_defs``):
parameters in, responses out. A key is required only where the model requires the member."""

from __future__ import annotations

from ecrclient._generated.type_defs import *  # noqa: F403
