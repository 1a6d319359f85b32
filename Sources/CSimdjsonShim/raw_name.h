#ifndef DRIFTD_SHIM_RAW_NAME_H
#define DRIFTD_SHIM_RAW_NAME_H

#include <cstdint>
#include <cstring>
#include <string_view>

namespace driftd_shim {

/// A name compared directly against raw JSON string content (the bytes after the opening
/// quote, escapes not yet resolved), so that the common case of an unescaped key or
/// category costs one or two word compares instead of unescaping and hashing.
///
/// A raw match is exact: the raw bytes equal the name and are followed by the closing
/// quote, and the name contains no byte that JSON would have to escape, so the raw content
/// holds no escape and its unescaped value is the name. A miss proves nothing (the text may
/// be escaped); callers then unescape and look the value up the slow way.
struct RawName {
    /// The name followed by '"', as two little-endian words (bytes 0-7 and 8-15), zero padded.
    uint64_t words[2] = {0, 0};
    /// Selects the bytes of `words` that take part in the compare.
    uint64_t masks[2] = {0, 0};
    uint32_t length = 0;
    /// False when the name holds '"', '\\' or control characters (never matched raw).
    bool comparable = false;
    const char *text = nullptr;

    /// Prepares the compare; `name` must outlive this object.
    void assign(std::string_view name) noexcept {
        text = name.data();
        length = static_cast<uint32_t>(name.size());
        comparable = name.size() < (1u << 30);
        for (const char c : name) {
            if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) comparable = false;
        }
        unsigned char bytes[16] = {0};
        const size_t head = name.size() < 16 ? name.size() : 16;
        std::memcpy(bytes, name.data(), head);
        size_t covered = head;
        if (name.size() < 16) {
            bytes[name.size()] = '"';
            covered = name.size() + 1;
        }
        std::memcpy(&words[0], bytes, 8);
        std::memcpy(&words[1], bytes + 8, 8);
        for (size_t w = 0; w < 2; ++w) {
            const size_t in_word = covered > w * 8 ? (covered - w * 8 > 8 ? 8 : covered - w * 8) : 0;
            masks[w] = in_word == 8 ? ~uint64_t(0) : ((uint64_t(1) << (in_word * 8)) - 1);
        }
    }

    /// True when the raw string content at `raw` is exactly this name.
    /// `end` bounds the readable (padded) buffer.
    bool matches(const char *raw, const char *end) const noexcept {
        if (!comparable || raw + 16 > end) return false;
        uint64_t word;
        std::memcpy(&word, raw, 8);
        if ((word & masks[0]) != words[0]) return false;
        if (length < 8) return true;  // the closing quote was part of the first word
        std::memcpy(&word, raw + 8, 8);
        if ((word & masks[1]) != words[1]) return false;
        if (length < 16) return true;  // the closing quote was part of the second word
        if (raw + length + 1 > end) return false;
        return std::memcmp(raw + 16, text + 16, length - 16) == 0 && raw[length] == '"';
    }
};

}  // namespace driftd_shim

#endif
