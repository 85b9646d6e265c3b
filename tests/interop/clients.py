"""Build and run the example clients in examples/<lang> (Go, Node, Java, Rust) as subprocesses.

Each example takes the same flags (--address, --file, --id, --question) and prints the same
lines: ``ingested ID: N chunks``, ``Q: ...``, ``A: ...`` and one ``  [n] DOC CHUNK score=S:
snippet`` line per citation. A language whose toolchain is missing is skipped with the reason;
a build that fails is a test failure.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.processes import REPO

EXAMPLES = REPO / "examples"
LANGUAGES = ("go", "node", "java", "rust")
_CITATION = re.compile(r"^\s+\[(\d+)\] (\S+) (\S+) score=")


@dataclass(frozen=True)
class ClientCommand:
    """How to run one built example client."""

    language: str
    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientRun:
    """What a client printed, parsed."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def ingested(self) -> dict[str, str]:
        """Document id -> "N chunks" or "unchanged"."""
        found = re.findall(r"^ingested (\S+): (.+)$", self.stdout, re.MULTILINE)
        return dict(found)

    @property
    def answer(self) -> str:
        match = re.search(r"^A: (.*)$", self.stdout, re.MULTILINE)
        return match.group(1) if match else ""

    @property
    def citations(self) -> list[tuple[int, str, str]]:
        """(marker, document id, chunk id) per printed citation, in order."""
        out = []
        for line in self.stdout.splitlines():
            match = _CITATION.match(line)
            if match:
                out.append((int(match.group(1)), match.group(2), match.group(3)))
        return out


class ToolchainMissing(Exception):
    """The language's compiler or runtime is not installed (`make setup` installs them)."""


def _tool(name: str, *fallbacks: str) -> str:
    found = shutil.which(name) or next((f for f in fallbacks if Path(f).exists()), None)
    if found is None:
        raise ToolchainMissing(f"{name} not found on PATH")
    return found


def _run(argv: list[str], cwd: Path, timeout: float, env: Mapping[str, str] | None = None) -> None:
    result = subprocess.run(
        argv,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({result.returncode}) in {cwd}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


def build(language: str, out_dir: Path) -> ClientCommand:
    """Compile one example; raises ToolchainMissing when its toolchain is not installed."""
    if language == "go":
        go = _tool("go", "/usr/local/go/bin/go")
        binary = out_dir / "ragmesh-example-go"
        _run([go, "build", "-o", str(binary), "."], EXAMPLES / "go", 600)
        return ClientCommand("go", (str(binary),), EXAMPLES / "go")
    if language == "node":
        node = _tool("node")
        npm = _tool("npm")
        folder = EXAMPLES / "node"
        if not (folder / "node_modules" / ".bin" / "tsc").exists():
            _run([npm, "ci", "--no-audit", "--no-fund"], folder, 600)
        _run([node, "node_modules/.bin/tsc", "-p", "tsconfig.json"], folder, 600)
        return ClientCommand("node", (node, "dist/examples/node/src/main.js"), folder)
    if language == "java":
        java = _tool("java")
        mvn = _tool("mvn")
        folder = EXAMPLES / "java"
        _run([mvn, "-B", "-q", "package"], folder, 900)
        classpath = f"{folder / 'target' / 'classes'}:{folder / 'target' / 'lib'}/*"
        return ClientCommand(
            "java", (java, "-cp", classpath, "dev.ragmesh.examples.AskExample"), folder
        )
    if language == "rust":
        cargo = _tool("cargo", str(Path.home() / ".cargo" / "bin" / "cargo"))
        folder = EXAMPLES / "rust"
        _run([cargo, "build", "--locked", "-q"], folder, 900)
        binary = folder / "target" / "debug" / "ragmesh-example"
        return ClientCommand("rust", (str(binary),), folder)
    raise ValueError(f"unknown language {language!r}")


async def run(
    client: ClientCommand, args: list[str], env: Mapping[str, str], limit_s: float = 240.0
) -> ClientRun:
    """Run a built client with extra flags and environment; kill it if it outlives limit_s."""
    process = await asyncio.create_subprocess_exec(
        *client.argv,
        *args,
        cwd=client.cwd,
        env={**os.environ, **client.env, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), limit_s)
    except TimeoutError:
        process.kill()
        out, err = await process.communicate()
        raise AssertionError(
            f"{client.language} client still running after {limit_s}s:\n{out.decode()}\n{err.decode()}"
        ) from None
    assert process.returncode is not None
    return ClientRun(process.returncode, out.decode(), err.decode())
