"""What the GIL really serialises: Python bytecode, not every instruction of the process.

Two kinds of CPU work, each run twice one after the other and twice in two threads at once:
  bytecode  -- a pure-Python loop summing squares: the interpreter runs bytecode, and in the
               default (GIL) build only the thread holding the GIL may do that;
  c_code    -- hashlib.sha256 over a 4 MiB buffer, repeated: the hashing runs in C and hashlib
               releases the GIL while it hashes inputs longer than 2047 bytes (zlib does the same).
Each round runs the four variants once, in turn. Times in ms; cpuMs is this process's CPU time
(all threads), so cpuMs / wallMs is the number of cores busy on average.
Also reports whether this interpreter is a free-threaded build (Python 3.13+) and whether the GIL
is on (sys._is_gil_enabled, 3.13+; None before). The work size n is calibrated to target_ms of CPU time unless
given as the fourth argument: a caller that repeats the program passes the size the first run found,
so that every run does the same work.
Run alone: python3 04_gil_threads.py [target_ms_per_task] [rounds] [bytecode,c_code] [n]
"""
import hashlib
import json
import os
import platform
import sys
import sysconfig
import threading
import time

BUFFER = bytes(range(256)) * (4 * 1024 * 1024 // 256)


def bytecode(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def c_code(n):
    for _ in range(n):
        hashlib.sha256(BUFFER).digest()


def calibrate(work, target_s):
    """Size n so that work(n) uses about target_s of CPU time on this thread. CPU time, not wall
    time: on a busy machine a wall clock also counts the time other programs held the core, and
    the work would come out too small."""
    n = 1
    while True:  # grow n until one run is measurable, then scale it to the target
        start = time.thread_time()
        work(n)
        took = time.thread_time() - start
        if took > 0.02:
            return max(1, round(n * target_s / took))
        n *= 4


def measure(run):
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall_ms = (time.perf_counter() - wall) * 1000
    return {"wallMs": wall_ms, "cpuMs": (time.process_time() - cpu) * 1000}


def two_in_threads(work, n):
    threads = [threading.Thread(target=work, args=(n,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    target_s = (float(sys.argv[1]) if len(sys.argv) > 1 else 100) / 1000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    chosen = sys.argv[3].split(",") if len(sys.argv) > 3 else ["bytecode", "c_code"]
    works = {name: {"bytecode": bytecode, "c_code": c_code}[name] for name in chosen}
    fixed_n = int(sys.argv[4]) if len(sys.argv) > 4 else None
    sizes = {name: fixed_n or calibrate(work, target_s) for name, work in works.items()}
    samples = {}
    for _ in range(rounds):
        for name, work in works.items():
            n = sizes[name]
            in_turn = measure(lambda: (work(n), work(n)))
            in_threads = measure(lambda: two_in_threads(work, n))
            samples.setdefault(f"{name}: 2 in turn", []).append(in_turn)
            samples.setdefault(f"{name}: 2 threads", []).append(in_threads)
    gil_check = getattr(sys, "_is_gil_enabled", None)
    print(json.dumps({
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "freeThreadedBuild": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gilEnabled": gil_check() if gil_check else None,
        "sizes": sizes,
        "samples": samples,
    }))


if __name__ == "__main__":
    main()
