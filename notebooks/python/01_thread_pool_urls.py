"""The post's ThreadPoolExecutor download, with the standard library's blocking urllib instead of
requests (not installed here): submit one download per URL to 3 threads, take them with
as_completed, and handle each future's error on its own.
Run alone: python3 01_thread_pool_urls.py URL [URL ...]
"""
import json
import platform
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch_url(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # blocks this thread until done
        return {"status": response.status, "characters": len(response.read().decode())}


def main(urls):
    start = time.perf_counter()
    rows = []
    with ThreadPoolExecutor(max_workers=3) as executor:
        futures = {executor.submit(fetch_url, url): url for url in urls}
        for future in as_completed(futures):
            row = {"url": futures[future], "msAfterStart": (time.perf_counter() - start) * 1000}
            try:
                row["outcome"] = "ok: {characters} characters".format(**future.result())
            except Exception as err:  # urllib raises HTTPError for a 500
                row["outcome"] = f"error: {type(err).__name__}: {err}"
            rows.append(row)
    print(json.dumps({"python": platform.python_version(), "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1:])
