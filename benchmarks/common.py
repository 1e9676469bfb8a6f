"""Names and settings shared by the server, the clients and the checks (standard library only,
so the cold-start child imports nothing else)."""

from __future__ import annotations

ACCOUNT = "123456789012"
REGION = "us-east-1"
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
"""Fake static credentials: every client signs (or not, the floors) with these."""

TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921"
CONTENT_TYPE = "application/x-amz-json-1.1"

IMAGES_REPOSITORY = "bench/images"
"""DescribeImages on this repository answers one page of ``maxResults`` images (default 100)."""
PAGED_REPOSITORY = "bench/paged"
"""DescribeImages on this repository answers ``PAGE_COUNT`` pages of ``PAGE_SIZE`` images."""
PAGE_COUNT = 10
PAGE_SIZE = 100

POOL_SIZE = 50
"""Connections per client, for every client: enough for 50 requests in flight."""
