/* Attention kernels, AVX2: one query row at a time (decode) and blocks of consecutive query rows of
 * one sequence sharing each key and value load (prefill). Both run, per (row, head), the same
 * operations in the same order, so a row's output does not depend on how rows are blocked. */
#include <immintrin.h>
#include <math.h>
#include "ckernels.h"
#include "blocks.h"
#include "internal.h"
#include "hsum_avx2.h"
#include "vexp.h"

#define TGT __attribute__((target("avx2,fma,f16c")))
#define AI __attribute__((always_inline)) inline

/* Eight key or value elements as f32, from an f32 or an f16 (F16) cache. */
TGT static AI __m256 kv8(const void *base, size_t i, int F16) {
    return F16 ? _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)base + i)))
               : _mm256_loadu_ps((const float *)base + i);
}

/* Softmax of one score row in place, returning 1 / sum: max, exp 8 at a time with 8 lane sums, then
 * the tail in order (libm's expf dominated long prompts). The steps depend only on n_keys. */
TGT static AI float softmax_row(float *scores, int n_keys) {
    float mx = -INFINITY;
    for (int j = 0; j < n_keys; j++) mx = scores[j] > mx ? scores[j] : mx;
    const __m256 vmx = _mm256_set1_ps(mx);
    __m256 vsum = _mm256_setzero_ps();
    int j = 0;
    for (; j + 8 <= n_keys; j += 8) {
        const __m256 e = ck_exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(scores + j), vmx));
        _mm256_storeu_ps(scores + j, e);
        vsum = _mm256_add_ps(vsum, e);
    }
    float sum = ck_hsum256(vsum);
    for (; j < n_keys; j++) {
        scores[j] = ck_exp_scalar(scores[j] - mx);
        sum += scores[j];
    }
    return 1.0f / sum;
}

TGT static AI void attention(const float *q, const void *k, const void *v, int F16, size_t kv_stride, int n_keys,
                             int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                             float *out, float *scores) {
    const int group = n_heads / n_kv_heads;
    for (int h = h0; h < h1; h++) {
        const float *qh = q + (size_t)h * hd;
        const size_t koff = (size_t)(h / group) * hd;
        int j = 0;
        for (; j + 4 <= n_keys; j += 4) {
            const size_t k0 = (size_t)j * kv_stride + koff;
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < hd; i += 8) {
                const __m256 qv = _mm256_loadu_ps(qh + i);
                a0 = _mm256_fmadd_ps(qv, kv8(k, k0 + i, F16), a0);
                a1 = _mm256_fmadd_ps(qv, kv8(k, k0 + kv_stride + i, F16), a1);
                a2 = _mm256_fmadd_ps(qv, kv8(k, k0 + 2 * kv_stride + i, F16), a2);
                a3 = _mm256_fmadd_ps(qv, kv8(k, k0 + 3 * kv_stride + i, F16), a3);
            }
            scores[j] = ck_hsum256(a0) * scale;
            scores[j + 1] = ck_hsum256(a1) * scale;
            scores[j + 2] = ck_hsum256(a2) * scale;
            scores[j + 3] = ck_hsum256(a3) * scale;
        }
        for (; j < n_keys; j++) {
            const size_t k0 = (size_t)j * kv_stride + koff;
            __m256 a = _mm256_setzero_ps();
            for (int i = 0; i < hd; i += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(qh + i), kv8(k, k0 + i, F16), a);
            scores[j] = ck_hsum256(a) * scale;
        }
        const __m256 inv = _mm256_set1_ps(softmax_row(scores, n_keys));
        float *oh = out + (size_t)h * hd;
        for (int d0 = 0; d0 < hd; d0 += 64) {
            const int nv = hd - d0 >= 64 ? 8 : (hd - d0) / 8;
            __m256 acc[8];
            for (int t = 0; t < 8; t++) acc[t] = _mm256_setzero_ps();
            for (j = 0; j < n_keys; j++) {
                const __m256 p = _mm256_set1_ps(scores[j]);
                const size_t vj = (size_t)j * kv_stride + koff + d0;
                for (int t = 0; t < nv; t++) acc[t] = _mm256_fmadd_ps(p, kv8(v, vj + 8 * t, F16), acc[t]);
            }
            for (int t = 0; t < nv; t++) _mm256_storeu_ps(oh + d0 + 8 * t, _mm256_mul_ps(acc[t], inv));
        }
    }
}

TGT void ck_attention_avx2(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                           int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                           float *out, float *scores) {
    attention(q, k, v, 0, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
}

TGT void ck_attention_f16_avx2(const float *q, const uint16_t *k, const uint16_t *v, size_t kv_stride, int n_keys,
                               int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                               float *out, float *scores) {
    attention(q, k, v, 1, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
}

/* Up to ATT_BLOCK query vectors (rows x heads of one kv head), each with its own key count; per
 * pair exactly the single-row kernel's steps: an 8-lane fma chain over the head dimension, one
 * reduction, the scale; the row's softmax; per output lane an fma chain over the keys in order. */
#define ATT_BLOCK 16
TGT static AI void attention_block(const float *const *qv, float *const *ov, const int *nk, int R, const void *k,
                                   const void *v, int F16, size_t kv_stride, size_t koff, int hd, float scale,
                                   float *scores, size_t sstride) {
    int nmax = 0;
    for (int i = 0; i < R; i++) nmax = nk[i] > nmax ? nk[i] : nmax;
    for (int j = 0; j < nmax; j++) {
        const size_t kj = (size_t)j * kv_stride + koff;
        __m256 kr[16];
        for (int t = 0; t < hd / 8; t++) kr[t] = kv8(k, kj + 8 * t, F16);
        for (int i = 0; i < R; i++) {
            if (j >= nk[i]) continue;
            __m256 a = _mm256_setzero_ps();
            for (int t = 0; t < hd / 8; t++) a = _mm256_fmadd_ps(_mm256_loadu_ps(qv[i] + 8 * t), kr[t], a);
            scores[(size_t)i * sstride + j] = ck_hsum256(a) * scale;
        }
    }
    float inv[ATT_BLOCK];
    for (int i = 0; i < R; i++) inv[i] = softmax_row(scores + (size_t)i * sstride, nk[i]);
    for (int d0 = 0; d0 < hd; d0 += 16) {
        const int two = hd - d0 >= 16;
        for (int i0 = 0; i0 < R; i0 += 6) {
            const int n = R - i0 < 6 ? R - i0 : 6;
            __m256 acc[6][2];
            int last = 0;
            for (int i = 0; i < n; i++) {
                acc[i][0] = acc[i][1] = _mm256_setzero_ps();
                last = nk[i0 + i] > last ? nk[i0 + i] : last;
            }
            for (int j = 0; j < last; j++) {
                const size_t vj = (size_t)j * kv_stride + koff + d0;
                const __m256 v0 = kv8(v, vj, F16), v1 = two ? kv8(v, vj + 8, F16) : v0;
                for (int i = 0; i < n; i++) {
                    if (j >= nk[i0 + i]) continue;
                    const __m256 p = _mm256_set1_ps(scores[(size_t)(i0 + i) * sstride + j]);
                    acc[i][0] = _mm256_fmadd_ps(p, v0, acc[i][0]);
                    if (two) acc[i][1] = _mm256_fmadd_ps(p, v1, acc[i][1]);
                }
            }
            for (int i = 0; i < n; i++) {
                const __m256 s = _mm256_set1_ps(inv[i0 + i]);
                _mm256_storeu_ps(ov[i0 + i] + d0, _mm256_mul_ps(acc[i][0], s));
                if (two) _mm256_storeu_ps(ov[i0 + i] + d0 + 8, _mm256_mul_ps(acc[i][1], s));
            }
        }
    }
}

TGT void ck_attention_rows_avx2(const float *q, size_t q_stride, int rows, int first_keys, const void *k, const void *v,
                                int kv_f16, size_t kv_stride, int n_heads, int n_kv_heads, int hd, float scale,
                                int g, float *out, size_t out_stride, float *scores) {
    const int group = n_heads / n_kv_heads;
    const size_t koff = (size_t)g * hd, sstride = (size_t)(first_keys + rows);
    const int per = ATT_BLOCK / group > 0 ? ATT_BLOCK / group : 1;
    for (int r0 = 0; r0 < rows; r0 += per) {
        const int nr = rows - r0 < per ? rows - r0 : per;
        for (int h0 = 0; h0 < group; h0 += ATT_BLOCK) {
            const int nh = group - h0 < ATT_BLOCK ? group - h0 : ATT_BLOCK;
            const float *qv[ATT_BLOCK];
            float *ov[ATT_BLOCK];
            int nk[ATT_BLOCK], R = 0;
            for (int r = 0; r < nr && R < ATT_BLOCK; r++)
                for (int h = 0; h < nh && R < ATT_BLOCK; h++, R++) {
                    const size_t hh = (size_t)(g * group + h0 + h) * hd;
                    qv[R] = q + (size_t)(r0 + r) * q_stride + hh;
                    ov[R] = out + (size_t)(r0 + r) * out_stride + hh;
                    nk[R] = first_keys + r0 + r;
                }
            /* A literal head size lets the compiler keep a key row in registers. */
            if (hd == 64 && kv_f16) attention_block(qv, ov, nk, R, k, v, 1, kv_stride, koff, 64, scale, scores, sstride);
            else if (hd == 64) attention_block(qv, ov, nk, R, k, v, 0, kv_stride, koff, 64, scale, scores, sstride);
            else if (kv_f16) attention_block(qv, ov, nk, R, k, v, 1, kv_stride, koff, hd, scale, scores, sstride);
            else attention_block(qv, ov, nk, R, k, v, 0, kv_stride, koff, hd, scale, scores, sstride);
        }
    }
}
