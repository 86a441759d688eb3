"""CPU-bound tasks one after another, on a process pool and on a thread pool.

Modes:
  python3 02_cpu_pools.py calibrate TARGET_MS
      finds the size n for which one task takes about TARGET_MS here, and times
      one task of the cheat sheet's size (10**6) for comparison.
  python3 02_cpu_pools.py run VARIANT N TASKS [WORKERS]
      VARIANT is sequential, processes or threads. The pool (WORKERS, default
      os.cpu_count()) is started and warmed first; its start-up is reported
      apart and not counted. Then TASKS tasks of size N run once, and the
      program reports the wall time, the CPU time of all the work (this process
      and its pool's processes) and each task's own wall and CPU time.
Each mode prints one JSON line last, with "gil": false only on a free-threaded
build running without the GIL (Python 3.13+), where a thread pool can run
Python on several cores at once.
"""
import json
import multiprocessing
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def squares_up_to(limit):
    """0² + 1² + ... + (limit-1)², one multiplication and one addition per step."""
    total = 0
    k = 0
    while k < limit:
        total += k * k
        k += 1
    return total


def timed_task(limit):
    """One task, timed from inside: its wall time and its thread's CPU time, in ms."""
    wall, cpu = time.perf_counter(), time.thread_time()
    value = squares_up_to(limit)
    return value, (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def task_process_cpu(_):
    """CPU time this pool process has used so far, in ms."""
    return time.process_time() * 1000


def gil_enabled():
    """True unless this is a free-threaded build running without the GIL (3.13+)."""
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def calibrate(target_ms):
    start = time.perf_counter()
    squares_up_to(10**6)
    sheet_ms = (time.perf_counter() - start) * 1000
    n = 10**6
    for _ in range(4):
        ms = min(timed_task(n)[1] for _ in range(2))
        n = max(1, int(n * target_ms / ms))
    return {"sheetSizeMs": sheet_ms, "n": n, "msAtN": min(timed_task(n)[1] for _ in range(2))}


def run(variant, n, tasks, workers):
    sizes = [n] * tasks
    report = {"variant": variant, "workers": None, "startUpMs": 0.0}
    pool = None
    if variant != "sequential":
        kind = ProcessPoolExecutor if variant == "processes" else ThreadPoolExecutor
        start = time.perf_counter()
        pool = kind(max_workers=workers)
        list(pool.map(time.sleep, [0.05] * workers))  # every worker started and idle
        report["startUpMs"] = (time.perf_counter() - start) * 1000 - 50
        report["workers"] = workers
        if variant == "processes":
            report["startMethod"] = multiprocessing.get_start_method()
    wall, cpu = time.perf_counter(), time.process_time()
    if pool is None:
        done = [timed_task(size) for size in sizes]
    else:
        done = list(pool.map(timed_task, sizes))
    report["wallMs"] = (time.perf_counter() - wall) * 1000
    own_cpu = (time.process_time() - cpu) * 1000  # this process, all its threads
    # For the process pool the work's CPU is in the children: add the tasks' own CPU.
    report["cpuMs"] = own_cpu + (sum(d[2] for d in done) if variant == "processes" else 0)
    report["perTaskMs"] = [d[1] for d in done]
    report["perTaskCpuMs"] = [d[2] for d in done]
    report["sameSums"] = len({d[0] for d in done}) == 1
    if pool is not None:
        pool.shutdown()
    return report


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "calibrate"
    if mode == "calibrate":
        result = calibrate(float(sys.argv[2]) if len(sys.argv) > 2 else 100)
    else:
        variant, n, tasks = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        workers = int(sys.argv[5]) if len(sys.argv) > 5 else os.cpu_count()
        result = run(variant, n, tasks, workers)
    print(json.dumps({"python": platform.python_version(), "gil": gil_enabled(), **result}))


if __name__ == "__main__":
    main()
