#!/usr/bin/env python3
"""Runs shell commands alternately and prints the median wall time and CPU (user + system) of each.

  bench/alternate.py ROUNDS 'label=command' ['label=command' ...]

For before/after comparisons of one-shot commands (e.g. the launcher of two checkouts) on a machine
whose speed drifts from minute to minute: the order alternates every round, so both see the same
minutes. Output goes to /dev/null; a command that fails stops the run.
"""
import resource
import statistics
import subprocess
import sys
import time


def main():
    rounds = int(sys.argv[1])
    commands = [a.split("=", 1) for a in sys.argv[2:]]
    results = {label: ([], []) for label, _ in commands}
    for r in range(rounds):
        for label, command in (commands if r % 2 == 0 else commands[::-1]):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            results[label][0].append(wall)
            results[label][1].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    for label, (walls, cpus) in results.items():
        print(f"{label:14s} wall median {statistics.median(walls):.3f} s (min {min(walls):.3f})"
              f"  cpu median {statistics.median(cpus):.3f} s  n={len(walls)}")


if __name__ == "__main__":
    main()
