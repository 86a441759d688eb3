"""The post's CPU-bound comparison: 4 sums of squares, sequential vs 4 threads vs 4 processes.

Unlike the post, the pools get the top-level function itself, not a lambda (a lambda cannot be
pickled for the process pool). Pools are started before the clock starts, so the time is the
batch's alone; each task also times itself, and CPU time is counted in every process.
  python3 01_cpu_bound.py calibrate 100      -> {"n": size of one task of about 100 ms of CPU}
  python3 01_cpu_bound.py threads 2000000    -> one timed batch of 4 tasks of that size
  python3 01_cpu_bound.py                    -> all three variants once, task size calibrated
"""
import json
import multiprocessing
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

TASKS = 4


def cpu_task(n):
    return sum(i * i for i in range(n))


def gil_enabled():
    """False only on a free-threaded build running without its GIL (3.13t/3.14t)."""
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else check()


def timed_task(n):
    """cpu_task(n) with its own wall time and its process's CPU time, in ms."""
    wall, cpu = time.perf_counter(), time.process_time()
    cpu_task(n)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def cpu_ms(n):
    """CPU time of cpu_task(n) on this thread, in ms: unlike wall time, other programs do not
    stretch it, so a busy machine does not make the calibrated task smaller."""
    start = time.thread_time()
    cpu_task(n)
    return (time.thread_time() - start) * 1000


def calibrate(target_ms):
    probe = 100_000
    while cpu_ms(probe) < 20:  # a probe long enough to time well
        probe *= 2
    fastest = min(cpu_ms(probe) for _ in range(3))
    return int(probe * target_ms / fastest)


def batch(variant, n):
    """Runs TASKS tasks of size n as `variant`; returns wall and CPU time (all processes), in ms."""
    sizes = [n] * TASKS
    pool = {"threads": ThreadPoolExecutor, "processes": ProcessPoolExecutor}.get(variant)
    executor = pool(TASKS) if pool else None
    try:
        if variant == "processes":
            list(executor.map(cpu_task, [1] * TASKS))  # start the four processes before the clock
        wall, cpu = time.perf_counter(), time.process_time()
        if executor:
            per_task = list(executor.map(timed_task, sizes))
        else:
            per_task = [timed_task(k) for k in sizes]
        wall_ms = (time.perf_counter() - wall) * 1000
        own_cpu_ms = (time.process_time() - cpu) * 1000
    finally:
        if executor:
            executor.shutdown()
    # In a process pool the tasks' CPU is spent in the children: add what each task measured there.
    cpu_ms = own_cpu_ms + (sum(c for _, c in per_task) if variant == "processes" else 0)
    return {"variant": variant, "wallMs": wall_ms, "cpuMs": cpu_ms,
            "perTaskMs": [w for w, _ in per_task]}


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    info = {"python": platform.python_version(), "startMethod": multiprocessing.get_start_method(),
            "gil": gil_enabled()}
    if mode == "calibrate":
        target_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 100
        print(json.dumps({**info, "n": calibrate(target_ms)}))
    elif mode in ("sequential", "threads", "processes"):
        n = int(sys.argv[2]) if len(sys.argv) > 2 else calibrate(100)
        print(json.dumps({**info, "n": n, **batch(mode, n)}))
    else:
        n = calibrate(100)
        runs = {v: batch(v, n) for v in ("sequential", "threads", "processes")}
        print(json.dumps({**info, "n": n, "runs": runs}))


if __name__ == "__main__":
    main()
