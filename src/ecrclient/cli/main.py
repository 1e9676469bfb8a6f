"""``ecrclient``: the command line.

Commands are declared in :data:`COMMANDS` (name → module, one-line help); each command group is
one module with a ``configure(name, parser)`` function that adds the command's arguments and sets
``run`` — a function ``(args, context) -> exit status``. Parsing happens in two steps, so only
the chosen command's module is imported: first every command is known by name and help alone,
then the chosen one is configured and the command line parsed in full. The SDK itself is
imported by ``run``. A new command group (pushing and pulling images, say) is one more module and
its lines in :data:`COMMANDS`.

Exit status: 0 success; 1 the command ran and its answer is negative (a scan gate found
findings at or above the threshold, some images could not be deleted); 2 the command could not
do its job (bad arguments, AWS errors, findings unavailable) — one line on stderr, no traceback
(``--debug`` logs it at DEBUG, secrets redacted).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ecrclient.cli.context import EXIT_ERROR, CommandContext, add_common_options

__all__ = ["COMMANDS", "main", "run"]

COMMANDS: dict[str, tuple[str, str]] = {
    "login-password": (
        "ecrclient.cli.login_commands",
        "print a docker login password for a registry (as `aws ecr get-login-password`)",
    ),
    "login": (
        "ecrclient.cli.login_commands",
        "add a registry to docker's config.json (an auths entry, or the credential helper)",
    ),
    "prune": (
        "ecrclient.cli.image_commands",
        "list (and with --delete, delete) old or untagged images of a repository",
    ),
    "scan": (
        "ecrclient.cli.scan_commands",
        "show an image's scan findings; --wait for them, --fail-on to gate a deploy",
    ),
    "push": (
        "ecrclient.cli.transfer_commands",
        "push an image from an OCI image layout (blobs first, then its manifests)",
    ),
    "pull": (
        "ecrclient.cli.transfer_commands",
        "pull an image into an OCI image layout",
    ),
    "retag": (
        "ecrclient.cli.transfer_commands",
        "add tags to an image in ECR, keeping its digest",
    ),
}

DESCRIPTION = """\
Amazon ECR from the command line: docker login, moving images, pruning, scan gates.

Credentials, region, profile and endpoint are resolved as by any AWS SDK (environment,
shared config files, --profile, --region, --endpoint-url).

exit status: 0 success; 1 negative answer (scan gate failed, some deletions failed);
2 error (one line on stderr)."""


def _parser(chosen: str | None, *, with_help: bool = True) -> argparse.ArgumentParser:
    """The parser; ``chosen`` names the one command configured in full. Without help options
    (the first step), ``--help`` is left for the second step to answer."""
    from ecrclient import __version__

    parser = argparse.ArgumentParser(
        prog="ecrclient",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=with_help,
    )
    parser.add_argument("--version", action="version", version=f"ecrclient {__version__}")
    add_common_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, (module, summary) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=summary, add_help=with_help)
        add_common_options(sub, suppress=True)
        if name == chosen:
            importlib.import_module(module).configure(name, sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    first, _ = _parser(None, with_help=False).parse_known_args(arguments)
    if first.command is None:
        parser = _parser(None)
        parser.parse_args(arguments)  # answers --help (exit 0) and rejects stray arguments
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    args = _parser(first.command).parse_args(arguments)
    context = CommandContext.from_arguments(args)
    return context.run(args.run, args)


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
