"""boto3's ``client()`` arguments, spelled out once: ``ecrclient.client``,
``ecrclient.aio.client`` and ``Session.client`` all take them through :func:`client_arguments`
(see :mod:`ecrclient._core.signatures`), and the boto3-style clients are built from the
:class:`ClientArguments` it returns."""

from __future__ import annotations

from typing import Any

import attrs
from botocore.exceptions import UnknownServiceError

SERVICE_NAME = "ecr"


class UnsupportedServiceError(UnknownServiceError):  # type: ignore[misc]
    """``ecrclient.client(...)`` was asked for a service other than ECR."""

    fmt = (
        "ecrclient only serves Amazon ECR (service name 'ecr'), not {service_name!r}; "
        "use boto3 for other services."
    )


def check_service(service_name: str) -> None:
    if service_name != SERVICE_NAME:
        raise UnsupportedServiceError(service_name=service_name, known_service_names=SERVICE_NAME)


@attrs.frozen
class ClientArguments:
    """What a boto3-style client is made from: ``client()``'s arguments, and the profile and
    botocore session of the ``Session`` making it."""

    region_name: str | None = None
    use_ssl: bool = True
    verify: bool | str | None = None
    endpoint_url: str | None = None
    aws_access_key_id: str | None = attrs.field(default=None, repr=False)
    aws_secret_access_key: str | None = attrs.field(default=None, repr=False)
    aws_session_token: str | None = attrs.field(default=None, repr=False)
    config: Any = None
    profile_name: str | None = None
    botocore_session: Any = None

    @property
    def has_keys(self) -> bool:
        """Whether keys were given (a ``Session``'s own keys then do not apply)."""
        return self.aws_access_key_id is not None or self.aws_secret_access_key is not None


def client_arguments(
    service_name: str,
    region_name: str | None = None,
    api_version: str | None = None,
    use_ssl: bool = True,
    verify: bool | str | None = None,
    endpoint_url: str | None = None,
    aws_access_key_id: str | None = None,
    aws_secret_access_key: str | None = None,
    aws_session_token: str | None = None,
    config: Any = None,
    aws_account_id: str | None = None,
) -> ClientArguments:
    """``boto3.client``'s signature; only ``"ecr"`` is served."""
    check_service(service_name)
    del api_version  # ECR has one API version, 2015-09-21
    del aws_account_id  # taken as boto3 takes it; ECR's endpoints do not depend on the account
    return ClientArguments(
        region_name=region_name,
        use_ssl=use_ssl,
        verify=verify,
        endpoint_url=endpoint_url,
        aws_access_key_id=aws_access_key_id,
        aws_secret_access_key=aws_secret_access_key,
        aws_session_token=aws_session_token,
        config=config,
    )


@attrs.frozen
class PresignArguments:
    """``generate_presigned_url``'s arguments."""

    client_method: str
    params: dict[str, Any]
    expires_in: int
    http_method: str | None


def presign_arguments(
    ClientMethod: str,
    Params: dict[str, Any] | None = None,
    ExpiresIn: int = 3600,
    HttpMethod: str | None = None,
) -> PresignArguments:
    """boto3's ``generate_presigned_url`` signature."""
    return PresignArguments(ClientMethod, dict(Params or {}), ExpiresIn, HttpMethod)
