"""Compare wrk runs: median, spread and ratio of requests/s and latency percentiles.

Usage: python3 wrkstats.py NAME_A 'A_FILES_GLOB' NAME_B 'B_FILES_GLOB' [JSON_OUT]

Each file is the output of one `wrk --latency` run. The report prints one row per side with the
median, minimum and maximum of requests/s, p50 and p99 across the runs, then the ratio of A's
median requests/s to B's.
"""

import glob
import json
import re
import statistics
import sys

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    """Convert a wrk duration such as 812.00us or 1.20ms to milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"unreadable wrk duration {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse(path):
    """Read requests/s, p50, p99 and the non-2xx count from one wrk output file."""
    text = open(path, encoding="utf-8").read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    if not (rps and p50 and p99):
        raise ValueError(f"{path} is not a complete wrk --latency output")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    return {
        "file": path,
        "rps": float(rps.group(1)),
        "p50_ms": to_ms(p50.group(1)),
        "p99_ms": to_ms(p99.group(1)),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def summarize(runs):
    """Median, minimum and maximum of each measure across runs."""
    summary = {"runs": len(runs)}
    for key in ("rps", "p50_ms", "p99_ms"):
        values = [run[key] for run in runs]
        summary[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
    summary["non2xx"] = sum(run["non2xx"] for run in runs)
    return summary


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    name_a, glob_a, name_b, glob_b = sys.argv[1:5]
    sides = {}
    for name, pattern in ((name_a, glob_a), (name_b, glob_b)):
        files = sorted(glob.glob(pattern))
        if not files:
            sys.exit(f"no wrk output matches {pattern}")
        runs = [parse(path) for path in files]
        sides[name] = {"summary": summarize(runs), "runs": runs}

    print(f"{'side':<10} {'runs':>4} {'req/s median (min-max)':>28} {'p50 ms':>18} {'p99 ms':>18} {'non-2xx':>8}")
    for name, side in sides.items():
        s = side["summary"]
        print(f"{name:<10} {s['runs']:>4} "
              f"{s['rps']['median']:>10.0f} ({s['rps']['min']:.0f}-{s['rps']['max']:.0f})".ljust(45)
              + f" {s['p50_ms']['median']:>6.2f} ({s['p50_ms']['min']:.2f}-{s['p50_ms']['max']:.2f})"
              + f" {s['p99_ms']['median']:>6.2f} ({s['p99_ms']['min']:.2f}-{s['p99_ms']['max']:.2f})"
              + f" {s['non2xx']:>8}")
    ratio = sides[name_a]["summary"]["rps"]["median"] / sides[name_b]["summary"]["rps"]["median"]
    print(f"ratio {name_a}/{name_b} of median requests/s: {ratio:.3f}")

    if len(sys.argv) == 6:
        with open(sys.argv[5], "w", encoding="utf-8") as handle:
            json.dump({"sides": sides, "ratio": ratio}, handle, indent=2)


if __name__ == "__main__":
    main()
