"""The article's second sample with the standard library only: fetch several URLs concurrently,
then "analyse" each text by its length, as the article does.

aiohttp is not part of the standard library, so each GET is a blocking urllib call handed to a
thread with asyncio.to_thread (Python 3.9+) and gathered. Then the len() analysis runs three ways:
  inline        -- len(text) for each text, in the event loop's thread;
  fresh pool    -- inside `with ProcessPoolExecutor() as pool:`, as the article writes it, so the
                   pool (its processes) is started and shut down on every call;
  reused pool   -- the same run_in_executor calls on a pool started once, before timing.
Each way runs `rounds` times, in turn. Times in ms; cpuMs is this process's CPU time, plus for the
fresh pool its workers' CPU read from /proc just before the pool shuts down (start-up included;
Linux only, else left out), and for the reused pool the CPU time of the analysis calls in its live
workers (time.thread_time, measured there). The pools use the given start method
(default: this platform's), so fork (Linux up to 3.13) and forkserver (Linux from 3.14) can be
compared.
forkWarnings lists the warnings Python gave when a pool forked this process while it had
other threads (to_thread's pool, the reused pool's manager thread): from Python 3.12,
os.fork() warns (DeprecationWarning, hidden by default filters) that a fork of a
multi-threaded process may deadlock in the child. 3.11 does not check, so the list is empty
there. Under forkserver and spawn the workers are not forks of this process: no warning.
Run alone: python3 05_fetch_analyse.py BASE_URL [count] [rounds] [fork|spawn|forkserver]
"""
import asyncio
import json
import multiprocessing
import os
import platform
import re
import statistics
import sys
import time
import urllib.request
import warnings
from concurrent.futures import ProcessPoolExecutor


def get_text(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def analysis(text):
    return f"analysed: {len(text)} characters"


def timed_analysis(text):
    """analysis() with the CPU time (ms) of the thread that ran it, for the reused pool's CPU."""
    cpu = time.thread_time()
    result = analysis(text)
    return result, (time.thread_time() - cpu) * 1000


async def fetch_all(urls):
    return await asyncio.gather(*(asyncio.to_thread(get_text, url) for url in urls))


async def analyse_in(pool, texts, fn=analysis):
    loop = asyncio.get_running_loop()
    return await asyncio.gather(*(loop.run_in_executor(pool, fn, t) for t in texts))


async def fresh_pool(texts, ctx):
    """The article's pattern, a new pool per call; also returns its workers' CPU time (ms)."""
    with ProcessPoolExecutor(mp_context=ctx) as pool:
        results = await analyse_in(pool, texts)
        return results, workers_cpu_ms(pool)


def workers_cpu_ms(pool):
    """CPU time (ms) the pool's live worker processes have used so far, from /proc/<pid>/stat
    (Linux; None elsewhere). Read before the pool shuts down: under forkserver the workers are
    the fork server's children, not ours, so os.times never counts them."""
    try:
        ticks = 0
        for pid in pool._processes:  # private: read here only to find the workers' pids
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None


def cpu_ms():
    return time.process_time() * 1000  # this process, all its threads


async def measure(way, texts, ctx, reused):
    """One run of one way: wall time and CPU time (see the module comment), in ms."""
    start, cpu, extra = time.perf_counter(), cpu_ms(), 0.0
    if way == "inline":
        results = [analysis(t) for t in texts]
    elif way == "fresh pool":
        results, workers = await fresh_pool(texts, ctx)
        extra = workers if workers is not None else 0.0
    else:
        pairs = await analyse_in(reused, texts, timed_analysis)
        results = [r for r, _ in pairs]
        extra = sum(c for _, c in pairs)  # the live workers' CPU, as the analysis calls measured it
    wall = (time.perf_counter() - start) * 1000
    return {"wallMs": wall, "cpuMs": cpu_ms() - cpu + extra}, results


async def main(base, count, rounds, method):
    ctx = multiprocessing.get_context(method)
    urls = [f"{base}/?doc={i + 1}" for i in range(count)]
    start = time.perf_counter()
    texts = await fetch_all(urls)
    fetch_ms = (time.perf_counter() - start) * 1000
    samples = {"inline": [], "fresh pool": [], "reused pool": []}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeprecationWarning)
        with ProcessPoolExecutor(mp_context=ctx) as reused:
            await analyse_in(reused, texts)  # start its workers before timing
            for _ in range(rounds):
                for way in samples:
                    sample, results = await measure(way, texts, ctx, reused)
                    samples[way].append(sample)
    fork_warnings = sorted({re.sub(r"pid=\d+", "pid=…", str(w.message)) for w in caught
                            if "fork" in str(w.message)})
    return {"python": platform.python_version(), "startMethod": method,
            "forkWarnings": fork_warnings, "forkWarningCount": sum(
                "fork" in str(w.message) for w in caught),
            "cpuCount": os.cpu_count(), "fetchMs": fetch_ms, "results": results,
            "medianMs": {w: statistics.median(x["wallMs"] for x in v) for w, v in samples.items()},
            "samples": samples}


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python3 05_fetch_analyse.py BASE_URL [count] [rounds] [start_method]")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    r = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    m = sys.argv[4] if len(sys.argv) > 4 else multiprocessing.get_start_method()
    print(json.dumps(asyncio.run(main(sys.argv[1].rstrip("/"), n, r, m))))
