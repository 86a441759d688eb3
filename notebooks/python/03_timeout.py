"""The lecture's open question "what if a request times out?", answered on the standard library:
urllib.request.urlopen(url, timeout=...) gives up on a socket that stays silent that long
(requests.get(url, timeout=...) does the same). The client stops waiting; whether the server stops
working is the server's business (the notebook checks its records).
Run alone: python3 03_timeout.py http://127.0.0.1:8000/delay/3000 0.3
"""
import json
import platform
import sys
import time
import urllib.request


def now_ms():
    return time.monotonic() * 1000


if __name__ == "__main__":
    url, timeout_s = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
    start = now_ms()
    request = urllib.request.Request(url, headers={"X-Sent-At": f"{start:.3f}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            outcome = f"answered: {response.read().decode().strip()}"
    except Exception as err:  # a socket timeout is TimeoutError from 3.10 (socket.timeout before)
        outcome = f"{type(err).__name__}: {err}"
    print(json.dumps({"python": platform.python_version(), "outcome": outcome,
                      "gaveUpAfterMs": now_ms() - start, "sent": start}))
