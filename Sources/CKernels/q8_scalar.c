/* Portable quantized-activation kernels: the fallback without AVX2 and the reference the vector
 * kernels are tested against. Same scales and integer sums as q8_avx2.c; the float accumulation
 * is one running sum per pair instead of 8 lanes, so results agree to rounding, not bit for bit.
 * The activation quantizer and SiLU are bit-identical to their AVX2 versions. */
#include "ckernels.h"
#include "blocks.h"
#include "internal.h"
#include "vexp.h"

static int block_dot(int dtype, const uint8_t *wb, const int8_t *xq, float *d, float *m) {
    int sum = 0;
    switch (dtype) {
    case CK_Q4_1:
        *d = ck_fp16_to_f32(ck_load_u16(wb));
        *m = ck_fp16_to_f32(ck_load_u16(wb + 2));
        for (int j = 0; j < QK / 2; j++) sum += (wb[4 + j] & 15) * xq[j] + (wb[4 + j] >> 4) * xq[j + QK / 2];
        return sum;
    case CK_Q4_0:
        *d = ck_fp16_to_f32(ck_load_u16(wb));
        *m = 0.0f;
        for (int j = 0; j < QK / 2; j++) sum += ((wb[2 + j] & 15) - 8) * xq[j] + ((wb[2 + j] >> 4) - 8) * xq[j + QK / 2];
        return sum;
    default:
        *d = ck_fp16_to_f32(ck_load_u16(wb));
        *m = 0.0f;
        for (int j = 0; j < QK; j++) sum += (int8_t)wb[2 + j] * xq[j];
        return sum;
    }
}

int ck_matmul_q8_scalar(int dtype, const void *wv, size_t row_bytes, int k, const void *xq, int m,
                        float *y, size_t ldy, int r0, int r1) {
    if (!ck_q8_supported(dtype)) return 0;
    const uint8_t *w = wv;
    const ck_block_act *x = xq;
    const int nb = k / QK;
    const size_t bb = dtype == CK_Q4_1 ? sizeof(block_q4_1) : dtype == CK_Q4_0 ? sizeof(block_q4_0) : sizeof(block_q8_0);
    for (int r = r0; r < r1; r++) {
        const uint8_t *row = w + (size_t)r * row_bytes;
        for (int j = 0; j < m; j++) {
            float acc = 0.0f, mins = 0.0f;
            for (int b = 0; b < nb; b++) {
                const ck_block_act *xb = x + (size_t)j * nb + b;
                float d, mw;
                const int sum = block_dot(dtype, row + (size_t)b * bb, xb->qs, &d, &mw);
                acc += d * xb->d * (float)sum;
                mins += mw * xb->s;
            }
            y[(size_t)j * ldy + r] = acc + mins;
        }
    }
    return 1;
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
        }
    }
}

void ck_silu_mul_scalar(float *gate, const float *up, int n) {
    for (int i = 0; i < n; i++) gate[i] = gate[i] / (1.0f + ck_exp_scalar(-gate[i])) * up[i];
}

void ck_round_to_f16_scalar(float *x, int n) {
    for (int i = 0; i < n; i++) x[i] = ck_fp16_to_f32(ck_f32_to_fp16(x[i]));
}
