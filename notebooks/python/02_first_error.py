"""One of three jobs fails early: what happens to the other two?

gather(): the first error reaches the caller at once, but the other jobs are
not cancelled; they run on to their end in the background.
TaskGroup (Python 3.11+): the first error cancels the other jobs, and the
`async with` block ends only once they have stopped; the error comes out
inside an ExceptionGroup.

Each job logs when it starts, ends or is cancelled, in ms since the start.
Needs Python 3.11+ (TaskGroup and `except*`).
Run alone:  python3 02_first_error.py      (prints one JSON line last)
"""
import asyncio
import json
import platform
import time


async def job(name, seconds, fails, log, t0):
    log.append([name, "started", round((time.perf_counter() - t0) * 1000)])
    try:
        await asyncio.sleep(seconds)
        if fails:
            raise ValueError(f"{name} failed")
        log.append([name, "finished", round((time.perf_counter() - t0) * 1000)])
    except asyncio.CancelledError:
        log.append([name, "cancelled", round((time.perf_counter() - t0) * 1000)])
        raise


def jobs(log, t0):
    return [job("slow A", 0.2, False, log, t0),
            job("fails", 0.05, True, log, t0),
            job("slow B", 0.2, False, log, t0)]


async def with_gather():
    log, t0 = [], time.perf_counter()
    try:
        await asyncio.gather(*jobs(log, t0))
    except ValueError as error:
        caught = f"caught {type(error).__name__}"
        log.append(["caller", caught, round((time.perf_counter() - t0) * 1000)])
    await asyncio.sleep(0.25)  # stay alive: do the other jobs go on?
    return log


async def with_task_group():
    log, t0 = [], time.perf_counter()
    try:
        async with asyncio.TaskGroup() as group:
            for coro in jobs(log, t0):
                group.create_task(coro)
    except* ValueError as errors:
        caught = f"caught {type(errors).__name__} of {len(errors.exceptions)}"
        log.append(["caller", caught, round((time.perf_counter() - t0) * 1000)])
    await asyncio.sleep(0.25)
    return log


def main():
    print(json.dumps({
        "python": platform.python_version(),
        "gather": asyncio.run(with_gather()),
        "taskGroup": asyncio.run(with_task_group()),
    }))


if __name__ == "__main__":
    main()
