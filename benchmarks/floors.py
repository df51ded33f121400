"""What the parse target leaves to the grammar: the parts of ``convert --to jsonl`` timed one by one.

In one process, on one export, best of ``--repeat`` runs each:

- the regex loop of ``baseline_loop.py`` (the reference every ratio divides by);
- the grammar alone: fichekit's sheet grammar on the export's lines, already
  read and decoded, building every record and writing nothing;
- JSON encoding alone: the records (made beforehand, untimed) encoded as the
  JSON Lines writer encodes them, with the standard library's encoder, which
  gives the bytes the goldens hold.

Parse → JSON Lines must do at least the grammar and the encoding: their sum,
over the loop's time, is a floor for the target's ratio that no writer nor
reader can go under. Prints one JSON object (seconds).

Usage: python benchmarks/floors.py export.txt [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline_loop import count_matches

from fichekit.grammar.sheet import iter_records
from fichekit.writers.json import _COMPACT


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Temps de la boucle regex, de la grammaire seule et de l'encodage JSON seul.")
    parser.add_argument("export")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = args.export
    with open(path, encoding="utf-8") as text:
        lines = text.read().split("\n")
    records = list(iter_records(lines, path))
    encode = _COMPACT.encode
    result = {
        "sheets": len(records),
        "loop": best(lambda: count_matches(path), args.repeat),
        "grammar": best(lambda: sum(1 for _ in iter_records(lines, path)), args.repeat),
        "json": best(lambda: [encode(record) for record in records], args.repeat),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
