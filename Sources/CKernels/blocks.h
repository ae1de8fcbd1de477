/* Block layouts of the quantized types, byte-for-byte as ggml's ggml-common.h (QK = 32 for the
 * legacy types, QK_K = 256 for k-quants), and a portable fp16/bf16 -> f32 conversion. */
#ifndef CKERNELS_BLOCKS_H
#define CKERNELS_BLOCKS_H
#include <stdint.h>
#include <string.h>
#include "ckernels.h"

#define QK 32
#define QK_K 256
#define K_SCALE_SIZE 12

typedef struct { uint16_t d; uint8_t qs[QK / 2]; } __attribute__((packed)) block_q4_0;
typedef struct { uint16_t d; uint16_t m; uint8_t qs[QK / 2]; } __attribute__((packed)) block_q4_1;
typedef struct { uint16_t d; uint8_t qh[4]; uint8_t qs[QK / 2]; } __attribute__((packed)) block_q5_0;
typedef struct { uint16_t d; uint16_t m; uint8_t qh[4]; uint8_t qs[QK / 2]; } __attribute__((packed)) block_q5_1;
typedef struct { uint16_t d; int8_t qs[QK]; } __attribute__((packed)) block_q8_0;
typedef struct { uint16_t d; uint16_t dmin; uint8_t scales[K_SCALE_SIZE]; uint8_t qs[QK_K / 2]; } __attribute__((packed)) block_q4_K;
typedef struct { uint16_t d; uint16_t dmin; uint8_t scales[K_SCALE_SIZE]; uint8_t qh[QK_K / 8]; uint8_t qs[QK_K / 2]; } __attribute__((packed)) block_q5_K;
typedef struct { uint8_t ql[QK_K / 2]; uint8_t qh[QK_K / 4]; int8_t scales[QK_K / 16]; uint16_t d; } __attribute__((packed)) block_q6_K;

_Static_assert(sizeof(block_q4_0) == 18, "q4_0");
_Static_assert(sizeof(block_q4_1) == 20, "q4_1");
_Static_assert(sizeof(block_q5_0) == 22, "q5_0");
_Static_assert(sizeof(block_q5_1) == 24, "q5_1");
_Static_assert(sizeof(block_q8_0) == 34, "q8_0");
_Static_assert(sizeof(block_q4_K) == 144, "q4_K");
_Static_assert(sizeof(block_q5_K) == 176, "q5_K");
_Static_assert(sizeof(block_q6_K) == 210, "q6_K");

/* IEEE half -> float by bit manipulation (exact, handles subnormals, inf and NaN), so the scalar
 * path needs no F16C. */
static inline float ck_fp16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t man = h & 0x3ff;
    uint32_t bits;
    if (exp == 0) {
        if (man == 0) {
            bits = sign;
        } else {
            int e = -1;
            do { man <<= 1; e++; } while (!(man & 0x400));
            bits = sign | ((uint32_t)(127 - 15 - e) << 23) | ((man & 0x3ff) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (man << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* float -> IEEE half, round to nearest even (what F16C's vcvtps2ph does with rounding mode 0),
 * so the scalar activation quantizer produces the same scales as the AVX2 one. */
static inline uint16_t ck_f32_to_fp16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    const uint32_t sign = (x >> 16) & 0x8000;
    const uint32_t ax = x & 0x7fffffff;
    if (ax > 0x7f800000) return (uint16_t)(sign | 0x7e00);
    if (ax >= 0x477ff000) return (uint16_t)(sign | 0x7c00);
    if (ax < 0x38800000) {
        float v;
        memcpy(&v, &ax, 4);
        return (uint16_t)(sign | (uint32_t)__builtin_nearbyintf(v * 16777216.0f));
    }
    const uint32_t mant = ax & 0x7fffff;
    uint32_t h = ((((ax >> 23) - 127 + 15) << 10) | (mant >> 13));
    const uint32_t rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) h++;
    return (uint16_t)(sign | h);
}

/* An activation block (CK_ACT_BLOCK_BYTES): scales kept as f32 so dot products convert nothing;
 * the integer sum of the quants serves Q4_0's offset (sum (q - 8) x = sum q x - 8 sum x). */
typedef struct { float d; float s; int32_t sum; int32_t spare; int8_t qs[QK]; } ck_block_act;
_Static_assert(sizeof(ck_block_act) == 48, "activation block");

/* Bytes of one packed group-block (8 rows x 32 elements) of an int8-kernel type, 0 for others. */
static inline size_t ck_packed_group_block_bytes(int dtype) {
    switch (dtype) {
    case CK_Q4_1: return 8 * 20;
    case CK_Q4_0: return 8 * 18;
    case CK_Q8_0: return 8 * 34;
    default: return 0;
    }
}

static inline float ck_bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline uint16_t ck_load_u16(const void *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* Scale and min of sub-block j (0..7) of a Q4_K/Q5_K super-block (ggml get_scale_min_k4). */
static inline void ck_scale_min_k4(int j, const uint8_t *q, uint8_t *d, uint8_t *m) {
    if (j < 4) {
        *d = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}
#endif
