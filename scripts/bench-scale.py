#!/usr/bin/env python3
"""`scripts/bench --scale`: a LLaMA-2-7B-shaped model (hidden 4096, 32 layers, 32 heads, ffn
11008, vocab 32000, random weights) written by align's own quantizer as Q4_0 and Q8_0 GGUF,
then decode tok/s (16 tokens after a 16-token prompt) and peak RSS of align and llama.cpp on
the same file, repetitions interleaved. The files (~3.6 and ~6.7 GiB) are deleted afterwards.
Loaded by bench-driver.py, which passes itself as `bench`.
"""
import os
import shutil


def main(bench, reps):
    folder = os.path.join(os.path.dirname(bench.MODELS), "bench-scale")
    os.makedirs(folder, exist_ok=True)
    rows = []
    try:
        for qtype in ("q4_0", "q8_0"):
            path = os.path.join(folder, f"llama2-7b-synthetic-{qtype}.gguf")
            bench.progress(f"writing {path}")
            _, seconds, rss = bench.run_measured([bench.ALIGN, "quantize", "--synthetic", "llama2-7b", "--type", qtype, path])
            size = os.path.getsize(path) / 2**30
            bench.progress(f"{qtype}: {size:.2f} GiB in {seconds:.0f} s (quantizer peak RSS {rss:.0f} MiB)")
            found, _ = bench.llama_rows(reps, model=path, prompts="16", decode=16, torch=False)
            for name, values, higher in found:
                if name.startswith("prompt"):
                    continue
                rows.append((f"7B {qtype} ({size:.2f} GiB) {name}", values, higher))
            os.unlink(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"synthetic LLaMA-2-7B shape, {bench.THREADS} threads, medians of {reps} interleaved repetitions")
    print(bench.table(rows, ["align", "llama.cpp"]))
    print("\nratios: x = align/llama.cpp throughput (higher is better); MiB: align/llama.cpp (lower is better)")
