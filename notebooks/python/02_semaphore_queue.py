"""asyncio.Semaphore and asyncio.Queue, measured (standard library only).

  python3 02_semaphore_queue.py semaphore URL COUNT LIMIT
      COUNT GET requests to URL (each with ?i=<n>), at most LIMIT at a time under
      an asyncio.Semaphore. aiohttp is not in the standard library, so each
      request is plain HTTP/1.1 over asyncio.open_connection. Reports the total
      time and the most requests in flight at once.
  python3 02_semaphore_queue.py queue ITEMS MAXSIZE ITEM_MS
      A producer puts ITEMS numbers into asyncio.Queue(MAXSIZE) and then None;
      one consumer takes ITEM_MS per item. Reports how often put() had to wait
      for room, and when each side finished.
Each mode prints one JSON line last.
"""
import asyncio
import json
import platform
import sys
import time
from urllib.parse import urlsplit


async def http_get(url):
    """One GET over a new connection; returns the status code."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    head = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
    writer.write(head.encode())
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    await reader.read()  # the rest, until the server closes
    writer.close()
    await writer.wait_closed()
    return status


async def limited(url, count, limit):
    gate = asyncio.Semaphore(limit)
    in_flight = most = 0

    async def one(i):
        nonlocal in_flight, most
        async with gate:
            in_flight += 1
            most = max(most, in_flight)
            try:
                return await http_get(f"{url}?i={i}")
            finally:
                in_flight -= 1

    start = time.perf_counter()
    statuses = await asyncio.gather(*(one(i) for i in range(count)))
    return {"totalMs": (time.perf_counter() - start) * 1000, "mostInFlight": most,
            "ok": sum(s == 200 for s in statuses), "count": count, "limit": limit}


async def bounded_queue(items, maxsize, item_ms):
    queue = asyncio.Queue(maxsize=maxsize)
    start = time.perf_counter()
    waits = 0
    done = {}

    async def produce():
        nonlocal waits
        for n in range(items):
            if queue.full():
                waits += 1
            await queue.put(n)  # waits while the queue is full
        await queue.put(None)  # "no more"
        done["producerMs"] = (time.perf_counter() - start) * 1000

    async def consume():
        handled = []
        while (item := await queue.get()) is not None:
            await asyncio.sleep(item_ms / 1000)
            handled.append(item)
        done["consumerMs"] = (time.perf_counter() - start) * 1000
        return handled

    _, handled = await asyncio.gather(produce(), consume())
    return {"items": len(handled), "inOrder": handled == list(range(items)),
            "producerWaits": waits, **done}


def main():
    mode = sys.argv[1]
    if mode == "semaphore":
        result = asyncio.run(limited(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    else:
        result = asyncio.run(bounded_queue(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])))
    print(json.dumps({"python": platform.python_version(), "mode": mode, **result}))


if __name__ == "__main__":
    main()
