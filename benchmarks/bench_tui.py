"""How fast the TUI paints and answers on a big catalog (issue 5: first screen < 2 s, no blocking).

Runs the real app headless under Textual's pilot, each time in a fresh child
process, on a private copy of CATALOG (the saved matching index is written
beside the copy, never beside CATALOG):

- cold: the copy has no saved index yet (a first use of the catalog);
- warm: the same copy again, its saved index written by the cold run.

Every time is in seconds from the launch of the child process (interpreter
start and imports included), i.e. what a user waits after pressing Enter:

- `first_paint_s`: the first screen is painted (its loading note up, no rows);
- `requirements_read_s`: the worker has read them (`catalog.read_requirements`);
- `requirements_listed_s`: the requirements table has rows (browsable and
  filterable; no scores yet);
- `catalog_read_s`: the capability lines are in memory (index work starts);
- `index_ready_s`: the matching index is ready (read from its file, or built);
- `first_pairings_s`: the selected requirement's pairings are on screen;
- `ranked_s`: every requirement has its best score.

While it loads and ranks, text is typed into the requirements filter (a word
a key every 80 ms, ~1 s to read the list, then cleared, as a user browsing)
and a 20 ms timer on the UI's event loop measures how late it fires: the wait
a key press would see.
`loop_lag_p50_ms` / `_p95_ms` / `_max_ms` over the whole run, and the worst
per phase: `lag_max_listing_ms` (launch -> rows), `lag_max_loading_ms` (rows
-> index ready), `lag_max_ranking_ms` (index ready -> ranked). Typing then goes
on for 8 s with nothing loading: `lag_max_settled_ms` is the reference (the
UI's own work and the machine's load), not counted in the figures above.

`--stalls MS` also names, for each stall longer than MS, where the worker
threads were just before and just after it (a sampling thread): the call that
held the UI lies between. The sampling perturbs the figures a little.

    python benchmarks/bench_tui.py CATALOG.duckdb [--size 100x30] [--only cold|warm]
                                   [--idle] [--stalls 150]

Prints a table (cold and warm side by side), then one JSON line
{"cold": {...}, "warm": {...}, "load_average": [start, end]}.
Generate a 500,000-line catalog first, e.g.
    python benchmarks/generate_catalog.py /tmp/big && coprod --db /tmp/big.duckdb refresh /tmp/big
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# What a user might type into the filter while waiting: words of requirement titles.
TYPED_WORDS = ("missile", "drone", "coastal", "radar", "155 mm", "ammunition")
TICK_S = 0.02
KEY_EVERY_TICKS = 4  # a key every ~80 ms: a steady typist...
READ_TICKS = 50  # ...who reads the list for ~1 s after each word
GIVE_UP_S = 600
SETTLED_S = 8.0  # typing goes on this long after the load, as a reference

MILESTONES = (
    "first_paint_s",
    "requirements_read_s",
    "requirements_listed_s",
    "catalog_read_s",
    "index_ready_s",
    "first_pairings_s",
    "ranked_s",
)
LAGS = (
    "loop_lag_p50_ms",
    "loop_lag_p95_ms",
    "loop_lag_max_ms",
    "lag_max_listing_ms",
    "lag_max_loading_ms",
    "lag_max_ranking_ms",
    "lag_max_settled_ms",
)


class Typist:
    """Types TYPED_WORDS into the filter a key at a time, clearing it between words.

    Each letter is a key event sent through the app's driver, as a terminal's
    would be (Pilot.press would wait for the app to idle, which a loading app is not).
    """

    def __init__(self) -> None:
        self.word = 0
        self.letter = 0
        self.keys = 0
        self.reading = 0  # ticks left to read the list before the next word

    def tick(self, tick: int, app, field) -> None:
        if self.reading:
            self.reading -= 1
        elif tick % KEY_EVERY_TICKS == 0:
            self.next_key(app, field)

    def next_key(self, app, field) -> None:
        from textual import events

        word = TYPED_WORDS[self.word % len(TYPED_WORDS)]
        if self.letter < len(word):
            character = word[self.letter]
            key = events.Key("space" if character == " " else character, character)
            key.set_sender(app)
            app._driver.send_message(key)
            self.letter += 1
            if self.letter == len(word):
                self.reading = READ_TICKS
        else:
            field.value = ""
            self.word += 1
            self.letter = 0
        self.keys += 1


class StallRecorder:
    """Names what the worker threads were doing around each event-loop stall.

    A sampling thread notes every few milliseconds where each other thread is
    (its innermost coprod frames). It needs the GIL too, so a long C call that
    holds it shows as a gap in the samples: the sample just before a stall and
    the one just after bracket the call that held the UI. (faulthandler's GIL-free
    dump would be exact, but dumping running threads crashed the child.)
    """

    EVERY_S = 0.004

    def __init__(self, threshold_ms: float, clock) -> None:
        self.threshold_s = threshold_ms / 1000
        self.clock = clock  # perf_counter -> seconds since launch
        self.samples: list[tuple[float, str]] = []
        self.stalls: list[tuple[float, float]] = []  # (end, lag)
        self.main_ident = threading.main_thread().ident
        self.sampler_ident: int | None = None
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        self.sampler_ident = threading.get_ident()
        while self.running:
            frames = sys._current_frames()
            busy = [
                where_in(frame)
                for ident, frame in frames.items()
                if ident not in (self.main_ident, self.sampler_ident)
            ]
            self.samples.append((self.clock(time.perf_counter()), " | ".join(filter(None, busy))))
            time.sleep(self.EVERY_S)

    def note(self, end: float, lag: float) -> None:
        if lag > self.threshold_s:
            self.stalls.append((end, lag))

    def describe(self) -> list[dict[str, object]]:
        self.running = False
        self.thread.join()
        times = [at for at, _ in self.samples]
        found = []
        for end, lag in self.stalls:
            start = end - lag - TICK_S
            before = bisect.bisect_right(times, start) - 1
            after = bisect.bisect_left(times, end - lag)
            found.append(
                {
                    "at_s": round(start, 2),
                    "lag_ms": round(lag * 1000),
                    "before": self.samples[before][1] if before >= 0 else "",
                    "after": self.samples[after][1] if after < len(times) else "",
                }
            )
        return found


def where_in(frame) -> str:
    """A thread's innermost coprod frames (or its innermost frame), '' when it waits."""
    stack = []
    while frame is not None:
        stack.append(frame)
        frame = frame.f_back
    innermost = stack[0].f_code.co_name
    if innermost in ("wait", "_worker", "select", "_wait_for_tstate_lock", "get"):
        return ""
    ours = [f for f in stack if f"{os.sep}coprod{os.sep}" in f.f_code.co_filename][:3]
    shown = ours or stack[:1]
    where = " < ".join(
        f"{Path(f.f_code.co_filename).name}:{f.f_lineno} {f.f_code.co_name}" for f in shown
    )
    return where if ours and stack[0] is ours[0] else f"{where} [in {innermost}]"


async def measure(
    db_path: Path, size: tuple[int, int], launched: float, typing: bool, stalls_ms: float
) -> dict[str, object]:
    # perf_counter -> seconds since the parent launched this process.
    offset = time.time() - time.perf_counter()

    def since_launch(perf: float) -> float:
        return perf + offset - launched

    imports_started = time.perf_counter()
    from coprod.tui.app import CoprodApp

    figures: dict[str, object] = {
        "python_start_s": since_launch(imports_started),
        "import_s": time.perf_counter() - imports_started,
    }
    app = CoprodApp(db_path)
    lags: list[tuple[float, float]] = []
    recorder = StallRecorder(stalls_ms, since_launch) if stalls_ms else None
    typist = Typist()
    async with app.run_test(size=size):
        figures["first_paint_s"] = since_launch(time.perf_counter())
        screen = app.main_screen
        screen.action_filter()  # as `/` does (pilot.press would wait for the load to idle)
        table = screen.query_one("#requirements")
        field = screen.query_one("#filter")
        tick = 0
        while True:
            now = time.perf_counter()
            if "requirements_listed_s" not in figures and table.row_count:
                figures["requirements_listed_s"] = since_launch(now)
            if "index_ready_s" not in figures and app.session is not None:
                figures["index_ready_s"] = since_launch(now)
            if "first_pairings_s" not in figures and screen.pairings:
                figures["first_pairings_s"] = since_launch(now)
            if (
                "ranked_s" not in figures
                and app.session is not None
                and len(screen.rankings) == len(app.session.catalog.requirements)
            ):
                figures["ranked_s"] = since_launch(now)
                settled_until = now + SETTLED_S
            if "ranked_s" in figures and "first_pairings_s" not in figures:
                field.value = ""  # the filter may hide every row: clear it to see pairings
            done = "first_pairings_s" in figures and "ranked_s" in figures
            if done and (not typing or now > settled_until):
                break
            if len(app.screen_stack) > 1:
                raise SystemExit(f"the TUI showed {type(app.screen).__name__} while loading")
            if typing:
                typist.tick(tick, app, field)
            tick += 1
            before = time.perf_counter()
            await asyncio.sleep(TICK_S)
            after = time.perf_counter()
            lags.append((since_launch(after), after - before - TICK_S))
            if recorder:
                recorder.note(since_launch(after), after - before - TICK_S)
            if since_launch(after) > GIVE_UP_S:
                raise SystemExit(f"gave up after {GIVE_UP_S} s")
        # getattr: the script also measures older coprod code (PYTHONPATH) for A/B runs.
        for name, perf in getattr(app, "load_times", {}).items():
            figures[f"{name}_s"] = since_launch(perf)
        figures["index_from_file"] = getattr(app.session, "index_from_file", False)
    figures["keys_typed"] = typist.keys
    # The TUI process only: a cold start's index helper process is not counted.
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures.update(lag_figures(lags, figures))
    if recorder:
        figures["stalls"] = recorder.describe()
    return figures


def lag_figures(lags: list[tuple[float, float]], figures: dict[str, object]) -> dict[str, float]:
    ranked = float(figures.get("ranked_s", 1e9))
    settled = [lag for at, lag in lags if at >= ranked]
    values = sorted(lag for at, lag in lags if at < ranked)
    out = {
        "loop_lag_p50_ms": statistics.median(values) * 1000,
        "loop_lag_p95_ms": values[int(len(values) * 0.95)] * 1000,
        "loop_lag_max_ms": values[-1] * 1000,
    }
    listed, indexed = (figures.get(k, 0.0) for k in ("requirements_listed_s", "index_ready_s"))
    phases = (("listing", 0.0, listed), ("loading", listed, indexed), ("ranking", indexed, ranked))
    for phase, start, end in phases:
        during = [lag for at, lag in lags if start <= at < end]
        out[f"lag_max_{phase}_ms"] = max(during, default=0.0) * 1000
    out["lag_max_settled_ms"] = max(settled, default=0.0) * 1000
    return out


def bytecode_env() -> dict[str, str]:
    """The children's environment: coprod's bytecode compiled beforehand and cached.

    An installed coprod has compiled .pyc files (as its dependencies do). Without
    this, the cold run (the first after an edit, or every run when
    PYTHONDONTWRITEBYTECODE is set) would count compiling coprod's modules as the
    TUI's start. The usual __pycache__ folders, not a PYTHONPYCACHEPREFIX: that
    would hide the dependencies' installed bytecode and compile them all.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    package = Path(__file__).resolve().parent.parent / "coprod"
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def run_child(db_path: Path, args: argparse.Namespace, env: dict[str, str]) -> dict[str, object]:
    command = [sys.executable, __file__, str(db_path), "--size", args.size]
    command += ["--stalls", str(args.stalls)] + (["--idle"] if args.idle else [])
    launched = time.time()
    done = subprocess.run(
        [*command, "--child", repr(launched)], capture_output=True, text=True, check=False, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"the measuring child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(runs: dict[str, dict[str, object]], load: tuple[float, float]) -> None:
    names = list(runs)
    print(f"TUI on a big catalog; load average {load[0]:.1f} at start, {load[1]:.1f} at end")
    print(f"{'figure':24}" + "".join(f"{n:>10}" for n in names))
    for key in (
        "python_start_s",
        "import_s",
        *MILESTONES,
        *LAGS,
        "keys_typed",
        "peak_rss_mb",
        "index_from_file",
    ):
        cells = []
        for name in names:
            value = runs[name].get(key)
            cells.append(f"{value:10.3f}" if isinstance(value, float) else f"{value!s:>10}")
        print(f"{key:24}" + "".join(cells))
    for name in names:
        for stall in runs[name].get("stalls", []):
            print(f"{name}: stall {stall['lag_ms']} ms from {stall['at_s']} s; workers were")
            print(f"    before: {stall['before'] or '(idle)'}")
            print(f"    after:  {stall['after'] or '(idle)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="an existing catalog file (copied, never written)")
    parser.add_argument("--size", default="100x30", help="terminal size WxH (default 100x30)")
    parser.add_argument("--only", choices=("cold", "warm"), help="one run (warm runs cold first)")
    parser.add_argument("--idle", action="store_true", help="type nothing while loading")
    parser.add_argument("--stalls", type=float, default=0.0, metavar="MS", help="name stalls > MS")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    if args.child is not None:
        figures = asyncio.run(
            measure(args.db, (width, height), args.child, not args.idle, args.stalls)
        )
        print(json.dumps(figures))
        return
    load_start = os.getloadavg()[0]
    runs: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="bench_tui_") as folder:
        copy = Path(folder) / args.db.name
        shutil.copyfile(args.db, copy)
        env = bytecode_env()
        print(f"cold run on a fresh copy {copy}", file=sys.stderr)
        cold = run_child(copy, args, env)
        if args.only != "warm":
            runs["cold"] = cold
        if args.only != "cold":
            print("warm run (index saved by the cold run)", file=sys.stderr)
            runs["warm"] = run_child(copy, args, env)
    load = (load_start, os.getloadavg()[0])
    report(runs, load)
    rounded = {
        name: {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}
        for name, figures in runs.items()
    }
    print(json.dumps({**rounded, "load_average": [round(x, 2) for x in load]}))


if __name__ == "__main__":
    main()
