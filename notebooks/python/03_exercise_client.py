"""Exercise (the lecture's closing practice): fetch every URL given on the command line with at most
LIMIT requests in flight, and print the bodies in URL order as JSON. Use threading, a
ThreadPoolExecutor, multiprocessing or asyncio: your choice. The notebook marks the result from the
slow server's own records.

This starting version is correct but slow: it fetches one URL after the other.
Run alone: python3 03_exercise_client.py LIMIT URL [URL ...]
"""
import json
import platform
import sys
import time
import urllib.request


def get(url):
    request = urllib.request.Request(url, headers={"X-Sent-At": f"{time.monotonic() * 1000:.3f}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode()


def fetch_all(urls, limit):
    # TODO: keep `limit` requests in flight instead of one.
    return [get(url) for url in urls]


if __name__ == "__main__":
    limit, urls = int(sys.argv[1]), sys.argv[2:]
    print(json.dumps({"python": platform.python_version(), "bodies": fetch_all(urls, limit)}))
