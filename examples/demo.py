"""ecrclient end to end against a local ECR endpoint (a moto server on 127.0.0.1).

Run: python examples/demo.py
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile

from moto.server import ThreadedMotoServer

from ecrclient import ECRClient
from ecrclient.errors import RepositoryNotFoundException
from ecrclient.model import ImageIdentifier, PutImageRequest


def manifest_for(name: str) -> str:
    """A small Docker image manifest (schema 2) whose layer is the bytes of ``name``."""
    layer = name.encode()
    config = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": len(config),
                "digest": "sha256:" + hashlib.sha256(config).hexdigest(),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(layer),
                    "digest": "sha256:" + hashlib.sha256(layer).hexdigest(),
                }
            ],
        }
    )


def run(endpoint_url: str) -> None:
    with ECRClient(
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="demo",
        aws_secret_access_key="demo-secret",
    ) as ecr:
        created = ecr.create_repository(repository_name="demo/web")
        repository = created.repository
        assert repository is not None
        print(f"created  {repository.repository_uri} at {repository.created_at:%Y-%m-%d %H:%M} UTC")

        for tag in ("v1", "v2", "latest"):
            pushed = ecr.put_image(
                PutImageRequest(
                    repository_name="demo/web", image_manifest=manifest_for(tag), image_tag=tag
                )
            )
            assert pushed.image is not None and pushed.image.image_id is not None
            print(f"pushed   demo/web:{tag} -> {pushed.image.image_id.image_digest}")

        listed = ecr.list_images(repository_name="demo/web")
        tags = sorted(image.image_tag or "" for image in listed.image_ids or ())
        print(f"listed   {len(tags)} image ids: {', '.join(tags)}")

        described = ecr.describe_images(
            repository_name="demo/web", image_ids=[ImageIdentifier(image_tag="v2")]
        )
        for detail in described.image_details or ():
            print(f"describe {detail.image_digest} tags={list(detail.image_tags or ())}")
        print(f"request  id {described.response_metadata.request_id}")

        token = ecr.get_authorization_token()
        for data in token.authorization_data or ():
            print(f"token    for {data.proxy_endpoint}; repr keeps it hidden: {data!r}")

        try:
            ecr.describe_repositories(repository_names=["does-not-exist"])
        except RepositoryNotFoundException as error:
            print(f"caught   {error.error_code} (HTTP {error.status_code}): {error.error_message}")

        ecr.delete_repository(repository_name="demo/web", force=True)
        print("deleted  demo/web")


def main() -> None:
    # The demo never touches real AWS settings of the machine it runs on.
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    with tempfile.TemporaryDirectory() as home:
        empty = os.path.join(home, "empty")
        open(empty, "w").close()
        os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = empty
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        print(f"local ECR endpoint (moto) on http://{host}:{port}")
        try:
            run(f"http://{host}:{port}")
        finally:
            server.stop()
    print("demo finished")


if __name__ == "__main__":
    main()
