"""Keycloak tokens: verify a caller's bearer token, and get one for the service itself.

Envoy already checked the token at the edge; every service checks it again (defense in
depth: a replica reached directly, or a hop that is misconfigured, must not trust a header).
Signing keys come from the realm's JWKS through python-keycloak and are cached; a token
whose ``kid`` is unknown refetches them (at most once per ``_MIN_REFETCH_S``), which is how
a rotated realm key is picked up without restarting anything.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections import OrderedDict
from typing import Any

from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWException
from keycloak import KeycloakOpenID

from services.runtime.errors import Unauthenticated, Unavailable
from services.runtime.identity import Identity
from services.runtime.settings import RuntimeSettings

log = logging.getLogger("ragmesh.auth")

# Keycloak signs access tokens with RS256 unless a realm is configured otherwise; anything
# else (notably "none" and the HMAC family, which a public key would "verify") is refused.
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256")
_MIN_REFETCH_S = 2.0
_VERIFIED_CACHE_SIZE = 4096
_RELOGIN = "log in again (`ragmesh login`) and retry"


def _keycloak(
    settings: RuntimeSettings, client_id: str, secret: str | None = None
) -> KeycloakOpenID:
    return KeycloakOpenID(
        server_url=settings.keycloak_url.rstrip("/") + "/",
        realm_name=settings.keycloak_realm,
        client_id=client_id,
        client_secret_key=secret,
        timeout=5,
    )


def bearer_token(authorization: str | None) -> str:
    """The token of an ``authorization`` header; UNAUTHENTICATED when there is none."""
    if not authorization:
        raise Unauthenticated(
            message="no bearer token: send 'authorization: Bearer <access token>' "
            "(get one with `ragmesh login`)",
            reason="TOKEN_MISSING",
        )
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            message="the authorization header must be 'Bearer <access token>'",
            reason="TOKEN_MALFORMED",
        )
    return token.strip()


def _header(token: str) -> dict[str, Any]:
    try:
        encoded = token.split(".")[0]
        decoded = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, IndexError) as exc:
        raise Unauthenticated(
            message="the bearer token is not a JWT", reason="TOKEN_MALFORMED"
        ) from exc
    if not isinstance(decoded, dict):
        raise Unauthenticated(message="the bearer token is not a JWT", reason="TOKEN_MALFORMED")
    return decoded


class TokenVerifier:
    """Turns a bearer token into an ``Identity``, or raises UNAUTHENTICATED saying why."""

    def __init__(self, settings: RuntimeSettings) -> None:
        self._settings = settings
        self._issuer = settings.issuer
        self._openid = _keycloak(settings, settings.service_client_id)
        self._skew = settings.auth_clock_skew_s
        self._keys: jwk.JWKSet | None = None
        self._kids: frozenset[str] = frozenset()
        self._fetched_at = -1e9
        self._lock = asyncio.Lock()
        # Verified tokens: one Ask verifies the same token at every hop, and an RSA check in
        # Python costs ~0.3 ms. An entry holds while its key is still in the realm's JWKS
        # and the token has not expired, so a retired key or an expiry still refuses it.
        self._verified: OrderedDict[str, tuple[Identity, str]] = OrderedDict()

    async def verify(self, authorization: str | None) -> Identity:
        token = bearer_token(authorization)
        cached = self._verified.get(token)
        if cached is not None:
            identity, kid = cached
            await self._keys_for(kid)
            if kid in self._kids and time.time() < identity.expires_at + self._skew:
                self._verified.move_to_end(token)
                return identity
            del self._verified[token]
        identity, kid = await self._verify(token)
        self._verified[token] = (identity, kid)
        if len(self._verified) > _VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)
        return identity

    async def _verify(self, token: str) -> tuple[Identity, str]:
        header = _header(token)
        alg = header.get("alg")
        if alg not in ALLOWED_ALGORITHMS:
            raise Unauthenticated(
                message=f"token algorithm {alg!r} is not accepted; {_RELOGIN}",
                reason="TOKEN_ALGORITHM",
            )
        kid = str(header.get("kid", ""))
        keys = await self._keys_for(kid)
        verified = jwt.JWT(
            algs=list(ALLOWED_ALGORITHMS),
            expected_type="JWS",
            check_claims={"iss": self._issuer, "aud": self._settings.auth_audience, "exp": None},
        )
        # jwcrypto tolerates 60 s of clock skew unless told otherwise.
        verified.leeway = int(self._skew)
        try:
            verified.deserialize(token, keys)
        except jwt.JWTExpired as exc:
            raise Unauthenticated(
                message=f"the token has expired; {_RELOGIN}", reason="TOKEN_EXPIRED"
            ) from exc
        except jwt.JWTInvalidClaimValue as exc:
            raise Unauthenticated(
                message=f"the token was not issued for this mesh ({exc}); {_RELOGIN}",
                reason="TOKEN_CLAIMS",
            ) from exc
        except (jwt.JWTMissingKey, jws.InvalidJWSSignature) as exc:
            raise Unauthenticated(
                message="the token's signature does not verify with the realm's keys",
                reason="TOKEN_SIGNATURE",
            ) from exc
        except (JWException, ValueError) as exc:
            raise Unauthenticated(
                message=f"the token is not valid: {exc}", reason="TOKEN_INVALID"
            ) from exc
        return identity_from_claims(json.loads(verified.claims)), kid

    async def _keys_for(self, kid: str) -> jwk.JWKSet:
        now = time.monotonic()
        stale = now - self._fetched_at > self._settings.auth_jwks_cache_s
        unknown = kid not in self._kids and now - self._fetched_at > _MIN_REFETCH_S
        if self._keys is None or stale or unknown:
            async with self._lock:
                if self._keys is None or time.monotonic() - self._fetched_at > _MIN_REFETCH_S:
                    await self._refresh()
        assert self._keys is not None
        return self._keys

    async def _refresh(self) -> None:
        try:
            certs = await self._openid.a_certs()
        except Exception as exc:  # any transport or HTTP failure of the IdP
            if self._keys is not None:
                log.warning("JWKS refresh failed, keeping the cached keys: %s", exc)
                self._fetched_at = time.monotonic()
                return
            raise Unavailable(
                message="cannot fetch the realm's signing keys from Keycloak; retry shortly",
                reason="IDP_UNAVAILABLE",
            ) from exc
        keys = jwk.JWKSet()
        kids = set()
        for cert in certs.get("keys", []):
            if cert.get("use", "sig") != "sig":
                continue
            keys.add(jwk.JWK(**cert))
            kids.add(str(cert.get("kid", "")))
        self._keys, self._kids, self._fetched_at = keys, frozenset(kids), time.monotonic()
        log.info("fetched %d realm signing keys", len(kids))


def identity_from_claims(claims: dict[str, Any]) -> Identity:
    realm_access = claims.get("realm_access") or {}
    roles = realm_access.get("roles", []) if isinstance(realm_access, dict) else []
    groups = claims.get("groups") or []
    return Identity(
        subject=str(claims.get("sub", "")),
        username=str(claims.get("preferred_username", "")),
        roles=frozenset(str(r) for r in roles),
        # Keycloak's group mapper may send full paths ("/engineering"); ACLs use names.
        groups=frozenset(str(g).strip("/").rsplit("/", 1)[-1] for g in groups if g),
        client_id=str(claims.get("azp", "")),
        expires_at=float(claims.get("exp", 0)),
    )


class ServiceCredentials:
    """The service's own access token (client-credentials grant), refreshed before expiry.

    Used for calls that no user makes: registering with the control plane, the indexer's
    background ingestion. Calls made while serving a user keep forwarding the user's token.
    """

    def __init__(self, settings: RuntimeSettings) -> None:
        secret = settings.service_client_secret.get_secret_value()
        self._openid = _keycloak(settings, settings.service_client_id, secret)
        self._token = ""
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def authorization(self) -> str:
        if time.monotonic() >= self._renew_at:
            async with self._lock:
                if time.monotonic() >= self._renew_at:
                    try:
                        reply = await self._openid.a_token(grant_type="client_credentials")
                    except Exception as exc:
                        raise Unavailable(
                            message=f"cannot get a service token from Keycloak: {exc}",
                            reason="IDP_UNAVAILABLE",
                        ) from exc
                    self._token = str(reply["access_token"])
                    # Renew at 70% of the lifetime, so a call never leaves with a dying token.
                    self._renew_at = time.monotonic() + 0.7 * float(reply.get("expires_in", 60))
        return f"Bearer {self._token}"


_service_credentials: dict[tuple[str, str, str], ServiceCredentials] = {}


def service_credentials(settings: RuntimeSettings) -> ServiceCredentials | None:
    """One shared token source per process and client; None when auth is off or no secret."""
    secret = settings.service_client_secret.get_secret_value()
    if not settings.auth_enabled or not secret:
        return None
    key = (settings.keycloak_url, settings.keycloak_realm, settings.service_client_id)
    if key not in _service_credentials:
        _service_credentials[key] = ServiceCredentials(settings)
    return _service_credentials[key]
