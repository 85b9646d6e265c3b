"""Write Kubernetes JSON schemas that kubeconform can read offline.

kubeconform downloads its schemas by default; here nothing is fetched at run time. The
PyPI package kubernetes-validate (a dev dependency) ships the schemas of every Kubernetes
release, but their ``$ref``s point at ``https://kubernetes.io/api/_definitions.json``.
This script makes each kind's strict schema standalone (the definitions it reaches are
copied in, refs made local) and names it as kubeconform's
``{{ .ResourceKind }}{{ .KindSuffix }}.json`` template expects.

    python deploy/k8s/kubeconform_schemas.py OUTDIR [--kubernetes-version 1.33.0]
    kubeconform -strict -schema-location 'OUTDIR/{{ .ResourceKind }}{{ .KindSuffix }}.json' ...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_VERSION = "1.33.0"
# Kind schemas point into _definitions.json; definitions point at each other locally.
_REF_PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")


def schema_dir(version: str) -> Path:
    import kubernetes_validate  # type: ignore[import-untyped]

    root = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    path = root / f"v{version}-local-strict"
    if not path.is_dir():
        known = sorted(p.name for p in root.iterdir() if p.name.endswith("-local-strict"))
        raise SystemExit(f"no schemas for Kubernetes {version}; kubernetes-validate has {known}")
    return path


def _localize(node: Any, reached: set[str]) -> Any:
    """Rewrite remote refs to local ones, collecting the definitions they name."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            prefix = _ref_prefix(value) if key == "$ref" else None
            if prefix is not None:
                name = str(value).removeprefix(prefix)
                reached.add(name)
                out[key] = f"#/$defs/{name}"
            else:
                out[key] = _localize(value, reached)
        return out
    if isinstance(node, list):
        return [_localize(item, reached) for item in node]
    return node


def _ref_prefix(value: object) -> str | None:
    if isinstance(value, str):
        return next((p for p in _REF_PREFIXES if value.startswith(p)), None)
    return None


def standalone(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    reached: set[str] = set()
    result = _localize(schema, reached)
    result.pop("$id", None)  # the remote id would make refs resolve against kubernetes.io
    defs: dict[str, Any] = {}
    pending = sorted(reached)
    while pending:
        name = pending.pop()
        if name in defs:
            continue
        found: set[str] = set()
        defs[name] = _localize(definitions[name], found)
        pending.extend(sorted(found - defs.keys()))
    result["$defs"] = defs
    return dict(result)


def write_schemas(out: Path, version: str = DEFAULT_VERSION) -> int:
    source = schema_dir(version)
    definitions = json.loads((source / "_definitions.json").read_text())["$defs"]
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(source.glob("*.json")):
        if path.name.startswith("_") or path.name == "all.json":
            continue
        schema = json.loads(path.read_text())
        if "x-kubernetes-group-version-kind" not in schema:
            continue  # only top-level kinds are looked up by kubeconform
        (out / path.name).write_text(json.dumps(standalone(schema, definitions)))
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--kubernetes-version", default=DEFAULT_VERSION)
    args = parser.parse_args(argv)
    count = write_schemas(args.out, args.kubernetes_version)
    print(f"wrote {count} schemas for Kubernetes {args.kubernetes_version} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
