"""The lecture's client_multiprocessing.py on the standard library: Pool(3).map(fetch, urls), with
urllib instead of requests. It reports the start method the pool used (fork is Linux's default up
to Python 3.13; 3.14 made forkserver the default there, per its docs), how long creating the Pool
took, a span per request on its worker process's lane, and each worker's proportional set size
(PSS: pages shared with the parent after a fork are split between the sharers, so a forked child
that only reads what it inherited adds little).
Run alone: python3 03_client_multiprocessing.py http://127.0.0.1:8000 3 3 [fork|spawn|forkserver]
"""
import json
import multiprocessing
import os
import platform
import resource
import sys
import time
import urllib.request


def now_ms():
    return time.monotonic() * 1000


def get(url):
    request = urllib.request.Request(url, headers={"X-Sent-At": f"{now_ms():.3f}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode()


def own_pss_kib():
    """This process's proportional set size (Linux /proc/self/smaps_rollup), or None elsewhere."""
    try:
        with open("/proc/self/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except OSError:
        return None


def cpu_ms():
    """User and system CPU time of this process and of its children that have been waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = own.ru_utime + children.ru_utime
    system = own.ru_stime + children.ru_stime
    return {"userMs": user * 1000, "sysMs": system * 1000}


# --- the client ---------------------------------------------------------------------------------
def fetch(url):  # a top-level function: the pool sends it to the workers by name
    start = now_ms()
    body = get(url)
    span = {"lane": f"pid {os.getpid()}", "label": url.split("?")[-1],
            "start": start, "end": now_ms()}
    return body, span, own_pss_kib()


def main(base, n, processes):
    urls = [f"{base}/?req={i}" for i in range(1, n + 1)]
    before = now_ms()
    with multiprocessing.Pool(processes=processes) as pool:
        created = now_ms()  # Pool() returns once its workers are started, not when they are ready
        results = pool.map(fetch, urls)
    pss = {span["lane"]: kib for _, span, kib in results}  # read as each worker finished a request
    bodies = [body for body, _, _ in results]
    spans = [span for _, span, _ in results]
    return bodies, spans, created - before, pss
# ------------------------------------------------------------------------------------------------


if __name__ == "__main__":
    if len(sys.argv) > 4:
        multiprocessing.set_start_method(sys.argv[4])
    began, startup = now_ms(), cpu_ms()  # after start-up and imports: the client's part begins
    base = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    processes = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    bodies, spans, pool_ms, pss = main(base, n, processes)
    print(json.dumps({
        "python": platform.python_version(), "startMethod": multiprocessing.get_start_method(),
        "began": began, "inScriptMs": now_ms() - began,
        "startupCpuMs": startup["userMs"] + startup["sysMs"], "poolCreateMs": pool_ms,
        "workerPssKiB": pss, "mainPssKiB": own_pss_kib(),
        "bodies": sorted(set(bodies)), "responses": len(bodies), "spans": spans, **cpu_ms(),
    }))
