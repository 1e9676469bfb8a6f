"""What every ``ecrclient`` command shares: the common options, the client they describe, how
output and errors are written, and the exit statuses.

The common options (``--region``, ``--profile``, ``--endpoint-url``, ``--json``, ``--debug``) are
accepted before the command and after it; the client they configure is exactly the SDK's
``ECRClient(region_name=..., profile_name=..., endpoint_url=...)``, so the environment and the
shared config files apply as for any AWS tool.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO, cast

if TYPE_CHECKING:
    from ecrclient import ECRClient

__all__ = [
    "EXIT_ERROR",
    "EXIT_NEGATIVE",
    "EXIT_OK",
    "CommandContext",
    "CommandError",
    "add_common_options",
]

EXIT_OK = 0
EXIT_NEGATIVE = 1
"""The command ran and its answer is no: a scan gate failed, some deletions failed."""
EXIT_ERROR = 2
"""The command could not do its job."""


class CommandError(Exception):
    """A problem the user can fix, reported as one line (exit status 2)."""


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes. On subcommands their default is ``SUPPRESS``, so a
    value given before the command is not overwritten by the subcommand's default."""

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("AWS and output options")
    group.add_argument("--region", default=default(None), help="AWS region (else as the SDK)")
    group.add_argument("--profile", default=default(None), help="profile of the shared files")
    group.add_argument(
        "--endpoint-url", default=default(None), help="ECR API endpoint (else as the SDK)"
    )
    group.add_argument(
        "--json", action="store_true", default=default(False), help="machine-readable output"
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=default(False),
        help="log at DEBUG to stderr (secrets redacted)",
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(cast("Iterable[Any]", value))
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


class CommandContext:
    """The settings of one command line, and its output streams."""

    def __init__(
        self,
        *,
        region: str | None,
        profile: str | None,
        endpoint_url: str | None,
        json_output: bool,
        debug: bool,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.region = region
        self.profile = profile
        self.endpoint_url = endpoint_url
        self.json_output = json_output
        self.debug = debug
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> CommandContext:
        return cls(
            region=args.region,
            profile=args.profile,
            endpoint_url=args.endpoint_url,
            json_output=args.json,
            debug=args.debug,
        )

    # -- clients -------------------------------------------------------------------------------

    def client(self, region: str | None = None) -> ECRClient:
        """An ``ECRClient`` for these settings (``region`` overrides ``--region``)."""
        from ecrclient import ECRClient

        return ECRClient(
            region_name=region or self.region,
            profile_name=self.profile,
            endpoint_url=self.endpoint_url,
        )

    def region_for(self, registry_region: str | None) -> str | None:
        """The region to call: a registry's own, which ``--region`` must not contradict."""
        if registry_region and self.region and registry_region != self.region:
            raise CommandError(
                f"the registry is in {registry_region}, but --region says {self.region}"
            )
        return registry_region or self.region

    # -- output --------------------------------------------------------------------------------

    def emit_json(self, document: Any) -> None:
        self.stdout.write(json.dumps(document, indent=2, default=_json_default) + "\n")

    def say(self, line: str = "") -> None:
        self.stdout.write(line + "\n")

    def warn(self, line: str) -> None:
        self.stderr.write(f"ecrclient: warning: {line}\n")

    # -- running -------------------------------------------------------------------------------

    def run(self, command: Callable[[argparse.Namespace, CommandContext], int], args: Any) -> int:
        """Run ``command``; any exception becomes one line on stderr and status 2."""
        if self.debug:
            from ecrclient.cli.diagnostics import enable_debug_logging

            enable_debug_logging(self.stderr)
        try:
            return command(args, self)
        except KeyboardInterrupt:
            self.stderr.write("ecrclient: interrupted\n")
            return 130
        except BrokenPipeError:
            return EXIT_ERROR
        except Exception as error:
            from ecrclient.cli.diagnostics import describe_error

            if self.debug:
                import logging

                logging.getLogger("ecrclient.cli").debug("command failed", exc_info=True)
            self.stderr.write(f"ecrclient: error: {describe_error(error)}\n")
            return EXIT_ERROR
