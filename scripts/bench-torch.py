#!/usr/bin/env python3
"""PyTorch's side of scripts/bench (one process per repetition), 2 threads, float32.

  bench-torch.py bench   GGUF THREADS PROMPTS DECODE  -> JSON {prompt_N, decode_D} (tok/s)
  bench-torch.py startup GGUF THREADS TOKENS          load, greedy-generate TOKENS, exit
  bench-torch.py minilm  FOLDER THREADS TEXTS BATCH   -> JSON {sentence_transformers, plain} (sentences/s)

SmolLM2: transformers' LlamaForCausalLM on the weights dequantized from the GGUF
(`from_pretrained(folder, gguf_file=…)`), prompts the synthetic ids `align bench` uses, greedy
decoding with the KV cache, end-of-sequence ignored. MiniLM: sentence-transformers `encode`
and a plain transformers loop (forward, masked mean pooling, L2 normalisation) on the same
sentences in batches.
"""
import json
import os
import sys
import time

import torch


def synthetic_prompt(length, vocab):
    if vocab <= 200:
        return [i % vocab for i in range(length)]
    return [100 + (i * 7919 + 17) % (vocab - 200) for i in range(length)]


def load(gguf):
    from transformers import AutoModelForCausalLM
    folder, name = os.path.split(os.path.abspath(gguf))
    return AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32).eval()


def prefill(model, ids):
    out = model(input_ids=torch.tensor([ids]), use_cache=True)
    return out.logits[0, -1], out.past_key_values


def decode(model, logits, cache, steps):
    for _ in range(steps):
        token = torch.argmax(logits).view(1, 1)
        out = model(input_ids=token, past_key_values=cache, use_cache=True)
        logits, cache = out.logits[0, -1], out.past_key_values


def bench(gguf, prompts, steps):
    model = load(gguf)
    vocab = model.config.vocab_size
    out = {}
    with torch.inference_mode():
        prefill(model, synthetic_prompt(16, vocab))
        for n in prompts:
            start = time.perf_counter()
            prefill(model, synthetic_prompt(n, vocab))
            out[f"prompt_{n}"] = n / (time.perf_counter() - start)
        if steps > 0:
            logits, cache = prefill(model, synthetic_prompt(prompts[0], vocab))
            start = time.perf_counter()
            decode(model, logits, cache, steps)
            out[f"decode_{steps}"] = steps / (time.perf_counter() - start)
    print(json.dumps(out))


def startup(gguf, tokens):
    model = load(gguf)
    with torch.inference_mode():
        logits, cache = prefill(model, synthetic_prompt(16, model.config.vocab_size))
        decode(model, logits, cache, tokens)


def minilm(folder, texts_path, batch):
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel, AutoTokenizer
    with open(texts_path, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    st = SentenceTransformer(folder, device="cpu")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()
    limit = st.max_seq_length

    def plain():
        with torch.inference_mode():
            for i in range(0, len(texts), batch):
                enc = tokenizer(texts[i:i + batch], padding=True, truncation=True, max_length=limit, return_tensors="pt")
                hidden = model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                torch.nn.functional.normalize(pooled, p=2, dim=1)

    def sentence_transformers():
        st.encode(texts, batch_size=batch, normalize_embeddings=True)

    out = {}
    for name, fn in [("sentence_transformers", sentence_transformers), ("plain", plain)]:
        fn()  # warm-up, as align bench embeds one batch first
        start = time.perf_counter()
        fn()
        out[name] = len(texts) / (time.perf_counter() - start)
    print(json.dumps(out))


if __name__ == "__main__":
    mode, path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(threads)
    if mode == "bench":
        bench(path, [int(p) for p in sys.argv[4].split(",")], int(sys.argv[5]))
    elif mode == "startup":
        startup(path, int(sys.argv[4]))
    else:
        minilm(path, sys.argv[4], int(sys.argv[5]))
