"""Tests of the ``ecrclient`` command, the docker credential helper and the features behind them."""
