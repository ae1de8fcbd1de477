/* Dequantization of whole rows to f32 for every stored type. Used by the generic kernel path
 * (types without a dedicated tile kernel) and for embedding lookups.
 * Matches: ggml-quants.c dequantize_row_* (same element order and formulas). */
#include "ckernels.h"
#include "blocks.h"

static void dq_q4_0(const block_q4_0 *x, float *y, int nb) {
    for (int i = 0; i < nb; i++) {
        const float d = ck_fp16_to_f32(x[i].d);
        for (int j = 0; j < QK / 2; j++) {
            y[i * QK + j] = ((float)(x[i].qs[j] & 0x0F) - 8.0f) * d;
            y[i * QK + j + QK / 2] = ((float)(x[i].qs[j] >> 4) - 8.0f) * d;
        }
    }
}

static void dq_q4_1(const block_q4_1 *x, float *y, int nb) {
    for (int i = 0; i < nb; i++) {
        const float d = ck_fp16_to_f32(x[i].d), m = ck_fp16_to_f32(x[i].m);
        for (int j = 0; j < QK / 2; j++) {
            y[i * QK + j] = (float)(x[i].qs[j] & 0x0F) * d + m;
            y[i * QK + j + QK / 2] = (float)(x[i].qs[j] >> 4) * d + m;
        }
    }
}

static void dq_q5_0(const block_q5_0 *x, float *y, int nb) {
    for (int i = 0; i < nb; i++) {
        const float d = ck_fp16_to_f32(x[i].d);
        uint32_t qh;
        memcpy(&qh, x[i].qh, 4);
        for (int j = 0; j < QK / 2; j++) {
            const uint8_t xh0 = ((qh >> j) << 4) & 0x10;
            const uint8_t xh1 = (qh >> (j + 12)) & 0x10;
            y[i * QK + j] = (float)(((x[i].qs[j] & 0x0F) | xh0) - 16) * d;
            y[i * QK + j + QK / 2] = (float)(((x[i].qs[j] >> 4) | xh1) - 16) * d;
        }
    }
}

static void dq_q5_1(const block_q5_1 *x, float *y, int nb) {
    for (int i = 0; i < nb; i++) {
        const float d = ck_fp16_to_f32(x[i].d), m = ck_fp16_to_f32(x[i].m);
        uint32_t qh;
        memcpy(&qh, x[i].qh, 4);
        for (int j = 0; j < QK / 2; j++) {
            const uint8_t xh0 = ((qh >> j) << 4) & 0x10;
            const uint8_t xh1 = (qh >> (j + 12)) & 0x10;
            y[i * QK + j] = (float)((x[i].qs[j] & 0x0F) | xh0) * d + m;
            y[i * QK + j + QK / 2] = (float)((x[i].qs[j] >> 4) | xh1) * d + m;
        }
    }
}

static void dq_q8_0(const block_q8_0 *x, float *y, int nb) {
    for (int i = 0; i < nb; i++) {
        const float d = ck_fp16_to_f32(x[i].d);
        for (int j = 0; j < QK; j++) y[i * QK + j] = (float)x[i].qs[j] * d;
    }
}

static void dq_q4_K(const block_q4_K *x, float *y, int nb) {
    for (int i = 0; i < nb; i++) {
        const uint8_t *q = x[i].qs;
        const float d = ck_fp16_to_f32(x[i].d), min = ck_fp16_to_f32(x[i].dmin);
        int is = 0;
        uint8_t sc, m;
        for (int j = 0; j < QK_K; j += 64) {
            ck_scale_min_k4(is + 0, x[i].scales, &sc, &m);
            const float d1 = d * sc, m1 = min * m;
            ck_scale_min_k4(is + 1, x[i].scales, &sc, &m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; l++) *y++ = d1 * (q[l] & 0xF) - m1;
            for (int l = 0; l < 32; l++) *y++ = d2 * (q[l] >> 4) - m2;
            q += 32;
            is += 2;
        }
    }
}

static void dq_q5_K(const block_q5_K *x, float *y, int nb) {
    for (int i = 0; i < nb; i++) {
        const uint8_t *ql = x[i].qs, *qh = x[i].qh;
        const float d = ck_fp16_to_f32(x[i].d), min = ck_fp16_to_f32(x[i].dmin);
        int is = 0;
        uint8_t sc, m, u1 = 1, u2 = 2;
        for (int j = 0; j < QK_K; j += 64) {
            ck_scale_min_k4(is + 0, x[i].scales, &sc, &m);
            const float d1 = d * sc, m1 = min * m;
            ck_scale_min_k4(is + 1, x[i].scales, &sc, &m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; l++) *y++ = d1 * ((ql[l] & 0xF) + (qh[l] & u1 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; l++) *y++ = d2 * ((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) - m2;
            ql += 32;
            is += 2;
            u1 <<= 2;
            u2 <<= 2;
        }
    }
}

static void dq_q6_K(const block_q6_K *x, float *y, int nb) {
    for (int i = 0; i < nb; i++) {
        const float d = ck_fp16_to_f32(x[i].d);
        const uint8_t *ql = x[i].ql, *qh = x[i].qh;
        const int8_t *sc = x[i].scales;
        for (int n = 0; n < QK_K; n += 128) {
            for (int l = 0; l < 32; l++) {
                const int is = l / 16;
                const int8_t q1 = (int8_t)((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int8_t q2 = (int8_t)((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int8_t q3 = (int8_t)((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int8_t q4 = (int8_t)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l + 0] = d * sc[is + 0] * q1;
                y[l + 32] = d * sc[is + 2] * q2;
                y[l + 64] = d * sc[is + 4] * q3;
                y[l + 96] = d * sc[is + 6] * q4;
            }
            y += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}

void ck_dequantize_row(int dtype, const void *src, float *dst, int n) {
    switch (dtype) {
    case CK_F32: memcpy(dst, src, (size_t)n * 4); break;
    case CK_F16: {
        const uint8_t *p = src;
        for (int i = 0; i < n; i++) dst[i] = ck_fp16_to_f32(ck_load_u16(p + 2 * i));
        break;
    }
    case CK_BF16: {
        const uint8_t *p = src;
        for (int i = 0; i < n; i++) dst[i] = ck_bf16_to_f32(ck_load_u16(p + 2 * i));
        break;
    }
    case CK_Q4_0: dq_q4_0(src, dst, n / QK); break;
    case CK_Q4_1: dq_q4_1(src, dst, n / QK); break;
    case CK_Q5_0: dq_q5_0(src, dst, n / QK); break;
    case CK_Q5_1: dq_q5_1(src, dst, n / QK); break;
    case CK_Q8_0: dq_q8_0(src, dst, n / QK); break;
    case CK_Q4_K: dq_q4_K(src, dst, n / QK_K); break;
    case CK_Q5_K: dq_q5_K(src, dst, n / QK_K); break;
    case CK_Q6_K: dq_q6_K(src, dst, n / QK_K); break;
    default: break;
    }
}
