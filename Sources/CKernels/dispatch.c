/* Runtime choice of instruction set: the binary is built for baseline x86-64 and picks the widest
 * kernels the CPU supports once, on first use.
 *
 * The AVX-512 kernels are opt-in (ALIGN_ISA=avx512): they were written on a machine without
 * AVX-512 and have never executed, so they are not the default until a run on such a CPU has
 * passed the kernel tests. ALIGN_ISA=avx2 or =scalar narrows the choice (for comparisons). */
#include <stdlib.h>
#include <string.h>
#include "ckernels.h"
#include "internal.h"

enum { ISA_UNSET = 0, ISA_SCALAR = 1, ISA_AVX2 = 2, ISA_AVX512 = 3 };
static int chosen = ISA_UNSET;

static int requested_isa(void) {
    const char *v = getenv("ALIGN_ISA");
    if (!v) return ISA_AVX2;
    if (strcmp(v, "avx512") == 0) return ISA_AVX512;
    if (strcmp(v, "scalar") == 0) return ISA_SCALAR;
    return ISA_AVX2;
}

static int best_isa(void) {
    int cap = requested_isa();
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (cap >= ISA_AVX512 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("f16c")) return ISA_AVX512;
    if (cap >= ISA_AVX2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        __builtin_cpu_supports("f16c"))
        return ISA_AVX2;
#endif
    return ISA_SCALAR;
}

static int isa(void) {
    if (chosen == ISA_UNSET) chosen = best_isa();
    return chosen;
}

const char *ck_isa(void) {
    switch (isa()) {
    case ISA_AVX512: return "avx512";
    case ISA_AVX2: return "avx2";
    default: return "scalar";
    }
}

int ck_isa_supported(int level) { return level >= ISA_SCALAR && level <= isa(); }

void ck_matmul(int dtype, const void *w, size_t row_bytes, int k, const float *x, size_t ldx, int m,
               float *y, size_t ldy, int r0, int r1, float *scratch) {
    ck_matmul_isa(0, dtype, w, row_bytes, k, x, ldx, m, y, ldy, r0, r1, scratch);
}

void ck_matmul_isa(int level, int dtype, const void *w, size_t row_bytes, int k, const float *x, size_t ldx,
                   int m, float *y, size_t ldy, int r0, int r1, float *scratch) {
    if (r0 >= r1 || m <= 0) return;
    if (!ck_isa_supported(level)) level = isa();
    switch (level) {
    case ISA_AVX512:
        if (ck_matmul_avx512(dtype, w, row_bytes, k, x, ldx, m, y, ldy, r0, r1, scratch)) return;
        break;
    case ISA_AVX2:
        if (ck_matmul_avx2(dtype, w, row_bytes, k, x, ldx, m, y, ldy, r0, r1, scratch)) return;
        break;
    default: break;
    }
    ck_matmul_scalar(dtype, w, row_bytes, k, x, ldx, m, y, ldy, r0, r1, scratch);
}

float ck_dot_f32(const float *a, const float *b, int n) {
    switch (isa()) {
    case ISA_AVX512: return ck_dot_f32_avx512(a, b, n);
    case ISA_AVX2: return ck_dot_f32_avx2(a, b, n);
    default: return ck_dot_f32_scalar(a, b, n);
    }
}

void ck_attention(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                  int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1, float *out, float *scores) {
    if (isa() == ISA_AVX512 && hd % 16 == 0)
        ck_attention_avx512(q, k, v, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
    else if (isa() >= ISA_AVX2 && hd % 8 == 0)
        ck_attention_avx2(q, k, v, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
    else
        ck_attention_scalar(q, k, v, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
}

void ck_attention_f16(const float *q, const uint16_t *k, const uint16_t *v, size_t kv_stride, int n_keys,
                      int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1, float *out, float *scores) {
    if (isa() >= ISA_AVX2 && hd % 8 == 0)
        ck_attention_f16_avx2(q, k, v, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
    else
        ck_attention_f16_scalar(q, k, v, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
}

void ck_attention_rows(const float *q, size_t q_stride, int rows, int first_keys, const void *k, const void *v,
                       int kv_f16, size_t kv_stride, int n_heads, int n_kv_heads, int hd, float scale, int g,
                       float *out, size_t out_stride, float *scores) {
    if (isa() >= ISA_AVX2 && hd % 8 == 0 && hd <= 128) {
        ck_attention_rows_avx2(q, q_stride, rows, first_keys, k, v, kv_f16, kv_stride, n_heads, n_kv_heads, hd, scale,
                               g, out, out_stride, scores);
        return;
    }
    const int group = n_heads / n_kv_heads;
    for (int r = 0; r < rows; r++) {
        const float *qr = q + (size_t)r * q_stride;
        float *o = out + (size_t)r * out_stride;
        if (kv_f16)
            ck_attention_f16(qr, k, v, kv_stride, first_keys + r, n_heads, n_kv_heads, hd, scale, g * group,
                             (g + 1) * group, o, scores);
        else
            ck_attention(qr, k, v, kv_stride, first_keys + r, n_heads, n_kv_heads, hd, scale, g * group, (g + 1) * group,
                         o, scores);
    }
}

void ck_f32_to_f16_row(const float *x, uint16_t *out, int n) {
    if (isa() >= ISA_AVX2) ck_f32_to_f16_row_avx2(x, out, n);
    else ck_f32_to_f16_row_scalar(x, out, n);
}

int ck_q8_supported(int dtype) { return dtype == CK_Q4_1 || dtype == CK_Q4_0 || dtype == CK_Q8_0; }

/* The int8 kernels have no AVX-512 variant yet: AVX-512 CPUs run the AVX2 ones. */
void ck_matmul_q8_isa(int level, int dtype, const void *packed, int k, int rows, const void *xq, int m,
                      float *y, size_t ldy, int g0, int g1) {
    if (g0 >= g1 || m <= 0 || k % 32 != 0 || !ck_q8_supported(dtype)) return;
    if (!ck_isa_supported(level)) level = isa();
    if (level >= ISA_AVX2) ck_matmul_q8_avx2(dtype, packed, k, rows, xq, m, y, ldy, g0, g1);
    else ck_matmul_q8_scalar(dtype, packed, k, rows, xq, m, y, ldy, g0, g1);
}

void ck_quantize_rows_q8(const float *x, size_t ldx, int k, int m, void *out) {
    if (k % 32 != 0 || m <= 0) return;
    if (isa() >= ISA_AVX2) ck_quantize_rows_q8_avx2(x, ldx, k, m, out);
    else ck_quantize_rows_q8_scalar(x, ldx, k, m, out);
}

void ck_silu_mul(float *gate, const float *up, int n) {
    if (isa() >= ISA_AVX2) ck_silu_mul_avx2(gate, up, n);
    else ck_silu_mul_scalar(gate, up, n);
}

void ck_round_to_f16(float *x, int n) {
    if (isa() >= ISA_AVX2) ck_round_to_f16_avx2(x, n);
    else ck_round_to_f16_scalar(x, n);
}
