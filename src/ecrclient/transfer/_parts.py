"""Layer parts: how big they are, and where to go on after ECR rejects one.

``InitiateLayerUpload`` answers the part size ECR expects; every part but the last has that
size (ECR refuses short middle parts with ``LayerPartTooSmallException`` at completion), so the
upload holds at most one part in memory. ``UploadLayerPart`` names a part by its first and last
byte, inclusive, and parts must arrive in order: a part that does not start right after the last
byte ECR kept fails with ``InvalidLayerPartException``, whose ``lastValidByteReceived`` says
where the layer really stands. :func:`plan_resume` turns that into the next step: only a rewind
behind the part in memory needs the source to seek.
"""

from __future__ import annotations

import enum

import attrs

DEFAULT_PART_SIZE = 10 * 1024 * 1024
"""Used when ECR's answer names no part size."""
MAX_PART_SIZE = 20 * 1024 * 1024
"""The model's largest ``layerPartBlob``: a larger part would fail validation before sending."""
MAX_RESUMES_WITHOUT_PROGRESS = 5
"""Rejections in a row that move the upload no further before it is given up."""


def part_size(answered: int | None) -> int:
    """The part size to upload with, given ``InitiateLayerUpload``'s ``partSize``."""
    if answered is None or answered <= 0:
        return DEFAULT_PART_SIZE
    return min(answered, MAX_PART_SIZE)


def part_number(first_byte: int, size: int) -> int:
    """The 1-based number of the part starting at ``first_byte`` (for messages)."""
    return first_byte // size + 1


def last_byte(first_byte: int, length: int) -> int:
    """``partLastByte`` of a part of ``length`` bytes starting at ``first_byte``."""
    return first_byte + length - 1


class Resume(enum.Enum):
    """What to do after ``InvalidLayerPartException``."""

    SKIP_PART = "skip"
    """ECR already holds the whole part (an earlier attempt reached it, its answer did not
    reach us): go on with the next part, nothing is re-read."""
    RESEND_TAIL = "tail"
    """ECR holds the start of the part, or none of it: the rest is still in memory and goes
    out again at the head of the next part, so even a stream that cannot seek carries on."""
    REWIND = "rewind"
    """ECR holds less than the parts confirmed so far: the source must seek back, and the
    digest is recomputed up to there."""
    IMPOSSIBLE = "impossible"
    """ECR claims bytes that were never sent: the upload cannot be trusted."""


@attrs.frozen
class ResumePlan:
    action: Resume
    offset: int
    """The byte to continue from (ECR's ``lastValidByteReceived`` + 1)."""


def plan_resume(
    confirmed: int, part_length: int, last_valid_byte_received: int | None
) -> ResumePlan:
    """The way on when the part of ``part_length`` bytes starting at ``confirmed`` (the bytes
    confirmed so far) was rejected, and ECR says its last valid byte is
    ``last_valid_byte_received`` (``None``, or -1, when it holds nothing)."""
    offset = 0 if last_valid_byte_received is None else last_valid_byte_received + 1
    end = confirmed + part_length
    if offset == end:
        return ResumePlan(Resume.SKIP_PART, offset)
    if offset > end or offset < 0:
        return ResumePlan(Resume.IMPOSSIBLE, offset)
    if offset >= confirmed:
        return ResumePlan(Resume.RESEND_TAIL, offset)
    return ResumePlan(Resume.REWIND, offset)
