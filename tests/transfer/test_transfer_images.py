"""Whole images against the local registry server: push, pull, retag, copy, and the refusals
ECR answers (missing blobs, media types), each through the sync and the async API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.ecr_registry_server import EcrRegistryServer
from support.oci_images import (
    DOCKER_MANIFEST,
    OCI_INDEX,
    OCI_MANIFEST,
    REF_NAME,
    LayoutWriter,
    digest,
    layout_files,
    multi_platform_image,
    odd_json,
    single_image,
)
from support.transfer_fixtures import kit_fixture, registry_fixture, twin_fixture  # noqa: F401 - pytest finds fixtures by their names
from support.transfer_kits import REPOSITORY, Kit

from ecrclient.errors import ImageTagAlreadyExistsException, InvalidParameterException
from ecrclient.transfer import (
    ImageNotFoundError,
    LayoutError,
    ManifestError,
    MediaTypeError,
    MissingBlobsError,
)

BLOB_CALLS = {"InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"}


def test_multi_platform_image_round_trips_byte_for_byte(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = multi_platform_image(tmp_path / "built")
    seen: list[tuple[int, int | None]] = []

    pushed = kit.push_image(
        REPOSITORY,
        image.layout,
        tags=["v1"],
        progress=lambda done, total: seen.append((done, total)),
    )

    assert pushed.digest == image.digest and pushed.media_type == OCI_INDEX
    assert pushed.tags == ("v1",)
    assert list(pushed.manifests) == image.manifests  # children first, the index last
    assert sorted(pushed.blobs_transferred) == sorted(image.blobs)
    assert seen[-1] == (pushed.bytes_transferred, pushed.bytes_transferred)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    # The index went last, each platform's manifest (by digest, untagged) before it.
    puts = [call.params for call in registry.calls if call.operation == "PutImage"]
    assert [p["imageDigest"] for p in puts] == image.manifests
    assert [p.get("imageTag") for p in puts] == [None, None, "v1"]
    assert registry.manifest(REPOSITORY, "v1") == (
        image.blob(image.digest).decode(),
        OCI_INDEX,
    )

    pulled = kit.pull_image(REPOSITORY, "v1", tmp_path / "pulled")

    assert pulled.digest == image.digest and pulled.manifests == pushed.manifests
    assert layout_files(tmp_path / "pulled") == layout_files(image.layout)
    index = json.loads((tmp_path / "pulled" / "index.json").read_text())
    assert index["manifests"] == [
        {
            "mediaType": OCI_INDEX,
            "digest": image.digest,
            "size": len(image.blob(image.digest)),
            "annotations": {REF_NAME: "v1"},
        }
    ]
    assert json.loads((tmp_path / "pulled" / "oci-layout").read_text()) == {
        "imageLayoutVersion": "1.0.0"
    }
    # And the pulled layout pushes again as the same image.
    again = kit.push_image(REPOSITORY, tmp_path / "pulled", tags=["v1-again"])
    assert again.digest == image.digest


def test_docker_media_types_round_trip(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = single_image(tmp_path / "built", docker=True)
    pushed = kit.push_image(REPOSITORY, image.layout, tags=["docker"])
    assert pushed.media_type == DOCKER_MANIFEST
    pulled = kit.pull_image(REPOSITORY, "docker", tmp_path / "pulled")
    assert pulled.digest == image.digest
    assert layout_files(tmp_path / "pulled") == layout_files(image.layout)


def test_pushing_again_sends_no_blob(kit: Kit, registry: EcrRegistryServer, tmp_path: Path) -> None:
    image = multi_platform_image(tmp_path / "built")
    kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    registry.clear_log()

    again = kit.push_image(REPOSITORY, image.layout, tags=["v1", "latest"])

    assert not BLOB_CALLS & set(registry.operations())
    assert registry.operations().count("BatchCheckLayerAvailability") == 1
    assert again.blobs_transferred == () and sorted(again.blobs_skipped) == sorted(image.blobs)
    assert again.tags == ("latest", "v1")  # added first, then those already in place
    assert again.bytes_transferred == 0


def test_pulling_again_downloads_nothing(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = multi_platform_image(tmp_path / "built")
    kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    kit.pull_image(REPOSITORY, "v1", tmp_path / "pulled")
    before = layout_files(tmp_path / "pulled")
    registry.clear_log()

    again = kit.pull_image(REPOSITORY, "v1", tmp_path / "pulled")

    assert "GetDownloadUrlForLayer" not in registry.operations()
    assert registry.downloads == []
    assert again.blobs_transferred == () and again.bytes_transferred == 0
    assert layout_files(tmp_path / "pulled") == before
    assert len(json.loads((tmp_path / "pulled" / "index.json").read_text())["manifests"]) == 1


def test_pulling_several_tags_into_one_layout_keeps_each(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    first = single_image(tmp_path / "one", seed=5)
    second = single_image(tmp_path / "two", seed=6)
    kit.push_image(REPOSITORY, first.layout, tags=["one"])
    kit.push_image(REPOSITORY, second.layout, tags=["two"])
    kit.pull_image(REPOSITORY, "one", tmp_path / "both")
    kit.pull_image(REPOSITORY, second.digest, tmp_path / "both", ref_name="two")
    entries = json.loads((tmp_path / "both" / "index.json").read_text())["manifests"]
    assert {e["annotations"][REF_NAME]: e["digest"] for e in entries} == {
        "one": first.digest,
        "two": second.digest,
    }
    # One image among several must be named.
    with pytest.raises(LayoutError, match="name one of: one, two"):
        kit.push_image(REPOSITORY, tmp_path / "both")
    assert kit.push_image(REPOSITORY, tmp_path / "both", reference="two").digest == second.digest


def test_retag_keeps_the_manifest_bytes_and_digest(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = multi_platform_image(tmp_path / "built")
    kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    registry.clear_log()

    retagged = kit.retag(REPOSITORY, "v1", ["stable", "v1"])

    assert retagged.digest == image.digest
    assert retagged.tags == ("stable", "v1")
    assert registry.manifest(REPOSITORY, "stable") == registry.manifest(REPOSITORY, "v1")
    assert not BLOB_CALLS & set(registry.operations())
    get = next(call for call in registry.calls if call.operation == "BatchGetImage")
    assert OCI_INDEX in get.params["acceptedMediaTypes"]
    by_digest = kit.retag(REPOSITORY, image.digest, ["by-digest"])
    assert by_digest.digest == image.digest


def test_retag_into_an_immutable_tag_fails_with_the_cause(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    registry.create_repository("team/locked", immutable=True)
    one = single_image(tmp_path / "one", seed=5)
    two = single_image(tmp_path / "two", seed=6)
    kit.push_image("team/locked", one.layout, tags=["v1"])
    kit.push_image("team/locked", two.layout, tags=["v2"])
    with pytest.raises(ManifestError) as caught:
        kit.retag("team/locked", "v2", ["v1"])
    assert isinstance(caught.value.cause, ImageTagAlreadyExistsException)
    assert caught.value.digest == two.digest and caught.value.repository == "team/locked"


def test_retag_of_a_missing_image(kit: Kit, registry: EcrRegistryServer) -> None:
    with pytest.raises(ImageNotFoundError, match="no image 'nope' in team/app") as caught:
        kit.retag(REPOSITORY, "nope", ["x"])
    assert caught.value.reference == "nope"


def test_copy_across_repositories_and_regions(
    kit: Kit, registry: EcrRegistryServer, twin, tmp_path: Path
) -> None:
    image = multi_platform_image(tmp_path / "built")
    kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    with EcrRegistryServer(part_size=64 * 1024, min_part_size=64 * 1024) as elsewhere:
        elsewhere.create_repository("mirror/app")
        other = twin(elsewhere.endpoint)
        copied = kit.copy_image(REPOSITORY, "v1", other, "mirror/app", work_dir=tmp_path / "w")

        assert copied.digest == image.digest and copied.tags == ("v1",)
        assert sorted(copied.blobs_transferred) == sorted(image.blobs)
        assert list((tmp_path / "w").iterdir()) == []  # the scratch folder is gone
        other.pull_image("mirror/app", "v1", tmp_path / "pulled")
        assert layout_files(tmp_path / "pulled") == layout_files(image.layout)

        elsewhere.clear_log()
        second = kit.copy_image(REPOSITORY, "v1", other, "mirror/app", tags=["v1", "mirror"])
        assert second.blobs_transferred == () and second.tags == ("mirror", "v1")
        assert not BLOB_CALLS & set(elsewhere.operations())


def test_copy_within_one_registry(kit: Kit, registry: EcrRegistryServer, tmp_path: Path) -> None:
    registry.create_repository("team/other")
    image = single_image(tmp_path / "built")
    kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    copied = kit.copy_image(REPOSITORY, image.digest, kit, "team/other")
    assert copied.digest == image.digest and copied.tags == ()
    assert registry.manifest("team/other", image.digest) == registry.manifest(REPOSITORY, "v1")


def test_put_image_refused_for_missing_blobs_names_them(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = single_image(tmp_path / "built")
    config = image.blobs[0]
    kit.upload_blob(REPOSITORY, image.blob(config))  # the config only: the layers are missing

    with pytest.raises(MissingBlobsError) as caught:
        kit.put_manifest(REPOSITORY, image.blob(image.digest), tags=["v1"])

    assert caught.value.missing == tuple(image.blobs[1:])
    assert caught.value.digest == image.digest and caught.value.repository == REPOSITORY
    assert type(caught.value.cause).__name__ == "LayersNotFoundException"
    assert all(blob in str(caught.value) for blob in image.blobs[1:])
    assert registry.operations()[-2:] == ["PutImage", "BatchCheckLayerAvailability"]


def test_push_surfaces_layers_the_registry_lost(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = single_image(tmp_path / "built")
    lost = image.blobs[-1]
    registry.faults.claim_available(lost)  # availability says yes, PutImage will say no

    with pytest.raises(MissingBlobsError) as caught:
        kit.push_image(REPOSITORY, image.layout, tags=["v1"])

    assert caught.value.missing == (lost,)
    assert lost not in {
        c.params.get("layerDigests", [None])[0]
        for c in registry.calls
        if c.operation == "CompleteLayerUpload"
    }


def test_a_media_type_contradicting_the_manifest_is_refused_before_sending(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = single_image(tmp_path / "built")
    for blob in image.blobs:
        kit.upload_blob(REPOSITORY, image.blob(blob))
    registry.clear_log()

    with pytest.raises(MediaTypeError) as caught:
        kit.put_manifest(REPOSITORY, image.blob(image.digest), media_type=DOCKER_MANIFEST)

    assert (caught.value.declared, caught.value.found) == (DOCKER_MANIFEST, OCI_MANIFEST)
    assert registry.operations() == []


def test_a_layout_descriptor_contradicting_its_manifest_is_refused(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = single_image(tmp_path / "built")
    index = json.loads((image.layout / "index.json").read_text())
    index["manifests"][0]["mediaType"] = DOCKER_MANIFEST
    (image.layout / "index.json").write_text(json.dumps(index))

    with pytest.raises(MediaTypeError, match="contradicts the manifest"):
        kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    assert "PutImage" not in registry.operations()


def test_a_manifest_without_media_type_field_is_pushed_with_its_descriptors(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    image = single_image(tmp_path / "built", media_type_field=False)
    pushed = kit.push_image(REPOSITORY, image.layout, tags=["v1"])
    assert pushed.media_type == OCI_MANIFEST
    put = next(call for call in registry.calls if call.operation == "PutImage")
    assert put.params["imageManifestMediaType"] == OCI_MANIFEST
    assert registry.manifest(REPOSITORY, "v1") == (image.blob(image.digest).decode(), OCI_MANIFEST)


def test_the_server_refuses_a_contradicting_media_type(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    # The fault the client-side check spares users: the server models ECR's refusal.
    image = single_image(tmp_path / "built")
    for blob in image.blobs:
        kit.upload_blob(REPOSITORY, image.blob(blob))

    def put() -> object:
        return kit.ecr.put_image(
            repository_name=REPOSITORY,
            image_manifest=image.blob(image.digest).decode(),
            image_manifest_media_type=DOCKER_MANIFEST,
            image_tag="v1",
        )

    with pytest.raises(InvalidParameterException, match="does not match"):
        kit.run(put)


def test_layout_problems_are_named(kit: Kit, registry: EcrRegistryServer, tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="oci-layout is missing"):
        kit.push_image(REPOSITORY, tmp_path / "nothing")
    image = single_image(tmp_path / "built")
    layer = image.blobs[1]
    (image.layout / "blobs" / "sha256" / layer.split(":")[1]).unlink()
    with pytest.raises(LayoutError, match=f"blob {layer} is missing") as caught:
        kit.push_image(REPOSITORY, image.layout)
    assert caught.value.digest == layer
    assert BLOB_CALLS.isdisjoint(registry.operations())
    with pytest.raises(LayoutError, match=r"no image with ref\.name 'v9'"):
        kit.push_image(REPOSITORY, image.layout, reference="v9")


def test_a_layout_cannot_point_outside_itself(kit: Kit, tmp_path: Path) -> None:
    writer = LayoutWriter(tmp_path / "evil")
    (tmp_path / "evil" / "index.json").write_text(
        json.dumps(
            {
                "schemaVersion": 2,
                "manifests": [{"mediaType": OCI_MANIFEST, "digest": "sha256:../../etc", "size": 1}],
            }
        )
    )
    with pytest.raises(LayoutError, match="not a sha256 digest"):
        kit.push_image(REPOSITORY, writer.root)


def test_put_manifest_of_an_index_needs_its_manifests(
    kit: Kit, registry: EcrRegistryServer, tmp_path: Path
) -> None:
    index = odd_json(
        {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [{"mediaType": OCI_MANIFEST, "digest": digest(b"x"), "size": 1}],
        }
    )
    with pytest.raises(ManifestError, match="ReferencedImagesNotFoundException"):
        kit.put_manifest(REPOSITORY, index, tags=["v1"])
