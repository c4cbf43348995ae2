"""The export of every signature to /dev/null, in a process of its own: `python -m
bench.export_probe` prints one JSON line (rows, rows per second, peak memory)."""

import json
import os
import time
from pathlib import Path


def peak_rss_mb():
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from appeals import exports
    from appeals.models import Signature

    before = peak_rss_mb()
    started = time.perf_counter()
    with open(os.devnull, "w", newline="") as nowhere:
        rows = exports.write_csv(Signature.objects.all(), nowhere, "en")
    seconds = time.perf_counter() - started
    report = {
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows / seconds if seconds else 0.0,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_export_mb": before,
    }
    print("BENCH_EXPORT " + json.dumps(report))


if __name__ == "__main__":
    main()
