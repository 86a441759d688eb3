"""The post's first threading example: three threads that each sleep, started and joined.
Prints when each thread started and finished (ms after the start) and the total.
Run alone: python3 01_three_threads.py [sleep_ms]
"""
import json
import platform
import sys
import threading
import time

events = []
lock = threading.Lock()


def note(name, event, start):
    with lock:
        events.append({"thread": name, "event": event, "ms": (time.perf_counter() - start) * 1000})


def worker(name, seconds, start):
    note(name, "starting", start)
    time.sleep(seconds)  # blocks this thread only; the GIL is released while it sleeps
    note(name, "finished", start)


def main():
    seconds = (float(sys.argv[1]) if len(sys.argv) > 1 else 1000) / 1000
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(f"Thread-{i}", seconds, start))
               for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total_ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"python": platform.python_version(), "events": events, "totalMs": total_ms}))


if __name__ == "__main__":
    main()
