"""A ThreadPoolExecutor fetching URLs: in which order do the results arrive?

Three ways over the same URLs (given on the command line):
  map         results in input order
  submit      one Future per URL, then each Future's result in input order
  as_completed  each result as soon as its request is done
For every result: the body the server sent, and when it was seen (ms after the
way's start). Also reported: how long the pool's threads took to start.
Run alone:  python3 02_thread_pool_fetch.py URL [URL ...]   (prints one JSON line last)
"""
import json
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from urllib.request import urlopen


def read_page(address):
    with urlopen(address, timeout=10) as reply:  # blocks this thread, not the others
        body = reply.read()
    return body.decode().strip()


def since(start):
    return round((time.perf_counter() - start) * 1000)


def main(addresses):
    seen = {}
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(time.sleep, [0.05] * len(addresses)))  # one thread per URL, started
        seen["threadStartMs"] = since(start) - 50

        start = time.perf_counter()
        seen["map"] = [[body, since(start)] for body in pool.map(read_page, addresses)]

        start = time.perf_counter()
        pending = [pool.submit(read_page, address) for address in addresses]
        seen["submit"] = []
        for future in pending:
            seen["submit"].append([future.result(), since(start)])

        start = time.perf_counter()
        pending = [pool.submit(read_page, address) for address in addresses]
        seen["asCompleted"] = [[f.result(), since(start)] for f in as_completed(pending)]
    print(json.dumps({"python": platform.python_version(), **seen}))


if __name__ == "__main__":
    main(sys.argv[1:])
