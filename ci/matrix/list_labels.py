#!/usr/bin/python3
"""The labels of a kernel list (default ci/matrix/kernels.list) as a JSON
array, in the list's order: the GitHub workflow's job matrix is made from
this, so a line added to the list is a job without editing the workflow."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import kernel_sources  # noqa: E402


def labels(path):
    with open(path) as f:
        return [label for label, _spec, _mods in kernel_sources.parse_entries(f.read().splitlines(), path)]


def main(argv):
    path = argv[0] if argv else os.path.join(HERE, "kernels.list")
    try:
        print(json.dumps(labels(path), separators=(",", ":")))
    except (OSError, kernel_sources.SpecError) as e:
        print(f"list_labels.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
