/* Integer dot products of int8 activation blocks with Q4_0 / Q4_1 / Q8_0 weights, AVX2.
 * Per (weight row, activation row) pair and block: 32 byte products summed pairwise to 8 exact
 * int32 lanes (vpmaddubsw, vpmaddwd), converted, then acc = fma(d_w * d_x, lanes, acc); at the end
 * one horizontal sum (+ the Q4_1 min term, summed in block order). Register tiles of several rows
 * and activation rows only decide which pairs run together, never a pair's arithmetic, so a
 * result is the same for decode (one row), batched decode and prefill.
 * Matches: ggml's ggml_vec_dot_q4_1_q8_1 / q4_0_q8_0 / q8_0_q8_0 (AVX2) in what is computed. */
#include <immintrin.h>
#include "ckernels.h"
#include "blocks.h"
#include "internal.h"
#include "vexp.h"

#define TGT __attribute__((target("avx2,fma,f16c")))
#define AI __attribute__((always_inline)) inline

TGT static AI float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

TGT static AI float half_at(const uint8_t *p) { return _cvtsh_ss(ck_load_u16(p)); }

/* One weight block made ready for vpmaddubsw: `u` unsigned bytes (Q4_1 nibbles) or |w| with the
 * signs in `s` (Q4_0, Q8_0: the activation bytes take w's sign). */
typedef struct { __m256i u, s; float d, m; } wblock;

/* 32 nibbles in ggml order: low nibbles are elements 0..15, high nibbles 16..31. */
TGT static AI __m256i nibbles32(const uint8_t *qs) {
    const __m128i q = _mm_loadu_si128((const __m128i *)qs);
    const __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(q), _mm_srli_epi16(q, 4), 1);
    return _mm256_and_si256(both, _mm256_set1_epi8(15));
}

TGT static AI wblock load_q4_1(const uint8_t *p) {
    wblock b;
    b.d = half_at(p);
    b.m = half_at(p + 2);
    b.u = nibbles32(p + 4);
    b.s = b.u;
    return b;
}

TGT static AI wblock load_q4_0(const uint8_t *p) {
    wblock b;
    b.d = half_at(p);
    b.m = 0.0f;
    b.s = _mm256_sub_epi8(nibbles32(p + 2), _mm256_set1_epi8(8));
    b.u = _mm256_sign_epi8(b.s, b.s);
    return b;
}

TGT static AI wblock load_q8_0(const uint8_t *p) {
    wblock b;
    b.d = half_at(p);
    b.m = 0.0f;
    b.s = _mm256_loadu_si256((const __m256i *)(p + 2));
    b.u = _mm256_sign_epi8(b.s, b.s);
    return b;
}

/* 8 int32 lanes of sum(w * x) as floats; SIGNED: the weights are signed (|w| and sign trick). */
TGT static AI __m256 lanes(const wblock *w, __m256i x, int SIGNED) {
    const __m256i xs = SIGNED ? _mm256_sign_epi8(x, w->s) : x;
    const __m256i p16 = _mm256_maddubs_epi16(w->u, xs);
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(p16, _mm256_set1_epi16(1)));
}

/* RT weight rows x CT activation rows. The RT x CT scale products of a block are formed first
 * (one rounded product each, as a scalar d_w * d_x would be) and read back as broadcasts, so the
 * inner loop is vpmaddubsw, vpmaddwd, vcvtdq2ps and one fma per pair. */
#define Q8_TILE(NAME, LOAD, BB, SIGNED, HAS_MIN, RT, CT) Q8_TILE_(NAME, LOAD, BB, SIGNED, HAS_MIN, RT, CT)
#define Q8_TILE_(NAME, LOAD, BB, SIGNED, HAS_MIN, RT, CT)                                         \
    TGT static void NAME##_##RT##_##CT(const uint8_t *w, size_t rs, const ck_block_act *x,       \
                                       size_t ldx, float *y, size_t ldy, int nb) {               \
        __m256 acc[RT][CT];                                                                      \
        for (int i = 0; i < RT; i++)                                                             \
            for (int j = 0; j < CT; j++) acc[i][j] = _mm256_setzero_ps();                        \
        for (int b = 0; b < nb; b++) {                                                           \
            wblock wb[RT];                                                                       \
            /* Decode streams weights from DRAM: fetch the next tile's block one tile ahead. */ \
            if (CT == 1)                                                                         \
                for (int i = 0; i < RT; i++)                                                     \
                    _mm_prefetch((const char *)(w + (i + RT) * rs + (size_t)b * (BB)), _MM_HINT_T0); \
            for (int i = 0; i < RT; i++) wb[i] = LOAD(w + i * rs + (size_t)b * (BB));            \
            __m256 dw[RT];                                                                       \
            for (int i = 0; i < RT; i++) dw[i] = _mm256_set1_ps(wb[i].d);                        \
            for (int j = 0; j < CT; j++) {                                                       \
                const __m256i xq = _mm256_loadu_si256((const __m256i *)x[j * ldx + b].qs);       \
                const __m256 dx = _mm256_broadcast_ss(&x[j * ldx + b].d);                        \
                for (int i = 0; i < RT; i++)                                                     \
                    acc[i][j] = _mm256_fmadd_ps(_mm256_mul_ps(dw[i], dx),                        \
                                                lanes(&wb[i], xq, SIGNED), acc[i][j]);           \
            }                                                                                    \
        }                                                                                        \
        /* Q4_1's m_w * s_x terms, summed in block order; the pairs' chains interleave. */       \
        float mins[RT][CT];                                                                      \
        for (int i = 0; i < RT; i++)                                                             \
            for (int j = 0; j < CT; j++) mins[i][j] = 0.0f;                                      \
        for (int b = 0; HAS_MIN && b < nb; b++) {                                                \
            float mw[RT];                                                                        \
            for (int i = 0; i < RT; i++) mw[i] = half_at(w + i * rs + (size_t)b * (BB) + 2);     \
            for (int j = 0; j < CT; j++)                                                         \
                for (int i = 0; i < RT; i++)                                                     \
                    mins[i][j] = __builtin_fmaf(mw[i], x[j * ldx + b].s, mins[i][j]);            \
        }                                                                                        \
        for (int i = 0; i < RT; i++)                                                             \
            for (int j = 0; j < CT; j++) y[j * ldy + i] = hsum8(acc[i][j]) + mins[i][j];         \
    }

/* Rows in groups of RT, activation rows in groups of 4, then 2, then 1. */
#define Q8_SET(NAME, LOAD, BB, SIGNED, HAS_MIN)                                                  \
    Q8_TILE(NAME##_mv, LOAD, BB, SIGNED, HAS_MIN, 4, 1)                                          \
    Q8_TILE(NAME, LOAD, BB, SIGNED, HAS_MIN, 1, 1)                                               \
    Q8_TILE(NAME, LOAD, BB, SIGNED, HAS_MIN, GR, GC)                                             \
    Q8_TILE(NAME, LOAD, BB, SIGNED, HAS_MIN, 1, GC)                                              \
    Q8_TILE(NAME, LOAD, BB, SIGNED, HAS_MIN, GR, 1)                                              \
    TGT static void NAME##_run(const uint8_t *w, size_t rs, int nb, const ck_block_act *x, int m, \
                               float *y, size_t ldy, int r0, int r1) {                           \
        const size_t ldx = (size_t)nb;                                                           \
        if (m == 1) {                                                                            \
            int r = r0;                                                                          \
            for (; r + 4 <= r1; r += 4) NAME##_mv_4_1(w + r * rs, rs, x, ldx, y + r, ldy, nb);      \
            for (; r < r1; r++) NAME##_1_1(w + r * rs, rs, x, ldx, y + r, ldy, nb);              \
            return;                                                                              \
        }                                                                                        \
        /* Row blocks of about 128 KB stay in L2 while every activation row passes over them. */ \
        const int rb = (int)((size_t)(128 << 10) / rs / GR * GR) > GR ? (int)((size_t)(128 << 10) / rs / GR * GR) : GR; \
        for (int rblk = r0; rblk < r1; rblk += rb) {                                             \
            const int rend = r1 - rblk > rb ? rblk + rb : r1;                                    \
            for (int j = 0; j < m; ) {                                                           \
                const int ct = m - j >= GC ? GC : 1;                                             \
                const ck_block_act *xj = x + (size_t)j * ldx;                                    \
                float *yj = y + (size_t)j * ldy;                                                 \
                int r = rblk;                                                                    \
                for (; r + GR <= rend; r += GR) {                                                \
                    if (ct == GC) TILE_CALL(NAME, GR, GC)(w + r * rs, rs, xj, ldx, yj + r, ldy, nb); \
                    else TILE_CALL(NAME, GR, 1)(w + r * rs, rs, xj, ldx, yj + r, ldy, nb);       \
                }                                                                                \
                for (; r < rend; r++) {                                                          \
                    if (ct == GC) TILE_CALL(NAME, 1, GC)(w + r * rs, rs, xj, ldx, yj + r, ldy, nb); \
                    else NAME##_1_1(w + r * rs, rs, xj, ldx, yj + r, ldy, nb);                   \
                }                                                                                \
                j += ct;                                                                         \
            }                                                                                    \
        }                                                                                        \
    }
#define TILE_CALL_(NAME, R, C) NAME##_##R##_##C
#define TILE_CALL(NAME, R, C) TILE_CALL_(NAME, R, C)
/* Tile shape for several activation rows (2 x 4 measured fastest of 2x4, 4x2, 3x4, 4x3). */
#define GR 2
#define GC 4

Q8_SET(q4_1, load_q4_1, 20, 0, 1)
Q8_SET(q4_0, load_q4_0, 18, 1, 0)
Q8_SET(q8_0, load_q8_0, 34, 1, 0)

TGT int ck_matmul_q8_avx2(int dtype, const void *wv, size_t row_bytes, int k, const void *xq, int m,
                          float *y, size_t ldy, int r0, int r1) {
    const uint8_t *w = wv;
    const ck_block_act *x = xq;
    const int nb = k / QK;
    switch (dtype) {
    case CK_Q4_1: q4_1_run(w, row_bytes, nb, x, m, y, ldy, r0, r1); return 1;
    case CK_Q4_0: q4_0_run(w, row_bytes, nb, x, m, y, ldy, r0, r1); return 1;
    case CK_Q8_0: q8_0_run(w, row_bytes, nb, x, m, y, ldy, r0, r1); return 1;
    default: return 0;
    }
}

/* Same values as ck_quantize_rows_q8_scalar: max |x| is exact, x * (127 / amax) is one rounded
 * product either way, and vroundps with nearest-even equals nearbyintf. */
TGT void ck_quantize_rows_q8_avx2(const float *x, size_t ldx, int k, int m, void *out) {
    ck_block_act *o = out;
    const int nb = k / QK;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int j = 0; j < m; j++) {
        const float *row = x + (size_t)j * ldx;
        for (int b = 0; b < nb; b++, o++) {
            __m256 v[4];
            __m256 mx = _mm256_setzero_ps();
            for (int i = 0; i < 4; i++) {
                v[i] = _mm256_loadu_ps(row + b * QK + 8 * i);
                mx = _mm256_max_ps(mx, _mm256_andnot_ps(sign, v[i]));
            }
            __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(mx, 1), _mm256_castps256_ps128(mx));
            m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
            m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
            const float amax = _mm_cvtss_f32(m4);
            const float d = amax / 127.0f;
            const __m256 id = _mm256_set1_ps(amax != 0.0f ? 127.0f / amax : 0.0f);
            __m256i q[4];
            for (int i = 0; i < 4; i++)
                q[i] = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[i], id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            const __m256i sum = _mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3]));
            __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
            s4 = _mm_add_epi32(s4, _mm_unpackhi_epi64(s4, s4));
            s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 1));
            o->d = _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
            o->s = _cvtsh_ss(_cvtss_sh(d * (float)_mm_cvtsi128_si32(s4), _MM_FROUND_TO_NEAREST_INT));
            const __m256i p16a = _mm256_packs_epi32(q[0], q[1]);
            const __m256i p16b = _mm256_packs_epi32(q[2], q[3]);
            const __m256i p8 = _mm256_packs_epi16(p16a, p16b);
            _mm256_storeu_si256((__m256i *)o->qs, _mm256_permutevar8x32_epi32(p8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
        }
    }
}

TGT void ck_silu_mul_avx2(float *gate, const float *up, int n) {
    int i = 0;
    const __m256 one = _mm256_set1_ps(1.0f);
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 e = ck_exp_avx2(_mm256_sub_ps(_mm256_setzero_ps(), g));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(one, e)), _mm256_loadu_ps(up + i)));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1.0f + ck_exp_scalar(-gate[i])) * up[i];
}

TGT void ck_round_to_f16_avx2(float *x, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(x + i, _mm256_cvtph_ps(_mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT)));
    for (; i < n; i++) x[i] = _cvtsh_ss(_cvtss_sh(x[i], _MM_FROUND_TO_NEAREST_INT));
}
