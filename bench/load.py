"""wrk, driven for a fixed duration per run, its report read from one JSON line."""

import json
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"
THREADS = 2
TIMEOUT = "10s"


@dataclass
class Scenario:
    """One target under load: what is asked, how many clients at once, and against which
    baseline (a GET against the constant page, a POST against the INSERT view with as
    many clients) its rate is compared."""

    name: str
    label: str
    path: str
    connections: int = 32
    method: str = "GET"
    script: str | None = None  # a file of bench/lua/ defining request()
    script_args: list = field(default_factory=list)  # or a callable(run number) -> list
    server: str = "cached"
    baseline: str | None = None
    warm_up: bool = True
    runs: list = field(default_factory=list)

    def args_for(self, run):
        return self.script_args(run) if callable(self.script_args) else self.script_args


def script_file(scenario, directory):
    """The scenario's wrk script: its request() (if any) and the shared report."""
    parts = [(LUA / "report.lua").read_text()]
    if scenario.script:
        parts.insert(0, (LUA / scenario.script).read_text())
    path = Path(directory) / f"{scenario.name}.lua"
    path.write_text("\n".join(parts))
    return path


def run_wrk(url, scenario, duration, run=0):
    """One run of wrk against ``url``: requests per second, p50/p99 (ms) and errors."""
    with tempfile.TemporaryDirectory() as directory:
        command = [
            "wrk", f"-t{THREADS}", f"-c{scenario.connections}", f"-d{duration}s",
            f"--timeout={TIMEOUT}", "--latency", "-s", str(script_file(scenario, directory)),
            url + scenario.path,
        ]  # fmt: skip
        arguments = [str(argument) for argument in scenario.args_for(run)]
        if arguments:
            command += ["--", *arguments]
        completed = subprocess.run(  # noqa: S603 (our own command line)
            command, capture_output=True, text=True, check=False, timeout=duration + 60
        )
    line = next(
        (line for line in completed.stdout.splitlines() if line.startswith("BENCH_RESULT ")), None
    )
    if line is None:
        raise RuntimeError(
            f"wrk gave no report for {scenario.name}:\n{completed.stdout}\n{completed.stderr}"
        )
    report = json.loads(line.removeprefix("BENCH_RESULT "))
    seconds = report["duration_us"] / 1e6
    return {
        "requests": report["requests"],
        "rps": report["requests"] / seconds if seconds else 0.0,
        "p50_ms": report["p50_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "max_ms": report["max_us"] / 1000,
        "errors": report["non_2xx"] + report["socket_errors"] + report["timeouts"],
        "non_2xx": report["non_2xx"],
        "socket_errors": report["socket_errors"],
        "timeouts": report["timeouts"],
    }


def median_run(runs):
    """The run of median rate (the middle one of three), with every run's errors summed."""
    ordered = sorted(runs, key=lambda run: run["rps"])
    middle = dict(ordered[(len(ordered) - 1) // 2])
    middle["errors_all_runs"] = sum(run["errors"] for run in runs)
    middle["requests_all_runs"] = sum(run["requests"] for run in runs)
    middle["rps_spread"] = [round(run["rps"], 1) for run in runs]
    middle["rps_stdev"] = statistics.pstdev(run["rps"] for run in runs) if len(runs) > 1 else 0.0
    return middle
