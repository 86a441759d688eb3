"""How a function travels to a process pool: pickle sends its name, not its code.

1. pickle.dumps(count_primes) holds only the module and the qualified name: the child imports the
   module and looks the name up.
2. A lambda has no name to look up, so pickling it fails, and so does the post's
   `executor.map(lambda r: count_primes(*r), ranges)`.
3. The fix: pass the top-level function itself (here with map over two sequences).
Run alone: python3 01_pickle_by_reference.py [limit, default 1000000 as in the post]
"""
import json
import math
import multiprocessing
import pickle
import pickletools
import platform
import re
import sys
from concurrent.futures import ProcessPoolExecutor



def is_prime(n):
    if n < 2:
        return False
    return all(n % d for d in range(2, math.isqrt(n) + 1))


def count_primes(start, end):
    return sum(1 for n in range(start, end) if is_prime(n))


def what_pickle_sends(obj):
    """The opcodes and string arguments of obj's pickle: what the other process receives."""
    data = pickle.dumps(obj)
    ops = [(op.name, arg) for op, arg, _ in pickletools.genops(data)]
    return {"bytes": len(data), "strings": [a for _, a in ops if isinstance(a, str)],
            "opcodes": [name for name, _ in ops]}


def error_text(err):
    return f"{type(err).__name__}: {re.sub(r' at 0x[0-9a-f]+', '', str(err))}"


def four_ranges(limit):
    """The post's four ranges for limit=1,000,000: (1, 250000), (250000, 500000), ..."""
    edges = [1] + [limit * k // 4 for k in (1, 2, 3, 4)]
    return list(zip(edges[:-1], edges[1:]))


def main(posts_lambda, limit):
    ranges = four_ranges(limit)
    result = {"python": platform.python_version(),
              "startMethod": multiprocessing.get_start_method(),
              "topLevelFunction": what_pickle_sends(count_primes)}
    try:
        pickle.dumps(posts_lambda)
    except Exception as err:
        result["lambdaPickle"] = error_text(err)
    with ProcessPoolExecutor(max_workers=4) as pool:
        try:
            list(pool.map(posts_lambda, ranges))  # the post's line
            result["postsMap"] = "no error"
        except Exception as err:
            result["postsMap"] = error_text(err)
        starts, ends = zip(*ranges)
        result["limit"] = limit
        result["fixedMap"] = sum(pool.map(count_primes, starts, ends))
    print(json.dumps(result))


if __name__ == "__main__":
    # The post's lambda, made at module level as in the post: its qualified name is "<lambda>".
    main(lambda r: count_primes(*r), int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
