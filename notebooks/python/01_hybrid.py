"""The post's hybrids, guarded: blocking calls and CPU work awaited from asyncio.

Each variant runs while a heartbeat coroutine ticks every 5 ms; its longest gap is how long the
event loop was stalled. Variants: a blocking call (time.sleep stands in for requests.get) made
inline, through loop.run_in_executor with a thread pool, and through asyncio.to_thread (3.9+);
two CPU tasks inline, and through run_in_executor with a process pool of the given start method.
Run alone: python3 01_hybrid.py [start_method] [blocking_ms] [cpu_n]
"""
import asyncio
import json
import multiprocessing
import platform
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def blocking_call(seconds):
    time.sleep(seconds)
    return "response"


def cpu_intensive(n):
    return sum(i * i for i in range(n))


async def heartbeat(stop, every=0.005):
    """Ticks until `stop` is set; returns the longest time between two ticks, in ms."""
    longest, last = 0.0, time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(every)
        now = time.perf_counter()
        longest, last = max(longest, now - last - every), now
    return longest * 1000


async def measured(work):
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat(stop))
    await asyncio.sleep(0)  # let the heartbeat start before the work
    start = time.perf_counter()
    await work()
    wall_ms = (time.perf_counter() - start) * 1000
    stop.set()
    return {"wallMs": wall_ms, "stallMs": await beat}


async def main(method, seconds, n):
    loop = asyncio.get_running_loop()  # the post's get_event_loop() returns the same loop here
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        same_loop = asyncio.get_event_loop() is loop
    context = multiprocessing.get_context(method)
    with ThreadPoolExecutor() as threads, ProcessPoolExecutor(2, mp_context=context) as processes:
        await asyncio.gather(*(loop.run_in_executor(processes, cpu_intensive, 1) for _ in range(2)))

        async def inline_blocking():
            blocking_call(seconds)

        async def inline_cpu():
            cpu_intensive(n), cpu_intensive(n)

        variants = {
            "blocking, inline": inline_blocking,
            "blocking, run_in_executor (threads)":
                lambda: loop.run_in_executor(threads, blocking_call, seconds),
            "blocking, asyncio.to_thread": lambda: asyncio.to_thread(blocking_call, seconds),
            "2 CPU tasks, inline": inline_cpu,
            "2 CPU tasks, run_in_executor (processes)": lambda: asyncio.gather(
                *(loop.run_in_executor(processes, cpu_intensive, n) for _ in range(2))),
        }
        results = {name: await measured(work) for name, work in variants.items()}
    return {"python": platform.python_version(), "startMethod": method,
            "getEventLoopIsRunningLoop": same_loop, "getEventLoopWarnings": len(caught),
            "variants": results}


if __name__ == "__main__":
    method = sys.argv[1] if len(sys.argv) > 1 else multiprocessing.get_start_method()
    blocking_s = (float(sys.argv[2]) if len(sys.argv) > 2 else 200) / 1000
    cpu_n = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    print(json.dumps(asyncio.run(main(method, blocking_s, cpu_n))))
