"""Bad input never hangs, never loses a file (issue 15): the numbers, measured in one run.

Run: ``.venv/bin/python benchmarks/bad_input.py``. Prints

* the time to refuse alias-bomb rubric files ("billion laughs": 9 levels of 9 aliases, 10^9 nodes once
  expanded, 342 bytes; and 30 levels, 10^28 nodes) against the time to read the bundled consensus rubric
  (a real file of about the same work), as a ratio: the bomb must be refused in milliseconds, before
  anything expands it;
* the length of the error message for inputs that used to print (or hang printing) huge values: the bomb,
  1 MB of text as a weight, a 10^5-item weight list, a 10^5-character id, a 140,000-character CSV field, a
  ten-thousand-digit weight, a 10^6-character key; each must stay below ``MESSAGE_LIMIT`` (and below 1,000
  characters in practice);
* the injected-failure matrix of :func:`smmrubric.reproduce.reproduce`'s swap: for every rename of the swap
  (figures, executed notebook, MANIFEST.csv, its journal), a failure of that rename once ("once") or of
  that one and every later one ("disk gone": even the undo fails, and the next run's recovery finishes
  it), the outcome: ``old`` (the earlier complete set, manifest matching) or ``new`` (the new complete
  set), never ``MIX``; plus whether any work file was left behind.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SMMRUBRIC_NO_PROGRESS", "1")

from smmrubric import Rubric
from smmrubric import reproduce as rep
from smmrubric.data import load_competencies
from smmrubric.errors import MESSAGE_LIMIT, SmmrubricError
from smmrubric.paths import data_file


def _bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + f"\ncompetencies: *a{levels}\n"


def _best(f, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def _error(f) -> SmmrubricError:
    try:
        f()
    except SmmrubricError as exc:
        return exc
    raise AssertionError("no error")


def bombs(folder: Path) -> None:
    vocabulary = load_competencies()
    consensus = data_file("rubrics/consensus.yaml")
    base = _best(lambda: Rubric.from_yaml(consensus, vocabulary=vocabulary))
    print(f"read the bundled consensus rubric ({consensus.stat().st_size:,} bytes): {base * 1e3:.2f} ms")
    for levels in (9, 30):
        path = folder / f"bomb{levels}.yaml"
        path.write_text(_bomb(levels))
        took = _best(lambda path=path: _error(lambda: Rubric.from_yaml(path, vocabulary=vocabulary)))
        print(
            f"refuse a bomb of 9^{levels} nodes ({path.stat().st_size:,} bytes): {took * 1e3:.2f} ms "
            f"= {took / base:.2f} x reading the consensus rubric"
        )


def message_sizes(folder: Path) -> None:
    cases = {
        "alias bomb (10^9 nodes)": f"name: x\n{_bomb(9)}",
        "1 MB text as a weight": f"competencies: [{{id: copywriting, weight: {'x' * 10**6}}}]\n",
        "10^5-item weight list": "competencies: [{id: copywriting, weight: [" + "1, " * 10**5 + "1]}]\n",
        "10^5-character id": f"competencies: [{{id: {'i' * 10**5}, weight: 1}}]\n",
        "10^6-character key": f"competencies:\n- id: copywriting\n  ? {'k' * 10**6}\n  : 1\n",
        "10,000-digit weight": f"competencies: [{{id: copywriting, weight: {'9' * 10_000}}}]\n",
        "4,000-digit weight": f"competencies: [{{id: copywriting, weight: {'9' * 4_000}}}]\n",
    }
    longest = 0
    for case, text in cases.items():
        path = folder / "r.yaml"
        path.write_text(text)
        message = str(_error(lambda path=path: Rubric.from_yaml(path)))
        longest = max(longest, len(message))
        print(f"{case:>26}: {len(message):5,} characters  {message.split(': ', 1)[1][:70]!r}...")
    csv_path = folder / "competencies.csv"
    csv_path.write_text("competency_id,name,definition,category,category_basis\na," + "x" * 140_000 + ",d,skill,b\n")
    message = str(_error(lambda: load_competencies(csv_path)))
    longest = max(longest, len(message))
    print(f"{'140,000-character field':>26}: {len(message):5,} characters  {message.split(': ', 1)[1][:70]!r}...")
    print(f"longest message: {longest:,} characters (bound {MESSAGE_LIMIT:,})")


def _fake_execute(source, destination, *, parameters=None, timeout=1800):
    folder = Path(os.environ["SMMRUBRIC_FIGURES"])
    (folder / f"{Path(source).name[:2]}-line.png").write_bytes(b"new figure")
    Path(destination).write_text("new notebook")
    return Path(destination)


def _earlier_run(folder: Path) -> tuple[Path, Path, Path]:
    folder.mkdir(parents=True)
    nb = folder / "98-a.ipynb"
    nb.write_text("{}")
    figures, out = folder / "figs", folder / "out"
    figures.mkdir()
    out.mkdir()
    rows = []
    for name in ("98-gone.png", "98-line.png", "99-kept.png"):
        (figures / name).write_bytes(b"old " + name.encode())
        rows.append(f"{name},notebooks/{name[:2]}-a.ipynb,{hashlib.sha256(b'old ' + name.encode()).hexdigest()},1\n")
    (figures / "98-mine.png").write_bytes(b"the user's own")
    (figures / "MANIFEST.csv").write_text("figure,notebook,sha256,bytes\n" + "".join(rows))
    (out / "98-a.ipynb").write_text("old notebook")
    return nb, figures, out


def _state(figures: Path, out: Path) -> dict[str, bytes]:
    return {f"{f.name}/{p.name}": p.read_bytes() for f in (figures, out) for p in f.iterdir() if p.is_file()}


def _consistent(figures: Path) -> bool:
    import csv

    rows = list(csv.DictReader((figures / "MANIFEST.csv").open()))
    listed = {r["figure"] for r in rows}
    ours = {p.name for p in figures.iterdir() if p.suffix == ".png"} - {"98-mine.png"}
    return listed == ours and all(
        hashlib.sha256((figures / r["figure"]).read_bytes()).hexdigest() == r["sha256"] for r in rows
    )


def swap_matrix(folder: Path) -> None:
    rep.execute_notebook = _fake_execute
    real = os.replace
    nb, figures, out = _earlier_run(folder / "reference")
    old = _state(figures, out)
    renames: list[str] = []
    os.replace = lambda a, b: (renames.append(f"{Path(a).name} -> {Path(b).parent.name}/{Path(b).name}"), real(a, b))[1]
    try:
        rep.reproduce([nb], figures_out=figures, notebooks_out=out, force=True)
    finally:
        os.replace = real
    new = _state(figures, out)
    print(
        f"{len(renames)} renames in a run: the staged manifest, a journal per work folder, the earlier files "
        "moved aside, the new ones moved in"
    )
    print(f"{'#':>3} {'rename':<58} {'once':>6} {'disk gone':>10}")
    for n, what in enumerate(renames, start=1):
        outcome = []
        for persistent in (False, True):
            nb, figures, out = _earlier_run(folder / f"{n}-{persistent}")
            count = [0]

            def flaky(a, b, n=n, persistent=persistent, count=count):
                count[0] += 1
                if count[0] == n or (persistent and count[0] > n):
                    raise OSError(28, "No space left on device")
                return real(a, b)

            os.replace = flaky
            try:
                rep.reproduce([nb], figures_out=figures, notebooks_out=out, force=True)
            except SmmrubricError:
                pass
            finally:
                os.replace = real
            rep._recover(figures)  # what the next run does first
            rep._recover(out)
            state = _state(figures, out)
            left = [p for f in (figures, out) for p in f.iterdir() if p.name.startswith(".")]
            label = "old" if state == old else "new" if state == new else "MIX"
            outcome.append(label + ("" if _consistent(figures) else "!manifest") + ("+left" if left else ""))
        short = what.replace(".smmrubric-", ".").replace("smmrubric-tmp-", "tmp-")
        print(f"{n:>3} {short[:58]:<58} {outcome[0]:>6} {outcome[1]:>10}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("== alias bombs")
        bombs(folder)
        print("\n== error message sizes")
        message_sizes(folder)
        print("\n== reproduce: injected failures in the swap (outcome after the next run's recovery)")
        swap_matrix(folder / "swap")
    return 0


if __name__ == "__main__":
    sys.exit(main())
