"""Envoy's half of auth: verify Keycloak tokens (jwt_authn) and allow methods by role (RBAC).

Pure functions to Envoy v3 protos, used by mesh.xds.resources when ``MeshSettings.auth`` is
set. The role each method needs comes from the contracts (services.runtime.roles), the
same table the services check again. Roles are Keycloak composites (admin > writer >
reader) and Keycloak expands them into ``realm_access.roles``, so one policy per role
suffices. Health checks and reflection stay open for operators; anything not listed is
denied (403 -> PERMISSION_DENIED for gRPC clients).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from envoy.config.accesslog.v3 import accesslog_pb2
from envoy.config.cluster.v3 import cluster_pb2
from envoy.config.core.v3 import address_pb2, base_pb2, http_uri_pb2
from envoy.config.endpoint.v3 import endpoint_components_pb2, endpoint_pb2
from envoy.config.rbac.v3 import rbac_pb2 as rbac_config_pb2
from envoy.config.route.v3 import route_components_pb2
from envoy.extensions.filters.http.jwt_authn.v3 import config_pb2 as jwt_pb2
from envoy.extensions.filters.http.rbac.v3 import rbac_pb2
from envoy.extensions.filters.network.http_connection_manager.v3 import (
    http_connection_manager_pb2 as hcm_pb2,
)
from envoy.type.matcher.v3 import metadata_pb2, path_pb2, string_pb2, value_pb2
from google.protobuf import wrappers_pb2

from mesh.catalog import REFLECTION_SERVICES, Catalog
from services.common.convert import duration
from services.runtime.roles import methods_by_role
from services.runtime.settings import RuntimeSettings

PROVIDER = "keycloak"
KEYCLOAK_CLUSTER = "keycloak"
JWT_FILTER = "envoy.filters.http.jwt_authn"
# Where jwt_authn puts the verified payload in dynamic metadata, for the RBAC matcher.
PAYLOAD_KEY = "jwt_payload"
AUDIENCE_HEADER = "x-ragmesh-token-audience"
OPEN_PREFIXES = ("/grpc.health.v1.Health/", *(f"/{s}/" for s in REFLECTION_SERVICES))


@dataclass(frozen=True, slots=True)
class EdgeAuth:
    """Where Envoy gets the realm's keys and what every token must say."""

    issuer: str
    audience: str = "ragmesh"
    keycloak_host: str = "127.0.0.1"
    keycloak_port: int = 8180
    jwks_path: str = "/realms/ragmesh/protocol/openid-connect/certs"
    # Envoy has no refetch-on-unknown-kid: a rotated key is trusted within this long.
    jwks_cache_s: float = 60.0
    clock_skew_s: int = 5

    @property
    def jwks_uri(self) -> str:
        return f"http://{self.keycloak_host}:{self.keycloak_port}{self.jwks_path}"


def edge_auth_from(runtime: RuntimeSettings) -> EdgeAuth | None:
    """Envoy's token checks, from the same RAGMESH_* auth settings the services read.

    Envoy's Keycloak cluster is STATIC, so a host name (a Kubernetes Service) is resolved
    once here; a Service's cluster IP does not change while it exists.
    """
    if not runtime.auth_enabled:
        return None
    url = urlsplit(runtime.keycloak_url)
    host = url.hostname or "127.0.0.1"
    return EdgeAuth(
        issuer=runtime.issuer,
        audience=runtime.auth_audience,
        keycloak_host=socket.gethostbyname(host),
        keycloak_port=url.port or (443 if url.scheme == "https" else 80),
        jwks_path=f"{url.path.rstrip('/')}/realms/{runtime.keycloak_realm}"
        "/protocol/openid-connect/certs",
        jwks_cache_s=runtime.auth_jwks_cache_s,
    )


def keycloak_cluster(auth: EdgeAuth) -> cluster_pb2.Cluster:
    return cluster_pb2.Cluster(
        name=KEYCLOAK_CLUSTER,
        type=cluster_pb2.Cluster.STATIC,
        connect_timeout=duration(2.0),
        load_assignment=endpoint_pb2.ClusterLoadAssignment(
            cluster_name=KEYCLOAK_CLUSTER,
            endpoints=[
                endpoint_components_pb2.LocalityLbEndpoints(
                    lb_endpoints=[
                        endpoint_components_pb2.LbEndpoint(
                            endpoint=endpoint_components_pb2.Endpoint(
                                address=address_pb2.Address(
                                    socket_address=address_pb2.SocketAddress(
                                        address=auth.keycloak_host, port_value=auth.keycloak_port
                                    )
                                )
                            )
                        )
                    ]
                )
            ],
        ),
    )


def jwt_authn(auth: EdgeAuth) -> jwt_pb2.JwtAuthentication:
    provider = jwt_pb2.JwtProvider(
        issuer=auth.issuer,
        audiences=[auth.audience],
        remote_jwks=jwt_pb2.RemoteJwks(
            http_uri=http_uri_pb2.HttpUri(
                uri=auth.jwks_uri, cluster=KEYCLOAK_CLUSTER, timeout=duration(5.0)
            ),
            cache_duration=duration(auth.jwks_cache_s),
            # Fetch at start-up (not on the first request), and retry soon when it fails.
            async_fetch=jwt_pb2.JwksAsyncFetch(failed_refetch_duration=duration(1.0)),
        ),
        # The services verify the token again, so it must reach them.
        forward=True,
        payload_in_metadata=PAYLOAD_KEY,
        claim_to_headers=[jwt_pb2.JwtClaimToHeader(header_name=AUDIENCE_HEADER, claim_name="aud")],
        clock_skew_seconds=auth.clock_skew_s,
    )
    rules = [
        jwt_pb2.RequirementRule(match=route_components_pb2.RouteMatch(prefix=prefix))
        for prefix in OPEN_PREFIXES
    ]
    rules.append(
        jwt_pb2.RequirementRule(
            match=route_components_pb2.RouteMatch(prefix="/"),
            requires=jwt_pb2.JwtRequirement(provider_name=PROVIDER),
        )
    )
    return jwt_pb2.JwtAuthentication(providers={PROVIDER: provider}, rules=rules)


def _claim(path: tuple[str, ...], value: value_pb2.ValueMatcher) -> rbac_config_pb2.Principal:
    """Callers whose verified token (jwt_authn's dynamic metadata: not spoofable) has
    ``value`` at ``path`` below the payload."""
    return rbac_config_pb2.Principal(
        sourced_metadata=rbac_config_pb2.SourcedMetadata(
            metadata_matcher=metadata_pb2.MetadataMatcher(
                filter=JWT_FILTER,
                path=[
                    metadata_pb2.MetadataMatcher.PathSegment(key=key)
                    for key in (PAYLOAD_KEY, *path)
                ],
                value=value,
            ),
            metadata_source=rbac_config_pb2.DYNAMIC,
        )
    )


def _has_role(role: str) -> rbac_config_pb2.Principal:
    exact = value_pb2.ValueMatcher(string_match=string_pb2.StringMatcher(exact=role))
    return _claim(
        ("realm_access", "roles"),
        value_pb2.ValueMatcher(list_match=value_pb2.ListMatcher(one_of=exact)),
    )


def _path(exact: str | None = None, prefix: str | None = None) -> rbac_config_pb2.Permission:
    matcher = (
        string_pb2.StringMatcher(exact=exact)
        if exact is not None
        else string_pb2.StringMatcher(prefix=prefix or "/")
    )
    return rbac_config_pb2.Permission(url_path=path_pb2.PathMatcher(path=matcher))


def rbac(catalog: Catalog) -> rbac_pb2.RBAC:
    """ALLOW policies: one per role (its methods, callers holding the role), one for the
    open operator paths; everything else is denied."""
    open_paths = [_path(prefix=p) for p in OPEN_PREFIXES]
    policies = {"operators": _policy(_any_of(open_paths), rbac_config_pb2.Principal(any=True))}
    known = list(open_paths)
    for role, paths in sorted(methods_by_role([spec.name for spec in catalog]).items()):
        exact = [_path(exact=p) for p in sorted(paths)]
        policies[role] = _policy(_any_of(exact), _has_role(role))
        known += exact
    # A method no contract names (an older server than the client's contract, a typo) is
    # not a question of roles: let any valid token through so the replica or the router
    # answers UNIMPLEMENTED, instead of a PERMISSION_DENIED that would send people looking
    # for a role. Such a call reaches no handler.
    has_audience = _claim(("aud",), value_pb2.ValueMatcher(present_match=True))
    policies["unknown-methods"] = _policy(
        rbac_config_pb2.Permission(not_rule=_any_of(known)), has_audience
    )
    return rbac_pb2.RBAC(
        rules=rbac_config_pb2.RBAC(action=rbac_config_pb2.RBAC.ALLOW, policies=policies),
        rules_stat_prefix="ragmesh_",
    )


def _any_of(rules: list[rbac_config_pb2.Permission]) -> rbac_config_pb2.Permission:
    return rbac_config_pb2.Permission(or_rules=rbac_config_pb2.Permission.Set(rules=rules))


def _policy(
    permission: rbac_config_pb2.Permission, principal: rbac_config_pb2.Principal
) -> rbac_config_pb2.Policy:
    return rbac_config_pb2.Policy(permissions=[permission], principals=[principal])


def local_replies() -> hcm_pb2.LocalReplyConfig:
    """jwt_authn accepts a signed token that has no ``aud`` at all (it checks audiences
    only when the token names some); RBAC then refuses it with 403. That token was not
    issued for this mesh, so answer 401 (UNAUTHENTICATED), as the services do."""
    denied = accesslog_pb2.AccessLogFilter(
        status_code_filter=accesslog_pb2.StatusCodeFilter(
            comparison=accesslog_pb2.ComparisonFilter(
                op=accesslog_pb2.ComparisonFilter.EQ,
                value=base_pb2.RuntimeUInt32(default_value=403, runtime_key="ragmesh.rbac_status"),
            )
        )
    )
    # The verified token's aud, copied to a request header by jwt_authn (claim_to_headers);
    # a header matcher is what local-reply filters can read.
    no_audience = accesslog_pb2.AccessLogFilter(
        header_filter=accesslog_pb2.HeaderFilter(
            header=route_components_pb2.HeaderMatcher(
                name=AUDIENCE_HEADER, present_match=True, invert_match=True
            )
        )
    )
    return hcm_pb2.LocalReplyConfig(
        mappers=[
            hcm_pb2.ResponseMapper(
                filter=accesslog_pb2.AccessLogFilter(
                    and_filter=accesslog_pb2.AndFilter(filters=[denied, no_audience])
                ),
                status_code=wrappers_pb2.UInt32Value(value=401),
                body=base_pb2.DataSource(inline_string="Jwt has no audience"),
            )
        ]
    )
