"""What the protocol needs to know about a service, independent of its operations."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class ServiceSpec:
    service_id: str
    api_version: str
    target_prefix: str
    """First half of ``X-Amz-Target``: ``<target_prefix>.<OperationName>``."""
    json_version: str
    """Selects the content type ``application/x-amz-json-<json_version>``."""
    signing_name: str
    """The SigV4 service name (``ecr``), which differs from the host prefix (``api.ecr``)."""
    endpoint_prefix: str
