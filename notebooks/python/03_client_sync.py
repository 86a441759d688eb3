"""The lecture's first client (client_sync.py), on the standard library: urllib stands in for
requests, which is not installed here. It fetches the URLs one after the other.

Every request carries its send time in an X-Sent-At header, in ms on time.monotonic() (on Linux the
same CLOCK_MONOTONIC that Node's process.hrtime and the lib's now() read), so the slow server can
say how long the request waited in its listen backlog. Each request is also recorded as a span on
that clock, so the notebook can draw Python's timeline beside Node's.
Run alone: python3 03_client_sync.py http://127.0.0.1:8000 3
"""
import json
import platform
import resource
import sys
import threading
import time
import urllib.request


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
def main(base, n):
    spans, bodies = [], []
    for i in range(1, n + 1):
        start = now_ms()
        bodies.append(get(f"{base}/?req={i}"))
        spans.append({"lane": threading.current_thread().name, "label": f"GET req {i}",
                      "start": start, "end": now_ms()})
    return bodies, spans
# ------------------------------------------------------------------------------------------------


if __name__ == "__main__":
    began, startup = now_ms(), cpu_ms()  # after start-up and imports: the client's part begins
    bodies, spans = main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    print(json.dumps({
        "python": platform.python_version(), "began": began, "inScriptMs": now_ms() - began,
        "startupCpuMs": startup["userMs"] + startup["sysMs"],
        "bodies": sorted(set(bodies)), "responses": len(bodies), "spans": spans, **cpu_ms(),
    }))
