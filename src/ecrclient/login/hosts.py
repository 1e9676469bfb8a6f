"""Amazon ECR registry hosts: parse one into its account, region, partition and flavour, or
build one from them.

Private registries answer on one host per account and region, in four flavours::

    <account>.dkr.ecr.<region>.<dns suffix>              IPv4
    <account>.dkr.ecr-fips.<region>.<dns suffix>         IPv4, FIPS 140 endpoint
    <account>.dkr-ecr.<region>.<dual-stack suffix>       IPv4 and IPv6
    <account>.dkr-ecr-fips.<region>.<dual-stack suffix>  IPv4 and IPv6, FIPS

The region decides the partition (as botocore's partitions do: its list of regions first, then
each partition's region pattern), and the partition decides which DNS suffixes are valid: a
host whose suffix does not belong to its region's partition is not an ECR host. The suffixes
are public facts — the partitions' ``dnsSuffix`` values, and the dual-stack registry domains
``on.aws`` (aws, aws-us-gov) and ``on.amazonwebservices.com.cn`` (aws-cn). No dual-stack
registry domain is published for the isolated partitions or the European Sovereign Cloud, so
their dual-stack form is not recognised.

This module uses the standard library only, and its types are named tuples rather than
dataclasses (whose import costs a credential helper's start-up several milliseconds): the docker
credential helper parses the registry host before it knows whether it needs an ECR client.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "NotAnECRRegistryError",
    "Partition",
    "RegistryHost",
    "parse_registry",
    "partition_of",
    "registry_host",
]


class NotAnECRRegistryError(ValueError):
    """The text names no Amazon ECR private registry host."""


class Partition(NamedTuple):
    """The facts about one AWS partition that registry hosts depend on."""

    name: str
    dns_suffix: str
    dual_stack_suffixes: tuple[str, ...]
    """Registry domains of the dual-stack (``dkr-ecr``) hosts; the first is the canonical one.
    Empty where none is published."""
    region_pattern: re.Pattern[str]
    regions: frozenset[str]


PARTITIONS: tuple[Partition, ...] = (
    Partition(
        "aws",
        "amazonaws.com",
        ("on.aws",),
        re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$"),
        frozenset(),
    ),
    Partition(
        "aws-cn",
        "amazonaws.com.cn",
        ("on.amazonwebservices.com.cn",),
        re.compile(r"^cn-\w+-\d+$"),
        frozenset({"cn-north-1", "cn-northwest-1"}),
    ),
    Partition(
        "aws-us-gov",
        "amazonaws.com",
        ("on.aws",),
        re.compile(r"^us-gov-\w+-\d+$"),
        frozenset({"us-gov-east-1", "us-gov-west-1"}),
    ),
    Partition(
        "aws-iso",
        "c2s.ic.gov",
        (),
        re.compile(r"^us-iso-\w+-\d+$"),
        frozenset({"us-iso-east-1", "us-iso-west-1"}),
    ),
    Partition(
        "aws-iso-b",
        "sc2s.sgov.gov",
        (),
        re.compile(r"^us-isob-\w+-\d+$"),
        frozenset({"us-isob-east-1", "us-isob-west-1"}),
    ),
    Partition(
        "aws-iso-e",
        "cloud.adc-e.uk",
        (),
        re.compile(r"^eu-isoe-\w+-\d+$"),
        frozenset({"eu-isoe-west-1"}),
    ),
    Partition(
        "aws-iso-f",
        "csp.hci.ic.gov",
        (),
        re.compile(r"^us-isof-\w+-\d+$"),
        frozenset({"us-isof-east-1", "us-isof-south-1"}),
    ),
    Partition(
        "aws-eusc",
        "amazonaws.eu",
        (),
        re.compile(r"^eusc-(de)-\w+-\d+$"),
        frozenset({"eusc-de-east-1"}),
    ),
)

_HOST = re.compile(
    r"^(?P<account>\d{12})"
    r"\.(?P<kind>dkr\.ecr|dkr-ecr)(?P<fips>-fips)?"
    r"\.(?P<region>[a-z0-9]+(?:-[a-z0-9]+)+)"
    r"\.(?P<suffix>[a-z0-9-]+(?:\.[a-z0-9-]+)+)$"
)
_ACCOUNT = re.compile(r"^\d{12}$")


def partition_of(region: str) -> Partition | None:
    """The partition a region belongs to, or ``None`` for a name no partition claims."""
    for partition in PARTITIONS:
        if region in partition.regions:
            return partition
    for partition in PARTITIONS:
        if partition.region_pattern.match(region):
            return partition
    return None


class RegistryHost(NamedTuple):
    """One Amazon ECR private registry endpoint (an immutable named tuple)."""

    account_id: str
    region: str
    partition: str
    fips: bool = False
    dual_stack: bool = False

    @property
    def host(self) -> str:
        """The host name, e.g. ``123456789012.dkr.ecr.eu-west-1.amazonaws.com``."""
        found = partition_of(self.region)
        assert found is not None  # a RegistryHost is only made for a known partition
        fips = "-fips" if self.fips else ""
        if self.dual_stack:
            return f"{self.account_id}.dkr-ecr{fips}.{self.region}.{found.dual_stack_suffixes[0]}"
        return f"{self.account_id}.dkr.ecr{fips}.{self.region}.{found.dns_suffix}"

    @property
    def url(self) -> str:
        """``https://`` and the host: the form ``GetAuthorizationToken`` calls proxy endpoint."""
        return f"https://{self.host}"

    def __str__(self) -> str:
        return self.host


def _bare_host(text: str) -> str:
    """The host of ``text``: without scheme, path, port or a trailing dot, lower-cased."""
    host = text.strip()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = host.split("/", 1)[0]
    host = host.rsplit(":", 1)[0] if ":" in host else host
    return host.rstrip(".").lower()


def parse_registry(text: str | RegistryHost) -> RegistryHost:
    """The registry a host, URL or image reference prefix names.

    Accepts ``123456789012.dkr.ecr.us-east-1.amazonaws.com``, with or without ``https://``, a
    port or a path (``.../team/web:v1``). Raises :class:`NotAnECRRegistryError` for anything
    else, including a suffix that does not belong to the region's partition.
    """
    if isinstance(text, RegistryHost):
        return text
    host = _bare_host(text)
    match = _HOST.match(host)
    if match is None:
        raise NotAnECRRegistryError(f"{host or text!r} is not an Amazon ECR registry host")
    region = match["region"]
    partition = partition_of(region)
    dual_stack = match["kind"] == "dkr-ecr"
    if partition is None:
        raise NotAnECRRegistryError(f"{host!r}: {region!r} is not a known AWS region name")
    expected = partition.dual_stack_suffixes if dual_stack else (partition.dns_suffix,)
    if match["suffix"] not in expected:
        flavour = "dual-stack " if dual_stack else ""
        raise NotAnECRRegistryError(
            f"{host!r}: {match['suffix']!r} is not a {flavour}registry domain of the "
            f"{partition.name} partition"
        )
    return RegistryHost(
        account_id=match["account"],
        region=region,
        partition=partition.name,
        fips=match["fips"] is not None,
        dual_stack=dual_stack,
    )


def registry_host(
    account_id: str, region: str, *, fips: bool = False, dual_stack: bool = False
) -> RegistryHost:
    """The registry of an account in a region; raises ``ValueError`` for a malformed account
    id, an unknown region, or a dual-stack host in a partition that publishes none."""
    if not _ACCOUNT.match(account_id):
        raise ValueError(f"{account_id!r} is not a 12-digit AWS account id")
    partition = partition_of(region)
    if partition is None:
        raise ValueError(f"{region!r} is not a known AWS region name")
    if dual_stack and not partition.dual_stack_suffixes:
        raise ValueError(f"no dual-stack registry domain is known for {partition.name}")
    return RegistryHost(account_id, region, partition.name, fips=fips, dual_stack=dual_stack)
