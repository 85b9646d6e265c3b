"""Token verification and the role table, without Keycloak (a FAKE issuer signs tokens).

The same checks against the real Keycloak, through Envoy and at the services, live in
tests/integration/test_auth.py.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import pkgutil
from collections.abc import Iterator

import pytest
from jwcrypto import jwk, jwt

from mesh.catalog import CATALOG
from mesh.edge_auth import OPEN_PREFIXES, rbac
from services.runtime.auth import TokenVerifier, identity_from_claims
from services.runtime.errors import Unauthenticated
from services.runtime.roles import required_role
from tests.support.local_issuer import LocalIssuer


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    running = LocalIssuer()
    yield running
    running.close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def reason_of(verifier: TokenVerifier, authorization: str | None) -> str:
    with pytest.raises(Unauthenticated) as caught:
        await verifier.verify(authorization)
    return caught.value.reason


async def test_a_valid_token_becomes_an_identity(issuer: LocalIssuer) -> None:
    verifier = TokenVerifier(issuer.runtime_settings())
    token = issuer.token("alice", ["rag-reader"], ["/engineering", "finance"])
    identity = await verifier.verify(f"Bearer {token}")
    assert identity.username == "alice" and identity.subject == "sub-alice"
    assert identity.roles == {"rag-reader"} and not identity.is_admin
    assert identity.groups == {"engineering", "finance"}  # full paths become names


async def test_every_kind_of_bad_token_is_refused_with_its_reason(issuer: LocalIssuer) -> None:
    verifier = TokenVerifier(issuer.runtime_settings())
    good = issuer.token("alice", ["rag-reader"], [])
    header, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert await reason_of(verifier, None) == "TOKEN_MISSING"
    assert await reason_of(verifier, f"Basic {good}") == "TOKEN_MALFORMED"
    assert await reason_of(verifier, "Bearer nope") == "TOKEN_MALFORMED"
    # Past expiry by more than the 5 s clock-skew allowance (jwcrypto alone would allow 60).
    expired = issuer.token("alice", ["rag-reader"], [], ttl_s=-10)
    assert await reason_of(verifier, f"Bearer {expired}") == "TOKEN_EXPIRED"
    claims["realm_access"] = {"roles": ["rag-admin"]}
    edited = _b64(json.dumps(claims).encode())
    assert await reason_of(verifier, f"Bearer {header}.{edited}.{signature}") == "TOKEN_SIGNATURE"
    none = _b64(json.dumps({"alg": "none"}).encode())
    assert await reason_of(verifier, f"Bearer {none}.{edited}.") == "TOKEN_ALGORITHM"
    # Algorithm confusion: HMAC "signed" with the public key must not verify.
    public = jwk.JWK.from_json(issuer.key.export_public())
    hmac_key = jwk.JWK(kty="oct", k=_b64(public.export_to_pem()))
    confused = jwt.JWT(header={"alg": "HS256", "kid": issuer.key["kid"]}, claims=claims)
    confused.make_signed_token(hmac_key)
    assert await reason_of(verifier, f"Bearer {confused.serialize()}") == "TOKEN_ALGORITHM"


async def test_issuer_and_audience_must_name_this_mesh(issuer: LocalIssuer) -> None:
    token = issuer.token("alice", ["rag-reader"], [])
    other_issuer = TokenVerifier(issuer.runtime_settings(auth_issuer="http://elsewhere/realms/x"))
    assert await reason_of(other_issuer, f"Bearer {token}") == "TOKEN_CLAIMS"
    other_audience = TokenVerifier(issuer.runtime_settings(auth_audience="another-api"))
    assert await reason_of(other_audience, f"Bearer {token}") == "TOKEN_CLAIMS"


async def test_a_rotated_key_is_fetched_when_a_token_names_it(issuer: LocalIssuer) -> None:
    verifier = TokenVerifier(issuer.runtime_settings(auth_jwks_cache_s=3600))
    old = issuer.token("alice", [], [])
    await verifier.verify(f"Bearer {old}")
    issuer.rotate()
    await asyncio.sleep(2.1)  # unknown-kid refetches are at least 2 s apart
    new = issuer.token("alice", [], [])
    assert (await verifier.verify(f"Bearer {new}")).username == "alice"
    # The old key is gone from the JWKS, so its tokens no longer verify.
    assert await reason_of(verifier, f"Bearer {old}") == "TOKEN_SIGNATURE"


def test_claims_without_roles_or_groups_give_an_empty_identity() -> None:
    identity = identity_from_claims({"sub": "s", "exp": 1})
    assert identity.roles == frozenset() and identity.groups == frozenset()


def _rag_methods() -> list[str]:
    package = importlib.import_module("rag.v1")
    paths = []
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.endswith("_pb2"):
            descriptor = importlib.import_module(f"rag.v1.{module.name}").DESCRIPTOR
            for service in descriptor.services_by_name.values():
                paths += [f"/{service.full_name}/{m.name}" for m in service.methods]
    return paths


def test_every_rag_rpc_declares_the_role_it_needs() -> None:
    missing = [path for path in _rag_methods() if required_role(path) is None]
    assert not missing, f"add option (rag.v1.required_role) to: {missing}"
    assert required_role("/rag.v1.RagService/Ask") == "rag-reader"
    assert required_role("/rag.v1.RagService/IngestDocument") == "rag-writer"
    assert required_role("/rag.v1.MeshControlService/DrainEndpoint") == "rag-admin"
    assert required_role("/grpc.health.v1.Health/Check") is None


def test_envoy_rbac_allows_each_method_only_to_its_role() -> None:
    policies = rbac(CATALOG).rules.policies
    allowed: dict[str, str] = {}
    for role, policy in policies.items():
        for rule in policy.permissions[0].or_rules.rules:
            if rule.url_path.path.exact:
                assert rule.url_path.path.exact not in allowed, "a method in two policies"
                allowed[rule.url_path.path.exact] = role
    catalogued = {spec.method_path(m) for spec in CATALOG for m in spec.methods}
    assert set(allowed) == catalogued
    assert all(allowed[path] == required_role(path) for path in allowed)
    # Everything else needs only a token for this mesh, and then meets UNIMPLEMENTED.
    unknown = policies["unknown-methods"].permissions[0].not_rule.or_rules.rules
    assert {r.url_path.path.exact for r in unknown if r.url_path.path.exact} == catalogued
    operators = policies["operators"]
    assert {r.url_path.path.prefix for r in operators.permissions[0].or_rules.rules} == set(
        OPEN_PREFIXES
    )


async def test_a_cached_verification_ends_when_the_token_expires(issuer: LocalIssuer) -> None:
    verifier = TokenVerifier(issuer.runtime_settings(auth_clock_skew_s=0))
    # exp is whole seconds (now floored + ttl): a 1 s token made at x.999 s was already
    # expired at the first check now and then; 2 s leave at least 1 s to check it.
    token = f"Bearer {issuer.token('alice', ['rag-reader'], [], ttl_s=2)}"
    first = await verifier.verify(token)
    assert await verifier.verify(token) is first  # the second hop is served from the cache
    await asyncio.sleep(2.1)
    assert await reason_of(verifier, token) == "TOKEN_EXPIRED"
