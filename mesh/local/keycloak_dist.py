"""Which Keycloak distribution ragmesh runs and where it is unpacked: the one place that says.

The Makefile asks this file (``python3 mesh/local/keycloak_dist.py home``) before any virtualenv
exists, so it uses the standard library only; ``mesh/local/keycloak.py`` imports it. `make setup`
unpacks the Maven artifact ``ARTIFACT`` into ``home()`` with Maven's dependency plugin.

    python3 mesh/local/keycloak_dist.py version|artifact|home
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

VERSION = "26.7.3"
# groupId:artifactId:version:type, as `mvn dependency:unpack -Dartifact=...` takes it.
ARTIFACT = f"org.keycloak:keycloak-quarkus-dist:{VERSION}:zip"


def home() -> Path:
    """Where the distribution is unpacked (``RAGMESH_KEYCLOAK_HOME`` overrides)."""
    override = os.environ.get("RAGMESH_KEYCLOAK_HOME")
    if override:
        return Path(override)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ragmesh" / f"keycloak-{VERSION}"


def main(argv: list[str]) -> int:
    answers = {"version": VERSION, "artifact": ARTIFACT, "home": str(home())}
    if len(argv) != 1 or argv[0] not in answers:
        print(f"usage: keycloak_dist.py {'|'.join(answers)}", file=sys.stderr)
        return 2
    print(answers[argv[0]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
