#include "event_decoder.h"

#include "json_tokens.h"
#include "rfc3339.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <cstdio>
#include <utility>

using simdjson::error_code;
using simdjson::ondemand::json_type;
namespace ondemand = simdjson::ondemand;

namespace driftd_shim {

// MARK: - ColumnSpec

namespace {
/// Up to this many categories a linear scan beats hashing the value.
constexpr size_t kLinearCategoryLimit = 8;
/// Key positions remembered for order prediction (bounds memory on hostile input).
constexpr size_t kMaxPredictedPositions = 4096;
/// Longest offending value quoted in a reject detail.
constexpr size_t kMaxDetailValue = 64;

int32_t kind_of(json_type type) noexcept {
    switch (type) {
    case json_type::array: return DD_KIND_ARRAY;
    case json_type::object: return DD_KIND_OBJECT;
    case json_type::number: return DD_KIND_NUMBER;
    case json_type::string: return DD_KIND_STRING;
    case json_type::boolean: return DD_KIND_BOOLEAN;
    case json_type::null: return DD_KIND_NULL;
    }
    return DD_KIND_UNKNOWN;
}

std::string_view clip(std::string_view value) noexcept {
    return value.size() > kMaxDetailValue ? value.substr(0, kMaxDetailValue) : value;
}

/// Writes the canonical decimal form of an integer into `buffer`.
std::string_view integer_text(char (&buffer)[32], int64_t value) noexcept {
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return std::string_view(buffer, static_cast<size_t>(result.ptr - buffer));
}

std::string_view integer_text(char (&buffer)[32], uint64_t value) noexcept {
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return std::string_view(buffer, static_cast<size_t>(result.ptr - buffer));
}

/// Reads a value that is a JSON integer as canonical decimal text.
/// Returns SUCCESS, or the error of the last attempt (not an integer / malformed).
error_code read_integer_text(ondemand::value &value, char (&buffer)[32], std::string_view &text) noexcept {
    int64_t signed_value;
    if (value.get_int64().get(signed_value) == simdjson::SUCCESS) {
        text = integer_text(buffer, signed_value);
        return simdjson::SUCCESS;
    }
    uint64_t unsigned_value;
    const error_code error = value.get_uint64().get(unsigned_value);
    if (error == simdjson::SUCCESS) text = integer_text(buffer, unsigned_value);
    return error;
}

/// The raw token of a scalar whose typed read failed, trimmed; empty when unavailable.
std::string_view failed_token(ondemand::value &value) noexcept {
    return trim_token(value.raw_json_token());
}

/// String equality without a library call for the short model/version strings compared per event.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i]) return false;
    }
    return true;
}

bool is_exact_null(ondemand::value &value) noexcept {
    bool is_null = false;
    return value.is_null().get(is_null) == simdjson::SUCCESS && is_null;
}
/// Visits a value completely (every key unescaped, every scalar parsed), adding to
/// `sum`. Used by the reference iteration and to validate values the decoder ignores.
/// On a scalar error, `non_finite` tells a NaN/Infinity literal or an out-of-range
/// number from malformed JSON.
error_code walk(ondemand::value &value, double &sum, bool &non_finite) noexcept {
    json_type type;
    if (const error_code error = value.type().get(type)) {
        non_finite = is_non_finite_literal(failed_token(value));
        return error;
    }
    switch (type) {
    case json_type::object: {
        ondemand::object object;
        SIMDJSON_TRY(value.get_object().get(object));
        for (auto member : object) {
            ondemand::field field;
            SIMDJSON_TRY(std::move(member).get(field));
            std::string_view key;
            SIMDJSON_TRY(field.unescaped_key().get(key));
            sum += static_cast<double>(key.size());
            SIMDJSON_TRY(walk(field.value(), sum, non_finite));
        }
        return simdjson::SUCCESS;
    }
    case json_type::array: {
        ondemand::array array;
        SIMDJSON_TRY(value.get_array().get(array));
        for (auto element : array) {
            ondemand::value item;
            SIMDJSON_TRY(std::move(element).get(item));
            SIMDJSON_TRY(walk(item, sum, non_finite));
        }
        return simdjson::SUCCESS;
    }
    case json_type::number: {
        double number;
        if (const error_code error = value.get_double().get(number)) {
            const std::string_view token = failed_token(value);
            non_finite = is_non_finite_literal(token) || is_json_number_syntax(token);
            return error;
        }
        sum += number;
        return simdjson::SUCCESS;
    }
    case json_type::string: {
        std::string_view text;
        SIMDJSON_TRY(value.get_string().get(text));
        sum += static_cast<double>(text.size());
        return simdjson::SUCCESS;
    }
    case json_type::boolean: {
        bool flag;
        SIMDJSON_TRY(value.get_bool().get(flag));
        sum += flag ? 1.0 : 0.0;
        return simdjson::SUCCESS;
    }
    case json_type::null: {
        bool is_null;
        SIMDJSON_TRY(value.is_null().get(is_null));
        return is_null ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    }
    }
    return simdjson::TAPE_ERROR;
}

/// Checks that a scalar of the given type is well formed, for values rejected by type.
bool is_well_formed_scalar(ondemand::value &value, json_type type) noexcept {
    switch (type) {
    case json_type::null: return is_exact_null(value);
    case json_type::boolean: {
        bool flag;
        return value.get_bool().get(flag) == simdjson::SUCCESS;
    }
    case json_type::string: {
        std::string_view text;
        return value.get_string().get(text) == simdjson::SUCCESS;
    }
    case json_type::number: return is_json_number_syntax(failed_token(value));
    default: return true;  // containers: their content is not read
    }
}
}  // namespace

int32_t ColumnSpec::bin_of(std::string_view category) const noexcept {
    if (category_map.empty()) {
        for (const auto &entry : small_categories) {
            if (entry.first == category) return entry.second;
        }
        return other_bin;
    }
    const auto it = category_map.find(category);
    return it == category_map.end() ? other_bin : it->second;
}

bool ColumnSpec::add_category(std::string_view category, int32_t bin) {
    if (category_map.empty()) {
        for (const auto &entry : small_categories) {
            if (entry.first == category) return false;
        }
    } else if (category_map.count(category) != 0) {
        return false;
    }
    category_storage.emplace_back(category);
    const std::string_view stored = category_storage.back();
    small_categories.emplace_back(stored, bin);
    RawName raw;
    raw.assign(stored);
    raw_categories.emplace_back(raw, bin);
    if (!raw.comparable || raw_categories.size() > kRawCategoryLimit) raw_scan = false;
    if (small_categories.size() > kLinearCategoryLimit) {
        if (category_map.empty()) {
            for (const auto &entry : small_categories) category_map.emplace(entry.first, entry.second);
        } else {
            category_map.emplace(stored, bin);
        }
    }
    return true;
}

// MARK: - SchemaState

int32_t SchemaState::lookup_feature(std::string_view name, size_t position) noexcept {
    if (position < predicted_order.size()) {
        const int32_t predicted = predicted_order[position];
        if (predicted >= 0 && features[static_cast<size_t>(predicted)].name == name) return predicted;
    }
    const auto it = feature_index.find(name);
    const int32_t column = it == feature_index.end() ? -1 : it->second;
    if (position < kMaxPredictedPositions) {
        if (position >= predicted_order.size()) predicted_order.resize(position + 1, -1);
        predicted_order[position] = column;
    }
    return column;
}

void SchemaState::clear_rows() noexcept {
    for (auto &column : columns) column.clear();
    predictions.clear();
    timestamps.clear();
    latencies.clear();
    costs.clear();
    message_indexes.clear();
    id_arena.clear();
    id_offsets.clear();
    id_lengths.clear();
    version_fallbacks = 0;
}

}  // namespace driftd_shim

using namespace driftd_shim;

namespace {
/// Top-level keys of an inference or label event, as bit positions for duplicate detection.
enum TopLevelKey : int {
    kKeyModel = 0,
    kKeyVersion,
    kKeyId,
    kKeyTimestamp,
    kKeyFeatures,
    kKeyPrediction,
    kKeyLatency,
    kKeyCost,
    kKeyLabel,
    kKeyUnknown = -1
};

constexpr std::string_view kTopLevelNames[] = {"model", "version", "id", "timestamp", "features",
                                              "prediction", "latency_ms", "cost", "label"};

/// Top-level key from the raw key content, kKeyUnknown when it does not raw-match
/// (unknown, or escaped: the caller then unescapes and uses top_level_key).
const std::array<RawName, 9> &raw_top_level_names() noexcept {
    static const auto names = [] {
        std::array<RawName, 9> prepared;
        for (size_t i = 0; i < prepared.size(); ++i) prepared[i].assign(kTopLevelNames[i]);
        return prepared;
    }();
    return names;
}

int raw_top_level_key(const char *raw, const char *end) noexcept {
    const auto &names = raw_top_level_names();
    for (size_t i = 0; i < names.size(); ++i) {
        if (names[i].matches(raw, end)) return static_cast<int>(i);
    }
    return kKeyUnknown;
}

/// raw_top_level_key, trying first the key found at `position` of the previous event
/// (`order`): producers keep their key order, so one compare usually replaces the scan. A raw
/// match is exact and the names are distinct, so the result is the scan's.
int raw_top_level_key(const char *raw, const char *end, size_t position,
                      std::array<int8_t, 16> &order) noexcept {
    if (position < order.size()) {
        const int predicted = order[position];
        if (predicted >= 0 && raw_top_level_names()[static_cast<size_t>(predicted)].matches(raw, end)) {
            return predicted;
        }
    }
    const int which = raw_top_level_key(raw, end);
    if (position < order.size()) order[position] = static_cast<int8_t>(which);
    return which;
}

int top_level_key(std::string_view key) noexcept {
    switch (key.size()) {
    case 2: return key == "id" ? kKeyId : kKeyUnknown;
    case 4: return key == "cost" ? kKeyCost : kKeyUnknown;
    case 5:
        if (key == "model") return kKeyModel;
        return key == "label" ? kKeyLabel : kKeyUnknown;
    case 7: return key == "version" ? kKeyVersion : kKeyUnknown;
    case 8: return key == "features" ? kKeyFeatures : kKeyUnknown;
    case 9: return key == "timestamp" ? kKeyTimestamp : kKeyUnknown;
    case 10:
        if (key == "prediction") return kKeyPrediction;
        return key == "latency_ms" ? kKeyLatency : kKeyUnknown;
    default: return kKeyUnknown;
    }
}
}  // namespace

// MARK: - dd_decoder: setup

dd_decoder::dd_decoder(size_t max_event_bytes, bool capture_ids, bool allow_version_fallback,
                       size_t max_unknown_feature_names)
    : max_event_bytes_(max_event_bytes),
      capture_ids_(capture_ids),
      allow_version_fallback_(allow_version_fallback),
      max_unknown_feature_names_(max_unknown_feature_names),
      buffer_(new uint8_t[max_event_bytes + simdjson::SIMDJSON_PADDING]()),
      parser_(max_event_bytes) {}

bool dd_decoder::is_ready() noexcept {
    return parser_.allocate(max_event_bytes_) == simdjson::SUCCESS;
}

int32_t dd_decoder::add_schema(std::string_view model, std::string_view version, int32_t feature_count,
                               bool has_prediction) {
    if (feature_count < 0) return -DD_BAD_SCHEMA;
    std::string key;
    key.reserve(model.size() + version.size() + 4);
    schema_key(key, model, version);
    if (exact_schema_.count(key) != 0) return -DD_BAD_SCHEMA;
    auto schema = std::make_unique<SchemaState>();
    schema->model.assign(model);
    schema->version.assign(version);
    schema->features.resize(static_cast<size_t>(feature_count));
    schema->has_prediction = has_prediction;
    schema->columns.resize(static_cast<size_t>(feature_count));
    schema->seen_generation.assign(static_cast<size_t>(feature_count), 0);
    const auto index = static_cast<int32_t>(schemas.size());
    schemas.push_back(std::move(schema));
    exact_schema_.emplace(std::move(key), index);
    default_schema_[std::string(model)] = index;
    last_schema_ = -1;
    return index;
}

int32_t dd_decoder::set_column(int32_t schema, int32_t column, std::string_view name, bool categorical,
                               int32_t other_bin) {
    if (schema < 0 || static_cast<size_t>(schema) >= schemas.size()) return DD_BAD_SCHEMA;
    SchemaState &state = *schemas[static_cast<size_t>(schema)];
    ColumnSpec *spec;
    if (column == -1) {
        if (!state.has_prediction) return DD_BAD_SCHEMA;
        spec = &state.prediction;
    } else if (column >= 0 && static_cast<size_t>(column) < state.features.size()) {
        spec = &state.features[static_cast<size_t>(column)];
        if (spec->configured) return DD_BAD_SCHEMA;
        spec->name.assign(name);
        if (!state.feature_index.emplace(std::string_view(spec->name), column).second) return DD_BAD_SCHEMA;
    } else {
        return DD_BAD_SCHEMA;
    }
    if (column == -1) spec->name.assign(name);
    spec->raw_name.assign(spec->name);
    spec->configured = true;
    spec->categorical = categorical;
    spec->other_bin = other_bin;
    return DD_OK;
}

int32_t dd_decoder::add_category(int32_t schema, int32_t column, std::string_view category, int32_t bin) {
    if (schema < 0 || static_cast<size_t>(schema) >= schemas.size()) return DD_BAD_SCHEMA;
    SchemaState &state = *schemas[static_cast<size_t>(schema)];
    ColumnSpec *spec;
    if (column == -1 && state.has_prediction) {
        spec = &state.prediction;
    } else if (column >= 0 && static_cast<size_t>(column) < state.features.size()) {
        spec = &state.features[static_cast<size_t>(column)];
    } else {
        return DD_BAD_SCHEMA;
    }
    if (!spec->configured || !spec->categorical) return DD_BAD_SCHEMA;
    return spec->add_category(category, bin) ? DD_OK : DD_BAD_SCHEMA;
}

void dd_decoder::schema_key(std::string &key, std::string_view model, std::string_view version) {
    // Length-prefixed so that no (model, version) pair can collide with another.
    const auto length = static_cast<uint32_t>(model.size());
    key.assign(reinterpret_cast<const char *>(&length), sizeof(length));
    key.append(model);
    key.append(version);
}

// MARK: - dd_decoder: batch

void dd_decoder::reset_batch() noexcept {
    for (auto &schema : schemas) schema->clear_rows();
    unknown_features.clear();
    unknown_index_.clear();
    unknown_feature_overflow = 0;
    message_counter_ = 0;
}

void dd_decoder::begin_row(SchemaState &schema) {
    const double missing = std::numeric_limits<double>::quiet_NaN();
    for (auto &column : schema.columns) column.push_back(missing);
    schema.predictions.push_back(missing);
    open_row_ = &schema;
}

void dd_decoder::rollback_row() noexcept {
    if (open_row_ == nullptr) return;
    for (auto &column : open_row_->columns) column.pop_back();
    open_row_->predictions.pop_back();
    open_row_ = nullptr;
}

void dd_decoder::count_unknown_features(int32_t schema) {
    for (size_t i = 0; i < pending_unknown_count_; ++i) {
        const std::string &name = pending_unknown_[i];
        lookup_key_.assign(reinterpret_cast<const char *>(&schema), sizeof(schema));
        lookup_key_.append(name);
        const auto it = unknown_index_.find(lookup_key_);
        if (it != unknown_index_.end()) {
            unknown_features[it->second].count += 1;
        } else if (unknown_features.size() < max_unknown_feature_names_) {
            unknown_index_.emplace(lookup_key_, unknown_features.size());
            unknown_features.push_back(UnknownFeature{schema, name, 1});
        } else {
            unknown_feature_overflow += 1;
        }
    }
}

// MARK: - dd_decoder: errors

int32_t dd_decoder::fail(dd_outcome &out, int32_t status, std::string_view field, std::string_view detail) {
    field_.assign(field.data(), field.size());
    detail_.assign(detail.data(), detail.size());
    out.status = status;
    out.field = field_.data();
    out.field_len = field_.size();
    out.detail = detail_.data();
    out.detail_len = detail_.size();
    return status;
}

int32_t dd_decoder::fail_type(dd_outcome &out, std::string_view field, int32_t expected, int32_t actual) {
    fail(out, DD_WRONG_TYPE, field, {});
    out.expected = expected;
    out.actual = actual;
    return DD_WRONG_TYPE;
}

int32_t dd_decoder::fail_type(dd_outcome &out, ondemand::value &value, json_type type, std::string_view field,
                              int32_t expected) {
    if (!is_well_formed_scalar(value, type)) return fail(out, DD_INVALID_JSON, field, "malformed value");
    return fail_type(out, field, expected, kind_of(type));
}

int32_t dd_decoder::validate_ignored(ondemand::value &value, std::string_view field, dd_outcome &out) {
    double sum = 0;
    bool non_finite = false;
    const error_code error = walk(value, sum, non_finite);
    if (error == simdjson::SUCCESS) return DD_OK;
    if (non_finite) return fail(out, DD_NON_FINITE, field, "non-finite or out-of-range number");
    return fail_json(out, error, field);
}

int32_t dd_decoder::fail_json(dd_outcome &out, error_code error, std::string_view field) {
    return fail(out, DD_INVALID_JSON, field, simdjson::error_message(error));
}

int32_t dd_decoder::fail_token(dd_outcome &out, ondemand::value &value, error_code error,
                               std::string_view field) {
    const std::string_view token = failed_token(value);
    if (driftd_shim::is_non_finite_literal(token)) {
        return fail(out, DD_NON_FINITE, field, clip(token));
    }
    if (driftd_shim::is_json_number_syntax(token)) {
        return fail(out, DD_NON_FINITE, field, clip(token));  // well formed, outside double range
    }
    return fail_json(out, error, field);
}

// MARK: - dd_decoder: values

int32_t dd_decoder::load(const void *bytes, size_t length, ondemand::document &doc, dd_outcome &out) {
    out = dd_outcome{};
    out.schema = -1;
    open_row_ = nullptr;
    if (length > max_event_bytes_) {
        char text[96];
        const int written = std::snprintf(text, sizeof(text), "%zu bytes, limit %zu", length, max_event_bytes_);
        return fail(out, DD_OVERSIZED, {}, std::string_view(text, written > 0 ? static_cast<size_t>(written) : 0));
    }
    if (length > 0) std::memcpy(buffer_.get(), bytes, length);
    std::memset(buffer_.get() + length, 0, simdjson::SIMDJSON_PADDING);
    const error_code error =
        parser_.iterate(buffer_.get(), length, length + simdjson::SIMDJSON_PADDING).get(doc);
    if (error != simdjson::SUCCESS) return fail_json(out, error, {});
    json_type root_type;
    const error_code type_error = doc.type().get(root_type);
    if (type_error != simdjson::SUCCESS) return fail_json(out, type_error, {});
    if (root_type != json_type::object) {
        bool well_formed = true;  // a malformed root scalar is invalid JSON, not "not an object"
        if (root_type == json_type::null) {
            bool is_null = false;
            well_formed = doc.is_null().get(is_null) == simdjson::SUCCESS && is_null;
        } else if (root_type == json_type::boolean) {
            bool flag;
            well_formed = doc.get_bool().get(flag) == simdjson::SUCCESS;
        } else if (root_type == json_type::string) {
            std::string_view text;
            well_formed = doc.get_string().get(text) == simdjson::SUCCESS;
        } else if (root_type == json_type::number) {
            std::string_view token;
            well_formed = doc.raw_json_token().get(token) == simdjson::SUCCESS &&
                          is_json_number_syntax(trim_token(token));
        }
        if (!well_formed) return fail(out, DD_INVALID_JSON, {}, "malformed document");
        static const char *const names[] = {"unknown", "null", "boolean", "number", "string", "array", "object"};
        return fail(out, DD_NOT_AN_OBJECT, {}, names[kind_of(root_type)]);
    }
    return DD_OK;
}

int32_t dd_decoder::check_trailing(ondemand::document &doc, dd_outcome &out) {
    const char *location = nullptr;
    if (doc.current_location().get(location) == simdjson::SUCCESS) {
        return fail(out, DD_INVALID_JSON, {}, "content after the event object");
    }
    return DD_OK;
}

__attribute__((always_inline)) inline int32_t dd_decoder::decode_column(const ColumnSpec &column, ondemand::value &value, std::string_view field,
                                  double &result, dd_outcome &out) {
    if (!column.categorical) {
        // Fast path for the common case, a number in a numeric column: get_double() consumes
        // the value only when it succeeds, so anything else (null, wrong types, malformed or
        // out-of-range numbers) takes the type switch below.
        if (value.get_double().get(result) == simdjson::SUCCESS) {
            if (std::isfinite(result)) return DD_OK;
            return fail(out, DD_NON_FINITE, field, "non-finite number");
        }
    }
    json_type type;
    const error_code type_error = value.type().get(type);
    if (type_error != simdjson::SUCCESS) return fail_token(out, value, type_error, field);
    switch (type) {
    case json_type::null:
        if (!is_exact_null(value)) return fail(out, DD_INVALID_JSON, field, "malformed literal");
        result = std::numeric_limits<double>::quiet_NaN();
        return DD_OK;
    case json_type::number:
        if (!column.categorical) {
            const error_code error = value.get_double().get(result);
            if (error != simdjson::SUCCESS) return fail_token(out, value, error, field);
            if (!std::isfinite(result)) return fail(out, DD_NON_FINITE, field, "non-finite number");
            return DD_OK;
        } else {
            char buffer[32];
            std::string_view text;
            const error_code error = read_integer_text(value, buffer, text);
            if (error == simdjson::SUCCESS) {
                result = column.bin_of(text);
                return DD_OK;
            }
            const std::string_view token = failed_token(value);
            if (driftd_shim::is_non_finite_literal(token)) return fail(out, DD_NON_FINITE, field, token);
            if (!driftd_shim::is_json_number_syntax(token)) return fail_json(out, error, field);
            return fail_type(out, field, DD_EXPECT_CATEGORY, DD_KIND_NUMBER);
        }
    case json_type::string:
        if (column.categorical) {
            // Fast path: escape-free strings are looked up in place, without unescaping.
            // raw_json_token() spans the whole string literal (plus trailing whitespace).
            const std::string_view token = trim_token(value.raw_json_token());
            // A raw match is exact (the content is the category, followed by the closing quote,
            // so it holds no escape): only a miss needs the scan for a backslash.
            const bool literal = token.size() >= 2 && token.back() == '"';
            const std::string_view content = literal ? token.substr(1, token.size() - 2) : std::string_view();
            int32_t bin = literal && column.raw_scan ? column.raw_bin_of(content.data(), buffer_end()) : -1;
            bool found = bin >= 0;
            if (literal && !found && std::memchr(content.data(), '\\', content.size()) == nullptr) {
                bin = column.raw_scan ? column.other_bin : column.bin_of(content);  // escape-free: no unescape needed
                found = true;
            }
            if (found) {
                ondemand::raw_json_string raw;
                const error_code error = value.get_raw_json_string().get(raw);  // consumes the value
                if (error != simdjson::SUCCESS) return fail_json(out, error, field);
                result = bin;
                return DD_OK;
            }
            std::string_view text;
            const error_code error = value.get_string().get(text);
            if (error != simdjson::SUCCESS) return fail_json(out, error, field);
            result = column.bin_of(text);
            return DD_OK;
        }
        return fail_type(out, value, type, field, DD_EXPECT_NUMBER);
    case json_type::boolean:
        if (column.categorical) {
            bool flag;
            const error_code error = value.get_bool().get(flag);
            if (error != simdjson::SUCCESS) return fail_json(out, error, field);
            result = column.bin_of(flag ? std::string_view("true") : std::string_view("false"));
            return DD_OK;
        }
        return fail_type(out, value, type, field, DD_EXPECT_NUMBER);
    case json_type::array:
    case json_type::object:
        return fail_type(out, value, type, field, column.categorical ? DD_EXPECT_CATEGORY : DD_EXPECT_NUMBER);
    }
    return fail(out, DD_INVALID_JSON, field, "unknown value type");
}

int32_t dd_decoder::decode_text(ondemand::value &value, std::string_view field, bool allow_integer,
                                std::string &target, bool &present, dd_outcome &out, bool keep) {
    json_type type;
    const error_code type_error = value.type().get(type);
    if (type_error != simdjson::SUCCESS) return fail_token(out, value, type_error, field);
    const int32_t expected = allow_integer ? DD_EXPECT_STRING_OR_INTEGER : DD_EXPECT_STRING;
    switch (type) {
    case json_type::null:
        if (!is_exact_null(value)) return fail(out, DD_INVALID_JSON, field, "malformed literal");
        present = false;
        return DD_OK;
    case json_type::string: {
        std::string_view text;
        const error_code error = value.get_string().get(text);
        if (error != simdjson::SUCCESS) return fail_json(out, error, field);
        // Model and version repeat from event to event: compare before copying.
        if (keep && !same_text(target, text)) target.assign(text.data(), text.size());
        present = true;
        return DD_OK;
    }
    case json_type::number: {
        if (!allow_integer) {
            if (!driftd_shim::is_json_number_syntax(failed_token(value))) {
                return fail(out, DD_INVALID_JSON, field, "malformed number");
            }
            return fail_type(out, field, expected, DD_KIND_NUMBER);
        }
        char buffer[32];
        std::string_view text;
        const error_code error = read_integer_text(value, buffer, text);
        if (error == simdjson::SUCCESS) {
            if (keep) target.assign(text.data(), text.size());
            present = true;
            return DD_OK;
        }
        const std::string_view token = failed_token(value);
        if (driftd_shim::is_non_finite_literal(token)) return fail(out, DD_NON_FINITE, field, token);
        if (!driftd_shim::is_json_number_syntax(token)) return fail_json(out, error, field);
        return fail_type(out, field, expected, DD_KIND_NUMBER);
    }
    default:
        return fail_type(out, value, type, field, expected);
    }
}

int32_t dd_decoder::decode_timestamp(ondemand::value &value, bool &present, int64_t &ms, dd_outcome &out) {
    static constexpr std::string_view field = "timestamp";
    json_type type;
    const error_code type_error = value.type().get(type);
    if (type_error != simdjson::SUCCESS) {
        const std::string_view token = failed_token(value);
        if (driftd_shim::is_non_finite_literal(token)) return fail(out, DD_BAD_TIMESTAMP, field, token);
        return fail_json(out, type_error, field);
    }
    switch (type) {
    case json_type::null:
        if (!is_exact_null(value)) return fail(out, DD_INVALID_JSON, field, "malformed literal");
        present = false;
        return DD_OK;
    case json_type::number: {
        int64_t integer;
        if (value.get_int64().get(integer) == simdjson::SUCCESS) {
            if (integer < driftd_shim::kMinTimestampMs || integer > driftd_shim::kMaxTimestampMs) {
                return fail(out, DD_BAD_TIMESTAMP, field, "epoch milliseconds outside years 1 to 9999");
            }
            ms = integer;
            present = true;
            return DD_OK;
        }
        double real;
        const error_code error = value.get_double().get(real);
        if (error != simdjson::SUCCESS) {
            const std::string_view token = failed_token(value);
            if (driftd_shim::is_non_finite_literal(token) || driftd_shim::is_json_number_syntax(token)) {
                return fail(out, DD_BAD_TIMESTAMP, field, clip(token));
            }
            return fail_json(out, error, field);
        }
        if (!(real >= static_cast<double>(driftd_shim::kMinTimestampMs) &&
              real <= static_cast<double>(driftd_shim::kMaxTimestampMs)) ||
            real != std::floor(real)) {
            return fail(out, DD_BAD_TIMESTAMP, field, "epoch milliseconds must be a whole number in range");
        }
        ms = static_cast<int64_t>(real);
        present = true;
        return DD_OK;
    }
    case json_type::string: {
        std::string_view text;
        const error_code error = value.get_string().get(text);
        if (error != simdjson::SUCCESS) return fail_json(out, error, field);
        if (!driftd_shim::parse_rfc3339_ms(text, ms)) {
            return fail(out, DD_BAD_TIMESTAMP, field, clip(text));
        }
        present = true;
        return DD_OK;
    }
    default: {
        static const char *const names[] = {"unknown", "null", "boolean", "number", "string", "array", "object"};
        return fail(out, DD_BAD_TIMESTAMP, field, names[kind_of(type)]);
    }
    }
}

int32_t dd_decoder::resolve_schema(std::string_view model, bool has_version, std::string_view version,
                                   dd_outcome &out) {
    if (last_schema_ >= 0 && last_has_version_ == has_version && same_text(model, last_model_) &&
        (!has_version || same_text(version, last_version_))) {
        out.schema = last_schema_;
        out.version_fallback = last_fallback_ ? 1 : 0;
        return DD_OK;
    }
    int32_t index = -1;
    bool fallback = false;
    if (has_version) {
        schema_key(lookup_key_, model, version);
        const auto exact = exact_schema_.find(lookup_key_);
        if (exact != exact_schema_.end()) index = exact->second;
    }
    if (index < 0) {
        lookup_key_.assign(model.data(), model.size());
        const auto by_model = default_schema_.find(lookup_key_);
        if (by_model == default_schema_.end()) return fail(out, DD_UNKNOWN_MODEL, "model", clip(model));
        if (has_version) {
            if (!allow_version_fallback_) {
                detail_.assign(clip(model));
                detail_.append("@");
                detail_.append(clip(version));
                const std::string detail = detail_;
                return fail(out, DD_UNKNOWN_VERSION, "version", detail);
            }
            fallback = true;
        }
        index = by_model->second;
    }
    last_model_.assign(model.data(), model.size());
    last_version_.assign(version.data(), version.size());
    last_has_version_ = has_version;
    last_schema_ = index;
    last_fallback_ = fallback;
    out.schema = index;
    out.version_fallback = fallback ? 1 : 0;
    return DD_OK;
}

int32_t dd_decoder::decode_features(SchemaState &schema, ondemand::value &value, size_t row, dd_outcome &out) {
    ondemand::object object;
    const error_code object_error = value.get_object().get(object);
    if (object_error != simdjson::SUCCESS) return fail_json(out, object_error, "features");
    size_t position = 0;
    for (auto member : object) {
        ondemand::field field;
        error_code error = std::move(member).get(field);
        if (error != simdjson::SUCCESS) return fail_json(out, error, "features");
        // Fast path: the key is the predicted column's name, compared raw (no unescape).
        int32_t column = -1;
        if (position < schema.predicted_order.size()) {
            const int32_t predicted = schema.predicted_order[position];
            if (predicted >= 0 &&
                schema.features[static_cast<size_t>(predicted)].raw_name.matches(field.key().raw(), buffer_end())) {
                column = predicted;
            }
        }
        std::string_view key;
        if (column < 0) {
            error = field.unescaped_key().get(key);
            if (error != simdjson::SUCCESS) return fail_json(out, error, "features");
            column = schema.lookup_feature(key, position);
        }
        position += 1;
        if (column < 0) {
            if (const int32_t status = validate_ignored(field.value(), {}, out)) {
                const std::string path = "features." + std::string(key);
                const std::string detail = detail_;
                return fail(out, status, path, detail);
            }
            if (pending_unknown_count_ == pending_unknown_.size()) pending_unknown_.emplace_back();
            pending_unknown_[pending_unknown_count_++].assign(key.data(), key.size());
            continue;
        }
        const auto c = static_cast<size_t>(column);
        if (schema.seen_generation[c] == generation_) {
            return fail(out, DD_DUPLICATE_KEY, "features." + schema.features[c].name, "key appears more than once");
        }
        schema.seen_generation[c] = generation_;
        double result;
        const ColumnSpec &spec = schema.features[c];
        ondemand::value &value = field.value();
        int32_t status;
        if (!spec.categorical && value.get_double().get(result) == simdjson::SUCCESS) {
            // decode_column's fast path, inline (no call per value): get_double() consumes the
            // value only when it parses, so a failure leaves decode_column the same value.
            status = std::isfinite(result) ? DD_OK : fail(out, DD_NON_FINITE, {}, "non-finite number");
        } else {
            status = decode_column(spec, value, {}, result, out);
        }
        if (status != DD_OK) {
            // Name the feature now (the happy path never builds the path string).
            const std::string path = "features." + schema.features[c].name;
            const int32_t expected = out.expected;
            const int32_t actual = out.actual;
            const std::string detail = detail_;
            fail(out, status, path, detail);
            out.expected = expected;
            out.actual = actual;
            return status;
        }
        schema.columns[c][row] = result;
    }
    return DD_OK;
}

int32_t dd_decoder::decode_prediction(SchemaState &schema, ondemand::value &value, size_t row, dd_outcome &out) {
    if (!schema.has_prediction) return validate_ignored(value, "prediction", out);  // not profiled
    double result;
    const int32_t status = decode_column(schema.prediction, value, "prediction", result, out);
    if (status != DD_OK) return status;
    schema.predictions[row] = result;
    return DD_OK;
}

int32_t dd_decoder::decode_serving_number(ondemand::value &value, std::string_view field, double &result,
                                          dd_outcome &out) {
    json_type type;
    const error_code type_error = value.type().get(type);
    if (type_error != simdjson::SUCCESS) return fail_token(out, value, type_error, field);
    if (type == json_type::null) {
        return is_exact_null(value) ? DD_OK : fail(out, DD_INVALID_JSON, field, "malformed literal");
    }
    if (type != json_type::number) return fail_type(out, value, type, field, DD_EXPECT_NUMBER);
    double number;
    const error_code error = value.get_double().get(number);
    if (error != simdjson::SUCCESS) return fail_token(out, value, error, field);
    if (!std::isfinite(number)) return fail(out, DD_NON_FINITE, field, "non-finite number");
    result = number;
    return DD_OK;
}

// MARK: - dd_decoder: events

int32_t dd_decoder::decode_inference(const void *bytes, size_t length, int64_t fallback_ms, dd_outcome &out) {
    const int64_t message_index = message_counter_++;
    pending_unknown_count_ = 0;
    const int32_t status = decode_inference_event(bytes, length, fallback_ms, message_index, out);
    if (status != DD_OK) {
        rollback_row();
        out.status = status;
    }
    return status;
}

int32_t dd_decoder::decode_inference_event(const void *bytes, size_t length, int64_t fallback_ms,
                                           int64_t message_index, dd_outcome &out) {
    ondemand::document doc;
    if (const int32_t status = load(bytes, length, doc, out)) return status;
    ondemand::object root;
    error_code error = doc.get_object().get(root);
    if (error != simdjson::SUCCESS) return fail_json(out, error, {});

    generation_ += 1;
    uint32_t seen = 0;
    bool has_model = false, has_version = false, has_id = false, has_timestamp = false;
    bool has_features = false, features_deferred = false, prediction_deferred = false;
    int64_t timestamp = fallback_ms;
    double latency = std::numeric_limits<double>::quiet_NaN();  // absent or null
    double cost = std::numeric_limits<double>::quiet_NaN();
    SchemaState *schema = nullptr;
    size_t row = 0;

    auto open_schema = [&]() -> int32_t {
        if (schema != nullptr) return DD_OK;
        if (const int32_t status = resolve_schema(model_, has_version, version_, out)) return status;
        schema = schemas[static_cast<size_t>(out.schema)].get();
        row = schema->rows();
        begin_row(*schema);
        return DD_OK;
    };

    size_t position = 0;
    for (auto member : root) {
        ondemand::field field;
        error = std::move(member).get(field);
        if (error != simdjson::SUCCESS) return fail_json(out, error, {});
        int which = raw_top_level_key(field.key().raw(), buffer_end(), position++, top_level_order_);
        std::string_view key = which == kKeyUnknown ? std::string_view() : kTopLevelNames[which];
        if (which == kKeyUnknown) {
            error = field.unescaped_key().get(key);
            if (error != simdjson::SUCCESS) return fail_json(out, error, {});
            which = top_level_key(key);
        }
        if (which == kKeyUnknown || which == kKeyLabel) {  // unknown keys are ignored, but must be valid JSON
            if (const int32_t status = validate_ignored(field.value(), key, out)) return status;
            continue;
        }
        if ((seen & (1u << which)) != 0) return fail(out, DD_DUPLICATE_KEY, key, "key appears more than once");
        seen |= 1u << which;
        ondemand::value &value = field.value();
        int32_t status = DD_OK;
        switch (which) {
        case kKeyModel: status = decode_text(value, "model", false, model_, has_model, out); break;
        case kKeyVersion: status = decode_text(value, "version", true, version_, has_version, out); break;
        case kKeyId: status = decode_text(value, "id", true, id_, has_id, out, capture_ids_); break;
        case kKeyTimestamp: status = decode_timestamp(value, has_timestamp, timestamp, out); break;
        case kKeyLatency: status = decode_serving_number(value, "latency_ms", latency, out); break;
        case kKeyCost: status = decode_serving_number(value, "cost", cost, out); break;
        case kKeyFeatures: {
            json_type type;
            error = value.type().get(type);
            if (error != simdjson::SUCCESS) return fail_token(out, value, error, "features");
            if (type == json_type::null) {
                if (!is_exact_null(value)) return fail(out, DD_INVALID_JSON, "features", "malformed literal");
                return fail(out, DD_MISSING_FEATURES, "features", "features is null");
            }
            if (type != json_type::object) return fail_type(out, value, type, "features", DD_EXPECT_OBJECT);
            has_features = true;
            if (has_model && has_version) {
                if ((status = open_schema()) != DD_OK) return status;
                status = decode_features(*schema, value, row, out);
            } else {
                features_deferred = true;
            }
            break;
        }
        case kKeyPrediction:
            if (has_model && has_version) {
                if ((status = open_schema()) != DD_OK) return status;
                status = decode_prediction(*schema, value, row, out);
            } else {
                prediction_deferred = true;
            }
            break;
        default: break;
        }
        if (status != DD_OK) return status;
    }
    if (const int32_t status = check_trailing(doc, out)) return status;
    if (!has_model) return fail(out, DD_MISSING_MODEL, "model", "the event has no model");
    if (const int32_t status = open_schema()) return status;
    if (!has_features) return fail(out, DD_MISSING_FEATURES, "features", "the event has no features object");

    if (features_deferred || prediction_deferred) {
        // model/version came after features or prediction (or there is no version):
        // a second pass reads them now that the schema is known.
        doc.rewind();
        error = doc.get_object().get(root);
        if (error != simdjson::SUCCESS) return fail_json(out, error, {});
        for (auto member : root) {
            ondemand::field field;
            error = std::move(member).get(field);
            if (error != simdjson::SUCCESS) return fail_json(out, error, {});
            int which = raw_top_level_key(field.key().raw(), buffer_end());
            if (which == kKeyUnknown) {
                std::string_view key;
                error = field.unescaped_key().get(key);
                if (error != simdjson::SUCCESS) return fail_json(out, error, {});
                which = top_level_key(key);
            }
            int32_t status = DD_OK;
            if (which == kKeyFeatures && features_deferred) {
                status = decode_features(*schema, field.value(), row, out);
                features_deferred = false;
            } else if (which == kKeyPrediction && prediction_deferred) {
                status = decode_prediction(*schema, field.value(), row, out);
                prediction_deferred = false;
            }
            if (status != DD_OK) return status;
        }
    }

    // Commit the row.
    schema->timestamps.push_back(timestamp);
    schema->latencies.push_back(latency);
    schema->costs.push_back(cost);
    schema->message_indexes.push_back(message_index);
    if (capture_ids_) {
        schema->id_offsets.push_back(schema->id_arena.size());
        if (has_id) {
            schema->id_lengths.push_back(static_cast<int64_t>(id_.size()));
            schema->id_arena.append(id_);
        } else {
            schema->id_lengths.push_back(-1);
        }
    }
    if (out.version_fallback != 0) schema->version_fallbacks += 1;
    count_unknown_features(out.schema);
    open_row_ = nullptr;
    out.status = DD_OK;
    return DD_OK;
}

int32_t dd_decoder::decode_label(const void *bytes, size_t length, int64_t fallback_ms, dd_label &label,
                                 dd_outcome &out) {
    const int32_t status = decode_label_event(bytes, length, fallback_ms, label, out);
    out.status = status;
    return status;
}

int32_t dd_decoder::decode_label_event(const void *bytes, size_t length, int64_t fallback_ms, dd_label &label,
                                       dd_outcome &out) {
    label = dd_label{};
    ondemand::document doc;
    if (const int32_t status = load(bytes, length, doc, out)) return status;
    ondemand::object root;
    error_code error = doc.get_object().get(root);
    if (error != simdjson::SUCCESS) return fail_json(out, error, {});

    uint32_t seen = 0;
    bool has_model = false, has_id = false, has_label = false, has_timestamp = false;
    int64_t timestamp = fallback_ms;
    int32_t label_kind = DD_KIND_UNKNOWN;
    for (auto member : root) {
        ondemand::field field;
        error = std::move(member).get(field);
        if (error != simdjson::SUCCESS) return fail_json(out, error, {});
        int which = raw_top_level_key(field.key().raw(), buffer_end());
        std::string_view key = which == kKeyUnknown ? std::string_view() : kTopLevelNames[which];
        if (which == kKeyUnknown) {
            error = field.unescaped_key().get(key);
            if (error != simdjson::SUCCESS) return fail_json(out, error, {});
            which = top_level_key(key);
        }
        if (which != kKeyModel && which != kKeyId && which != kKeyLabel && which != kKeyTimestamp) {
            if (const int32_t status = validate_ignored(field.value(), key, out)) return status;
            continue;
        }
        if ((seen & (1u << which)) != 0) return fail(out, DD_DUPLICATE_KEY, key, "key appears more than once");
        seen |= 1u << which;
        ondemand::value &value = field.value();
        int32_t status = DD_OK;
        switch (which) {
        case kKeyModel: status = decode_text(value, "model", false, model_, has_model, out); break;
        case kKeyId: status = decode_text(value, "id", true, id_, has_id, out); break;
        case kKeyTimestamp: status = decode_timestamp(value, has_timestamp, timestamp, out); break;
        case kKeyLabel: status = decode_label_value(value, has_label, label_kind, out); break;
        default: break;
        }
        if (status != DD_OK) return status;
    }
    if (const int32_t status = check_trailing(doc, out)) return status;
    if (!has_model) return fail(out, DD_MISSING_MODEL, "model", "the event has no model");
    if (!has_id) return fail(out, DD_MISSING_ID, "id", "the event has no id");
    if (!has_label) return fail(out, DD_MISSING_LABEL, "label", "the event has no label");
    label.model = model_.data();
    label.model_len = model_.size();
    label.id = id_.data();
    label.id_len = id_.size();
    label.label = label_.data();
    label.label_len = label_.size();
    label.timestamp_ms = timestamp;
    label.label_kind = label_kind;
    return DD_OK;
}

int32_t dd_decoder::decode_label_value(ondemand::value &value, bool &present, int32_t &kind, dd_outcome &out) {
    static constexpr std::string_view field = "label";
    json_type type;
    const error_code type_error = value.type().get(type);
    if (type_error != simdjson::SUCCESS) return fail_token(out, value, type_error, field);
    switch (type) {
    case json_type::null:
        if (!is_exact_null(value)) return fail(out, DD_INVALID_JSON, field, "malformed literal");
        present = false;
        return DD_OK;
    case json_type::string: {
        std::string_view text;
        const error_code error = value.get_string().get(text);
        if (error != simdjson::SUCCESS) return fail_json(out, error, field);
        label_.assign(text.data(), text.size());
        break;
    }
    case json_type::boolean: {
        bool flag;
        const error_code error = value.get_bool().get(flag);
        if (error != simdjson::SUCCESS) return fail_json(out, error, field);
        label_.assign(flag ? "true" : "false");
        break;
    }
    case json_type::number: {
        char buffer[32];
        std::string_view text;
        if (read_integer_text(value, buffer, text) == simdjson::SUCCESS) {
            label_.assign(text.data(), text.size());
            break;
        }
        double real;
        const error_code error = value.get_double().get(real);
        if (error != simdjson::SUCCESS) return fail_token(out, value, error, field);
        if (!std::isfinite(real)) return fail(out, DD_NON_FINITE, field, "non-finite number");
        const auto written = std::to_chars(buffer, buffer + sizeof(buffer), real);
        label_.assign(buffer, static_cast<size_t>(written.ptr - buffer));
        break;
    }
    default:
        return fail_type(out, field, DD_EXPECT_LABEL, kind_of(type));
    }
    present = true;
    kind = kind_of(type);
    return DD_OK;
}

// MARK: - dd_decoder: reference iteration

int32_t dd_decoder::raw_iterate(const void *bytes, size_t length, double &checksum) {
    dd_outcome out{};
    ondemand::document doc;
    if (const int32_t status = load(bytes, length, doc, out)) return status;
    ondemand::value root;
    if (doc.get_value().get(root) != simdjson::SUCCESS) return DD_INVALID_JSON;
    double sum = 0;
    bool non_finite = false;
    if (walk(root, sum, non_finite) != simdjson::SUCCESS) return DD_INVALID_JSON;
    checksum += sum;
    return DD_OK;
}
