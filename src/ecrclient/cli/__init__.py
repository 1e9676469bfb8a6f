"""The ``ecrclient`` command and the ``docker-credential-ecrclient`` docker credential helper.

``ecrclient`` (:mod:`ecrclient.cli.main`) is argparse with one module per command group — each
registers its subcommands and imports the SDK only when one of them runs — so ``--help`` and
``--version`` stay fast, and a new group is one module and one line in
:data:`ecrclient.cli.main.COMMAND_GROUPS`. The credential helper
(:mod:`ecrclient.cli.credential_helper`) does not use argparse at all: it answers from the token
cache before anything heavy is imported.

This package imports nothing itself.
"""
