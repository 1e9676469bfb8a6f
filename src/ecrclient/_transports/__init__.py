"""How requests reach the wire: one transport per HTTP library, sync and async side by side
(urllib3 for the sync client by default, httpx for either, aiohttp for the async one).

A transport takes an :class:`~ecrclient._core.messages.HttpRequest` and the calling client's
:class:`~ecrclient._core.config.ClientConfig` (a ``with_options`` copy may have its own
timeouts) and returns an :class:`~ecrclient._core.messages.HttpResponse`, or raises one of the
SDK's network errors. Nothing here knows the protocol: no retries, signing or parsing.

Before sending, each transport lets moto's ``mock_aws`` answer while one is active
(:mod:`.mocking`: the moment botocore emits ``before-send``); otherwise that costs one
dictionary look-up.
"""
