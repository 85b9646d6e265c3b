"""The round loop of a source that polls (Git, S3): one round, then the source's state,
then a pause; a failing round backs off and says why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from services.indexer import metrics
from services.indexer.detection import ChangeIntake
from services.indexer.sources import SourceState

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 300.0


async def poll_forever(
    source_id: str,
    intake: ChangeIntake,
    round_: Callable[[], Awaitable[object]],
    *,
    interval_s: float,
    why: Callable[[Exception], str],
    pause: Callable[[float], Awaitable[object]] = asyncio.sleep,
    on_error: Callable[[], None] = lambda: None,
) -> None:
    """Run ``round_`` every ``interval_s`` (``pause`` may end a wait early, e.g. on a push
    notification). A failing round puts the source in ERROR with ``why`` and when it
    retries, counts the error, and backs off from 1 s, doubling up to the larger of
    ``MAX_BACKOFF_S`` and the interval; a round that works resets the backoff."""
    backoff = 1.0
    while True:
        try:
            await round_()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            on_error()
            message = why(exc)[:500]
            log.warning("%s: %s; retrying in %.0f s", source_id, message, backoff)
            await intake.set_source_state(
                source_id, SourceState.ERROR, f"{message} (retrying in {backoff:.0f} s)"
            )
            metrics.SOURCE_ERRORS.labels(source_id).inc()
            await pause(backoff)
            backoff = min(backoff * 2, max(MAX_BACKOFF_S, interval_s))
            continue
        backoff = 1.0
        await intake.set_source_state(source_id, SourceState.ACTIVE, synced=True)
        await pause(interval_s)
