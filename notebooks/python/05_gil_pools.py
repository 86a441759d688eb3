"""Thread pool or process pool for the article's CPU step? It depends on who holds the GIL.

Pillow is not installed here, so two standard-library stand-ins play "resize an image":
  c_code    -- zlib.compress of a 1 MiB buffer, repeated: C code that releases the GIL while it
               works, as Pillow's resize does;
  bytecode  -- a pure-Python loop over the same buffer: holds the GIL while it runs.
Each kind is sized so one item takes about item_ms here. `items` items go through three ways:
  alone         -- one after another in this thread (the per-item time alone);
  thread pool   -- ThreadPoolExecutor(workers), buffer passed by reference;
  process pool  -- ProcessPoolExecutor(workers), buffer pickled to the child and back.
Pools start before timing; each round runs every way once. Each item reports the time it took
where it ran (perItemMs), so an item slower in a pool than alone shows up. Times in ms.
cpuMs is the CPU time of the threads that ran the items (time.thread_time, where they ran).
Run alone: python3 05_gil_pools.py [item_ms] [items] [workers] [rounds] [c_code,bytecode]
"""
import json
import multiprocessing
import os
import random
import platform
import statistics
import sys
import time
import zlib
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

BUFFER = random.Random(5).randbytes(1 << 20)  # the same 1 MiB in every process


def c_code(data, repeat):
    """zlib.compress, repeated; returns [wall ms, thread CPU ms] measured where it ran."""
    start, cpu = time.perf_counter(), time.thread_time()
    for _ in range(repeat):
        zlib.compress(data, 6)
    return [(time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000]


def bytecode(data, repeat):
    """A pure-Python loop over the first 64 KiB, repeated; returns [wall ms, thread CPU ms]."""
    start, cpu = time.perf_counter(), time.thread_time()
    for _ in range(repeat):
        total = 0
        for b in data[: 1 << 16]:
            total += b * b
    return [(time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000]


def calibrate(work, item_ms):
    took = min(work(BUFFER, 1)[0] for _ in range(3))
    return max(1, round(item_ms / max(took, 0.01)))


def run_way(submit_all):
    """Wall time of the batch, each item's own time, and the CPU time of all the items' threads."""
    start = time.perf_counter()
    items = submit_all()
    return {"wallMs": (time.perf_counter() - start) * 1000, "perItemMs": [i[0] for i in items],
            "cpuMs": sum(i[1] for i in items)}


def main():
    item_ms = float(sys.argv[1]) if len(sys.argv) > 1 else 40
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    chosen = sys.argv[5].split(",") if len(sys.argv) > 5 else ["c_code", "bytecode"]
    kinds = {name: {"c_code": c_code, "bytecode": bytecode}[name] for name in chosen}
    repeats = {name: calibrate(fn, item_ms) for name, fn in kinds.items()}
    samples = {}
    with ThreadPoolExecutor(workers) as threads, ProcessPoolExecutor(workers) as processes:
        for pool in (processes, threads):  # start every worker; processes first, so that fork
            list(pool.map(c_code, [b""] * workers, [1] * workers))  # copies a one-thread process
        for _ in range(rounds):
            for name, fn in kinds.items():
                args = ([BUFFER] * items, [repeats[name]] * items)
                ways = {
                    "alone": lambda: [fn(BUFFER, repeats[name]) for _ in range(items)],
                    "thread pool": lambda: list(threads.map(fn, *args)),
                    "process pool": lambda: list(processes.map(fn, *args)),
                }
                for way, submit_all in ways.items():
                    samples.setdefault(f"{name} · {way}", []).append(run_way(submit_all))
    print(json.dumps({
        "python": platform.python_version(), "startMethod": multiprocessing.get_start_method(),
        "cpuCount": os.cpu_count(), "workers": workers, "items": items, "repeats": repeats,
        "medianWallMs": {k: statistics.median(s["wallMs"] for s in v) for k, v in samples.items()},
        "samples": samples,
    }))


if __name__ == "__main__":
    main()
