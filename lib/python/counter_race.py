"""Two threads add 1 to a shared counter: does CPython lose updates?

Two variants of the loop, each run RUNS times with 2 threads x N increments:
  plain            counter += 1            (read, add, write in one statement)
  read_call_write  seen = counter; counter = add_one(seen)
CPython switches threads only at certain points (since 3.10: on backward jumps
and calls, not in the middle of `counter += 1`), so the plain loop rarely loses
an update there, while a call between the read and the write can.

With a third argument "lock", a third variant runs too:
  locked           with lock: counter += 1 (the threading.Lock the cheat sheet puts around it)

Run alone:  python3 counter_race.py [N] [RUNS] [lock]
Prints one JSON line last: the interpreter, and the final counter of each run.
"""
import json
import platform
import sys
import threading
import time

counter = 0


def plain(n):
    global counter
    for _ in range(n):
        counter += 1  # read, add, write


def add_one(x):
    return x + 1


def read_call_write(n):
    global counter
    for _ in range(n):
        seen = counter  # read
        counter = add_one(seen)  # a call between the read and the write


lock = threading.Lock()


def locked(n):
    global counter
    for _ in range(n):
        with lock:  # one thread at a time between the read and the write
            counter += 1


def race(target, n):
    """Run `target` in 2 threads from counter = 0; return the final counter and the time."""
    global counter
    counter = 0
    threads = [threading.Thread(target=target, args=(n,)) for _ in range(2)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"actual": counter, "seconds": time.perf_counter() - start}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with_lock = len(sys.argv) > 3 and sys.argv[3] == "lock"
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()  # False on a free-threaded build
    report = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gil": gil,
        "switchIntervalMs": sys.getswitchinterval() * 1000,
        "increments": n,
        "plain": [race(plain, n) for _ in range(runs)],
        "readCallWrite": [race(read_call_write, n) for _ in range(runs)],
    }
    if with_lock:
        report["locked"] = [race(locked, n) for _ in range(runs)]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
