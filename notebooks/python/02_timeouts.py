"""Two ways to put a deadline on a coroutine, with timestamps.

wait_for(coro, timeout): the classic call.
async with asyncio.timeout(s): Python 3.11+, a deadline for a whole block.
Either way the job is cancelled at its current await (it sees CancelledError),
and the caller gets TimeoutError. From 3.11, asyncio.TimeoutError is the
builtin TimeoutError, so `except TimeoutError` catches both.

Needs Python 3.11+ (asyncio.timeout).
Run alone:  python3 02_timeouts.py      (prints one JSON line last)
"""
import asyncio
import json
import platform
import time


async def slow_job(log, t0):
    try:
        await asyncio.sleep(0.6)
        log.append(["job", "finished", ms(t0)])
    except asyncio.CancelledError:
        log.append(["job", "cancelled at its await", ms(t0)])
        raise


def ms(t0):
    return round((time.perf_counter() - t0) * 1000)


async def with_wait_for():
    log, t0 = [], time.perf_counter()
    try:
        await asyncio.wait_for(slow_job(log, t0), timeout=0.2)
    except TimeoutError as error:  # the builtin name
        log.append(["caller", f"caught {type(error).__module__}.{type(error).__name__}", ms(t0)])
    return log


async def with_timeout_block():
    log, t0 = [], time.perf_counter()
    try:
        async with asyncio.timeout(0.2):
            await slow_job(log, t0)
    except TimeoutError as error:
        log.append(["caller", f"caught {type(error).__module__}.{type(error).__name__}", ms(t0)])
    return log


if __name__ == "__main__":
    print(json.dumps({
        "python": platform.python_version(),
        "aliasIsBuiltin": asyncio.TimeoutError is TimeoutError,
        "waitFor": asyncio.run(with_wait_for()),
        "timeoutBlock": asyncio.run(with_timeout_block()),
    }))
