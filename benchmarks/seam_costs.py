"""What the optional integrations cost a call that does not use them: a micro-benchmark.

One ``describe_registry`` on an ``ECRClient`` whose HTTP exchange is answered in-process by
``httpx.MockTransport`` (no socket: what is left is the client's own work), timed with
``timeit`` in interleaved rounds, best round reported, in microseconds per call::

    python benchmarks/seam_costs.py                  # the plain call
    python benchmarks/seam_costs.py --moto           # moto imported, no mock active
    python benchmarks/seam_costs.py --mock           # inside moto's mock_aws (moto answers)
    python benchmarks/seam_costs.py --otel           # EcrClientInstrumentor().instrument()
    python benchmarks/seam_costs.py --otel-off       # instrumented, then uninstrumented

Run it against another checkout with ``PYTHONPATH=<that tree>/src`` to compare before and after
a change. Only ``ECRClient`` and ``ClientConfig`` are used (so it runs on older trees), except
for ``--otel``/``--otel-off``, which need :mod:`ecrclient.otel`.
"""

from __future__ import annotations

import argparse
import statistics
import timeit

import httpx

ANSWER = b'{"registryId": "123456789012", "replicationConfiguration": {"rules": []}}'


def _answer(request: httpx.Request) -> httpx.Response:
    del request
    return httpx.Response(
        200,
        content=ANSWER,
        headers={"x-amzn-RequestId": "r-1", "Content-Type": "application/x-amz-json-1.1"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moto", action="store_true", help="import moto (no mock active)")
    parser.add_argument("--mock", action="store_true", help="run inside moto's mock_aws")
    parser.add_argument("--otel", action="store_true", help="instrument with ecrclient.otel")
    parser.add_argument("--otel-off", action="store_true", help="instrument, then uninstrument")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()

    mock = None
    if args.moto or args.mock:
        from moto import mock_aws

        if args.mock:
            mock = mock_aws()
            mock.start()
    if args.otel or args.otel_off:
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        from ecrclient.otel import EcrClientInstrumentor

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        EcrClientInstrumentor().instrument(tracer_provider=provider)
        if args.otel_off:
            EcrClientInstrumentor().uninstrument()

    from ecrclient import ClientConfig, ECRClient

    ecr = ECRClient(
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=ClientConfig(max_attempts=1),
        http_client=None if args.mock else httpx.Client(transport=httpx.MockTransport(_answer)),
    )
    ecr.describe_registry()  # warm: imports, connection pool, caches
    rounds = timeit.repeat(ecr.describe_registry, number=args.number, repeat=args.rounds)
    per_call = [seconds / args.number * 1e6 for seconds in rounds]
    print(
        f"best {min(per_call):.2f} us/call, median {statistics.median(per_call):.2f} us/call "
        f"({args.rounds} rounds of {args.number})"
    )
    if mock is not None:
        mock.stop()


if __name__ == "__main__":
    main()
