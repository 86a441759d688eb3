"""Does a thread that hashes let the others run? C code that releases the GIL against a Python loop.

Two kinds of hashing work:
  c_hash       -- hashlib.pbkdf2_hmac: its whole loop runs in C (OpenSSL), with the GIL released;
  python_hash  -- a SHA-256 chain driven by a Python loop: each sha256() call gets 32 bytes,
                  and hashlib releases the GIL only for inputs larger than 2047 bytes,
                  so this thread holds it.
  python3 01_gil_release.py calibrate 50               -> iterations of ~50 ms of CPU, each kind
  python3 01_gil_release.py c_hash threads 200000      -> 2 hashes in 2 threads: wall and CPU time
  python3 01_gil_release.py c_hash in_turn 200000      -> the same 2 hashes one after the other
  python3 01_gil_release.py main_loop 200000 20000 3   -> a main-thread loop beside each kind
  python3 01_gil_release.py                            -> calibrate, then everything once
"""
import hashlib
import json
import platform
import statistics
import sys
import threading
import time

PASSWORD, SALT = b"password", b"salt"


def c_hash(iterations):
    return hashlib.pbkdf2_hmac("sha256", PASSWORD, SALT, iterations)


def python_hash(iterations):
    digest = PASSWORD + SALT
    for _ in range(iterations):
        digest = hashlib.sha256(digest).digest()
    return digest


HASHES = {"c_hash": c_hash, "python_hash": python_hash}


def gil_enabled():
    """False only on a free-threaded build running without its GIL (3.13t/3.14t)."""
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else check()


def cpu_ms(hash_fn, iterations):
    """CPU time of one hash on this thread, in ms: other programs do not stretch it, so a busy
    machine does not make the calibrated hash smaller."""
    start = time.thread_time()
    hash_fn(iterations)
    return (time.thread_time() - start) * 1000


def calibrate(hash_fn, target_ms):
    probe = 2_000
    while cpu_ms(hash_fn, probe) < 10:  # a probe long enough to time well
        probe *= 2
    fastest = min(cpu_ms(hash_fn, probe) for _ in range(3))
    return max(probe, int(probe * target_ms / fastest))


def two_hashes(hash_fn, iterations, where):
    """Two hashes, `in_turn` or in two `threads`; wall and CPU time (all threads) in ms."""
    wall, cpu = time.perf_counter(), time.process_time()
    if where == "threads":
        threads = [threading.Thread(target=hash_fn, args=(iterations,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        hash_fn(iterations)
        hash_fn(iterations)
    return {"wallMs": (time.perf_counter() - wall) * 1000,
            "cpuMs": (time.process_time() - cpu) * 1000}


def count_while(busy):
    """Main-thread loop turns per ms while busy() is true, and the longest gap between turns."""
    turns, start, last, longest = 0, time.perf_counter(), time.perf_counter(), 0.0
    while busy():
        turns += 1
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    elapsed = time.perf_counter() - start
    return {"turnsPerMs": turns / (elapsed * 1000), "longestGapMs": longest * 1000,
            "ms": elapsed * 1000}


def main_loop_round(iterations):
    """The main loop beside a thread running each hash, then beside one that sleeps as long
    (in effect the loop alone, checked the same way)."""
    report = {}
    for name, fn in {**HASHES, "sleep": time.sleep}.items():
        arg = report["beside c_hash"]["ms"] / 1000 if name == "sleep" else iterations[name]
        worker = threading.Thread(target=fn, args=(arg,))
        worker.start()
        report[f"beside {name}"] = count_while(worker.is_alive)
        worker.join()
    return report


def main_loop(iterations, rounds):
    """Medians over `rounds` rounds; each run's speed is also taken relative to its round's
    sleep run (`shareOfAlone`), so a change in machine load between rounds cancels out."""
    runs = [main_loop_round(iterations) for _ in range(rounds)]
    report = {}
    for key in runs[0]:
        report[key] = {
            "turnsPerMs": statistics.median(r[key]["turnsPerMs"] for r in runs),
            "longestGapMs": statistics.median(r[key]["longestGapMs"] for r in runs),
            "shareOfAlone": statistics.median(
                r[key]["turnsPerMs"] / r["beside sleep"]["turnsPerMs"] for r in runs),
        }
    return report


def main():
    args = sys.argv[1:]
    info = {"python": platform.python_version(), "switchIntervalMs": sys.getswitchinterval() * 1000,
            "gil": gil_enabled()}
    if args and args[0] == "calibrate":
        target = float(args[1]) if len(args) > 1 else 50
        iterations = {k: calibrate(f, target) for k, f in HASHES.items()}
        print(json.dumps({**info, "iterations": iterations}))
    elif args and args[0] in HASHES:
        print(json.dumps({**info, **two_hashes(HASHES[args[0]], int(args[2]), args[1])}))
    elif args and args[0] == "main_loop":
        iterations = {"c_hash": int(args[1]), "python_hash": int(args[2])}
        rounds = int(args[3]) if len(args) > 3 else 3
        print(json.dumps({**info, "rounds": rounds, "mainLoop": main_loop(iterations, rounds)}))
    else:
        iterations = {k: calibrate(f, 50) for k, f in HASHES.items()}
        runs = {f"{k} {w}": two_hashes(HASHES[k], iterations[k], w)
                for k in HASHES for w in ("in_turn", "threads")}
        print(json.dumps({**info, "iterations": iterations, "runs": runs,
                          "mainLoop": main_loop(iterations, 3)}))


if __name__ == "__main__":
    main()
