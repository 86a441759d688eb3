"""The post's GIL example: two threads add 1 to one global counter.

Two variants, each raced `runs` times with 2 threads x `increments`:
  plain      -- `counter += 1`, as in the post;
  with_call  -- the read and the write of the counter with a function call between them.
Each race is timed, as the post prints its time.
Run alone: python3 01_counter_race.py [runs] [increments]
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
        counter += 1


def plus_one(value):
    return value + 1


def with_call(n):
    global counter
    for _ in range(n):
        seen = counter
        counter = plus_one(seen)  # the interpreter may switch threads inside this call


def race(target, increments):
    """Two threads run `target`; returns the final counter and the wall time."""
    global counter
    counter = 0
    threads = [threading.Thread(target=target, args=(increments,)) for _ in range(2)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"actual": counter, "seconds": time.perf_counter() - start}


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    increments = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)  # exists from Python 3.13
    result = {
        "python": platform.python_version(),
        "executable": sys.executable,
        "gil": True if is_gil_enabled is None else is_gil_enabled(),
        "expected": 2 * increments,
        "variants": {
            "counter += 1": [race(plain, increments) for _ in range(runs)],
            "read, call, write": [race(with_call, increments) for _ in range(runs)],
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
