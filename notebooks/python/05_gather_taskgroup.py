"""What happens to the other tasks when one fails: gather against TaskGroup.

Five tasks sleep 50, 100, 150, 200 and 250 ms; the task of 100 ms raises instead of returning.
  gather(return_exceptions=True) -- the article's choice: every task runs to its end and the
                                    error comes back as a value in its place;
  gather()                       -- the await raises at the first error, but the other tasks
                                    are not cancelled: they keep running to their end;
  TaskGroup (Python 3.11+)       -- the first error cancels the tasks still running, and the
                                    group raises an ExceptionGroup once they have stopped.
Each task records how it ended and when (ms after the start). Times in ms.
Run alone: python3 05_gather_taskgroup.py
"""
import asyncio
import json
import platform
import sys
import time

DELAYS_MS = [50, 100, 150, 200, 250]
FAILING_MS = 100


async def job(delay_ms, log, t0):
    try:
        await asyncio.sleep(delay_ms / 1000)
        if delay_ms == FAILING_MS:
            raise ValueError(f"job {delay_ms} failed")
        log[delay_ms] = ["done", (time.perf_counter() - t0) * 1000]
        return delay_ms
    except asyncio.CancelledError:
        log[delay_ms] = ["cancelled", (time.perf_counter() - t0) * 1000]
        raise
    except ValueError:
        log[delay_ms] = ["failed", (time.perf_counter() - t0) * 1000]
        raise


async def with_gather(return_exceptions):
    log, t0 = {}, time.perf_counter()
    tasks = [asyncio.create_task(job(d, log, t0)) for d in DELAYS_MS]
    try:
        values = await asyncio.gather(*tasks, return_exceptions=return_exceptions)
        outcome = [repr(v) if isinstance(v, Exception) else v for v in values]
    except ValueError as err:
        outcome = f"raised {err!r}"
    raised_at = (time.perf_counter() - t0) * 1000
    await asyncio.sleep(0.2)  # give the remaining tasks time to finish, if they still run
    return {"awaitEndedMs": raised_at, "outcome": outcome, "tasks": log}


async def with_task_group():
    log, t0 = {}, time.perf_counter()
    try:
        async with asyncio.TaskGroup() as group:
            for d in DELAYS_MS:
                group.create_task(job(d, log, t0))
        outcome = "no error"
    except* ValueError as group_error:
        outcome = f"raised ExceptionGroup of {[repr(e) for e in group_error.exceptions]}"
    raised_at = (time.perf_counter() - t0) * 1000
    await asyncio.sleep(0.2)
    return {"awaitEndedMs": raised_at, "outcome": outcome, "tasks": log}


async def main():
    return {
        "gather(return_exceptions=True)": await with_gather(True),
        "gather()": await with_gather(False),
        "TaskGroup": await with_task_group(),
    }


if __name__ == "__main__":
    if sys.version_info < (3, 11):
        sys.exit("TaskGroup and except* need Python 3.11 or later")
    print(json.dumps({"python": platform.python_version(), "delaysMs": DELAYS_MS,
                      "failingMs": FAILING_MS, "runs": asyncio.run(main())}))
