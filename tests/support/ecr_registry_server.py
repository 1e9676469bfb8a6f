"""A local stand-in for Amazon ECR's registry API, faithful where image transfers depend on it.

It speaks ECR's awsJson 1.1 protocol (``POST /`` with ``X-Amz-Target:
AmazonEC2ContainerRegistry_V20150921.<Operation>``; any SigV4 ``Authorization`` header is
accepted) on 127.0.0.1, and implements, with ECR's documented semantics:

* layer uploads: ``InitiateLayerUpload`` (an upload id and the part size), ``UploadLayerPart``
  (parts in order: a part not starting right after ``lastByteReceived``, or whose byte range
  does not match its length, fails with ``InvalidLayerPartException`` carrying ``registryId``,
  ``repositoryName``, ``uploadId`` and ``lastValidByteReceived``), ``CompleteLayerUpload``
  (the digest of the bytes must match: ``InvalidLayerException``; middle parts shorter than the
  minimum: ``LayerPartTooSmallException``; nothing uploaded: ``EmptyUploadException``; a layer
  already there: ``LayerAlreadyExistsException``), ``BatchCheckLayerAvailability``;
* images: ``PutImage`` (``imageManifestMediaType`` must agree with the manifest's ``mediaType``
  and one of them must be there, else ``InvalidParameterException``; the digest must match
  ``imageDigest``; an image manifest's blobs must be in the repository, else
  ``LayersNotFoundException``; an index's manifests too, else
  ``ReferencedImagesNotFoundException``; a tag already on the same digest gives
  ``ImageAlreadyExistsException``, one on another digest in an immutable repository
  ``ImageTagAlreadyExistsException``), ``BatchGetImage`` (the stored bytes, when their media type
  is among ``acceptedMediaTypes``), ``DescribeImages``;
* downloads: ``GetDownloadUrlForLayer`` answers a presigned-style URL served by this same
  server, which refuses an ``Authorization`` header (as S3 does for presigned URLs), honours
  ``Range``, and refuses unknown or expired signatures with 403;
* ``CreateRepository`` (with ``imageTagMutability``), ``DeleteRepository``.

Every request is logged (:attr:`EcrRegistryServer.calls`, :attr:`EcrRegistryServer.downloads`)
and faults can be injected (:class:`Faults`): a connection dropped mid-part or after a part was
applied, an upload rolled back, a download dropped, stalled, corrupted, or sent whole despite
its range, expired URLs, and layers falsely reported available.

``python tests/support/ecr_registry_server.py [--part-size N]`` runs it in its own process: it
prints ``{"endpoint": ...}`` and serves until its standard input closes.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import re
import secrets
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

REGISTRY_ID = "123456789012"
REGION = "us-east-1"
TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921."
JSON_TYPE = "application/x-amz-json-1.1"

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json"
DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
INDEX_TYPES = {DOCKER_LIST, OCI_INDEX}
MANIFEST_TYPES = {DOCKER_MANIFEST, OCI_MANIFEST, DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED}
DEFAULT_ACCEPTED = (DOCKER_MANIFEST, DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED)
"""What ``BatchGetImage`` accepts when the request names nothing: Docker's types only, so an
OCI image or any index needs ``acceptedMediaTypes``."""

MiB = 1024 * 1024
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


class ServiceFault(Exception):
    def __init__(self, code: str, message: str, status: int = 400, **members: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.members = members


class _DropConnection(Exception):
    """Close the connection without answering."""


@dataclass
class Upload:
    upload_id: str
    data: bytearray = field(default_factory=bytearray)
    parts: list[int] = field(default_factory=list)
    """The length of each part received, in order."""


@dataclass
class StoredImage:
    digest: str
    manifest: str
    media_type: str
    pushed_at: float
    blobs: tuple[str, ...]
    children: tuple[str, ...]


@dataclass
class RepositoryState:
    name: str
    immutable: bool
    created_at: float
    layers: dict[str, bytes] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    images: dict[str, StoredImage] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def tags_of(self, digest: str) -> list[str]:
        return sorted(tag for tag, target in self.tags.items() if target == digest)

    def referenced(self, digest: str) -> bool:
        return any(digest in image.blobs for image in self.images.values())


@dataclass(frozen=True)
class LoggedCall:
    operation: str
    params: dict[str, Any]
    """The request's members (a part's bytes replaced by their length)."""


@dataclass(frozen=True)
class LoggedDownload:
    repository: str
    digest: str
    range: str | None
    authorization: bool
    status: int


class Faults:
    """Faults to inject, each armed for a number of occurrences. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[str, list[Any]] = {}
        self.stall_released = threading.Event()
        self.stalled = threading.Event()

    def _arm(self, name: str, value: Any, count: int) -> None:
        with self._lock:
            self._armed.setdefault(name, []).extend([value] * count)

    def take(self, name: str) -> Any:
        """The next armed occurrence of ``name`` (its value), or ``None``."""
        with self._lock:
            queue = self._armed.get(name)
            return queue.pop(0) if queue else None

    def drop_part_mid_body(self, count: int = 1) -> None:
        """The next ``count`` UploadLayerPart calls: read half the body, then hang up."""
        self._arm("drop_part_mid_body", True, count)

    def drop_part_after_apply(self, count: int = 1) -> None:
        """The next ``count`` UploadLayerPart calls are applied, then the connection is closed
        without an answer (so the client's retry meets ``InvalidLayerPartException``)."""
        self._arm("drop_part_after_apply", True, count)

    def rewind_upload(self, parts: int = 1) -> None:
        """The next UploadLayerPart forgets the last ``parts`` parts received and answers
        ``InvalidLayerPartException`` with the rewound ``lastValidByteReceived``."""
        self._arm("rewind_upload", parts, 1)

    def drop_download(self, after_bytes: int, count: int = 1) -> None:
        """The next ``count`` layer downloads send ``after_bytes`` bytes, then hang up."""
        self._arm("drop_download", after_bytes, count)

    def stall_download(self, after_bytes: int) -> None:
        """The next layer download sends ``after_bytes`` bytes, sets :attr:`stalled`, and waits
        for :attr:`stall_released` (set by the test, or when the server stops)."""
        self._arm("stall_download", after_bytes, 1)

    def corrupt_download(self, count: int = 1) -> None:
        """The next ``count`` layer downloads send one byte changed."""
        self._arm("corrupt_download", True, count)

    def ignore_range(self, count: int = 1) -> None:
        """The next ``count`` ranged downloads answer 200 with the whole blob."""
        self._arm("ignore_range", True, count)

    def expire_urls(self, count: int = 1) -> None:
        """The next ``count`` layer downloads answer 403 (an expired presigned URL)."""
        self._arm("expire_urls", True, count)

    def claim_available(self, *digests: str) -> None:
        """The next BatchCheckLayerAvailability reports these layers AVAILABLE, present or
        not."""
        self._arm("claim_available", frozenset(digests), 1)


class Registry:
    """The registry's state and operations (thread-safe: one lock for everything)."""

    def __init__(self, endpoint: Callable[[], str], part_size: int, min_part_size: int) -> None:
        self._endpoint = endpoint
        self.part_size = part_size
        self.min_part_size = min_part_size
        self.max_part_size = 20 * MiB
        self.url_ttl = 3600.0
        self.lock = threading.RLock()
        self.repositories: dict[str, RepositoryState] = {}
        self.signatures: dict[str, tuple[str, str, float]] = {}
        self.faults = Faults()

    # -- helpers ---------------------------------------------------------------------------

    def _repository(self, params: dict[str, Any]) -> RepositoryState:
        name = params.get("repositoryName")
        repository = self.repositories.get(str(name))
        if repository is None:
            raise ServiceFault(
                "RepositoryNotFoundException",
                f"The repository with name '{name}' does not exist in the registry with id "
                f"'{REGISTRY_ID}'",
            )
        return repository

    def _uri(self, name: str) -> str:
        return f"{REGISTRY_ID}.dkr.ecr.{REGION}.amazonaws.com/{name}"

    def _upload(self, repository: RepositoryState, upload_id: str) -> Upload:
        upload = repository.uploads.get(upload_id)
        if upload is None:
            raise ServiceFault(
                "UploadNotFoundException",
                f"Upload with id '{upload_id}' could not be found in repository "
                f"'{repository.name}'",
            )
        return upload

    def _image_json(self, repository: RepositoryState, image: StoredImage, tag: str | None) -> Any:
        image_id: dict[str, str] = {"imageDigest": image.digest}
        if tag is not None:
            image_id["imageTag"] = tag
        return {
            "registryId": REGISTRY_ID,
            "repositoryName": repository.name,
            "imageId": image_id,
            "imageManifest": image.manifest,
            "imageManifestMediaType": image.media_type,
        }

    # -- repositories ----------------------------------------------------------------------

    def CreateRepository(self, params: dict[str, Any]) -> Any:
        name = str(params["repositoryName"])
        if name in self.repositories:
            raise ServiceFault(
                "RepositoryAlreadyExistsException", f"The repository '{name}' already exists"
            )
        immutable = params.get("imageTagMutability", "MUTABLE").startswith("IMMUTABLE")
        repository = RepositoryState(name, immutable, time.time())
        self.repositories[name] = repository
        return {"repository": self._repository_json(repository)}

    def _repository_json(self, repository: RepositoryState) -> Any:
        return {
            "repositoryArn": f"arn:aws:ecr:{REGION}:{REGISTRY_ID}:repository/{repository.name}",
            "registryId": REGISTRY_ID,
            "repositoryName": repository.name,
            "repositoryUri": self._uri(repository.name),
            "createdAt": repository.created_at,
            "imageTagMutability": "IMMUTABLE" if repository.immutable else "MUTABLE",
        }

    def DeleteRepository(self, params: dict[str, Any]) -> Any:
        repository = self._repository(params)
        if repository.images and not params.get("force"):
            raise ServiceFault(
                "RepositoryNotEmptyException", f"The repository '{repository.name}' is not empty"
            )
        del self.repositories[repository.name]
        return {"repository": self._repository_json(repository)}

    # -- layers ----------------------------------------------------------------------------

    def BatchCheckLayerAvailability(self, params: dict[str, Any]) -> Any:
        repository = self._repository(params)
        layers, failures = [], []
        claimed = self.faults.take("claim_available") or frozenset()
        for digest in params["layerDigests"]:
            if not DIGEST.fullmatch(digest):
                failures.append(
                    {
                        "layerDigest": digest,
                        "failureCode": "InvalidLayerDigest",
                        "failureReason": "Invalid layer digest",
                    }
                )
            elif digest in repository.layers or digest in claimed:
                layers.append(
                    {
                        "layerDigest": digest,
                        "layerAvailability": "AVAILABLE",
                        "layerSize": len(repository.layers.get(digest, b"")),
                        "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    }
                )
            else:
                failures.append(
                    {
                        "layerDigest": digest,
                        "failureCode": "MissingLayerDigest",
                        "failureReason": "Requested layer digest is not available",
                    }
                )
        return {"layers": layers, "failures": failures}

    def InitiateLayerUpload(self, params: dict[str, Any]) -> Any:
        repository = self._repository(params)
        upload = Upload(str(uuid.uuid4()))
        repository.uploads[upload.upload_id] = upload
        return {"uploadId": upload.upload_id, "partSize": self.part_size}

    def UploadLayerPart(self, params: dict[str, Any], blob: bytes) -> Any:
        repository = self._repository(params)
        upload = self._upload(repository, params["uploadId"])
        first, last = params["partFirstByte"], params["partLastByte"]

        def rejected(reason: str) -> ServiceFault:
            return ServiceFault(
                "InvalidLayerPartException",
                reason,
                registryId=REGISTRY_ID,
                repositoryName=repository.name,
                uploadId=upload.upload_id,
                lastValidByteReceived=len(upload.data) - 1,
            )

        rewind = self.faults.take("rewind_upload")
        if rewind:
            for _ in range(min(rewind, len(upload.parts))):
                del upload.data[len(upload.data) - upload.parts.pop() :]
            raise rejected("The upload lost its last parts; resume from lastValidByteReceived")
        if first != len(upload.data):
            raise rejected(
                f"The part's first byte {first} is not consecutive to the last byte "
                f"{len(upload.data) - 1} received"
            )
        if last - first + 1 != len(blob):
            raise rejected(f"The part holds {len(blob)} bytes but claims {first}-{last}")
        if len(blob) > self.max_part_size:
            raise rejected(f"The part of {len(blob)} bytes is over the maximum size")
        upload.data += blob
        upload.parts.append(len(blob))
        return {
            "registryId": REGISTRY_ID,
            "repositoryName": repository.name,
            "uploadId": upload.upload_id,
            "lastByteReceived": len(upload.data) - 1,
        }

    def CompleteLayerUpload(self, params: dict[str, Any]) -> Any:
        repository = self._repository(params)
        upload = self._upload(repository, params["uploadId"])
        digests = params["layerDigests"]
        if not upload.data:
            raise ServiceFault("EmptyUploadException", "The upload holds no layer parts")
        if any(size < self.min_part_size for size in upload.parts[:-1]):
            raise ServiceFault(
                "LayerPartTooSmallException",
                f"Layer parts must be at least {self.min_part_size} bytes, but the last",
            )
        actual = "sha256:" + hashlib.sha256(upload.data).hexdigest()
        if digests != [actual]:
            del repository.uploads[upload.upload_id]
            raise ServiceFault(
                "InvalidLayerException",
                f"The calculated digest {actual} does not match the specified {digests}",
            )
        del repository.uploads[upload.upload_id]
        if actual in repository.layers:
            raise ServiceFault(
                "LayerAlreadyExistsException",
                f"Layer {actual} already exists in repository {repository.name}",
            )
        repository.layers[actual] = bytes(upload.data)
        return {
            "registryId": REGISTRY_ID,
            "repositoryName": repository.name,
            "uploadId": upload.upload_id,
            "layerDigest": actual,
        }

    # -- images ----------------------------------------------------------------------------

    def PutImage(self, params: dict[str, Any]) -> Any:
        repository = self._repository(params)
        text: str = params["imageManifest"]
        declared = params.get("imageManifestMediaType")
        tag = params.get("imageTag")
        try:
            document = json.loads(text)
        except ValueError:
            raise ServiceFault(
                "InvalidParameterException",
                "Invalid parameter at 'ImageManifest' failed to satisfy constraint: "
                "'Invalid JSON syntax'",
            ) from None
        stated = document.get("mediaType")
        if stated and declared and stated != declared:
            raise ServiceFault(
                "InvalidParameterException",
                f"Invalid parameter at 'imageManifestMediaType': '{declared}' does not match "
                f"the manifest's mediaType '{stated}'",
            )
        media_type = stated or declared
        if not media_type:
            raise ServiceFault(
                "InvalidParameterException",
                "Invalid parameter: the manifest has no mediaType and imageManifestMediaType "
                "was not given",
            )
        if media_type not in MANIFEST_TYPES | INDEX_TYPES:
            raise ServiceFault(
                "InvalidParameterException", f"Unsupported manifest media type '{media_type}'"
            )
        digest = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        if params.get("imageDigest") not in (None, digest):
            raise ServiceFault(
                "ImageDigestDoesNotMatchException",
                f"The digest {params['imageDigest']} does not match the manifest's {digest}",
            )
        blobs: tuple[str, ...] = ()
        children: tuple[str, ...] = ()
        if media_type in INDEX_TYPES:
            children = tuple(entry["digest"] for entry in document.get("manifests", []))
            missing = [child for child in children if child not in repository.images]
            if missing:
                raise ServiceFault(
                    "ReferencedImagesNotFoundException",
                    f"The manifest list references images that do not exist: {missing}",
                )
        else:
            described = [document.get("config", {}), *document.get("layers", [])]
            blobs = tuple(
                d["digest"]
                for d in described
                if "digest" in d and "foreign" not in d.get("mediaType", "")
            )
            missing = [blob for blob in blobs if blob not in repository.layers]
            if missing:
                raise ServiceFault(
                    "LayersNotFoundException",
                    f"Layers with digests {missing} required for pushing image into "
                    f"repository with name '{repository.name}' in the registry with id "
                    f"'{REGISTRY_ID}' do not exist",
                )
        if tag is not None:
            current = repository.tags.get(tag)
            if current == digest:
                raise ServiceFault(
                    "ImageAlreadyExistsException",
                    f"Image with digest '{digest}' and tag '{tag}' already exists in the "
                    f"repository with name '{repository.name}'",
                )
            if current is not None and repository.immutable:
                raise ServiceFault(
                    "ImageTagAlreadyExistsException",
                    f"The image tag '{tag}' already exists in the '{repository.name}' "
                    "repository and cannot be overwritten because the repository is immutable.",
                )
        elif digest in repository.images:
            raise ServiceFault(
                "ImageAlreadyExistsException",
                f"Image with digest '{digest}' already exists in the repository with name "
                f"'{repository.name}'",
            )
        image = repository.images.get(digest)
        if image is None:
            image = StoredImage(digest, text, media_type, time.time(), blobs, children)
            repository.images[digest] = image
        if tag is not None:
            repository.tags[tag] = digest
        return {"image": self._image_json(repository, image, tag)}

    def BatchGetImage(self, params: dict[str, Any]) -> Any:
        repository = self._repository(params)
        accepted = params.get("acceptedMediaTypes") or list(DEFAULT_ACCEPTED)
        images, failures = [], []
        for image_id in params["imageIds"]:
            tag, digest = image_id.get("imageTag"), image_id.get("imageDigest")
            target = digest or repository.tags.get(tag or "")
            if tag is not None and digest is not None and repository.tags.get(tag) != digest:
                failures.append(
                    {
                        "imageId": image_id,
                        "failureCode": "ImageTagDoesNotMatchDigest",
                        "failureReason": "The tag does not match the digest",
                    }
                )
                continue
            image = repository.images.get(target or "")
            if image is None:
                failures.append(
                    {
                        "imageId": image_id,
                        "failureCode": "ImageNotFound",
                        "failureReason": "Requested image not found",
                    }
                )
            elif image.media_type not in accepted:
                failures.append(
                    {
                        "imageId": image_id,
                        "failureCode": "UnsupportedImageType",
                        "failureReason": f"The image's media type {image.media_type} is not "
                        "among the accepted media types",
                    }
                )
            else:
                images.append(self._image_json(repository, image, tag))
        return {"images": images, "failures": failures}

    def DescribeImages(self, params: dict[str, Any]) -> Any:
        repository = self._repository(params)
        details = []
        for image in repository.images.values():
            size = sum(len(repository.layers.get(blob, b"")) for blob in image.blobs)
            detail = {
                "registryId": REGISTRY_ID,
                "repositoryName": repository.name,
                "imageDigest": image.digest,
                "imageSizeInBytes": size,
                "imagePushedAt": image.pushed_at,
                "imageManifestMediaType": image.media_type,
            }
            tags = repository.tags_of(image.digest)
            if tags:
                detail["imageTags"] = tags
            details.append(detail)
        return {"imageDetails": details}

    # -- downloads -------------------------------------------------------------------------

    def GetDownloadUrlForLayer(self, params: dict[str, Any]) -> Any:
        repository = self._repository(params)
        digest = params["layerDigest"]
        if digest not in repository.layers:
            raise ServiceFault(
                "LayersNotFoundException",
                f"The layer {digest} does not exist in repository {repository.name}",
            )
        if not repository.referenced(digest):
            raise ServiceFault(
                "LayerInaccessibleException",
                f"The layer {digest} is not associated with an image",
            )
        signature = secrets.token_hex(32)
        self.signatures[signature] = (repository.name, digest, time.time() + self.url_ttl)
        query = (
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Credential=ASIAEXAMPLE%2F20260101%2F{REGION}%2Fs3%2Faws4_request"
            "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
            f"&X-Amz-Security-Token=session%2Btoken%3D&X-Amz-Signature={signature}"
        )
        url = f"{self._endpoint()}/layers/{quote(repository.name, safe='')}/{digest}?{query}"
        return {"downloadUrl": url, "layerDigest": digest}

    def layer_for(self, path: str, query: str) -> tuple[str, str, bytes] | None:
        """The (repository, digest, bytes) a layer URL names, if its signature is valid."""
        match = re.fullmatch(r"/layers/([^/]+)/(sha256:[0-9a-f]{64})", path)
        signature = parse_qs(query).get("X-Amz-Signature", [""])[0]
        issued = self.signatures.get(signature)
        if match is None or issued is None or issued[2] < time.time():
            return None
        name, digest = unquote(match.group(1)), match.group(2)
        if issued[:2] != (name, digest):
            return None
        repository = self.repositories.get(name)
        blob = repository.layers.get(digest) if repository else None
        return None if blob is None else (name, digest, blob)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass

    # -- the API ---------------------------------------------------------------------------

    def do_POST(self) -> None:
        registry = self.server.owner.registry
        length = int(self.headers.get("Content-Length", "0"))
        target = self.headers.get("X-Amz-Target", "")
        operation = target.removeprefix(TARGET_PREFIX)
        try:
            if operation == "UploadLayerPart" and registry.faults.take("drop_part_mid_body"):
                self.rfile.read(length // 2)
                raise _DropConnection
            body = self.rfile.read(length)
            if not target.startswith(TARGET_PREFIX) or not hasattr(Registry, operation):
                raise ServiceFault("UnknownOperationException", f"Unknown operation {target!r}")
            if not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
                raise ServiceFault(
                    "MissingAuthenticationTokenException", "Missing Authentication Token", 403
                )
            params = json.loads(body or b"{}")
            blob = b""
            if operation == "UploadLayerPart":
                blob = base64.b64decode(params.pop("layerPartBlob", ""))
                self.server.owner.log_call(operation, {**params, "layerPartBlob": len(blob)})
            else:
                self.server.owner.log_call(operation, params)
            with registry.lock:
                if operation == "UploadLayerPart":
                    answer = registry.UploadLayerPart(params, blob)
                else:
                    answer = getattr(registry, operation)(params)
            if operation == "UploadLayerPart" and registry.faults.take("drop_part_after_apply"):
                raise _DropConnection
            self._send(200, json.dumps(answer).encode(), JSON_TYPE)
        except _DropConnection:
            self._hang_up()
        except ServiceFault as fault:
            error = {"__type": fault.code, "message": fault.message, **fault.members}
            self._send(fault.status, json.dumps(error).encode(), JSON_TYPE)

    # -- presigned layer URLs --------------------------------------------------------------

    def do_GET(self) -> None:
        owner = self.server.owner
        registry = owner.registry
        url = urlsplit(self.path)
        with registry.lock:
            found = registry.layer_for(url.path, url.query)
        authorized = "Authorization" in self.headers
        wanted = self.headers.get("Range")
        if authorized:
            status, body = 400, _s3_error("InvalidArgument", "Only one auth mechanism allowed")
        elif found is None or registry.faults.take("expire_urls"):
            status, body = 403, _s3_error("AccessDenied", "Request has expired")
        else:
            status, body = 200, b""
        name, digest, blob = found if found is not None else ("", "", b"")
        if status != 200:
            owner.log_download(LoggedDownload(name, digest, wanted, authorized, status))
            self._send(status, body, "application/xml")
            return
        start, end, status = 0, len(blob), 200
        if wanted is not None and not registry.faults.take("ignore_range"):
            match = re.fullmatch(r"bytes=(\d+)-(\d*)", wanted.strip())
            if match is None or int(match.group(1)) >= len(blob):
                owner.log_download(LoggedDownload(name, digest, wanted, authorized, 416))
                self._send(416, b"", "application/octet-stream")
                return
            start = int(match.group(1))
            end = min(len(blob), int(match.group(2)) + 1) if match.group(2) else len(blob)
            status = 206
        owner.log_download(LoggedDownload(name, digest, wanted, authorized, status))
        self._stream_blob(blob, start, end, status)

    def _stream_blob(self, blob: bytes, start: int, end: int, status: int) -> None:
        faults = self.server.owner.registry.faults
        data = memoryview(blob)[start:end]
        if faults.take("corrupt_download"):
            changed = bytearray(data)
            changed[len(changed) // 2] ^= 0xFF
            data = memoryview(bytes(changed))
        drop_after = faults.take("drop_download")
        stall_after = faults.take("stall_download")
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", '"layer"')
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(blob)}")
        self.end_headers()
        cut = next((n for n in (drop_after, stall_after) if n is not None), None)
        try:
            if cut is not None:
                self.wfile.write(data[:cut])
                if stall_after is not None:
                    faults.stalled.set()
                    faults.stall_released.wait(30)
                self._hang_up()
                return
            for offset in range(0, len(data), MiB):
                self.wfile.write(data[offset : offset + MiB])
        except OSError:  # the client went away
            self.close_connection = True

    # -- plumbing --------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(body)

    def _hang_up(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client may be gone already
            self.connection.shutdown(socket.SHUT_RDWR)


def _s3_error(code: str, message: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
        f"<Message>{message}</Message></Error>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: EcrRegistryServer


class EcrRegistryServer:
    """The server: ``with EcrRegistryServer() as server: server.endpoint``."""

    def __init__(self, *, part_size: int = 10 * MiB, min_part_size: int = 5 * MiB) -> None:
        self._http = _Server(("127.0.0.1", 0), _Handler)
        self._http.owner = self
        self.registry = Registry(lambda: self.endpoint, part_size, min_part_size)
        self._thread: threading.Thread | None = None
        self._log_lock = threading.Lock()
        self.calls: list[LoggedCall] = []
        self.downloads: list[LoggedDownload] = []

    @property
    def endpoint(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def faults(self) -> Faults:
        return self.registry.faults

    def start(self) -> EcrRegistryServer:
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            args=(0.05,),
            name="ecr-registry-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faults.stall_released.set()
        self._http.shutdown()
        self._http.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> EcrRegistryServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- the log ---------------------------------------------------------------------------

    def log_call(self, operation: str, params: dict[str, Any]) -> None:
        with self._log_lock:
            self.calls.append(LoggedCall(operation, params))

    def log_download(self, download: LoggedDownload) -> None:
        with self._log_lock:
            self.downloads.append(download)

    def operations(self) -> list[str]:
        with self._log_lock:
            return [call.operation for call in self.calls]

    def clear_log(self) -> None:
        with self._log_lock:
            self.calls.clear()
            self.downloads.clear()

    # -- direct access for tests -----------------------------------------------------------

    def create_repository(self, name: str, *, immutable: bool = False) -> None:
        with self.registry.lock:
            self.registry.CreateRepository(
                {
                    "repositoryName": name,
                    "imageTagMutability": "IMMUTABLE" if immutable else "MUTABLE",
                }
            )

    def layer(self, repository: str, digest: str) -> bytes | None:
        with self.registry.lock:
            return self.registry.repositories[repository].layers.get(digest)

    def manifest(self, repository: str, reference: str) -> tuple[str, str] | None:
        """The stored manifest and media type of a tag or digest."""
        with self.registry.lock:
            state = self.registry.repositories[repository]
            image = state.images.get(state.tags.get(reference, reference))
            return None if image is None else (image.manifest, image.media_type)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part-size", type=int, default=10 * MiB)
    parser.add_argument("--min-part-size", type=int, default=5 * MiB)
    args = parser.parse_args(argv)
    with EcrRegistryServer(part_size=args.part_size, min_part_size=args.min_part_size) as server:
        print(json.dumps({"endpoint": server.endpoint}), flush=True)
        sys.stdin.read()  # serve until the parent closes the pipe


if __name__ == "__main__":
    main()
