"""The lecture's async client (client_async.py) on the standard library: aiohttp is not installed
here, so each task speaks HTTP/1.1 itself over asyncio streams (open_connection). One coroutine per
URL, all started with gather, in today's form: asyncio.run(main()) and no loop= arguments.

It also lists the threads alive while the requests are in flight. When the URL's host is a name
(localhost), asyncio resolves it with getaddrinfo in its default thread pool, so an extra thread
("asyncio_0") appears: the one the lecture's PyCharm diagram showed. A numeric address (127.0.0.1)
needs no lookup and no thread.
Run alone: python3 03_client_async.py http://127.0.0.1:8000 3
"""
import asyncio
import json
import platform
import resource
import sys
import threading
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
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    writer.write(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nX-Sent-At: {now_ms():.3f}\r\n"
                 "Connection: close\r\n\r\n".encode())
    response = await reader.read()  # the server closes the connection after the body
    writer.close()
    await writer.wait_closed()
    head, _, body = response.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.split(b"\r\n")[0].decode())
    return body.decode()


# --- the client ---------------------------------------------------------------------------------
async def fetch(url, i, spans):
    start = now_ms()
    body = await get(url)
    spans.append({"lane": f"{threading.current_thread().name} · task {i}", "label": f"GET req {i}",
                  "start": start, "end": now_ms()})
    return body


async def main(base, n):
    spans = []
    tasks = [asyncio.create_task(fetch(f"{base}/?req={i}", i, spans)) for i in range(1, n + 1)]
    await asyncio.sleep(0.05)  # the requests are in flight: which threads exist now?
    threads = sorted(t.name for t in threading.enumerate())
    return await asyncio.gather(*tasks), spans, threads
# ------------------------------------------------------------------------------------------------


if __name__ == "__main__":
    began, startup = now_ms(), cpu_ms()  # after start-up and imports: the client's part begins
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    bodies, spans, threads = asyncio.run(main(sys.argv[1], n))
    print(json.dumps({
        "python": platform.python_version(), "began": began, "inScriptMs": now_ms() - began,
        "startupCpuMs": startup["userMs"] + startup["sysMs"],
        "bodies": sorted(set(bodies)), "responses": len(bodies), "spans": spans,
        "threadsDuringRequests": threads, "host": urlsplit(sys.argv[1]).hostname, **cpu_ms(),
    }))
