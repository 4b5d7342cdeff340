#!/usr/bin/env python3
"""Checks the verifiable source's records as read back from Kafka.

Input lines: "<partition> <key> <value>" where key is the task id and value the seqno
(JsonConverter, schemas.enable=false). Checks that every task's seqnos 0..N-1 are all there
(a gap fails), that each is in Kafka at least once, and, with --ordered, that each task's
records are strictly increasing (no duplicates). Prints the duplicate count.
"""
import argparse
import collections
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--tasks", type=int, required=True)
    ap.add_argument("--per-task", type=int, required=True,
                    help="expected seqnos per task; 0: up to the highest one seen")
    ap.add_argument("--ordered", action="store_true", help="no duplicates, strictly increasing")
    args = ap.parse_args()

    seen = collections.defaultdict(list)
    with open(args.file) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                print(f"malformed record line: {line!r}")
                return 1
            _, key, value = parts
            seen[int(key)].append(int(value))

    ok = True
    duplicates = 0
    for task in range(args.tasks):
        seqs = seen.get(task, [])
        distinct = set(seqs)
        expected = args.per_task or (max(distinct) + 1 if distinct else 0)
        if not distinct:
            ok = False
            print(f"task {task}: no records")
        missing = [s for s in range(expected) if s not in distinct]
        duplicates += len(seqs) - len(distinct)
        if missing:
            ok = False
            print(f"task {task}: {len(missing)} seqnos missing, first {missing[:10]}")
        if args.ordered and any(b <= a for a, b in zip(seqs, seqs[1:])):
            ok = False
            print(f"task {task}: records out of order or duplicated")
    extra = set(seen) - set(range(args.tasks))
    if extra:
        ok = False
        print(f"records from unexpected tasks: {sorted(extra)}")
    total = sum(len(v) for v in seen.values())
    print(f"records={total} tasks={len(seen)} duplicates={duplicates}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
