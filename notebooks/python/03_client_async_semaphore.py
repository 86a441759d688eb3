"""The lecture's client_async_with_semaphore.py on the standard library: every URL gets a task at
once, but an asyncio.Semaphore lets only `limit` of them past at a time, so at most `limit` requests
are in flight. HTTP over asyncio streams as in 03_client_async.py (aiohttp is not installed here).
The time each task waits for the semaphore is recorded as a "waiting" span.
Run alone: python3 03_client_async_semaphore.py http://127.0.0.1:8000 9 3
"""
import asyncio
import json
import platform
import resource
import sys
import time
from urllib.parse import urlsplit


def now_ms():
    return time.monotonic() * 1000


def cpu_ms():
    """User and system CPU time of this process and of its children that have been waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = own.ru_utime + children.ru_utime
    system = own.ru_stime + children.ru_stime
    return {"userMs": user * 1000, "sysMs": system * 1000}


async def get(url):
    """GET over one new connection (HTTP/1.1, Connection: close); returns the body as text."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    writer.write(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nX-Sent-At: {now_ms():.3f}\r\n"
                 "Connection: close\r\n\r\n".encode())
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    return response.partition(b"\r\n\r\n")[2].decode()


# --- the client ---------------------------------------------------------------------------------
async def bounded_fetch(semaphore, url, i, spans):
    lane = f"task {i}"
    queued = now_ms()
    async with semaphore:  # at most `limit` tasks get past this line at once
        start = now_ms()
        spans.append({"lane": lane, "label": "waiting for the semaphore",
                      "start": queued, "end": start, "kind": "waiting"})
        body = await get(url)
    spans.append({"lane": lane, "label": f"GET req {i}", "start": start, "end": now_ms(),
                  "kind": "io"})
    return body


async def main(base, n, limit):
    semaphore = asyncio.Semaphore(limit)
    spans = []
    tasks = [asyncio.create_task(bounded_fetch(semaphore, f"{base}/?req={i}", i, spans))
             for i in range(1, n + 1)]
    return await asyncio.gather(*tasks), spans
# ------------------------------------------------------------------------------------------------


if __name__ == "__main__":
    began, startup = now_ms(), cpu_ms()  # after start-up and imports: the client's part begins
    base = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    bodies, spans = asyncio.run(main(base, n, limit))
    print(json.dumps({
        "python": platform.python_version(), "began": began, "inScriptMs": now_ms() - began,
        "startupCpuMs": startup["userMs"] + startup["sysMs"],
        "bodies": sorted(set(bodies)), "responses": len(bodies), "spans": spans, **cpu_ms(),
    }))
