#!/usr/bin/env python3
"""Helpers for reading the Amazon Connect service model shipped inside botocore."""
import gzip
import json
import os
import sys


def load_model():
    import botocore

    path = os.path.join(
        os.path.dirname(botocore.__file__), "data", "connect", "2017-08-08", "service-2.json.gz"
    )
    with gzip.open(path) as f:
        return json.load(f)


def describe(model, names):
    ops, shapes = model["operations"], model["shapes"]
    seen = set()
    out = []

    def walk(name):
        if name in seen:
            return
        seen.add(name)
        s = shapes[name]
        d = {k: v for k, v in s.items() if k != "documentation"}
        if "members" in d:
            d["members"] = {
                k: {kk: vv for kk, vv in v.items() if kk != "documentation"}
                for k, v in d["members"].items()
            }
        out.append(f"{name}: {json.dumps(d)}")
        for m in s.get("members", {}).values():
            walk(m["shape"])
        for key in ("member", "key", "value"):
            if key in s:
                walk(s[key]["shape"])

    for op in names:
        o = ops[op]
        out.append(
            f"## {op} {o['http']['method']} {o['http']['requestUri']} "
            f"in={o.get('input', {}).get('shape')} out={o.get('output', {}).get('shape')} "
            f"errors={[e['shape'] for e in o.get('errors', [])]}"
        )
        for k in ("input", "output"):
            if k in o:
                walk(o[k]["shape"])
    return "\n".join(out)


if __name__ == "__main__":
    print(describe(load_model(), sys.argv[1:]))
