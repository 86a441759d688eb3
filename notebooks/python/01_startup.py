"""What it costs Python to start a thread and a process (each start method), and a child's memory.

Start-up, bare: the median time from creating a Thread or Process that does nothing to its join().
Start-up, pool: the median time from creating a one-worker pool to its first result
(its shutdown not counted).
Memory: each child reads its own proportional set size (PSS, Linux /proc/self/smaps_rollup):
shared pages are split between the processes that share them, so the figures add up.
Run alone: python3 01_startup.py [runs]
"""
import json
import multiprocessing
import platform
import statistics
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def nothing():
    pass


def own_pss_kib(queue):
    """Sends this process's PSS in KiB, or None where /proc/self/smaps_rollup does not exist."""
    try:
        with open("/proc/self/smaps_rollup") as f:
            queue.put(next(int(line.split()[1]) for line in f if line.startswith("Pss:")))
    except OSError:
        queue.put(None)


def median_start_join_ms(make, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        worker = make()
        worker.start()
        worker.join()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def median_first_result_ms(make_pool, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        pool = make_pool()
        pool.submit(nothing).result()
        samples.append((time.perf_counter() - start) * 1000)
        pool.shutdown()
    return statistics.median(samples)


def child_pss_kib(ctx):
    queue = ctx.Queue()
    child = ctx.Process(target=own_pss_kib, args=(queue,))
    child.start()
    pss = queue.get(timeout=30)
    child.join()
    return pss


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    result = {
        "python": platform.python_version(),
        "defaultStartMethod": multiprocessing.get_start_method(),
        "threadMs": median_start_join_ms(lambda: threading.Thread(target=nothing), 4 * runs),
        "threadPoolMs": median_first_result_ms(lambda: ThreadPoolExecutor(1), 4 * runs),
        "process": {},
    }
    for method in multiprocessing.get_all_start_methods():  # fork, spawn, forkserver on Linux
        ctx = multiprocessing.get_context(method)
        result["process"][method] = {
            "startJoinMs": median_start_join_ms(lambda: ctx.Process(target=nothing), runs),
            "poolMs": median_first_result_ms(lambda: ProcessPoolExecutor(1, mp_context=ctx), runs),
            "pssKiB": child_pss_kib(ctx),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
