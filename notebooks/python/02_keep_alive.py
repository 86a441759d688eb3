"""Connection reuse in Python's standard library, the nearest thing here to an
aiohttp session (aiohttp itself is not in the standard library).

  python3 02_keep_alive.py URL COUNT MODE
      MODE "keep-alive": COUNT GET requests in a row over one
      http.client.HTTPConnection (HTTP/1.1 keeps it open between requests).
      MODE "new": a new connection for every request, closed after it.
Reports the wall and CPU time of the COUNT requests (the interpreter's start-up
not included) and how many connections were opened. Prints one JSON line last.
"""
import http.client
import json
import platform
import sys
import time
from urllib.parse import urlsplit


def get(connection, target, sockets):
    connection.request("GET", target)
    if all(connection.sock is not seen for seen in sockets):
        sockets.append(connection.sock)  # a new socket object: a new TCP connection
    reply = connection.getresponse()
    reply.read()  # the whole body, so the connection can serve the next request
    return reply.status


def main():
    parts = urlsplit(sys.argv[1])
    count, mode = int(sys.argv[2]), sys.argv[3]
    target = parts.path or "/"
    sockets = []  # every socket used, kept alive so that each is counted once
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "keep-alive":
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        statuses = [get(connection, target, sockets) for _ in range(count)]
        connection.close()
    else:
        statuses = []
        for _ in range(count):
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            statuses.append(get(connection, target, sockets))
            connection.close()
    wall_ms = (time.perf_counter() - start) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    print(json.dumps({"python": platform.python_version(), "mode": mode, "wallMs": wall_ms,
                      "cpuMs": cpu_ms, "connections": len(sockets), "ok": statuses.count(200)}))


if __name__ == "__main__":
    main()
