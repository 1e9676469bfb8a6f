"""boto3's ECR client, reproduced over the typed core: ``ecrclient.client("ecr", ...)``.

Calls take boto3's camelCase keyword arguments and return boto3's dicts; faults are the same
classes as the typed client's (all subclasses of botocore's ``ClientError``); paginators,
waiters, ``exceptions``, ``meta`` and ``botocore.config.Config`` behave as boto3's do. The layer
only converts: typed results become dicts, dict parameters become typed requests. Deliberate
differences are listed in the README's "Migrating from boto3".
"""

from ecrclient.compat.boto_client import ECRCompatClient, UnappliedConfigWarning, client
from ecrclient.compat.session import Session

__all__ = ["ECRCompatClient", "Session", "UnappliedConfigWarning", "client"]
