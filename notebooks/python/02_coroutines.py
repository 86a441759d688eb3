"""When does the body of a coroutine run? Python's answer, for notebook 02.

1. Calling an `async def` function runs nothing: it returns a coroutine object.
   The body starts when something drives it (asyncio.run, await, a task).
2. A coroutine that is never awaited never runs, and Python warns about it.
3. asyncio.create_task schedules the body; it starts at the caller's next
   await, not inside create_task.
4. From Python 3.12, asyncio.eager_task_factory makes create_task run the body
   at once, up to its first real wait (the way a JavaScript async function
   starts). On an older Python this part reports that the factory is missing.

Run alone:  python3 02_coroutines.py      (prints one JSON line last)
"""
import asyncio
import gc
import json
import platform
import warnings


async def download(name, log):
    log.append(f"{name}: body starts")
    await asyncio.sleep(0.02)  # stands in for the network
    log.append(f"{name}: body resumes after its wait")
    return f"{name} done"


def lazy_call():
    log = []
    coro = download("called", log)
    log.append(f"the call returned a {type(coro).__name__}")
    result = asyncio.run(coro)
    log.append(f"asyncio.run returned {result!r}")
    return log


def never_awaited():
    log = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coro = download("forgotten", log)
        del coro  # dropped without an await
        gc.collect()
    messages = [str(w.message) for w in caught]
    return {"bodyRan": bool(log), "warnings": messages}


async def start_a_task(log, factory=None):
    if factory is not None:
        asyncio.get_running_loop().set_task_factory(factory)
    task = asyncio.create_task(download("task", log))
    log.append("create_task returned")
    await asyncio.sleep(0)  # the caller's first await: the loop runs other ready work here
    log.append("the caller runs again")
    await task


def create_task_order():
    log = []
    asyncio.run(start_a_task(log))
    return log


def eager_order():
    factory = getattr(asyncio, "eager_task_factory", None)
    if factory is None:
        return None  # Python < 3.12
    log = []
    asyncio.run(start_a_task(log, factory))
    return log


def main():
    print(json.dumps({
        "python": platform.python_version(),
        "lazy": lazy_call(),
        "neverAwaited": never_awaited(),
        "createTask": create_task_order(),
        "eager": eager_order(),
    }))


if __name__ == "__main__":
    main()
