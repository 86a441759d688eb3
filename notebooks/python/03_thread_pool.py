"""The lecture's open question "what if there are many URLs?", answered with
concurrent.futures.ThreadPoolExecutor(max_workers=3): three threads take the URLs one after another
from the pool's queue, however many URLs there are. Spans record, per URL, when it was submitted,
when a thread took it and when it finished (time.monotonic(), the shared clock).
Run alone: python3 03_thread_pool.py http://127.0.0.1:8000/delay/150 12 3
"""
import json
import platform
import resource
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit


def now_ms():
    return time.monotonic() * 1000


def cpu_ms():
    """User + system CPU time this process has used so far, in ms."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def fetch(url, submitted):
    start = now_ms()
    request = urllib.request.Request(url, headers={"X-Sent-At": f"{start:.3f}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read().decode()
    lane = threading.current_thread().name
    return body, {"label": url.split("?")[-1], "lane": lane, "submitted": submitted,
                  "start": start, "end": now_ms()}


if __name__ == "__main__":
    base = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    began, startup_cpu = now_ms(), cpu_ms()  # after start-up and imports
    with ThreadPoolExecutor(max_workers=workers) as pool:
        slash = "" if urlsplit(base).path else "/"
        futures = [pool.submit(fetch, f"{base}{slash}?req={i}", now_ms()) for i in range(1, n + 1)]
        results = [f.result() for f in futures]
    spans = [r for _, r in results]
    waits = [{"lane": f"queue {s['label']}", "label": s["label"], "start": s["submitted"],
              "end": s["start"], "kind": "queued"}
             for s in spans if s["start"] - s["submitted"] > 1]
    print(json.dumps({"python": platform.python_version(), "inScriptMs": now_ms() - began,
                      "startupCpuMs": startup_cpu,
                      "threads": sorted({s["lane"] for s in spans}), "spans": spans + waits}))
