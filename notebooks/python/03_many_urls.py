"""Many URLs at once, two ways: one thread per URL (threading + http.client), or one event loop
with a task per URL (asyncio streams). Both send every request at once to a server that can answer
all of them together, so the time is the server's delay plus what the client costs.

Memory is read when the last request has been sent and all are in flight: this process's
proportional set size (PSS, /proc/self/smaps_rollup on Linux; RSS elsewhere, named as such), and
the number of threads alive then.
Run alone: python3 03_many_urls.py http://127.0.0.1:8000 500 threads|async
"""
import asyncio
import json
import platform
import sys
import threading
import time
import http.client
from urllib.parse import urlsplit


def now_ms():
    return time.monotonic() * 1000


def cpu_ms():
    """User + system CPU time this process has used so far, in ms (start-up and imports included)."""
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def memory():
    """(bytes, "PSS") from smaps_rollup where it exists, else (bytes, "RSS")."""
    try:
        with open("/proc/self/smaps_rollup") as f:
            return next(int(l.split()[1]) * 1024 for l in f if l.startswith("Pss:")), "PSS"
    except OSError:
        import resource  # ru_maxrss: KiB on Linux, bytes on macOS
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return (rss if sys.platform == "darwin" else rss * 1024), "RSS (peak)"


class Peak:
    """Reads memory and the thread count once, when the last of `n` requests has been sent."""

    def __init__(self, n):
        self.left, self.lock, self.reading = n, threading.Lock(), None

    def sent(self):
        with self.lock:
            self.left -= 1
            if self.left == 0:
                self.reading = (*memory(), threading.active_count())


def with_threads(urls, peak):
    def fetch(url):
        parts = urlsplit(url)
        # http.client is what urllib uses inside; it lets us note the moment the request is sent
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        sent_at = {"X-Sent-At": f"{now_ms():.3f}"}
        connection.request("GET", f"{parts.path}?{parts.query}", headers=sent_at)
        peak.sent()  # sent: now this thread blocks until the answer comes
        connection.getresponse().read()
        connection.close()

    threads = [threading.Thread(target=fetch, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


async def with_asyncio(urls, peak):
    async def fetch(url):
        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     f"X-Sent-At: {now_ms():.3f}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        peak.sent()
        await reader.read()
        writer.close()
        await writer.wait_closed()

    await asyncio.gather(*(fetch(u) for u in urls))


if __name__ == "__main__":
    base, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    urls = [f"{base}/?req={i}" for i in range(1, n + 1)]
    before, measure = memory()
    peak = Peak(n)
    start, startup_cpu = now_ms(), cpu_ms()
    if mode == "threads":
        with_threads(urls, peak)
    else:
        asyncio.run(with_asyncio(urls, peak))
    wall = now_ms() - start
    at_peak, _, threads = peak.reading
    print(json.dumps({
        "python": platform.python_version(), "mode": mode, "urls": n, "wallMs": wall,
        "startupCpuMs": startup_cpu,
        "memoryBefore": before, "memoryInFlight": at_peak, "measure": measure,
        "threadsInFlight": threads,
    }))
