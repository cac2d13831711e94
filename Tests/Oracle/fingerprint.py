#!/usr/bin/env python3
"""An independent reimplementation of a gradlog run's fingerprint (docs/database.md, "A run's
fingerprint"), from the SQLite file with Python's sqlite3 and hashlib alone.

Usage: fingerprint.py DATABASE RUN_ID   prints the run's computed digest, then the stored one.
"""
import hashlib
import sqlite3
import struct
import sys

FORMAT_NAME = "gradlog run fingerprint 1"
TAGS = {"config": b"C", "sample": b"X", "input": b"I", "step": b"S", "gradient": b"G", "metric": b"M"}


def value(v):
    """One value as the canonical form writes it: a type byte, then its bytes."""
    if v is None:
        return b"\x00"
    if isinstance(v, int):
        return b"\x01" + struct.pack(">q", v)
    if isinstance(v, float):
        if v != v:  # NaN: never stored (SQLite has none), written as NULL
            return b"\x00"
        return b"\x02" + struct.pack(">d", 0.0 if v == 0 else v)
    if isinstance(v, str):
        data = v.encode("utf-8")
        return b"\x03" + struct.pack(">Q", len(data)) + data
    data = bytes(v)
    return b"\x04" + struct.pack(">Q", len(data)) + data


def fingerprint(db, run_id):
    """The SHA-256 of the run's canonical byte stream, as 64 lowercase hex digits."""
    h = hashlib.sha256()
    h.update(value(FORMAT_NAME))
    (config,) = db.execute("SELECT config FROM runs WHERE id = ?", (run_id,)).fetchone()
    h.update(TAGS["config"] + value(config))
    for row in db.execute("SELECT sample, y FROM samples WHERE run_id = ? ORDER BY sample", (run_id,)):
        h.update(TAGS["sample"] + b"".join(map(value, row)))
    for row in db.execute("SELECT sample, input, x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", (run_id,)):
        h.update(TAGS["input"] + b"".join(map(value, row)))
    # Every step's rows: its step row, its gradients by parameter, its metrics by name (bytes order).
    records = []
    queries = [
        ("step", 0, "SELECT step, epoch, batch_size, loss FROM steps WHERE run_id = ?"),
        ("gradient", 1, "SELECT step, param, value, analytic, numeric, passed, autodiff FROM gradients WHERE run_id = ?"),
        ("metric", 2, "SELECT step, name, value FROM step_metrics WHERE run_id = ?"),
    ]
    for tag, rank, sql in queries:
        for row in db.execute(sql, (run_id,)):
            key = row[1].encode("utf-8") if tag != "step" else b""
            # A gradient or metric row goes without its step, which the step row before it gives.
            values = row if tag == "step" else row[1:]
            records.append((row[0], rank, key, TAGS[tag] + b"".join(map(value, values))))
    records.sort(key=lambda r: r[:3])
    for record in records:
        h.update(record[3])
    return h.hexdigest()


def main():
    db = sqlite3.connect(sys.argv[1])
    run_id = int(sys.argv[2])
    print(fingerprint(db, run_id))
    (stored,) = db.execute("SELECT fingerprint FROM runs WHERE id = ?", (run_id,)).fetchone()
    print(stored)


if __name__ == "__main__":
    main()
