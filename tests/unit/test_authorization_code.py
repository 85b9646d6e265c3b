"""The browser sign-in's pieces without a browser: PKCE, the authorization URL, the loopback
receiver (which redirect it accepts, which it refuses and keeps waiting after)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ragmesh.authorization_code import (
    AuthorizationFailed,
    BrowserLogin,
    LoopbackReceiver,
    Pkce,
)


def test_pkce_challenge_is_the_s256_of_the_verifier() -> None:
    # RFC 7636, appendix B.
    pkce = Pkce("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    assert pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert Pkce().verifier != Pkce().verifier


def test_authorization_url_asks_for_a_code_with_pkce_and_a_loopback_redirect() -> None:
    with BrowserLogin("http://127.0.0.1:8180/", idp_hint="corp-idp") as login:
        url = urlsplit(login.authorization_url)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/realms/ragmesh/protocol/openid-connect/auth"
    assert query["response_type"] == "code" and query["client_id"] == "ragmesh-cli"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    redirect = urlsplit(query["redirect_uri"])
    assert (redirect.hostname, redirect.path) == ("127.0.0.1", "/callback") and redirect.port
    assert query["kc_idp_hint"] == "corp-idp" and query["state"]
    with BrowserLogin("http://127.0.0.1:8180") as plain:
        assert "kc_idp_hint" not in parse_qs(urlsplit(plain.authorization_url).query)


@pytest.fixture
def receiver() -> Iterator[LoopbackReceiver]:
    receiver = LoopbackReceiver("the-state")
    yield receiver
    receiver.close()


def test_the_redirect_with_the_state_delivers_its_code(receiver: LoopbackReceiver) -> None:
    reply = httpx.get(receiver.redirect_uri, params={"state": "the-state", "code": "c-1"})
    assert reply.status_code == 200 and "close this tab" in reply.text
    assert receiver.wait(1) == "c-1"


def test_stray_requests_are_refused_and_the_wait_goes_on(receiver: LoopbackReceiver) -> None:
    wrong_state = httpx.get(receiver.redirect_uri, params={"state": "forged", "code": "evil"})
    assert wrong_state.status_code == 400
    base = receiver.redirect_uri.removesuffix("/callback")
    assert httpx.get(f"{base}/other", params={"state": "the-state"}).status_code == 404
    with pytest.raises(AuthorizationFailed, match="within"):
        receiver.wait(0.2)
    httpx.get(receiver.redirect_uri, params={"state": "the-state", "code": "good"})
    assert receiver.wait(1) == "good"


def test_an_error_redirect_ends_the_wait_with_keycloaks_reason(receiver: LoopbackReceiver) -> None:
    httpx.get(
        receiver.redirect_uri,
        params={
            "state": "the-state",
            "error": "access_denied",
            "error_description": "the user cancelled",
        },
    )
    with pytest.raises(AuthorizationFailed, match="the user cancelled"):
        receiver.wait(1)
