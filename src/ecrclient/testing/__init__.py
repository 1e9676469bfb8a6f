"""Stub ECR answers in tests: no HTTP, no network, no moto.

Two stubbers queue answers first in, first out and check each call against the queue:

* :class:`TypedStubber` for :class:`~ecrclient.ECRClient` and :class:`~ecrclient.AsyncECRClient`:
  queue typed results and faults, and optionally the typed request each call must make.
* :class:`Stubber` for the boto3-compatible client (``ecrclient.client("ecr")``), with the API of
  botocore's ``botocore.stub.Stubber``: queue response dicts and client errors, and optionally the
  parameters each call must pass.

Testing code that uses the typed client::

    # app.py
    from ecrclient import ECRClient

    def image_tags(ecr: ECRClient, repository: str) -> list[str]:
        pages = ecr.paginators.list_images(repository_name=repository)
        return sorted(image.image_tag for image in pages if image.image_tag)

    # test_app.py
    import pytest
    from ecrclient import ECRClient
    from ecrclient.errors import RepositoryNotFoundException
    from ecrclient.model import ImageIdentifier, ListImagesRequest, ListImagesResult
    from ecrclient.testing import TypedStubber

    from app import image_tags

    @pytest.fixture
    def ecr():
        with ECRClient(region_name="us-east-1") as client:
            yield client

    def test_image_tags(ecr):
        with TypedStubber(ecr) as stubber:
            stubber.add_response(
                ecr.list_images,  # or "list_images"
                ListImagesResult(image_ids=[ImageIdentifier(image_tag="v2")], next_token="t1"),
                expected_request=ListImagesRequest(repository_name="web"),
            )
            stubber.add_response(
                ecr.list_images,
                ListImagesResult(image_ids=[ImageIdentifier(image_tag="v1")]),
                expected_request=ListImagesRequest(repository_name="web", next_token="t1"),
            )
            assert image_tags(ecr, "web") == ["v1", "v2"]
            stubber.assert_no_pending_responses()

    def test_image_tags_of_a_missing_repository(ecr):
        with TypedStubber(ecr) as stubber:
            stubber.add_error("list_images", RepositoryNotFoundException, message="no web")
            with pytest.raises(RepositoryNotFoundException):
                image_tags(ecr, "web")

Testing boto3-style code (the same test works on ``boto3.client("ecr")`` with botocore's
``Stubber``)::

    # app.py
    def repository_uri(ecr, name):
        try:
            response = ecr.describe_repositories(repositoryNames=[name])
        except ecr.exceptions.RepositoryNotFoundException:
            return None
        return response["repositories"][0]["repositoryUri"]

    # test_app.py
    import ecrclient
    from ecrclient.testing import ANY, Stubber

    from app import repository_uri

    def test_repository_uri():
        ecr = ecrclient.client("ecr", region_name="us-east-1")
        uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"
        with Stubber(ecr) as stubber:
            stubber.add_response(
                "describe_repositories",
                {"repositories": [{"repositoryName": "web", "repositoryUri": uri}]},
                expected_params={"repositoryNames": ["web"]},
            )
            stubber.add_client_error(
                "describe_repositories",
                service_error_code="RepositoryNotFoundException",
                service_message="gone",
                expected_params={"repositoryNames": ANY},
            )
            assert repository_uri(ecr, "web") == uri
            assert repository_uri(ecr, "old") is None
            stubber.assert_no_pending_responses()

What both do, as a real call would:

* Calls go through the client's own checks: the typed client's request validation, the
  compatible client's botocore parameter validation and conversion to the typed request. Invalid
  input raises what it raises in production, and the answer stays queued. (The ``Stubber``
  checks ``expected_params`` before validating, as botocore's does; the ``TypedStubber``
  validates first, as it compares typed requests.)
* Paginators and waiters work on stubbed clients; each page or poll takes the next answer. Waiters
  sleep with the client's ``_sleep`` (``time.sleep`` / ``asyncio.sleep``); replace it in tests.
* Each stubbed answer is final: no retries, whatever the fault.
* Stubbed answers are checked against the ECR model when queued (the ``Stubber``'s dicts by
  botocore's validator, as botocore's ``Stubber`` does; a ``TypedStubber``'s results by the same
  validator on their boto3 form, so its messages use the model's camelCase names).
* Answers carry response metadata: a request id (``00000000-0000-0000-0000-000000000001`` and
  counting, per stubber), the HTTP status, the headers ``x-amzn-requestid`` and
  ``content-type``, and 0 retry attempts; in the ``ResponseMetadata`` of the dicts, and in the
  ``response_metadata`` of typed results and faults, which the typed client also remembers for
  ``get_cached_response_metadata``.

Where a call does not match the queue, the stubbers raise botocore's errors:
``UnStubbedResponseError`` (a call with nothing queued), ``StubResponseError`` (the next answer is
for another operation) and ``StubAssertionError`` (the request or parameters differ from the
expected ones; the message lists the differences). ``assert_no_pending_responses()`` raises
``AssertionError`` naming the answers left over. :data:`ANY` (botocore's ``stub.ANY``) matches any
value, in ``expected_params`` and anywhere inside an ``expected_request``.

Differences from botocore's ``Stubber``:

* A stubbed response without ``ResponseMetadata`` gets the default one (botocore returns the dict
  as given), and a client error's ``ResponseMetadata`` has ``RequestId``, ``HTTPHeaders`` and
  ``RetryAttempts`` besides ``HTTPStatusCode`` (``response_meta`` still overrides them). So
  ``assert response == stubbed`` needs ``ResponseMetadata`` in ``stubbed``, or
  ``Stubber(client, fill_response_metadata=False)``, which gives botocore's answers exactly.
* Unknown method names are refused by ``add_client_error`` too, with ``ValueError``.

The ``Stubber`` works as botocore's does, through the client's events (``client.meta.events``:
``before-parameter-build`` and ``before-call``), so handlers the code under test registers run
around it as they would on boto3. The ``TypedStubber`` answers in the typed client's place while
active, through the internal seam its paginators and waiters also use (nothing on the client is
patched): each call's request is built and validated as usual, then answered from the queue;
the client's interceptors, retries and transport do not run for stubbed calls. The client's
``with_options`` copies answer from the queue too, exactly while the stubber is active.
"""

from __future__ import annotations

from botocore.exceptions import StubAssertionError, StubResponseError, UnStubbedResponseError

from ecrclient.testing._common import ANY
from ecrclient.testing.boto import Stubber
from ecrclient.testing.typed import TypedStubber

__all__ = [
    "ANY",
    "StubAssertionError",
    "StubResponseError",
    "Stubber",
    "TypedStubber",
    "UnStubbedResponseError",
]
