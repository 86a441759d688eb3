"""Errors nobody collects, and tasks nobody keeps: what Python says about them.

1. An asyncio Task that fails and is never awaited: asyncio logs
   "Task exception was never retrieved", but only when the Task object is
   garbage-collected, which can be long after the failure.
2. A concurrent.futures Future that fails and is never asked for its result:
   nothing is printed, ever.
3. The fix for both: a done-callback that logs a failure as soon as it happens.
4. A task nobody keeps a reference to can be collected while it still waits:
   the event loop holds tasks only weakly ("Task was destroyed but it is pending!").

Everything asyncio logs is captured (with the ms since the start) and printed
in the JSON line, instead of going to stderr.
Run alone:  python3 02_task_errors.py      (prints one JSON line last)
"""
import asyncio
import gc
import json
import logging
import platform
import time
from concurrent.futures import ThreadPoolExecutor

events = []
section_start = time.perf_counter()


def note(what):
    """Record an event, in ms since the start of the current section."""
    events.append([round((time.perf_counter() - section_start) * 1000), what])


class Capture(logging.Handler):
    def emit(self, record):
        note("asyncio logged: " + record.getMessage().splitlines()[0])


async def explode():
    await asyncio.sleep(0.01)
    note("the task raises ValueError")
    raise ValueError("lost in the background")


def log_failure(done):
    """The recommended handler: report a failure the moment it happens."""
    if not done.cancelled() and done.exception() is not None:
        note(f"done-callback: {type(done.exception()).__name__}: {done.exception()}")


async def unretrieved_task():
    task = asyncio.create_task(explode())  # kept in a variable, never awaited
    await asyncio.sleep(0.1)
    note(f"task failed long ago (done={task.done()}); now the last reference goes")
    del task
    gc.collect()


def unretrieved_future():
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(int, "not a number")  # int() raises ValueError
        time.sleep(0.05)
        note(f"future failed (done={future.done()}); nobody asks for its result")
    del future
    gc.collect()
    note("the pool is shut down and the future is gone")


async def with_handler():
    task = asyncio.create_task(explode())
    task.add_done_callback(log_failure)
    await asyncio.sleep(0.05)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(int, "not a number").add_done_callback(log_failure)  # int() raises


async def forgotten_task():
    async def wait_forever():
        await asyncio.get_running_loop().create_future()  # a future nobody else holds

    asyncio.create_task(wait_forever())  # no reference kept
    await asyncio.sleep(0)
    gc.collect()
    note(f"tasks the loop still knows: {len(asyncio.all_tasks())} (only main)")


def main():
    logging.getLogger("asyncio").addHandler(Capture())
    logging.getLogger("asyncio").propagate = False
    global section_start
    sections = {}
    for name, run in (("task", lambda: asyncio.run(unretrieved_task())),
                      ("future", unretrieved_future),
                      ("handler", lambda: asyncio.run(with_handler())),
                      ("forgotten", lambda: asyncio.run(forgotten_task()))):
        start = len(events)
        section_start = time.perf_counter()
        run()
        gc.collect()
        sections[name] = events[start:]
    print(json.dumps({"python": platform.python_version(), **sections}))


if __name__ == "__main__":
    main()
