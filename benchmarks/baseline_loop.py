"""Reference point for parsing speed: the least any line-by-line reader must do.

It decodes the file line by line and matches one compiled regular expression
per line (a bullet or a "Heading :" start), and nothing else. fichekit's
parse target is stated relative to this loop, run the same way (a
subprocess of the same interpreter), so the ratio does not depend on the
machine.

Usage: python benchmarks/baseline_loop.py export.txt
"""

from __future__ import annotations

import re
import sys

_LINE_START = re.compile(r"[ \t]*(?:[-•*–>o][ \t]+|\d{1,2}[.)][ \t]+)?([^\W\d][^:\n]{0,99}):")


def count_matches(path: str) -> tuple[int, int]:
    """Lines read and lines matched."""
    lines = matched = 0
    with open(path, encoding="utf-8") as text:
        for line in text:
            lines += 1
            if _LINE_START.match(line):
                matched += 1
    return lines, matched


if __name__ == "__main__":
    total, hits = count_matches(sys.argv[1])
    sys.stdout.write(f"{total} lignes, {hits} correspondances\n")
