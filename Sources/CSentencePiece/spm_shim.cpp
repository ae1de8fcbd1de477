#include "spm_shim.h"
#include <sentencepiece_processor.h>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

struct spm_processor { sentencepiece::SentencePieceProcessor sp; };

static char *copy_string(const std::string &s) {
    char *r = static_cast<char *>(std::malloc(s.size() + 1));
    if (!r) return nullptr;
    std::memcpy(r, s.data(), s.size());
    r[s.size()] = 0;
    return r;
}

extern "C" {
/* C++ exceptions must never cross into Swift: every entry point catches. */
spm_processor *spm_load(const char *model_path, char **err) try {
    auto *p = new spm_processor();
    auto status = p->sp.Load(model_path);
    if (!status.ok()) {
        if (err) *err = copy_string(status.ToString());
        delete p;
        return nullptr;
    }
    return p;
} catch (const std::exception &e) {
    if (err) *err = copy_string(e.what());
    return nullptr;
}

void spm_free(spm_processor *p) { delete p; }
int32_t spm_vocab_size(const spm_processor *p) { return p->sp.GetPieceSize(); }
int32_t spm_piece_to_id(const spm_processor *p, const char *piece) { return p->sp.PieceToId(piece); }

int32_t spm_id_to_piece(const spm_processor *p, int32_t id, char *buf, int32_t cap) {
    if (id < 0 || id >= p->sp.GetPieceSize()) return -1;
    const std::string &s = p->sp.IdToPiece(id);
    if (cap > 0) {
        size_t n = s.size() < (size_t)(cap - 1) ? s.size() : (size_t)(cap - 1);
        std::memcpy(buf, s.data(), n);
        buf[n] = 0;
    }
    return (int32_t)s.size();
}

int32_t spm_piece_kind(const spm_processor *p, int32_t id) {
    if (id < 0 || id >= p->sp.GetPieceSize()) return -1;
    if (p->sp.IsUnknown(id)) return 1;
    if (p->sp.IsControl(id)) return 2;
    if (p->sp.IsUnused(id)) return 4;
    if (p->sp.IsByte(id)) return 5;
    return 0;
}

float spm_score(const spm_processor *p, int32_t id) {
    if (id < 0 || id >= p->sp.GetPieceSize()) return 0;
    return p->sp.GetScore(id);
}

int32_t spm_bos_id(const spm_processor *p) { return p->sp.bos_id(); }
int32_t spm_eos_id(const spm_processor *p) { return p->sp.eos_id(); }
int32_t spm_unk_id(const spm_processor *p) { return p->sp.unk_id(); }
int32_t spm_pad_id(const spm_processor *p) { return p->sp.pad_id(); }

int32_t spm_encode(const spm_processor *p, const char *text, size_t len, int32_t *ids, int32_t cap) try {
    std::vector<int> out;
    if (!p->sp.Encode(std::string(text, len), &out).ok()) return -1;
    for (size_t i = 0; i < out.size() && (int32_t)i < cap; i++) ids[i] = out[i];
    return (int32_t)out.size();
} catch (...) {
    return -1;
}

char *spm_decode(const spm_processor *p, const int32_t *ids, int32_t n, size_t *out_len) try {
    std::vector<int> in(ids, ids + n);
    std::string s;
    if (!p->sp.Decode(in, &s).ok()) return nullptr;
    if (out_len) *out_len = s.size();
    return copy_string(s);
} catch (...) {
    return nullptr;
}

void spm_free_string(char *s) { std::free(s); }
}
