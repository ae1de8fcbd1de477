/* Register-tiled matrix x vectors kernel, instantiated once per instruction set by matmul_avx512.c
 * and matmul_avx2.c. The including file defines:
 *   TGT            target attribute          VEC           vector type
 *   VPB            vectors per 32-element block
 *   VZERO()        VFMA(a, b, c) = a*b+c     VLOADX(p)     unaligned load of VPB-th of a block
 *   VREDUCE(v)     horizontal sum in a fixed order
 *   CT_MAX         widest column tile (8 or 4)
 *   RT_MV          rows per tile when there is a single column (decode)
 * Every (row, column) pair owns one accumulator: per block, acc += w[v] * x[v] for v in 0..VPB,
 * then one reduction. Tiling changes only which pairs run together, never a pair's arithmetic. */

#define TILE(NAME, DEC, BB, RT, CT) TILE_(NAME, DEC, BB, RT, CT)
#define TILE_(NAME, DEC, BB, RT, CT)                                                             \
    TGT static void NAME##_##RT##_##CT(const uint8_t *w, size_t rs, const float *x, size_t ldx,  \
                                       float *y, size_t ldy, int nb) {                           \
        VEC acc[RT][CT];                                                                         \
        for (int i = 0; i < RT; i++)                                                             \
            for (int j = 0; j < CT; j++) acc[i][j] = VZERO();                                    \
        for (int b = 0; b < nb; b++) {                                                           \
            for (int i = 0; i < RT; i++) {                                                       \
                VEC wv[VPB];                                                                     \
                DEC(w + i * rs + (size_t)b * (BB), wv);                                          \
                for (int j = 0; j < CT; j++) {                                                   \
                    const float *xp = x + j * ldx + b * 32;                                      \
                    for (int v = 0; v < VPB; v++)                                                \
                        acc[i][j] = VFMA(wv[v], VLOADX(xp + v * (32 / VPB)), acc[i][j]);         \
                }                                                                                \
            }                                                                                    \
        }                                                                                        \
        for (int i = 0; i < RT; i++)                                                             \
            for (int j = 0; j < CT; j++) y[j * ldy + i] = VREDUCE(acc[i][j]);                    \
    }

#define TILE_NAME_(N, R, C) N##_##R##_##C
#define TILE_NAME(N, R, C) TILE_NAME_(N, R, C)
#define TILE_WIDE(NAME, RT) TILE_NAME(NAME, RT, CT_MAX)

/* Columns of one row group, widest tiles first. */
#define COLUMNS(NAME, RT)                                                                        \
    TGT static void NAME##_cols_##RT(const uint8_t *w, size_t rs, const float *x, size_t ldx,    \
                                     int m, float *y, size_t ldy, int nb) {                      \
        int j = 0;                                                                               \
        for (; j + CT_MAX <= m; j += CT_MAX)                                                     \
            TILE_WIDE(NAME, RT)(w, rs, x + j * ldx, ldx, y + j * ldy, ldy, nb);                  \
        if (CT_MAX > 4 && j + 4 <= m) { NAME##_##RT##_4(w, rs, x + j * ldx, ldx, y + j * ldy, ldy, nb); j += 4; } \
        if (j + 2 <= m) { NAME##_##RT##_2(w, rs, x + j * ldx, ldx, y + j * ldy, ldy, nb); j += 2; } \
        if (j < m) NAME##_##RT##_1(w, rs, x + j * ldx, ldx, y + j * ldy, ldy, nb);               \
    }

#define KERNEL_SET(NAME, DEC, BB)                                                                \
    TILE(NAME, DEC, BB, RT_MV, 1)                                                                \
    TILE(NAME, DEC, BB, 2, 8) TILE(NAME, DEC, BB, 2, 4) TILE(NAME, DEC, BB, 2, 2) TILE(NAME, DEC, BB, 2, 1) \
    TILE(NAME, DEC, BB, 1, 8) TILE(NAME, DEC, BB, 1, 4) TILE(NAME, DEC, BB, 1, 2) TILE(NAME, DEC, BB, 1, 1) \
    COLUMNS(NAME, 2) COLUMNS(NAME, 1)                                                            \
    TGT static void NAME##_run(const uint8_t *w, size_t rs, int nb, const float *x, size_t ldx,  \
                               int m, float *y, size_t ldy, int r0, int r1) {                    \
        int r = r0;                                                                              \
        if (m == 1) {                                                                            \
            for (; r + RT_MV <= r1; r += RT_MV) TILE_NAME(NAME, RT_MV, 1)(w + r * rs, rs, x, ldx, y + r, ldy, nb); \
            for (; r < r1; r++) NAME##_1_1(w + r * rs, rs, x, ldx, y + r, ldy, nb);              \
            return;                                                                              \
        }                                                                                        \
        for (; r + 2 <= r1; r += 2) NAME##_cols_2(w + r * rs, rs, x, ldx, m, y + r, ldy, nb);    \
        if (r < r1) NAME##_cols_1(w + r * rs, rs, x, ldx, m, y + r, ldy, nb);                    \
    }

/* Shared driver: dedicated kernels for the common types, dequantize-then-f32 for the rest. */
#define MATMUL_DRIVER(FN)                                                                        \
    TGT int FN(int dtype, const void *wv, size_t row_bytes, int k, const float *x, size_t ldx,   \
               int m, float *y, size_t ldy, int r0, int r1, float *scratch) {                    \
        const uint8_t *w = wv;                                                                   \
        if (k % 32 != 0) return 0;                                                               \
        const int nb = k / 32;                                                                   \
        switch (dtype) {                                                                         \
        case CK_F32: f32_run(w, row_bytes, nb, x, ldx, m, y, ldy, r0, r1); return 1;             \
        case CK_F16: f16_run(w, row_bytes, nb, x, ldx, m, y, ldy, r0, r1); return 1;             \
        case CK_Q8_0: q8_0_run(w, row_bytes, nb, x, ldx, m, y, ldy, r0, r1); return 1;           \
        case CK_Q4_0: q4_0_run(w, row_bytes, nb, x, ldx, m, y, ldy, r0, r1); return 1;           \
        case CK_Q4_1: q4_1_run(w, row_bytes, nb, x, ldx, m, y, ldy, r0, r1); return 1;           \
        default:                                                                                 \
            for (int r = r0; r < r1; r += 4) {                                                   \
                const int n = r1 - r < 4 ? r1 - r : 4;                                           \
                for (int i = 0; i < n; i++)                                                      \
                    ck_dequantize_row(dtype, w + (size_t)(r + i) * row_bytes, scratch + (size_t)i * k, k); \
                f32_run((const uint8_t *)scratch, (size_t)k * 4, nb, x, ldx, m, y + r, ldy, 0, n); \
            }                                                                                    \
            return 1;                                                                            \
        }                                                                                        \
    }
