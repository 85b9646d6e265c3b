"""Which realm role each RPC needs, read from the contracts (``rag.v1.required_role``).

protos/rag/v1/access.proto defines the method option; every rag.v1 RPC sets it. The
services' own check (services/runtime/interceptors.py) and Envoy's RBAC policy
(mesh/xds/resources.py) both come from here, so they cannot disagree.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from google.protobuf import descriptor_pool

from rag.v1 import access_pb2
from services.runtime.identity import ADMIN, READER, WRITER

ROLE_NAMES: dict[int, str] = {
    access_pb2.ROLE_READER: READER,
    access_pb2.ROLE_WRITER: WRITER,
    access_pb2.ROLE_ADMIN: ADMIN,
}


@functools.cache
def _load_contracts() -> None:
    """Import every rag.v1 module once, so the default pool knows every service."""
    package = importlib.import_module("rag.v1")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.endswith("_pb2"):
            importlib.import_module(f"rag.v1.{module.name}")


@functools.cache
def required_role(full_method: str) -> str | None:
    """The role ``/pkg.Service/Method`` needs, or None when the method sets none
    (gRPC health, reflection, xDS and other non-rag.v1 services)."""
    _load_contracts()
    _, _, rest = full_method.partition("/")
    service_name, _, method_name = rest.partition("/")
    try:
        service = descriptor_pool.Default().FindServiceByName(service_name)
    except KeyError:
        return None
    method = service.methods_by_name.get(method_name)
    if method is None:
        return None
    role = method.GetOptions().Extensions[access_pb2.required_role]
    return ROLE_NAMES.get(role)


def service_methods(service_name: str) -> list[str]:
    """The method names of a service the contracts define; [] for one they do not."""
    _load_contracts()
    try:
        service = descriptor_pool.Default().FindServiceByName(service_name)
    except KeyError:
        return []
    return [method.name for method in service.methods]


def methods_by_role(service_names: list[str]) -> dict[str, list[str]]:
    """``role -> ["/svc/Method", ...]`` for the given services (Envoy's RBAC policy)."""
    _load_contracts()
    table: dict[str, list[str]] = {}
    pool = descriptor_pool.Default()
    for name in service_names:
        for method in pool.FindServiceByName(name).methods:
            path = f"/{name}/{method.name}"
            role = required_role(path)
            if role is not None:
                table.setdefault(role, []).append(path)
    return table
