"""``ecrclient.Session``: boto3's ``Session`` for the one service ecrclient serves."""

from __future__ import annotations

from typing import Any

import attrs

from ecrclient._core.signatures import method_parsed_by
from ecrclient._settings.profile import Profile
from ecrclient.compat.arguments import ClientArguments, client_arguments
from ecrclient.compat.boto_client import ECRCompatClient


class Session:
    """Credentials, region and profile shared by the clients it creates, as in boto3."""

    def __init__(
        self,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        region_name: str | None = None,
        botocore_session: Any = None,
        profile_name: str | None = None,
        aws_account_id: str | None = None,
    ) -> None:
        if aws_account_id is not None and (
            aws_access_key_id is None or aws_secret_access_key is None
        ):
            from botocore.exceptions import NoCredentialsError

            raise NoCredentialsError()  # as boto3: an account id needs the keys it belongs to
        self._keys = (aws_access_key_id, aws_secret_access_key, aws_session_token)
        self._account_id = aws_account_id
        self._region_name = region_name
        self._botocore_session = botocore_session
        self._profile_name = profile_name
        self._profile = Profile(profile_name=profile_name, botocore_session=botocore_session)
        # As boto3: the profile in force (given, or named by AWS_DEFAULT_PROFILE / AWS_PROFILE)
        # must exist, or ProfileNotFound is raised here rather than on first use.
        self._profile.get_scoped_config()

    @property
    def profile_name(self) -> str:
        """The profile in force, as boto3 names it: the one given, else ``AWS_DEFAULT_PROFILE``
        / ``AWS_PROFILE`` (in botocore's order), else ``default``."""
        return self._profile.name or "default"

    @property
    def region_name(self) -> str | None:
        """The region given, else botocore's (``AWS_DEFAULT_REGION``, else the profile's;
        ``AWS_REGION`` is not read, as in boto3)."""
        if self._region_name is not None:
            return self._region_name
        region = self._profile.botocore_value("region")
        return None if region is None else str(region)

    @property
    def available_profiles(self) -> list[str]:
        return list(self._profile.session().available_profiles)

    def get_credentials(self) -> Any:
        """botocore's credentials object, as boto3's: the keys this session was given, else what
        the credential chain finds (``None`` when it finds nothing)."""
        if any(self._keys):
            from botocore.credentials import Credentials

            key_id, secret, token = self._keys
            return Credentials(key_id, secret, token, account_id=self._account_id)
        return self._profile.session().get_credentials()

    def get_available_services(self) -> list[str]:
        """The services this session's clients serve: ECR only."""
        return ["ecr"]

    def get_available_resources(self) -> list[str]:
        """boto3 has no resource interface for ECR."""
        return []

    def get_available_regions(
        self, service_name: str, partition_name: str = "aws", allow_non_regional: bool = False
    ) -> list[str]:
        """The regions botocore's endpoint data lists for ``service_name`` in the partition."""
        regions: list[str] = self._profile.session().get_available_regions(
            service_name, partition_name, allow_non_regional
        )
        return regions

    def get_available_partitions(self) -> list[str]:
        partitions: list[str] = self._profile.session().get_available_partitions()
        return partitions

    def get_partition_for_region(self, region_name: str) -> str:
        partition: str = self._profile.session().get_partition_for_region(region_name)
        return partition

    @method_parsed_by(client_arguments)
    def client(self, arguments: ClientArguments) -> ECRCompatClient:
        """boto3's ``Session.client``: this session's keys, region and profile, unless the
        call gives its own."""
        if not arguments.has_keys:
            key_id, secret, token = self._keys
            arguments = attrs.evolve(
                arguments,
                aws_access_key_id=key_id,
                aws_secret_access_key=secret,
                aws_session_token=token,
            )
        return ECRCompatClient(
            attrs.evolve(
                arguments,
                region_name=arguments.region_name or self._region_name,
                profile_name=self._profile_name,
                botocore_session=self._botocore_session,
            )
        )

    def __repr__(self) -> str:
        return f"Session(region_name={self.region_name!r})"
