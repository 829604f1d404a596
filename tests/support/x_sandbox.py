"""Shared pieces of the X sandbox tests: the OpenAPI check, a tweepy client aimed at the sandbox, fixtures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
import tweepy
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from connectors._http import Rebase
from connectors.sandbox.x.server import XSandbox
from connectors.x.connector import TWEET_FIELDS  # the fields our connector asks for
from tests.conftest import BRAND_ID, SHARED

SPEC = SHARED / "specs" / "x-api-v2-openapi.json"
X_TIME = "%Y-%m-%dT%H:%M:%S.%f%z"


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    # X answers errors as application/problem+json, which openapi-core does not decode by itself.
    return OpenAPI.from_path(
        SPEC, config=Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    )


def conform(openapi: OpenAPI, resp: requests.Response) -> Any:
    """Validate a sandbox answer as if api.x.com had sent it; returns its JSON."""
    req = resp.request.copy()
    parts = urlsplit(req.url or "")
    req.url = urlunsplit(("https", "api.x.com", parts.path, parts.query, ""))
    openapi.validate_response(RequestsOpenAPIRequest(req), RequestsOpenAPIResponse(resp))
    return resp.json()


def make_client(
    url: str,
    *,
    consumer_key: str = "sandbox-consumer",
    access_token: str = f"{BRAND_ID}-tok",
    bearer: str = "sandbox-bearer",
    timeout: tuple[float, float] = (5, 30),
) -> tweepy.Client:
    client = tweepy.Client(
        bearer_token=bearer,
        consumer_key=consumer_key,
        consumer_secret="cs",
        access_token=access_token,
        access_token_secret="ts",
        return_type=requests.Response,
    )
    for host in ("https://api.twitter.com/", "https://api.x.com/"):
        client.session.mount(host, Rebase(url, timeout=timeout))
    return client


@pytest.fixture
def sandbox() -> Iterator[XSandbox]:
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sb:
        yield sb


@pytest.fixture
def client(sandbox: XSandbox) -> Iterator[tweepy.Client]:
    c = make_client(sandbox.url)
    yield c
    c.session.close()


def mentions(client: tweepy.Client, **kwargs: Any) -> requests.Response:
    return client.get_users_mentions(
        BRAND_ID,
        expansions=["author_id", "referenced_tweets.id"],
        tweet_fields=TWEET_FIELDS,
        user_fields=["username", "public_metrics"],
        **kwargs,
    )
