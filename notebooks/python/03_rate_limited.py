"""The lecture's third open question, "an API with a usage limit", against the slow server's
/rate/N endpoint (at most N requests per one-second window, 429 Too Many Requests with Retry-After
beyond). Three clients send the same `total` requests with 3 threads:
- "no limit": as fast as the threads go; a 429 counts as a failure;
- "retry": the same, but on a 429 the thread sleeps Retry-After seconds and tries again;
- "limiter": a per-second limiter lets a request go only while fewer than N were sent in the last
  second (plus a small margin for the trip to the server), so no 429 should come back.
Run alone: python3 03_rate_limited.py http://127.0.0.1:8000 5 15 limiter
"""
import collections
import json
import platform
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def now_ms():
    return time.monotonic() * 1000


class PerSecondLimiter:
    """At most `n` acquisitions in any `window_s` seconds (a sliding log of send times)."""

    def __init__(self, n, window_s=1.0, margin_s=0.05):
        self.n, self.window = n, window_s + margin_s
        self.sent, self.lock = collections.deque(), threading.Lock()

    def acquire(self):
        while True:
            with self.lock:
                now = time.monotonic()
                while self.sent and now - self.sent[0] >= self.window:
                    self.sent.popleft()
                if len(self.sent) < self.n:
                    self.sent.append(now)
                    return
                wait = self.window - (now - self.sent[0])
            time.sleep(wait)


def get(url):
    """(status, Retry-After seconds or None)."""
    request = urllib.request.Request(url, headers={"X-Sent-At": f"{now_ms():.3f}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, None
    except urllib.error.HTTPError as err:  # urllib raises for 4xx/5xx; a 429 is one of them
        return err.code, err.headers.get("Retry-After")


def run(url, total, mode, n):
    limiter = PerSecondLimiter(n) if mode == "limiter" else None
    counts = collections.Counter()
    lock = threading.Lock()

    def one(_):
        while True:
            if limiter:
                limiter.acquire()
            status, retry_after = get(url)
            with lock:
                counts[status] += 1
            if status == 429 and mode == "retry":
                time.sleep(float(retry_after or 1))
                continue
            return status

    with ThreadPoolExecutor(max_workers=3) as pool:
        final = list(pool.map(one, range(total)))
    return {"finalOk": final.count(200), "responses": dict(counts)}


if __name__ == "__main__":
    base, n, total, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    start = now_ms()
    result = run(f"{base}/rate/{n}", total, mode, n)
    print(json.dumps({"python": platform.python_version(), "mode": mode, "limit": n, "total": total,
                      "wallMs": now_ms() - start, **result}))
