"""A small local ECR endpoint (awsJson 1.1) for what moto cannot do: count calls, hand out
tokens with a chosen lifetime, answer enhanced-scanning states, and fail chosen deletions.

Standard library only; binds 127.0.0.1 on a free port and serves each connection in a thread::

    with EcrStub() as stub:
        env["AWS_ENDPOINT_URL_ECR"] = stub.url
        ...
        assert stub.count("GetAuthorizationToken") == 1

Requests are not checked for signatures. Each operation has a handler; tests replace handlers
or script answers (:meth:`EcrStub.script`: a list of ``(status, body)`` consumed one per call,
the last one repeated).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921."
ACCOUNT = "123456789012"
Answer = tuple[int, dict[str, Any]]
Handler = Callable[[dict[str, Any], str], Answer]


def error(code: str, message: str, status: int = 400) -> Answer:
    return status, {"__type": code, "message": message}


class EcrStub:
    """The server. ``token_lifetime`` is the seconds until issued tokens expire; ``token_delay``
    slows GetAuthorizationToken down (to widen races in concurrency tests)."""

    def __init__(self, *, token_lifetime: float = 12 * 3600, token_delay: float = 0.0) -> None:
        self.token_lifetime = token_lifetime
        self.token_delay = token_delay
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Answer]] = {}
        self.handlers: dict[str, Handler] = {
            "GetAuthorizationToken": self._authorization_token,
            "BatchDeleteImage": self._batch_delete,
        }
        self.missing_tags: set[str] = set()
        """Tags BatchDeleteImage reports as ImageNotFound."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> EcrStub:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test controls -------------------------------------------------------------------------

    def count(self, operation: str) -> int:
        with self._lock:
            return sum(1 for name, _ in self.calls if name == operation)

    def bodies(self, operation: str) -> list[dict[str, Any]]:
        with self._lock:
            return [body for name, body in self.calls if name == operation]

    def script(self, operation: str, answers: list[Answer]) -> None:
        with self._lock:
            self._scripts[operation] = list(answers)

    def password(self, number: int) -> str:
        """The password of the ``number``-th token issued (1-based)."""
        return f"stub-password-{number:04d}-0123456789abcdef"

    # -- answers -------------------------------------------------------------------------------

    def _answer(self, operation: str, body: dict[str, Any], region: str) -> Answer:
        with self._lock:
            self.calls.append((operation, body))
            script = self._scripts.get(operation)
            if script:
                return script.pop(0) if len(script) > 1 else script[0]
        handler = self.handlers.get(operation)
        if handler is None:
            return error("UnsupportedOperation", f"the stub does not serve {operation}")
        return handler(body, region)

    def _authorization_token(self, body: dict[str, Any], region: str) -> Answer:
        if self.token_delay:
            time.sleep(self.token_delay)
        number = self.count("GetAuthorizationToken")
        token = base64.b64encode(f"AWS:{self.password(number)}".encode()).decode()
        data = {
            "authorizationToken": token,
            "expiresAt": time.time() + self.token_lifetime,
            "proxyEndpoint": f"https://{ACCOUNT}.dkr.ecr.{region}.amazonaws.com",
        }
        return 200, {"authorizationData": [data]}

    def _batch_delete(self, body: dict[str, Any], region: str) -> Answer:
        ids: list[dict[str, str]] = body.get("imageIds", [])
        if not 1 <= len(ids) <= 100:
            return error("InvalidParameterException", f"{len(ids)} image ids; 1 to 100 allowed")
        deleted: list[dict[str, str]] = []
        failures: list[dict[str, Any]] = []
        for image_id in ids:
            if image_id.get("imageTag") in self.missing_tags:
                failures.append(
                    {
                        "imageId": image_id,
                        "failureCode": "ImageNotFound",
                        "failureReason": "Requested image not found",
                    }
                )
            else:
                deleted.append({"imageDigest": "sha256:" + "ab" * 32, **image_id})
        return 200, {"imageIds": deleted, "failures": failures}

    # -- HTTP ----------------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length) if length else b"{}"
                target = self.headers.get("X-Amz-Target", "")
                operation = target.removeprefix(TARGET_PREFIX)
                scope = re.search(
                    r"Credential=[^/]+/\d+/([^/]+)/", self.headers.get("Authorization", "")
                )
                region = scope.group(1) if scope else "us-east-1"
                status, answer = stub._answer(operation, json.loads(raw or b"{}"), region)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("x-amzn-RequestId", f"stub-{len(stub.calls)}")
                self.end_headers()
                self.wfile.write(payload)

        return Handler
