"""The lecture's thread client (client_threading.py), on the standard library: one Thread per URL,
each putting its body into a Queue, then join() them all. urllib stands in for requests.

Each thread sends as soon as it has started: nothing waits for the other threads. A span per request
is recorded on time.monotonic() (the shared clock, see 03_client_sync.py), on the thread's own lane.
Run alone: python3 03_client_threading.py http://127.0.0.1:8000 3
"""
import json
import platform
import resource
import sys
import threading
import time
import urllib.request
from queue import Queue


def now_ms():
    return time.monotonic() * 1000


def get(url):
    request = urllib.request.Request(url, headers={"X-Sent-At": f"{now_ms():.3f}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode()


def cpu_ms():
    """User and system CPU time of this process and of its children that have been waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = own.ru_utime + children.ru_utime
    system = own.ru_stime + children.ru_stime
    return {"userMs": user * 1000, "sysMs": system * 1000}


# --- the client ---------------------------------------------------------------------------------
def fetch(url, results, spans):
    start = now_ms()
    results.put(get(url))
    spans.put({"lane": threading.current_thread().name, "label": url.split("?")[-1],
               "start": start, "end": now_ms()})


def main(base, n):
    results, spans = Queue(), Queue()
    threads = [threading.Thread(target=fetch, args=(f"{base}/?req={i}", results, spans))
               for i in range(1, n + 1)]
    created = now_ms()
    for thread in threads:
        thread.start()  # runs fetch at once: each thread sends without waiting for the others
    for thread in threads:
        thread.join()
    return [results.get() for _ in threads], [spans.get() for _ in threads], created
# ------------------------------------------------------------------------------------------------


if __name__ == "__main__":
    began, startup = now_ms(), cpu_ms()  # after start-up and imports: the client's part begins
    bodies, spans, created = main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    print(json.dumps({
        "python": platform.python_version(), "began": began, "inScriptMs": now_ms() - began,
        "startupCpuMs": startup["userMs"] + startup["sysMs"],
        "threadsCreated": created, "bodies": sorted(set(bodies)), "responses": len(bodies),
        "spans": spans, **cpu_ms(),
    }))
