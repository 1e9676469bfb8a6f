"""The async API of :mod:`ecrclient.transfer`: the same functions, taking an
:class:`~ecrclient.AsyncECRClient`, to be awaited::

    from ecrclient import AsyncECRClient
    from ecrclient.transfer import aio

    async with AsyncECRClient(region_name="eu-west-1") as ecr:
        pulled = await aio.pull_image(ecr, "team/web", "v1", "web-oci")

They run the very steps the sync functions run (see :mod:`ecrclient.transfer`), with an
``httpx.AsyncClient`` for layer downloads and one task per blob moved in parallel. Cancelling
the awaiting task stops the transfer at its next I/O and removes its partial files before
``CancelledError`` propagates.
"""

from __future__ import annotations

from ecrclient._runtime.jobs import awaiting
from ecrclient.transfer import _calls
from ecrclient.transfer._async import run_async
from ecrclient.transfer._calls import DEFAULT_CONCURRENCY as DEFAULT_CONCURRENCY

upload_blob = awaiting(_calls.upload_blob, "upload_blob", __name__, run=run_async)
download_blob = awaiting(_calls.download_blob, "download_blob", __name__, run=run_async)
push_image = awaiting(_calls.push_image, "push_image", __name__, run=run_async)
pull_image = awaiting(_calls.pull_image, "pull_image", __name__, run=run_async)
put_manifest = awaiting(_calls.put_manifest, "put_manifest", __name__, run=run_async)
retag = awaiting(_calls.retag, "retag", __name__, run=run_async)
copy_image = awaiting(_calls.copy_image, "copy_image", __name__, run=run_async)


__all__ = [
    "copy_image",
    "download_blob",
    "pull_image",
    "push_image",
    "put_manifest",
    "retag",
    "upload_blob",
]
