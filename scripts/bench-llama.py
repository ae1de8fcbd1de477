#!/usr/bin/env python3
"""llama.cpp's side of scripts/bench, through llama-cpp-python (one process per repetition).

  bench-llama.py bench   MODEL THREADS PROMPTS DECODE   -> JSON {prompt_N: tok/s, decode_D: tok/s}
  bench-llama.py startup MODEL THREADS TOKENS            load, greedy-generate TOKENS, exit

Prompts are the synthetic ids `align bench` uses (same formula); decoding is greedy (argmax of
the logits) and ignores end-of-sequence, one llama_decode per token as llama.cpp's own tools do.
"""
import json
import sys
import time

import numpy as np
from llama_cpp import Llama


def synthetic_prompt(length, vocab):
    if vocab <= 200:
        return [i % vocab for i in range(length)]
    return [100 + (i * 7919 + 17) % (vocab - 200) for i in range(length)]


def load(model, threads, context):
    return Llama(model_path=model, n_ctx=context, n_batch=512, n_ubatch=512, n_threads=threads,
                 n_threads_batch=threads, verbose=False)


def last_logits(llm):
    return llm.scores[llm.n_tokens - 1]


def decode(llm, steps):
    for _ in range(steps):
        llm.eval([int(np.argmax(last_logits(llm)))])


def bench(model, threads, prompts, steps):
    longest = max(prompts) + steps + 16
    llm = load(model, threads, max(longest, 512))
    vocab = llm.n_vocab()
    llm.reset()
    llm.eval(synthetic_prompt(16, vocab))  # untimed warm-up, as align bench does
    out = {}
    for n in prompts:
        llm.reset()
        ids = synthetic_prompt(n, vocab)
        start = time.perf_counter()
        llm.eval(ids)
        out[f"prompt_{n}"] = n / (time.perf_counter() - start)
    if steps > 0:
        llm.reset()
        llm.eval(synthetic_prompt(prompts[0], vocab))
        start = time.perf_counter()
        decode(llm, steps)
        out[f"decode_{steps}"] = steps / (time.perf_counter() - start)
    print(json.dumps(out))


def startup(model, threads, tokens):
    llm = load(model, threads, 512)
    llm.eval(synthetic_prompt(16, llm.n_vocab()))
    decode(llm, tokens)


if __name__ == "__main__":
    mode, model, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "bench":
        bench(model, threads, [int(p) for p in sys.argv[4].split(",")], int(sys.argv[5]))
    else:
        startup(model, threads, int(sys.argv[4]))
