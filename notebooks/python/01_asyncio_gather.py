"""The post's asyncio download with the standard library only: aiohttp is not part of it, so each
GET is written by hand on an asyncio stream (asyncio.open_connection), one connection per request.

The URLs are fetched twice: awaited one after the other, then all together with asyncio.gather.
  python3 01_asyncio_gather.py http://127.0.0.1:8000/?request=1 http://127.0.0.1:8000/?request=2
prints one JSON line: the wall time of each way, and each request's start and end (ms after the
batch started) with its HTTP status.
"""
import asyncio
import json
import platform
import sys
import time
from urllib.parse import urlsplit


async def get(url):
    """One HTTP/1.1 GET on its own connection; returns the status code and the body's length."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
                 .encode("ascii"))
    await writer.drain()
    response = await reader.read()  # until the server closes the connection
    writer.close()
    await writer.wait_closed()
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, len(body)


async def timed(url, origin, spans):
    start = (time.perf_counter() - origin) * 1000
    status, size = await get(url)
    spans.append({"url": url, "status": status, "bytes": size, "start": start,
                  "end": (time.perf_counter() - origin) * 1000})


async def in_turn(urls, spans):
    origin = time.perf_counter()
    for url in urls:
        await timed(url, origin, spans)
    return (time.perf_counter() - origin) * 1000


async def together(urls, spans):
    origin = time.perf_counter()
    await asyncio.gather(*(timed(url, origin, spans) for url in urls))
    return (time.perf_counter() - origin) * 1000


async def main(urls):
    turn_spans, gather_spans = [], []
    in_turn_ms = await in_turn(urls, turn_spans)
    gather_ms = await together(urls, gather_spans)
    return {"inTurnMs": in_turn_ms, "gatherMs": gather_ms,
            "inTurn": turn_spans, "gather": gather_spans}


if __name__ == "__main__":
    result = asyncio.run(main(sys.argv[1:]))
    print(json.dumps({"python": platform.python_version(), **result}))
