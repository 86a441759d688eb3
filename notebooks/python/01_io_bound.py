"""The post's I/O-bound comparison: tasks that each wait 0.1 s, run three ways.

sequential -- only `sample` tasks are run, one after another (the caller scales it up: an estimate);
threads    -- all tasks on a ThreadPoolExecutor with one thread per task (the post: 100);
asyncio    -- all tasks as coroutines gathered on one event loop.
Run alone: python3 01_io_bound.py [tasks] [wait_ms] [sequential_sample]
"""
import asyncio
import json
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def wait_blocking(seconds):
    time.sleep(seconds)  # blocks this thread; the GIL is released while it sleeps
    return "done"


async def wait_async(seconds):
    await asyncio.sleep(seconds)
    return "done"


async def gather_all(tasks, seconds):
    await asyncio.gather(*(wait_async(seconds) for _ in range(tasks)))


def timed(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main():
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seconds = (float(sys.argv[2]) if len(sys.argv) > 2 else 100) / 1000
    sample = int(sys.argv[3]) if len(sys.argv) > 3 else tasks

    def with_threads():
        with ThreadPoolExecutor(max_workers=tasks) as pool:
            list(pool.map(wait_blocking, [seconds] * tasks))

    print(json.dumps({
        "python": platform.python_version(),
        "tasks": tasks,
        "threads": tasks,
        "sequentialSample": sample,
        "sequentialSampleS": timed(lambda: [wait_blocking(seconds) for _ in range(sample)]),
        "threadsS": timed(with_threads),
        "asyncioS": timed(lambda: asyncio.run(gather_all(tasks, seconds))),
    }))


if __name__ == "__main__":
    main()
