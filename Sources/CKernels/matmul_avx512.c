/* AVX-512 kernels (Zen 4, Skylake-X and later), chosen at run time by dispatch.c. */
#include <immintrin.h>
#include "ckernels.h"
#include "blocks.h"
#include "internal.h"

#define TGT __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c")))
#define AI __attribute__((always_inline)) inline
#define VEC __m512
#define VPB 2
#define RT_MV 8
#define CT_MAX 8
#define VZERO() _mm512_setzero_ps()
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define VLOADX(p) _mm512_loadu_ps(p)
#define VREDUCE(v) _mm512_reduce_add_ps(v)

TGT static AI void dec_f32(const uint8_t *p, __m512 w[2]) {
    w[0] = _mm512_loadu_ps((const float *)p);
    w[1] = _mm512_loadu_ps((const float *)p + 16);
}

TGT static AI void dec_f16(const uint8_t *p, __m512 w[2]) {
    w[0] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p));
    w[1] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + 32)));
}

TGT static AI void dec_q8_0(const uint8_t *p, __m512 w[2]) {
    const __m512 d = _mm512_set1_ps(_cvtsh_ss(ck_load_u16(p)));
    const __m128i q0 = _mm_loadu_si128((const __m128i *)(p + 2));
    const __m128i q1 = _mm_loadu_si128((const __m128i *)(p + 18));
    w[0] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q0)), d);
    w[1] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q1)), d);
}

/* Low nibbles are elements 0..15, high nibbles 16..31 (ggml order). */
TGT static AI void nibbles(const uint8_t *qs, __m512 *lo, __m512 *hi) {
    const __m128i q = _mm_loadu_si128((const __m128i *)qs);
    const __m128i m4 = _mm_set1_epi8(15);
    *lo = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(q, m4)));
    *hi = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(q, 4), m4)));
}

TGT static AI void dec_q4_0(const uint8_t *p, __m512 w[2]) {
    const __m512 d = _mm512_set1_ps(_cvtsh_ss(ck_load_u16(p)));
    const __m512 eight = _mm512_set1_ps(8.0f);
    __m512 lo, hi;
    nibbles(p + 2, &lo, &hi);
    w[0] = _mm512_mul_ps(_mm512_sub_ps(lo, eight), d);
    w[1] = _mm512_mul_ps(_mm512_sub_ps(hi, eight), d);
}

TGT static AI void dec_q4_1(const uint8_t *p, __m512 w[2]) {
    const __m512 d = _mm512_set1_ps(_cvtsh_ss(ck_load_u16(p)));
    const __m512 m = _mm512_set1_ps(_cvtsh_ss(ck_load_u16(p + 2)));
    __m512 lo, hi;
    nibbles(p + 4, &lo, &hi);
    w[0] = _mm512_fmadd_ps(lo, d, m);
    w[1] = _mm512_fmadd_ps(hi, d, m);
}

#include "tile.h"

KERNEL_SET(f32, dec_f32, 128)
KERNEL_SET(f16, dec_f16, 64)
KERNEL_SET(q8_0, dec_q8_0, 34)
KERNEL_SET(q4_0, dec_q4_0, 18)
KERNEL_SET(q4_1, dec_q4_1, 20)

MATMUL_DRIVER(ck_matmul_avx512)

TGT static AI float dot16n(const float *a, const float *b, int n) {
    __m512 acc = _mm512_setzero_ps();
    for (int i = 0; i < n; i += 16) acc = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc);
    return _mm512_reduce_add_ps(acc);
}

TGT float ck_dot_f32_avx512(const float *a, const float *b, int n) {
    const int n16 = n / 16 * 16;
    float s = n16 ? dot16n(a, b, n16) : 0.0f;
    for (int i = n16; i < n; i++) s = __builtin_fmaf(a[i], b[i], s);
    return s;
}

/* Needs hd % 16 == 0 (the dispatcher checks). */
TGT void ck_attention_avx512(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                             int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                             float *out, float *scores) {
    const int group = n_heads / n_kv_heads;
    for (int h = h0; h < h1; h++) {
        const float *qh = q + (size_t)h * hd;
        const size_t koff = (size_t)(h / group) * hd;
        float mx = -INFINITY;
        for (int j = 0; j < n_keys; j++) {
            const float s = dot16n(qh, k + (size_t)j * kv_stride + koff, hd) * scale;
            scores[j] = s;
            mx = s > mx ? s : mx;
        }
        float sum = 0.0f;
        for (int j = 0; j < n_keys; j++) {
            const float e = expf(scores[j] - mx);
            scores[j] = e;
            sum += e;
        }
        const float inv = 1.0f / sum;
        float *oh = out + (size_t)h * hd;
        for (int d = 0; d < hd; d += 16) {
            __m512 acc = _mm512_setzero_ps();
            for (int j = 0; j < n_keys; j++)
                acc = _mm512_fmadd_ps(_mm512_set1_ps(scores[j]), _mm512_loadu_ps(v + (size_t)j * kv_stride + koff + d), acc);
            _mm512_storeu_ps(oh + d, _mm512_mul_ps(acc, _mm512_set1_ps(inv)));
        }
    }
}
