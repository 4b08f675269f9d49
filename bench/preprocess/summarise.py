#!/usr/bin/python3
"""Summaries for bench/preprocess/run.sh (Debian's python3; standard library only).

  summarise.py stage RUN.json                      the preprocess stage's seconds
  summarise.py cohort DIR NAME SIZE SCANS CORES    one cohort's result JSON (ours vs both peer backends)
  summarise.py memory FULL_DIR QUARTER_DIR SCANS   peak RSS, whole small cohort vs its first quarter
  summarise.py table RESULTS_DIR                   the markdown table for docs/benchmarks.md
"""
import csv
import json
import os
import platform
import sys


def stage_seconds(run_json, name="preprocess"):
    with open(run_json) as f:
        return next(s["seconds"] for s in json.load(f)["stages"] if s["name"] == name)


def gnu_time(path):
    wall, rss_kb = open(path).read().split()
    return float(wall), int(rss_kb) / 1024.0


def peer_backend(d, backend, scans):
    start, end = (float(v) for v in open(os.path.join(d, f"peer-{backend}.time")).read().split())
    reports = {}
    for name in os.listdir(os.path.join(d, f"peer-{backend}")):
        if name.endswith(".json"):
            with open(os.path.join(d, f"peer-{backend}", name)) as f:
                reports[name[:-5]] = json.load(f)
    if len(reports) != scans:
        sys.exit(f"error: {backend}: {len(reports)} peer reports for {scans} scans in {d}")
    return end - start, reports


def ours_reports(d):
    """Our per-scan reports, by scan id, from the run's scans.csv and the cache folders it names."""
    out = {}
    with open(os.path.join(d, "out", "preprocess", "scans.csv")) as f:
        for row in csv.DictReader(f):
            with open(os.path.join(d, "cache", "preprocess", row["key"], "report.json")) as r:
                out[row["scan_id"]] = json.load(r)
    return out


def agreement(ours, peer):
    same_liver = sum(1 for k in ours if ours[k]["liver_voxels"] == peer[k]["liver_voxels"])
    return {
        "scans": len(ours),
        "liver_voxels_identical": same_liver,
        "max_abs_mean_diff": max(abs(ours[k]["mean"] - peer[k]["mean"]) for k in ours),
        "max_abs_std_diff": max(abs(ours[k]["std"] - peer[k]["std"]) for k in ours),
        "crop_start_identical": sum(1 for k in ours if ours[k]["crop_start"] == peer[k]["crop_start"]),
    }


def cohort(d, name, size, scans, cores):
    scans, cores = int(scans), int(cores)
    ours_wall, ours_rss = gnu_time(os.path.join(d, "ours.time"))
    ours_stage = stage_seconds(os.path.join(d, "ours_run.json"))
    warm_stage = stage_seconds(os.path.join(d, "ours_warm_run.json"))
    mine = ours_reports(d)
    first = next(iter(mine.values()))
    result = {
        "cohort": name, "size": size, "scans": scans, "cores": cores,
        "machine": {"cpu": platform.processor() or platform.machine(), "cores": cores},
        "input_shape_example": first["input_shape"], "box": first["shape"],
        "target_spacing": first["target_spacing"],
        "ours": {
            "stage_s": ours_stage, "scans_per_s": scans / ours_stage,
            "process_wall_s": ours_wall, "peak_rss_mib": ours_rss,
            "cached_stage_s": warm_stage,
        },
        "peers": {},
    }
    for backend in ("scipy", "torch"):
        wall, reports = peer_backend(d, backend, scans)
        compute = sum(r["time_s"]["total"] for r in reports.values()) / cores
        result["peers"][backend] = {
            "wall_s": wall, "scans_per_s_wall": scans / wall,
            "compute_s": compute, "scans_per_s_compute": scans / compute,
            "agreement_with_ours": agreement(mine, reports),
        }
    fastest = min(result["peers"], key=lambda b: result["peers"][b]["compute_s"])
    result["faster_peer"] = fastest
    result["speedup_vs_faster_peer_compute"] = result["peers"][fastest]["compute_s"] / ours_stage
    result["speedup_vs_faster_peer_wall"] = min(p["wall_s"] for p in result["peers"].values()) / ours_stage
    json.dump(result, sys.stdout, indent=2)
    print()


def memory(full, quarter, quarter_scans):
    full_wall, full_rss = gnu_time(os.path.join(full, "ours.time"))
    q_wall, q_rss = gnu_time(os.path.join(quarter, "ours.time"))
    full_scans = sum(1 for _ in open(os.path.join(full, "cohort", "manifest.csv"))) - 1
    json.dump({
        "quarter": {"scans": int(quarter_scans), "peak_rss_mib": q_rss, "wall_s": q_wall},
        "full": {"scans": full_scans, "peak_rss_mib": full_rss, "wall_s": full_wall},
        "rss_ratio_full_over_quarter": full_rss / q_rss,
    }, sys.stdout, indent=2)
    print()


def table(results):
    rows = []
    for name in ("paper", "small"):
        with open(os.path.join(results, f"{name}.json")) as f:
            r = json.load(f)
        shape = "x".join(str(v) for v in r["input_shape_example"])
        box = "x".join(str(v) for v in r["box"])
        o, s, t = r["ours"], r["peers"]["scipy"], r["peers"]["torch"]
        rows.append(
            f"| {name} | {r['scans']} (e.g. {shape} -> {box}) | {o['scans_per_s']:.2f} | "
            f"{s['scans_per_s_compute']:.2f} / {s['scans_per_s_wall']:.2f} | "
            f"{t['scans_per_s_compute']:.2f} / {t['scans_per_s_wall']:.2f} | "
            f"**{r['speedup_vs_faster_peer_compute']:.1f}x** ({r['speedup_vs_faster_peer_wall']:.1f}x) | "
            f"{o['cached_stage_s']:.2f} s | {o['peak_rss_mib']:.0f} MiB |")
    with open(os.path.join(results, "memory.json")) as f:
        m = json.load(f)
    print("| cohort | scans | ours (scans/s) | peer scipy (scans/s, compute / wall) | peer torch (scans/s, compute / wall) "
          "| ours vs faster peer, compute (wall) | ours, cached re-run | ours, peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print(f"Peak RSS of `crlm run` on the small cohort: {m['quarter']['peak_rss_mib']:.0f} MiB for its first "
          f"{m['quarter']['scans']} scans, {m['full']['peak_rss_mib']:.0f} MiB for all {m['full']['scans']} "
          f"(ratio {m['rss_ratio_full_over_quarter']:.2f}).")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "stage":
        print(stage_seconds(*args))
    elif mode == "cohort":
        cohort(*args)
    elif mode == "memory":
        memory(*args)
    elif mode == "table":
        table(*args)
    else:
        sys.exit(__doc__)
