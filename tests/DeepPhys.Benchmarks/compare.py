#!/usr/bin/python3
"""DeepPhys against PyTorch on the workloads W1-W4, side by side, in one table.

Runs the DeepPhys benchmarks (BenchmarkDotNet, JSON exporter) and the PyTorch peer script
(peers/torch_bench.py) alternately, workload group by workload group, so both are timed in the
same minutes of a machine whose speed drifts; then prints: workload, DeepPhys, PyTorch, ratio
(PyTorch time / DeepPhys time, above 1 means DeepPhys is faster), GFLOP/s and share of the FMA
peak measured by peers/peak.c, and the bytes DeepPhys allocates per operation.

Usage (from the repository root):
    /usr/bin/python3 tests/DeepPhys.Benchmarks/compare.py            # full run, about 30 minutes
    /usr/bin/python3 tests/DeepPhys.Benchmarks/compare.py --quick    # smoke run, a few minutes
Options: --only W1,W4 (groups), --threads 1,2, --out DIR (raw results; default a temporary directory).
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.join(HERE, "DeepPhys.Benchmarks.csproj")
PEERS = os.path.join(HERE, "peers")
PYTHON = "/usr/bin/python3"

# Multiply-adds per sample of each model, for GFLOP/s counted as PyTorch's script counts them:
# a training step is 6 FLOPs per multiply-add per sample (forward 2, backward 4), inference 2.
IRIS_MACS = 4 * 16 + 16 * 16 + 16 * 16 + 16 * 3
MLP_MACS = 784 * 512 + 512 * 512 + 512 * 10
CNN_MACS = 28 * 28 * 16 * 9 + 14 * 14 * 32 * 9 * 16 + 1568 * 10
TABULAR_MACS = 28 * 64 + 64 * 64 + 64

# (group, workload, BenchmarkDotNet class.method, its parameters, start of the PyTorch result's name, FLOPs per operation, multi-threaded)
WORKLOADS = [
    ("W1", "W1a step, batch 32", "IrisBenchmarks.W1a_TrainStep", {}, "W1a Iris MLP", 6 * IRIS_MACS * 32, False),
    ("W1", "W1b epoch, 120 rows", "IrisBenchmarks.W1b_Epoch", {}, "W1b Iris one epoch", 6 * IRIS_MACS * 120, False),
    ("W1", "W1c one sample", "IrisBenchmarks.W1c_PredictOne", {}, "W1c Iris single-sample", 2 * IRIS_MACS, False),
    ("W1", "W1d batch 1024", "IrisBenchmarks.W1d_Predict1024", {}, "W1d Iris inference batch 1024", 2 * IRIS_MACS * 1024, False),
    ("W2", "W2 step, batch 256", "MlpBenchmarks.W2_TrainStep", {}, "W2 MLP 784-512-512-10 train step", 6 * MLP_MACS * 256, True),
    ("W3", "W3 step, batch 64", "CnnBenchmarks.W3_TrainStep", {}, "W3 CNN", 6 * CNN_MACS * 64, True),
    ("W4", "W4 step, batch 512", "TabularBenchmarks.W4_TrainStep", {}, "W4 tabular MLP 28-64-64-1 BCEWithLogitsLoss", 6 * TABULAR_MACS * 512, True),
    ("W4", "W4 10 epochs × 100k", "TabularTrainingBenchmarks.W4_TenEpochs", {}, "W4 train 10 epochs", 6 * TABULAR_MACS * 1_000_000, False),
]
LINEARITY = "TabularEpochBenchmarks.W4_Epoch"
GROUP_FILTERS = {
    "W1": ["*IrisBenchmarks*"],
    "W2": ["*MlpBenchmarks*"],
    "W3": ["*CnnBenchmarks*"],
    "W4": ["*TabularBenchmarks*", "*TabularTrainingBenchmarks*", "*TabularEpochBenchmarks*"],
}


def run(command, **kwargs):
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


def check_openblas():
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "libopenblas0-openmp"], capture_output=True, text=True)
    if "install ok installed" not in status.stdout:
        sys.exit("libopenblas0-openmp is not installed: PyTorch would fall back to the reference BLAS (2-3 GFLOP/s) and "
                 "W2/W4 would compare against a crippled peer. Install it: apt-get install -y libopenblas0-openmp")


def measure_peak(out):
    """The 1-thread AVX-512 (or else AVX2) FMA peak in GFLOP/s, from peers/peak.c."""
    binary = os.path.join(out, "peak")
    run(["gcc", "-O3", "-march=native", "-fopenmp", "-o", binary, os.path.join(PEERS, "peak.c")])
    text = run([binary, "fma"], capture_output=True, text=True).stdout
    print(text, end="")
    peaks = {(int(bits), int(threads)): float(gflops) for bits, threads, gflops in
             re.findall(r"FMA fp32 (\d+)-bit, (\d+) thread\(s\): median ([\d.]+) GFLOP/s", text)}
    return peaks.get((512, 1)) or peaks.get((256, 1))


def deepphys(group, out, quick, round_number):
    artifacts = os.path.join(out, f"deepphys-{group}-{round_number}")
    command = ["dotnet", "run", "-c", "Release", "--no-build", "--project", PROJECT, "--",
               "--filter", *GROUP_FILTERS[group], "--exporters", "json", "--artifacts", artifacts]
    if quick and group != "W4":
        # W4's epoch benchmarks declare their own short job; --job would add a second one, not replace it.
        command += ["--job", "short"]
    run(command)
    results = []
    for path in glob.glob(os.path.join(artifacts, "results", "*.json")):
        with open(path) as f:
            for benchmark in json.load(f)["Benchmarks"]:
                parameters = dict(re.findall(r"(\w+)=([^&]+)", benchmark.get("Parameters") or ""))
                memory = benchmark.get("Memory") or {}
                results.append(dict(
                    name=benchmark["Type"] + "." + benchmark["Method"], parameters=parameters, round=round_number,
                    seconds=benchmark["Statistics"]["Median"] * 1e-9, allocated=memory.get("BytesAllocatedPerOperation")))
    return results


def pytorch(group, threads, out, quick, round_number):
    path = os.path.join(out, f"torch-{group}-t{threads}-{round_number}.jsonl")
    command = [PYTHON, os.path.join(PEERS, "torch_bench.py"), "--threads", str(threads), "--only", group, "--json", path]
    if quick:
        command += ["--quick", "--reps", "3"]
    run(command)
    with open(path) as f:
        return [dict(result, round=round_number) for line in f for result in json.loads(line)["results"]]


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else None


def pick_deepphys(results, name, parameters, threads):
    wanted = dict(parameters, **({"Threads": str(threads)} if threads else {}))
    return [r for r in results if r["name"] == name and all(r["parameters"].get(k) == v for k, v in wanted.items())]


def duration(seconds):
    if seconds is None:
        return "—"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def table(deep, torch, threads_list, peak):
    print()
    print("| workload | threads | DeepPhys | PyTorch | ratio | GFLOP/s | share of peak | allocated |")
    print("|---|---|---|---|---|---|---|---|")
    for group, label, name, parameters, torch_name, flops, threaded in WORKLOADS:
        for threads in threads_list:
            if threads > 1 and not threaded:
                continue
            ours = pick_deepphys(deep.get(group, []), name, parameters, threads if threaded else None)
            theirs = [r["median_s"] for r in torch.get((group, threads), []) if r["name"].startswith(torch_name)]
            if not ours and not theirs:
                continue
            mine, peer = median([r["seconds"] for r in ours]), median(theirs)
            ratio = f"{peer / mine:.2f}×" if mine and peer else "—"
            gflops = flops / mine / 1e9 if mine else None
            share = f"{100 * gflops / (peak * threads):.1f} %" if gflops and peak else "—"
            allocated = ", ".join(sorted({f'{r["allocated"]} B' for r in ours if r["allocated"] is not None})) or "—"
            print(f"| {label} | {threads} | {duration(mine)} | {duration(peer)} | {ratio} | "
                  f"{f'{gflops:.2f}' if gflops else '—'} | {share} | {allocated} |")

    scaling(deep, torch, threads_list)

    by_rows = {}
    for r in deep.get("W4", []):
        if r["name"] == LINEARITY:
            by_rows.setdefault(int(r["parameters"]["Rows"]), []).append(r["seconds"])
    epochs = sorted((rows, median(seconds)) for rows, seconds in by_rows.items())
    if epochs:
        print()
        print("| W4 one epoch, rows | DeepPhys | per row | per row / per row at the largest size |")
        print("|---|---|---|---|")
        largest = epochs[-1][1] / epochs[-1][0]
        for rows, seconds in epochs:
            print(f"| {rows:,} | {duration(seconds)} | {duration(seconds / rows)} | {seconds / rows / largest:.2f} |")


def scaling(deep, torch, threads_list):
    """1 thread's time over N threads' for each threaded workload, round by round: both counts of one round ran within
    minutes of each other, so this ratio is the one the machine's drift disturbs least. PyTorch's, from the same rounds,
    shows what the machine gave a mature library at that moment."""
    counts = [t for t in threads_list if t > 1]
    if 1 not in threads_list or not counts:
        return
    print()
    print("| workload | threads | round | DeepPhys 1 thread / N threads | PyTorch 1 thread / N threads |")
    print("|---|---|---|---|---|")
    for group, label, name, parameters, torch_name, _, threaded in WORKLOADS:
        if not threaded:
            continue
        for threads in counts:
            for round_number in sorted({r["round"] for r in deep.get(group, [])}):
                ours = [median([r["seconds"] for r in pick_deepphys(deep.get(group, []), name, parameters, n) if r["round"] == round_number])
                        for n in (1, threads)]
                theirs = [median([r["median_s"] for r in torch.get((group, n), []) if r["round"] == round_number and r["name"].startswith(torch_name)])
                          for n in (1, threads)]
                mine = f"{ours[0] / ours[1]:.2f}×" if all(ours) else "—"
                peer = f"{theirs[0] / theirs[1]:.2f}×" if all(theirs) else "—"
                print(f"| {label} | {threads} | {round_number + 1} | {mine} | {peer} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="BenchmarkDotNet's short job and the peer's --quick: a smoke run")
    parser.add_argument("--only", default="W1,W2,W3,W4", help="workload groups, comma-separated")
    parser.add_argument("--threads", default="1", help="thread counts for W2, W3 and W4's step, comma-separated")
    parser.add_argument("--rounds", type=int, default=None, help="alternations per group (default 2, quick 1)")
    parser.add_argument("--out", default=None, help="directory for the raw results")
    args = parser.parse_args()
    groups = [g for g in args.only.split(",") if g]
    threads_list = [int(t) for t in args.threads.split(",")]
    rounds = args.rounds or (1 if args.quick else 2)
    out = args.out or tempfile.mkdtemp(prefix="deepphys-compare-")
    os.makedirs(out, exist_ok=True)

    check_openblas()
    peak = measure_peak(out)
    run(["dotnet", "build", "-c", "Release", PROJECT])

    deep, torch = {}, {}
    for round_number in range(rounds):
        for group in groups:
            # Alternate: DeepPhys, then the peer at each thread count, group by group.
            deep.setdefault(group, []).extend(deepphys(group, out, args.quick, round_number))
            for threads in threads_list:
                if threads == 1 or group in ("W2", "W3", "W4"):
                    torch.setdefault((group, threads), []).extend(pytorch(group, threads, out, args.quick, round_number))

    print(f"\nRaw results in {out}; FMA peak, 1 thread: {peak} GFLOP/s; ratio = PyTorch time / DeepPhys time (medians over rounds).")
    table(deep, torch, threads_list, peak)


if __name__ == "__main__":
    main()
