"""List the real-world cases whose marks no longer match what fichekit does.

Run from the repository root after changing the grammar or a reader::

    .venv/bin/python tests/realworld/failing_cases.py            # readable kinds
    .venv/bin/python tests/realworld/failing_cases.py docx pdf   # also these kinds

It prints every failing case that ``KNOWN_GAPS`` does not list (with what was
read and what was expected), then every listed case that now passes: the two
lists to act on before ``tests/test_realworld.py`` is green again.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import test_realworld as harness


def main(kinds: set[str]) -> None:
    unlisted, passing = [], []
    for case_id, path, rank, field in harness.case_ids():
        kind = harness.input_kind(path)
        if kind in harness.NOT_YET and kind not in kinds:
            continue
        problem = harness.case_problem(path, rank, field)
        if problem is not None and case_id not in harness.GAP_BY_CASE:
            unlisted.append(f"{case_id}\n  {problem}")
        elif problem is None and case_id in harness.GAP_BY_CASE:
            passing.append(case_id)
    print(f"# {len(unlisted)} failing cases not in KNOWN_GAPS")
    print("\n".join(unlisted))
    print(f"# {len(passing)} cases in KNOWN_GAPS that pass now")
    print("\n".join(passing))


if __name__ == "__main__":
    main(set(sys.argv[1:]))
