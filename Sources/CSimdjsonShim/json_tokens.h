#ifndef DRIFTD_SHIM_JSON_TOKENS_H
#define DRIFTD_SHIM_JSON_TOKENS_H

#include <string_view>

namespace driftd_shim {

/// Removes the whitespace simdjson's raw_json_token() may leave after a scalar.
inline std::string_view trim_token(std::string_view token) noexcept {
    while (!token.empty()) {
        const char c = token.back();
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        token.remove_suffix(1);
    }
    return token;
}

/// True when `token` follows the JSON number grammar
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. Used to tell numbers that are
/// well formed but out of double range (1e400) from malformed ones (01, 1., -).
inline bool is_json_number_syntax(std::string_view token) noexcept {
    size_t i = 0;
    const size_t n = token.size();
    auto digit = [&](size_t k) { return k < n && token[k] >= '0' && token[k] <= '9'; };
    if (i < n && token[i] == '-') ++i;
    if (!digit(i)) return false;
    if (token[i] == '0') {
        ++i;
    } else {
        while (digit(i)) ++i;
    }
    if (i < n && token[i] == '.') {
        ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    if (i < n && (token[i] == 'e' || token[i] == 'E')) {
        ++i;
        if (i < n && (token[i] == '+' || token[i] == '-')) ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    return i == n;
}

/// True for the non-standard literals some JSON writers emit for non-finite doubles
/// (Python's json.dumps, JavaScript engines): NaN, Infinity, -Infinity, +Infinity.
inline bool is_non_finite_literal(std::string_view token) noexcept {
    return token == "NaN" || token == "-NaN" || token == "Infinity" || token == "-Infinity" ||
           token == "+Infinity";
}

}  // namespace driftd_shim

#endif
