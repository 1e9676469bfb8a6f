"""``_generated/service.py``, ``botocore_model.py`` and ``endpoint_data.py``: model facts as data.

- ``service.py``: the service metadata the client signs and addresses requests with, the
  botocore version of the model, and each operation's snake_case name;
- ``botocore_model.py``: service-2.json without its documentation, for botocore's parameter
  validator in the drop-in;
- ``endpoint_data.py``: the endpoint rule set and the partition table, unchanged.

The model files become Python literals (``pprint``) so that importing them parses no JSON.
"""

from __future__ import annotations

import pprint
from typing import Any

from codegen.docstrings import HEADER
from codegen.loader import Model, snake_case


def service_source(model: Model) -> str:
    meta = model.service["metadata"]
    ops = {name: snake_case(name) for name in model.operations}
    return (
        f"{HEADER}"
        '"""Facts about the ECR service model this package was generated from."""\n\n'
        "from __future__ import annotations\n\n"
        "from ecrclient._core.service import ServiceSpec\n\n"
        "SERVICE = ServiceSpec(\n"
        f'    service_id="{meta["serviceId"]}",\n'
        f'    api_version="{meta["apiVersion"]}",\n'
        f'    target_prefix="{meta["targetPrefix"]}",\n'
        f'    json_version="{meta["jsonVersion"]}",\n'
        f'    signing_name="{meta["signingName"]}",\n'
        f'    endpoint_prefix="{meta["endpointPrefix"]}",\n'
        ")\n\n"
        f'MODEL_SOURCE = "botocore {model.botocore_version}"\n'
        '"""Where the pinned model files came from."""\n\n'
        f"OPERATION_MODULES = {ops!r}\n"
        '"""Operation name to the snake_case name of its module and client method."""\n'
    )


def botocore_model_source(model: Model) -> str:
    service = without_docs(model.service)
    return (
        f"{HEADER}"
        '"""The pinned ECR service model without its documentation, as Python data, for the\n'
        "boto3-compatible layer: botocore's parameter validator reads it to reproduce boto3's\n"
        'ParamValidationError reports exactly. The typed client never loads it."""\n\n'
        "from typing import Any\n\n"
        f"SERVICE_MODEL: dict[str, Any] = {literal(service)}\n"
    )


def without_docs(value: Any) -> Any:
    """``value`` with every ``documentation`` key removed, at any depth."""
    if isinstance(value, dict):
        return {k: without_docs(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [without_docs(v) for v in value]
    return value


def endpoint_data_source(model: Model) -> str:
    return (
        f"{HEADER}"
        '"""ECR\'s endpoint rule set and the partition table it reads, as Python data."""\n\n'
        "from typing import Any\n\n"
        f"RULESET: dict[str, Any] = {literal(model.endpoint_ruleset)}\n\n"
        f"PARTITIONS: dict[str, Any] = {literal(model.partitions)}\n"
    )


def literal(value: Any) -> str:
    """A Python literal of JSON data, in the file's key order (ruff formats it afterwards)."""
    return pprint.pformat(value, width=100, sort_dicts=False)
