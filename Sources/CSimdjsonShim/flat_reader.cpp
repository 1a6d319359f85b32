// Flat JSON objects for data files (JSON Lines training and comparison data): one record at a
// time through simdjson On-Demand, every pair handed back with its key and string unescaped.
#include "simdjson_shim.h"

#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

using simdjson::error_code;
namespace ondemand = simdjson::ondemand;

struct dd_flat_reader {
    ondemand::parser parser;
    std::vector<uint8_t> buffer;  // the record, followed by SIMDJSON_PADDING zero bytes
    std::vector<dd_flat_field> fields;
    std::string detail;           // owns dd_flat_error.detail when it is not a static message
    std::string key;              // owns dd_flat_error.key
};

namespace {

/// Offset of the iterator's position in the record, or the record's length when it has none.
template <typename Located>
size_t offset_of(Located &located, const dd_flat_reader &reader, size_t length) {
    const char *location = nullptr;
    if (located.current_location().get(location) != simdjson::SUCCESS || location == nullptr) return length;
    const auto *start = reinterpret_cast<const char *>(reader.buffer.data());
    if (location < start || location > start + length) return length;
    return static_cast<size_t>(location - start);
}

int32_t invalid(dd_flat_reader &reader, dd_flat_error &error, error_code code, size_t offset) {
    reader.detail = simdjson::error_message(code);
    error.offset = offset;
    error.detail = reader.detail.data();
    error.detail_len = reader.detail.size();
    return DD_FLAT_INVALID_JSON;
}

void set_key(dd_flat_reader &reader, dd_flat_error &error, std::string_view key) {
    reader.key.assign(key.data(), key.size());
    error.key = reader.key.data();
    error.key_len = reader.key.size();
}

/// Whether `token` is JSON number syntax whose value overflows a double (simdjson refuses both
/// overflow and bad syntax with NUMBER_ERROR; only the first is out of range).
bool overflows(std::string_view token) {
    size_t i = 0;
    auto digit = [&](size_t k) { return k < token.size() && token[k] >= '0' && token[k] <= '9'; };
    if (i < token.size() && token[i] == '-') ++i;
    if (!digit(i)) return false;
    if (token[i] == '0') {
        ++i;
    } else {
        while (digit(i)) ++i;
    }
    if (i < token.size() && token[i] == '.') {
        ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
        ++i;
        if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    if (i != token.size()) return false;
    const std::string text(token);
    return std::isinf(std::strtod(text.c_str(), nullptr));
}

/// The end of a raw number token (simdjson's raw token may carry trailing whitespace).
std::string_view trimmed(std::string_view token) {
    size_t end = 0;
    while (end < token.size() && std::strchr("0123456789+-.eE", token[end]) != nullptr) ++end;
    return token.substr(0, end);
}

int32_t parse(dd_flat_reader &reader, size_t length, dd_flat_error &error) {
    ondemand::document doc;
    error_code code = reader.parser.iterate(reader.buffer.data(), length, reader.buffer.size()).get(doc);
    if (code != simdjson::SUCCESS) return invalid(reader, error, code, 0);
    ondemand::json_type root_type;
    code = doc.type().get(root_type);
    if (code != simdjson::SUCCESS) return invalid(reader, error, code, offset_of(doc, reader, length));
    if (root_type != ondemand::json_type::object) {
        error.offset = offset_of(doc, reader, length);
        return DD_FLAT_NOT_AN_OBJECT;
    }
    ondemand::object object;
    code = doc.get_object().get(object);
    if (code != simdjson::SUCCESS) return invalid(reader, error, code, offset_of(doc, reader, length));
    for (auto result : object) {
        ondemand::field field;
        code = std::move(result).get(field);
        if (code != simdjson::SUCCESS) return invalid(reader, error, code, offset_of(doc, reader, length));
        std::string_view key;
        code = field.unescaped_key().get(key);
        if (code != simdjson::SUCCESS) return invalid(reader, error, code, offset_of(doc, reader, length));
        ondemand::value value = field.value();
        dd_flat_field out{};
        out.key = key.data();
        out.key_len = key.size();
        const size_t value_offset = offset_of(value, reader, length);
        ondemand::json_type type;
        code = value.type().get(type);
        if (code != simdjson::SUCCESS) return invalid(reader, error, code, value_offset);
        switch (type) {
        case ondemand::json_type::array:
        case ondemand::json_type::object:
            error.offset = value_offset;
            error.nested_kind = type == ondemand::json_type::array ? DD_KIND_ARRAY : DD_KIND_OBJECT;
            set_key(reader, error, key);
            return DD_FLAT_NESTED_VALUE;
        case ondemand::json_type::number: {
            code = value.get_double().get(out.number);
            if (code != simdjson::SUCCESS || !std::isfinite(out.number)) {
                const std::string_view token = trimmed(value.raw_json_token());
                if (overflows(token)) {
                    reader.detail.assign(token);
                    error.offset = value_offset;
                    error.detail = reader.detail.data();
                    error.detail_len = reader.detail.size();
                    set_key(reader, error, key);
                    return DD_FLAT_NUMBER_OUT_OF_RANGE;
                }
                return invalid(reader, error, code == simdjson::SUCCESS ? simdjson::NUMBER_ERROR : code, value_offset);
            }
            out.kind = DD_KIND_NUMBER;
            break;
        }
        case ondemand::json_type::string: {
            std::string_view text;
            code = value.get_string().get(text);
            if (code != simdjson::SUCCESS) return invalid(reader, error, code, value_offset);
            out.kind = DD_KIND_STRING;
            out.string = text.data();
            out.string_len = text.size();
            break;
        }
        case ondemand::json_type::boolean: {
            bool flag = false;
            code = value.get_bool().get(flag);
            if (code != simdjson::SUCCESS) return invalid(reader, error, code, value_offset);
            out.kind = DD_KIND_BOOLEAN;
            out.boolean = flag ? 1 : 0;
            break;
        }
        case ondemand::json_type::null: {
            bool is_null = false;
            code = value.is_null().get(is_null);
            if (code != simdjson::SUCCESS || !is_null) {
                return invalid(reader, error, code == simdjson::SUCCESS ? simdjson::N_ATOM_ERROR : code, value_offset);
            }
            out.kind = DD_KIND_NULL;
            break;
        }
        }
        reader.fields.push_back(out);
    }
    // A location left after the object means content follows it.
    const char *location = nullptr;
    if (doc.current_location().get(location) == simdjson::SUCCESS) {
        return invalid(reader, error, simdjson::TRAILING_CONTENT, offset_of(doc, reader, length));
    }
    return DD_FLAT_OK;
}

}  // namespace

extern "C" {

dd_flat_reader *dd_flat_reader_create(void) { return new (std::nothrow) dd_flat_reader(); }

void dd_flat_reader_destroy(dd_flat_reader *reader) { delete reader; }

int32_t dd_flat_parse(dd_flat_reader *reader, const void *bytes, size_t length, const dd_flat_field **fields,
                      size_t *count, dd_flat_error *error) {
    if (reader == nullptr || fields == nullptr || count == nullptr || error == nullptr) return DD_FLAT_INVALID_JSON;
    *error = dd_flat_error{};
    *fields = nullptr;
    *count = 0;
    reader->fields.clear();
    try {
        reader->buffer.resize(length + simdjson::SIMDJSON_PADDING);
    } catch (...) {
        return invalid(*reader, *error, simdjson::MEMALLOC, 0);
    }
    if (length > 0) std::memcpy(reader->buffer.data(), bytes, length);
    std::memset(reader->buffer.data() + length, 0, simdjson::SIMDJSON_PADDING);
    const int32_t status = parse(*reader, length, *error);
    if (status == DD_FLAT_OK) {
        *fields = reader->fields.data();
        *count = reader->fields.size();
    }
    return status;
}

}  // extern "C"
