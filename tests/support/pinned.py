"""botocore's model classes over the pinned model files, so oracles and ecrclient read the same
model whichever botocore version is installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from botocore.model import ServiceModel

MODEL_DIR = Path(__file__).resolve().parents[2] / "codegen" / "model"


def load(name: str) -> Any:
    return json.loads((MODEL_DIR / name).read_text())


SERVICE_MODEL = ServiceModel(load("service-2.json"), service_name="ecr")
