/* Portable quantized-activation kernels and weight packing: the fallback without AVX2 and the
 * reference the vector kernels are tested against. Every function here gives results
 * bit-identical to its AVX2 version (same integer sums, same fma chains, same rounding).
 * Matches: ggml's quantize_row_q8_1 (activation values) and ggml_vec_dot_q4_1_q8_1 /
 * q4_0_q8_0 / q8_0_q8_0 generic versions (integer block sums scaled by d_w * d_x). */
#include "ckernels.h"
#include "blocks.h"
#include "internal.h"
#include "vexp.h"

/* Bytes before the quants in a packed group-block: 8 fp16 scales, and 8 fp16 mins for Q4_1. */
static size_t packed_header(int dtype) { return dtype == CK_Q4_1 ? 32 : 16; }

size_t ck_packed_q8_bytes(int dtype, int rows, int k) {
    const size_t gbb = ck_packed_group_block_bytes(dtype);
    if (gbb == 0 || k <= 0 || k % QK != 0 || rows <= 0) return 0;
    return (size_t)((rows + 7) / 8) * (size_t)(k / QK) * gbb;
}

void ck_pack_q8(int dtype, const void *wv, size_t row_bytes, int k, int rows, int g0, int g1, void *packed) {
    const size_t gbb = ck_packed_group_block_bytes(dtype);
    if (gbb == 0 || k % QK != 0) return;
    const int nb = k / QK;
    const size_t header = packed_header(dtype);
    /* Source block layout: fp16 d, [fp16 m for Q4_1], quants. */
    const size_t src_block = gbb / 8, src_quants = dtype == CK_Q4_1 ? 4 : 2;
    const size_t quant_bytes = src_block - src_quants;
    const uint8_t *w = wv;
    for (int g = g0; g < g1; g++) {
        for (int b = 0; b < nb; b++) {
            uint8_t *dst = (uint8_t *)packed + ((size_t)g * nb + b) * gbb;
            memset(dst, 0, gbb);
            for (int i = 0; i < 8; i++) {
                const int r = g * 8 + i;
                if (r >= rows) continue;
                const uint8_t *src = w + (size_t)r * row_bytes + (size_t)b * src_block;
                memcpy(dst + 2 * i, src, 2);
                if (dtype == CK_Q4_1) memcpy(dst + 16 + 2 * i, src + 2, 2);
                for (size_t t = 0; t < quant_bytes / 4; t++)
                    memcpy(dst + header + 32 * t + 4 * i, src + src_quants + 4 * t, 4);
            }
        }
    }
}

/* The inverse of ck_pack_q8 for one row: gathers row `row`'s blocks back into their stored
 * layout and dequantizes them exactly as ck_dequantize_row does the stored row. */
void ck_packed_q8_dequantize_row(int dtype, const void *packed, int k, int row, float *out) {
    const size_t gbb = ck_packed_group_block_bytes(dtype);
    if (gbb == 0 || k % QK != 0 || row < 0) return;
    const int nb = k / QK, g = row / 8, i = row % 8;
    const size_t header = packed_header(dtype);
    const size_t src_block = gbb / 8, src_quants = dtype == CK_Q4_1 ? 4 : 2;
    const size_t quant_bytes = src_block - src_quants;
    uint8_t block[34];
    for (int b = 0; b < nb; b++) {
        const uint8_t *gb = (const uint8_t *)packed + ((size_t)g * nb + b) * gbb;
        memcpy(block, gb + 2 * i, 2);
        if (dtype == CK_Q4_1) memcpy(block + 2, gb + 16 + 2 * i, 2);
        for (size_t t = 0; t < quant_bytes / 4; t++)
            memcpy(block + src_quants + 4 * t, gb + header + 32 * t + 4 * i, 4);
        ck_dequantize_row(dtype, block, out + (size_t)b * QK, QK);
    }
}

/* Integer dot product of row i (0..7) of a packed group-block with activation quants x. */
static int packed_block_sum(int dtype, const uint8_t *gb, int i, const ck_block_act *x) {
    const uint8_t *q = gb + packed_header(dtype);
    int sum = 0;
    if (dtype == CK_Q8_0) {
        for (int t = 0; t < 8; t++)
            for (int e = 0; e < 4; e++) sum += (int8_t)q[32 * t + 4 * i + e] * x->qs[4 * t + e];
        return sum;
    }
    for (int t = 0; t < 4; t++)
        for (int e = 0; e < 4; e++) {
            const uint8_t byte = q[32 * t + 4 * i + e];
            sum += (byte & 15) * x->qs[4 * t + e] + (byte >> 4) * x->qs[16 + 4 * t + e];
        }
    return dtype == CK_Q4_0 ? sum - 8 * x->sum : sum;
}

void ck_matmul_q8_scalar(int dtype, const void *packed, int k, int rows, const void *xq, int m,
                         float *y, size_t ldy, int g0, int g1) {
    const size_t gbb = ck_packed_group_block_bytes(dtype);
    const int nb = k / QK;
    const ck_block_act *x = xq;
    for (int g = g0; g < g1; g++) {
        const uint8_t *group = (const uint8_t *)packed + (size_t)g * nb * gbb;
        for (int i = 0; i < 8 && g * 8 + i < rows; i++) {
            for (int j = 0; j < m; j++) {
                float acc = 0.0f, mins = 0.0f;
                for (int b = 0; b < nb; b++) {
                    const uint8_t *gb = group + (size_t)b * gbb;
                    const ck_block_act *xb = x + (size_t)j * nb + b;
                    const float dw = ck_fp16_to_f32(ck_load_u16(gb + 2 * i));
                    acc = __builtin_fmaf(dw * xb->d, (float)packed_block_sum(dtype, gb, i, xb), acc);
                }
                for (int b = 0; dtype == CK_Q4_1 && b < nb; b++) {
                    const uint8_t *gb = group + (size_t)b * gbb;
                    mins = __builtin_fmaf(ck_fp16_to_f32(ck_load_u16(gb + 16 + 2 * i)), x[(size_t)j * nb + b].s, mins);
                }
                y[(size_t)j * ldy + g * 8 + i] = acc + mins;
            }
        }
    }
}

void ck_quantize_rows_q8_scalar(const float *x, size_t ldx, int k, int m, void *out) {
    ck_block_act *o = out;
    const int nb = k / QK;
    for (int j = 0; j < m; j++) {
        const float *row = x + (size_t)j * ldx;
        for (int b = 0; b < nb; b++, o++) {
            const float *v = row + b * QK;
            float amax = 0.0f;
            for (int i = 0; i < QK; i++) {
                const float a = __builtin_fabsf(v[i]);
                amax = a > amax ? a : amax;
            }
            const float d = amax / 127.0f;
            const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
            int sum = 0;
            for (int i = 0; i < QK; i++) {
                const int q = (int)__builtin_nearbyintf(v[i] * id);
                o->qs[i] = (int8_t)q;
                sum += q;
            }
            o->d = ck_fp16_to_f32(ck_f32_to_fp16(d));
            o->s = ck_fp16_to_f32(ck_f32_to_fp16(d * (float)sum));
            o->sum = sum;
            o->spare = 0;
        }
    }
}

void ck_silu_mul_scalar(float *gate, const float *up, int n) {
    for (int i = 0; i < n; i++) gate[i] = gate[i] / (1.0f + ck_exp_scalar(-gate[i])) * up[i];
}

void ck_round_to_f16_scalar(float *x, int n) {
    for (int i = 0; i < n; i++) x[i] = ck_fp16_to_f32(ck_f32_to_fp16(x[i]));
}
