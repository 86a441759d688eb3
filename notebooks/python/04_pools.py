"""The post's "Advanced Usage": one class name switches a thread pool for a process pool.

Two tasks go through ThreadPoolExecutor and ProcessPoolExecutor, 3 workers, inputs 1..5, with map:
  wait_then_square(n) -- sleeps wait_ms, then returns n * n (the post sleeps 1 s);
  squares(n)          -- a pure-Python CPU loop sized to use about cpu_ms of CPU time here.
Each pool is created inside the timing (start-up counted, as in the post's `with` block).
Times in ms; cpuMs is the CPU time of this process (all threads) plus, for the process pool, its
workers' CPU read from /proc/<pid>/stat just before the pool shuts down (start-up included). Under
forkserver the workers are the fork server's children, not ours, so os.times() would never count
them; it is used only where /proc is missing (then forkserver workers are left out).
Tasks are top-level functions, so they pickle by reference under every start method.
The start method is this platform's default unless given (`default` keeps the default).
With `cpu` as the fourth argument, only the CPU task runs (one round of a repeated comparison);
a fifth argument fixes the CPU task's size (cpuN) instead of calibrating it to cpu_ms, so that a
caller repeating the program gives every run the same work.
Run alone: python3 04_pools.py [wait_ms] [cpu_ms] [default|fork|spawn|forkserver] [all|cpu] [cpu_n]
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
    """CPU_N for which squares() uses about target_s of CPU time on this thread (CPU time, so that
    a busy machine does not make the task smaller)."""
    set_sizes(WAIT_S, 200_000)
    start = time.thread_time()
    squares(0)
    return max(1000, round(200_000 * target_s / max(time.thread_time() - start, 1e-6)))


def children_seconds():
    t = os.times()
    return t.children_user + t.children_system


def workers_cpu_ms(executor):
    """CPU time (ms) the pool's live workers have used, from /proc/<pid>/stat; None without /proc."""
    try:
        ticks = 0
        for pid in executor._processes:  # private: read only to find the workers' pids
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None


def run(pool_class, task, sizes, ctx):
    extra = {"mp_context": ctx} if pool_class is ProcessPoolExecutor else {}
    start, cpu, kids = time.perf_counter(), time.process_time(), children_seconds()
    with pool_class(max_workers=3, initializer=set_sizes, initargs=sizes, **extra) as executor:
        results = list(executor.map(task, [1, 2, 3, 4, 5]))
        workers_ms = workers_cpu_ms(executor) if pool_class is ProcessPoolExecutor else 0.0
    ms = (time.perf_counter() - start) * 1000
    if workers_ms is None:  # no /proc: exited children, as os.times counts them after the join
        workers_ms = (children_seconds() - kids) * 1000
    return {"ms": ms, "cpuMs": (time.process_time() - cpu) * 1000 + workers_ms,
            "results": results}


def main():
    wait_s = (float(sys.argv[1]) if len(sys.argv) > 1 else 300) / 1000
    cpu_s = (float(sys.argv[2]) if len(sys.argv) > 2 else 100) / 1000
    chosen = sys.argv[3] if len(sys.argv) > 3 else "default"
    method = multiprocessing.get_start_method() if chosen == "default" else chosen
    ctx = multiprocessing.get_context(method)
    cpu_n = int(sys.argv[5]) if len(sys.argv) > 5 else calibrate_cpu_n(cpu_s)
    sizes = (wait_s, cpu_n)
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
