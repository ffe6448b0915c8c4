"""The dedupe on the labelled dev set: pairwise F1 ≥ 0.98 with precision ≥ 0.99."""

from __future__ import annotations

import csv
from collections import defaultdict
from itertools import combinations


from crm.domain.dedup.cluster import dedupe
from tests.shared_data import dev_set



def pairs(groups: dict) -> set:
    return {p for members in groups.values() for p in combinations(sorted(members), 2)}


def test_dev_set_precision_recall_f1() -> None:
    with dev_set().open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    labels = dedupe((r["id"], r["name"], r["credit_code"] or None) for r in rows)
    assert set(labels) == {r["id"] for r in rows}
    truth, found = defaultdict(list), defaultdict(list)
    for r in rows:
        truth[r["truth"]].append(r["id"])
        found[labels[r["id"]]].append(r["id"])
    t, f = pairs(truth), pairs(found)
    precision = len(t & f) / len(f)
    recall = len(t & f) / len(t)
    f1 = 2 * precision * recall / (precision + recall)
    assert precision >= 0.99, (precision, recall, f1)
    assert f1 >= 0.98, (precision, recall, f1)
