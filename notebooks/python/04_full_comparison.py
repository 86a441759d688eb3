"""The post's "Full Code" benchmark, in our own words: four timed runs and one task alone.

  threads    -- 4 threads, each sleeping io_ms (an I/O wait; sleep releases the GIL)
  asyncio    -- 4 coroutines awaiting asyncio.sleep(io_ms) on one event loop
  processes  -- 4 processes, each summing the squares below 10**6 (start-up counted, as in the post)
  loop       -- the same 4 sums one after another in this process
  task       -- one sum alone, for reference
Every time is in milliseconds. Optional arguments: io_ms (default 1000) and a start method
(fork, spawn or forkserver; default: this platform's default).
Run alone: python3 04_full_comparison.py [io_ms] [start_method]
"""
import asyncio
import json
import multiprocessing
import platform
import sys
import threading
import time

SIZE = 10 ** 6  # the post's heavy_calculation size


def squares():
    """The post's CPU task: build the list of squares below 10**6 and sum it."""
    return sum([i * i for i in range(SIZE)])


def ms_of(run):
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def with_threads(io_s):
    threads = [threading.Thread(target=time.sleep, args=(io_s,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


async def four_waits(io_s):
    await asyncio.gather(*(asyncio.sleep(io_s) for _ in range(4)))


def with_processes(ctx):
    processes = [ctx.Process(target=squares) for _ in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    failed = [p.exitcode for p in processes if p.exitcode != 0]
    if failed:
        raise SystemExit(f"{len(failed)} child process(es) failed, exit codes {failed}")


def in_a_loop():
    for _ in range(4):
        squares()


def main():
    io_s = (float(sys.argv[1]) if len(sys.argv) > 1 else 1000) / 1000
    method = sys.argv[2] if len(sys.argv) > 2 else multiprocessing.get_start_method()
    ctx = multiprocessing.get_context(method)
    result = {
        "threads": ms_of(lambda: with_threads(io_s)),
        "asyncio": ms_of(lambda: asyncio.run(four_waits(io_s))),
        "processes": ms_of(lambda: with_processes(ctx)),
        "loop": ms_of(in_a_loop),
        "task": ms_of(squares),
    }
    print(json.dumps({"python": platform.python_version(), "startMethod": method,
                      "ioMs": io_s * 1000, "ms": result}))


if __name__ == "__main__":
    main()
