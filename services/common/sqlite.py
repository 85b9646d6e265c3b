"""SQLite access every stateful service shares: how a database file is opened (WAL), what a
write transaction is (BEGIN IMMEDIATE, COMMIT, ROLLBACK on any error), and how a blocking
store operation becomes a coroutine (``on_sqlite_thread``: one thread per store, calls run
in the order they were made and fsyncs stay off the event loop).
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, Protocol, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


def connect(
    path: str | Path,
    schema: str,
    *,
    synchronous: Literal["NORMAL", "FULL"] = "NORMAL",
    foreign_keys: bool = False,
    timeout_s: float = 5.0,
) -> sqlite3.Connection:
    """Open (creating the folder and the tables if needed) a database in WAL mode.

    ``synchronous=FULL`` where a write acknowledged to a client must survive a power cut, not
    only a crash; ``timeout_s`` is how long a write waits for another process's lock.
    Transactions are explicit (``immediate``): the connection is in autocommit mode."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=timeout_s
    )
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    db.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
    db.executescript(schema)
    return db


@contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: it takes the write lock at once (readers in other processes
    never see half of it), COMMIT on success, ROLLBACK on any error (no partial writes)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class SqliteThread:
    """The one thread a store's SQLite work runs on."""

    def __init__(self, name: str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def run(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class OnSqliteThread(Protocol):
    @property
    def sqlite(self) -> SqliteThread: ...


S = TypeVar("S", bound=OnSqliteThread)


def on_sqlite_thread(
    method: Callable[Concatenate[S, P], T],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, T]]:
    """A blocking store method, written once, becomes a coroutine run on the store's thread."""

    async def call(store: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await store.sqlite.run(functools.partial(method, store, *args, **kwargs))

    functools.update_wrapper(call, method)
    return call
