"""The bench's figures as a table, like the one the issue measured."""


def number(value, digits=0):
    return "—" if value is None else f"{value:,.{digits}f}"


def rows(scenarios):
    for name, result in scenarios.items():
        yield [
            result["label"],
            f"{result['method']} c{result['connections']}",
            number(result["rps"], 1),
            f"{result['p50_ms']:.0f} / {result['p99_ms']:.0f}",
            number(result["ratio"], 3),
            str(result["errors_all_runs"]),
            ""
            if result["max_sessions_waiting_on_a_lock"] is None
            else str(result["max_sessions_waiting_on_a_lock"]),
            name,
        ]


def print_columns(header, lines):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    for line in [header, ["-" * width for width in widths], *lines]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))


def print_table(figures):
    settings, machine = figures["settings"], figures["machine"]
    print(
        f"\nOn {machine['cpus']} CPUs: gunicorn {machine['gunicorn']}, PostgreSQL "
        f"{machine['postgresql']}, {machine['wrk']} ({machine['wrk_threads']} threads); "
        f"{settings['runs']} runs of {settings['duration_s']} s each, the median run shown; "
        f"{settings['cases']:,} cases, {settings['signatures']:,} signatures."
    )
    header = ["target", "load", "req/s", "p50 / p99 ms", "ratio", "errors", "lock waits", "name"]
    print_columns(header, list(rows(figures["scenarios"])))
    print(
        "(ratio: to the constant page for GETs, to the INSERT with as many clients for POSTs; "
        "lock waits: most sessions seen waiting on a lock at once, sampled every 20 ms)"
    )

    print("\nSQL queries per render (in process, second render):")
    for label, found in figures["queries"].items():
        print(
            f"  {label:<40} {found['queries']:>3} queries, {found['bytes']:,} bytes, status {found['status']}"
        )

    count = figures["count_read"]
    print(
        f"\nCount read (Appeal.objects.get + counters.current, {count['count']:,} signatures): "
        f"median {count['median_ms']:.3f} ms, p99 {count['p99_ms']:.3f} ms"
    )
    live = figures["live_count"]
    if "median_ms" in live:
        print(f"Live count endpoint, in process: median {live['median_ms']:.3f} ms")
    else:
        print(f"Live count endpoint: answered {live['status']} (not there yet)")

    export = figures["export"]
    print(
        f"Export of {export['rows']:,} signatures to /dev/null: {export['seconds']:.1f} s, "
        f"{export['rows_per_second']:,.0f} rows/s, peak memory {export['peak_rss_mb']:.0f} MB "
        f"({export['rss_before_export_mb']:.0f} MB before the export began)"
    )
    for name, sizes in figures["worker_rss_mb"].items():
        if sizes:
            print(
                f"Gunicorn workers ({name}) after the run: {', '.join(f'{s:.0f}' for s in sizes)} MB"
            )
    checks = figures["checks"]
    print(
        f"Stored by the POST scenarios: {checks['submissions_stored']:,} submissions for "
        f"{checks['submissions_answered']:,} answered; {checks['confirmations_stored']:,} "
        f"confirmations for {checks['confirmations_answered']:,} answered; the seed appeal "
        f"read {checks['count_read_after_the_run']:,} at the end of the load, "
        f"{checks['count_read_after']:,} after a fold, for {checks['confirmed_rows_after']:,} "
        "confirmed rows."
    )
    print(
        "Stages: "
        + ", ".join(f"{title} {seconds:.0f} s" for title, seconds in figures["stages_s"].items())
    )
