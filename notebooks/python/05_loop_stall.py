"""How long does CPU work stall an asyncio event loop, by where it runs?

The work is a pure-Python sum of squares, sized so that one run takes about target_ms here, and
timed alone first ("work alone": the median of three runs with nothing else going on). Then, while
a heartbeat coroutine wakes every 5 ms and notes how late it woke, the same work runs:
  inline        -- called directly inside a coroutine (blocks the loop);
  to_thread     -- asyncio.to_thread (Python 3.9+): the loop's default thread pool;
  thread pool   -- run_in_executor on a ThreadPoolExecutor(2);
  process pool  -- run_in_executor on a ProcessPoolExecutor(2).
Pools are started before timing. Each round runs every way once, in turn. Times in ms:
wallMs is the work's time seen from the loop, maxLagMs the heartbeat's longest lateness, cpuMs
the CPU time of the thread that ran the work (time.thread_time, measured where it ran).
Run alone: python3 05_loop_stall.py [target_ms] [rounds]
"""
import asyncio
import json
import multiprocessing
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

PERIOD_S = 0.005


def heavy(n):
    """The work; returns the CPU time (ms) of the thread that ran it."""
    cpu = time.thread_time()
    total = 0
    for i in range(n):
        total += i * i
    return (time.thread_time() - cpu) * 1000 + 0 * total


def ms_of(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def calibrate(target_ms):
    n = 100_000
    took = ms_of(heavy, n)
    return max(1000, round(n * target_ms / took))


async def heartbeat(stop, lateness):
    while not stop.is_set():
        due = time.perf_counter() + PERIOD_S
        await asyncio.sleep(PERIOD_S)
        lateness.append(max(0.0, time.perf_counter() - due))


async def with_heartbeat(start_work):
    stop, lateness = asyncio.Event(), [0.0]
    beat = asyncio.create_task(heartbeat(stop, lateness))
    await asyncio.sleep(0.03)
    start = time.perf_counter()
    cpu_ms = await start_work()
    wall = time.perf_counter() - start
    await asyncio.sleep(0.03)
    stop.set()
    await beat
    return {"wallMs": wall * 1000, "cpuMs": cpu_ms, "maxLagMs": max(lateness) * 1000}


async def main(target_ms, rounds):
    n = calibrate(target_ms)
    alone = statistics.median(ms_of(heavy, n) for _ in range(3))
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(2) as threads, ProcessPoolExecutor(2) as processes:
        # start the workers before timing: the processes first, so that fork (the Linux default
        # up to 3.13) copies a process with one thread; 3.12+ warns when it would copy more
        for pool in (processes, threads):
            await asyncio.gather(*(loop.run_in_executor(pool, heavy, 10) for _ in range(2)))
        await asyncio.to_thread(heavy, 10)

        async def inline():
            return heavy(n)

        ways = {
            "inline": inline,
            "to_thread": lambda: asyncio.to_thread(heavy, n),
            "thread pool": lambda: loop.run_in_executor(threads, heavy, n),
            "process pool": lambda: loop.run_in_executor(processes, heavy, n),
        }
        samples = {way: [] for way in ways}
        for _ in range(rounds):
            for way, start_work in ways.items():
                samples[way].append(await with_heartbeat(start_work))
    return {"python": platform.python_version(), "startMethod": multiprocessing.get_start_method(),
            "n": n, "workAloneMs": alone, "samples": samples}


if __name__ == "__main__":
    target = float(sys.argv[1]) if len(sys.argv) > 1 else 200
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(json.dumps(asyncio.run(main(target, count))))
