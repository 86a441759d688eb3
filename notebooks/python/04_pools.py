"""The post's "Advanced Usage": one class name switches a thread pool for a process pool.

Two tasks go through ThreadPoolExecutor and ProcessPoolExecutor, 3 workers, inputs 1..5, with map:
  wait_then_square(n) -- sleeps wait_ms, then returns n * n (the post sleeps 1 s);
  squares(n)          -- a pure-Python CPU loop sized to take about cpu_ms here.
Each pool is created inside the timing (start-up counted, as in the post's `with` block).
Times in ms; cpuMs is the CPU time of this process and of the pool's children (os.times counts
a child once it has exited, and the `with` block waits for that). Tasks are top-level functions,
so they pickle by reference under every start method.
With `cpu` as the fourth argument, only the CPU task runs (one round of a repeated comparison).
Run alone: python3 04_pools.py [wait_ms] [cpu_ms] [fork|spawn|forkserver] [all|cpu]
"""
import json
import multiprocessing
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

WAIT_S = 0.3
CPU_N = 100_000


def wait_then_square(n):
    time.sleep(WAIT_S)
    return n * n


def squares(n):
    total = 0
    for i in range(CPU_N):
        total += i * i
    return total % 1_000_000_007  # small enough for JSON numbers in JavaScript


def set_sizes(wait_s, cpu_n):
    """Runs in every worker (initializer) so that spawned children get the same sizes."""
    global WAIT_S, CPU_N
    WAIT_S, CPU_N = wait_s, cpu_n


def calibrate_cpu_n(target_s):
    set_sizes(WAIT_S, 200_000)
    start = time.perf_counter()
    squares(0)
    return max(1000, round(200_000 * target_s / (time.perf_counter() - start)))


def cpu_seconds():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(pool_class, task, sizes, ctx):
    extra = {"mp_context": ctx} if pool_class is ProcessPoolExecutor else {}
    start, cpu = time.perf_counter(), cpu_seconds()
    with pool_class(max_workers=3, initializer=set_sizes, initargs=sizes, **extra) as executor:
        results = list(executor.map(task, [1, 2, 3, 4, 5]))
    return {"ms": (time.perf_counter() - start) * 1000, "cpuMs": (cpu_seconds() - cpu) * 1000,
            "results": results}


def main():
    wait_s = (float(sys.argv[1]) if len(sys.argv) > 1 else 300) / 1000
    cpu_s = (float(sys.argv[2]) if len(sys.argv) > 2 else 100) / 1000
    method = sys.argv[3] if len(sys.argv) > 3 else multiprocessing.get_start_method()
    ctx = multiprocessing.get_context(method)
    sizes = (wait_s, calibrate_cpu_n(cpu_s))
    set_sizes(*sizes)
    start = time.perf_counter()
    squares(0)
    one_cpu_ms = (time.perf_counter() - start) * 1000
    cpu_only = len(sys.argv) > 4 and sys.argv[4] == "cpu"
    which = (squares,) if cpu_only else (wait_then_square, squares)
    runs = {}
    for pool_class in (ThreadPoolExecutor, ProcessPoolExecutor):
        for task in which:
            runs[f"{task.__name__} · {pool_class.__name__}"] = run(pool_class, task, sizes, ctx)
    print(json.dumps({"python": platform.python_version(), "startMethod": method,
                      "cpuN": sizes[1], "oneCpuTaskMs": one_cpu_ms, "runs": runs}))


if __name__ == "__main__":
    main()
