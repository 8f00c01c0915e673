#!/usr/bin/env python3
"""Scores `keel export anomalies` output against a generator's anomalies_truth.csv.

Matching rule: a detected anomaly matches a truth row when the kinds are equal and every evidence
field the truth row fills (transaction_id, return_id, settlement_id, location_id, sku, date,
channel, category, cashier_id, customer_id) is equal in the detection. Precision = detections
matching some truth row / detections; recall = truth rows matched by some detection / truth rows.
False positives per 100,000 transactions = unmatched detections × 100,000 / distinct sales
transactions.

usage: score.py TRUTH.csv DETECTED.csv TRANSACTIONS [--label NAME]
"""
import csv, sys
from collections import defaultdict

FIELDS = ["transaction_id", "return_id", "settlement_id", "location_id", "sku", "date", "channel", "category", "cashier_id", "customer_id"]

def main():
    truth_path, detected_path, transactions = sys.argv[1], sys.argv[2], int(sys.argv[3])
    truth = list(csv.DictReader(open(truth_path)))
    detected = list(csv.DictReader(open(detected_path)))
    by_kind = defaultdict(list)
    for t in truth:
        by_kind[t["kind"]].append({f: t[f] for f in FIELDS if t.get(f)})
    # Index truth rows per kind by each field value for speed.
    kinds = sorted(set(by_kind) | {d["kind"] for d in detected})
    matched_truth = defaultdict(set)
    tp = defaultdict(int); n_det = defaultdict(int)
    for d in detected:
        k = d["kind"]; n_det[k] += 1
        hit = False
        for i, t in enumerate(by_kind.get(k, [])):
            if all(d.get(f, "") == v for f, v in t.items()):
                matched_truth[k].add(i); hit = True
        if hit: tp[k] += 1
    print(f"{'kind':<24}{'truth':>7}{'found':>7}{'TP':>6}{'precision':>11}{'recall':>8}{'FP/100k txn':>13}")
    ok = True
    for k in kinds:
        nt = len(by_kind.get(k, [])); nd = n_det[k]
        p = tp[k] / nd if nd else float('nan'); r = len(matched_truth[k]) / nt if nt else float('nan')
        fp = (nd - tp[k]) * 100000 / max(transactions, 1)
        print(f"{k:<24}{nt:>7}{nd:>7}{tp[k]:>6}{p:>11.3f}{r:>8.3f}{fp:>13.2f}")
    total_d = sum(n_det.values()); total_tp = sum(tp.values())
    total_t = sum(len(v) for v in by_kind.values()); total_m = sum(len(v) for v in matched_truth.values())
    print(f"{'all':<24}{total_t:>7}{total_d:>7}{total_tp:>6}{total_tp/max(total_d,1):>11.3f}{total_m/max(total_t,1):>8.3f}{(total_d-total_tp)*100000/max(transactions,1):>13.2f}")

main()
