"""A throwaway Git repository for tests: a bare "origin" (what a Git source follows) and a
working clone that commits and pushes to it, with the ``git`` CLI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Commits need an identity; none of the machine's configuration is read.
_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=_ENV, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


class GitRepo:
    """``origin`` (bare, branch ``main``) and ``work`` (its clone)."""

    def __init__(self, root: Path, branch: str = "main") -> None:
        self.origin = root / "origin.git"
        self.work = root / "work"
        self.branch = branch
        git("init", "--quiet", "--bare", f"--initial-branch={branch}", str(self.origin))
        git("init", "--quiet", f"--initial-branch={branch}", str(self.work))
        git("remote", "add", "origin", str(self.origin), cwd=self.work)

    def write(self, rel: str, text: str) -> None:
        path = self.work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def remove(self, rel: str) -> None:
        git("rm", "--quiet", rel, cwd=self.work)

    def move(self, old: str, new: str) -> None:
        (self.work / new).parent.mkdir(parents=True, exist_ok=True)
        git("mv", old, new, cwd=self.work)

    def commit(self, message: str, push: bool = True) -> str:
        git("add", "--all", cwd=self.work)
        git("commit", "--quiet", "--allow-empty", "-m", message, cwd=self.work)
        if push:
            self.push()
        return self.head()

    def push(self, force: bool = False) -> None:
        git(
            "push", "--quiet", *(["--force"] if force else []), "origin", self.branch, cwd=self.work
        )

    def head(self) -> str:
        return git("rev-parse", "HEAD", cwd=self.work)

    def reset_hard(self, commit: str) -> None:
        git("reset", "--quiet", "--hard", commit, cwd=self.work)
