"""Compression (advisor.middleware.CompressionMiddleware): brotli where the client takes it,
gzip where it takes only that, nothing otherwise; through the whole middleware stack."""

from __future__ import annotations

import gzip

import brotli
import pytest
from django.test import Client

RESULT = "/result/?subnet=public&public_ip=true"


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("BR", "br"),
        ("br;q=0.5, gzip;q=1.0", "br"),
        ("br;q=0, gzip", "gzip"),
        ("br; q=0.0, gzip", "gzip"),
        ("br;q=nonsense, gzip", "gzip"),
        ("gzip", "gzip"),
        ("deflate", None),
        ("", None),
    ],
)
def test_a_page_is_sent_in_the_coding_the_client_takes(client: Client, accept: str,
                                                       coding: str | None) -> None:
    plain = client.get(RESULT)
    response = client.get(RESULT, HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response.get("Content-Encoding") == coding
    assert "Accept-Encoding" in response["Vary"]
    decompress = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding]
    assert decompress(response.content) == plain.content
    assert int(response["Content-Length"]) == len(response.content)
    if coding:
        assert len(response.content) < len(plain.content) / 3


def test_a_brotli_answer_has_a_weak_etag_that_still_gets_a_304(client: Client) -> None:
    br = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    compressed = client.get(RESULT, **br)
    assert compressed["ETag"] == "W/" + client.get(RESULT)["ETag"]
    again = client.get(RESULT, HTTP_IF_NONE_MATCH=compressed["ETag"], **br)
    assert again.status_code == 304
    assert again["ETag"] == compressed["ETag"]


def test_short_and_json_answers_follow_the_same_rules(client: Client) -> None:
    health = client.get("/healthz", HTTP_ACCEPT_ENCODING="br")
    assert health.content == b"ok" and not health.has_header("Content-Encoding")
    api = client.get("/api/v1/evaluate?nat_gateway=true", HTTP_ACCEPT_ENCODING="br")
    assert api["Content-Encoding"] == "br"
    assert brotli.decompress(api.content).startswith(b"{")
