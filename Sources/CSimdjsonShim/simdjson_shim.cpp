// extern "C" surface of the shim (see include/simdjson_shim.h); the work is in event_decoder.cpp.
#include "simdjson_shim.h"

#include "event_decoder.h"

#include <new>
#include <string_view>

namespace {
std::string_view view(const char *data, size_t length) noexcept {
    return data == nullptr ? std::string_view() : std::string_view(data, length);
}

const driftd_shim::SchemaState *schema_at(const dd_decoder *decoder, int32_t schema) noexcept {
    if (decoder == nullptr || schema < 0 || static_cast<size_t>(schema) >= decoder->schemas.size()) return nullptr;
    return decoder->schemas[static_cast<size_t>(schema)].get();
}
}  // namespace

extern "C" {

dd_decoder *dd_decoder_create(size_t max_event_bytes, int32_t capture_ids, int32_t allow_version_fallback,
                              size_t max_unknown_feature_names) {
    if (max_event_bytes == 0) return nullptr;
    dd_decoder *decoder = new (std::nothrow)
        dd_decoder(max_event_bytes, capture_ids != 0, allow_version_fallback != 0, max_unknown_feature_names);
    if (decoder != nullptr && !decoder->is_ready()) {
        delete decoder;
        return nullptr;
    }
    return decoder;
}

void dd_decoder_destroy(dd_decoder *decoder) { delete decoder; }

int32_t dd_schema_add(dd_decoder *decoder, const char *model, size_t model_len, const char *version,
                      size_t version_len, int32_t feature_count, int32_t has_prediction) {
    if (decoder == nullptr) return -DD_BAD_SCHEMA;
    return decoder->add_schema(view(model, model_len), view(version, version_len), feature_count,
                               has_prediction != 0);
}

int32_t dd_schema_set_column(dd_decoder *decoder, int32_t schema, int32_t column, const char *name,
                             size_t name_len, int32_t categorical, int32_t other_bin) {
    if (decoder == nullptr) return DD_BAD_SCHEMA;
    return decoder->set_column(schema, column, view(name, name_len), categorical != 0, other_bin);
}

int32_t dd_schema_add_category(dd_decoder *decoder, int32_t schema, int32_t column, const char *category,
                               size_t category_len, int32_t bin) {
    if (decoder == nullptr) return DD_BAD_SCHEMA;
    return decoder->add_category(schema, column, view(category, category_len), bin);
}

void dd_batch_reset(dd_decoder *decoder) {
    if (decoder != nullptr) decoder->reset_batch();
}

int32_t dd_decode_inference(dd_decoder *decoder, const void *bytes, size_t length, int64_t fallback_timestamp_ms,
                            dd_outcome *outcome) {
    if (decoder == nullptr || outcome == nullptr) return DD_INVALID_JSON;
    if (bytes == nullptr) length = 0;
    return decoder->decode_inference(bytes, length, fallback_timestamp_ms, *outcome);
}

int32_t dd_decode_label(dd_decoder *decoder, const void *bytes, size_t length, int64_t fallback_timestamp_ms,
                        dd_label *label, dd_outcome *outcome) {
    if (decoder == nullptr || label == nullptr || outcome == nullptr) return DD_INVALID_JSON;
    if (bytes == nullptr) length = 0;
    return decoder->decode_label(bytes, length, fallback_timestamp_ms, *label, *outcome);
}

int32_t dd_raw_iterate(dd_decoder *decoder, const void *bytes, size_t length, double *checksum) {
    if (decoder == nullptr || checksum == nullptr) return DD_INVALID_JSON;
    if (bytes == nullptr) length = 0;
    return decoder->raw_iterate(bytes, length, *checksum);
}

int32_t dd_schema_count(const dd_decoder *decoder) {
    return decoder == nullptr ? 0 : static_cast<int32_t>(decoder->schemas.size());
}

size_t dd_batch_rows(const dd_decoder *decoder, int32_t schema) {
    const auto *state = schema_at(decoder, schema);
    return state == nullptr ? 0 : state->rows();
}

const double *dd_batch_column(const dd_decoder *decoder, int32_t schema, int32_t column) {
    const auto *state = schema_at(decoder, schema);
    if (state == nullptr) return nullptr;
    if (column == -1) return state->predictions.data();
    if (column == -2) return state->latencies.data();
    if (column == -3) return state->costs.data();
    if (column < 0 || static_cast<size_t>(column) >= state->columns.size()) return nullptr;
    return state->columns[static_cast<size_t>(column)].data();
}

const int64_t *dd_batch_timestamps(const dd_decoder *decoder, int32_t schema) {
    const auto *state = schema_at(decoder, schema);
    return state == nullptr ? nullptr : state->timestamps.data();
}

const int64_t *dd_batch_message_indexes(const dd_decoder *decoder, int32_t schema) {
    const auto *state = schema_at(decoder, schema);
    return state == nullptr ? nullptr : state->message_indexes.data();
}

int32_t dd_batch_id(const dd_decoder *decoder, int32_t schema, size_t row, const char **id, size_t *id_len) {
    const auto *state = schema_at(decoder, schema);
    if (state == nullptr || id == nullptr || id_len == nullptr || row >= state->id_lengths.size()) return 0;
    const int64_t length = state->id_lengths[row];
    if (length < 0) return 0;
    *id = state->id_arena.data() + state->id_offsets[row];
    *id_len = static_cast<size_t>(length);
    return 1;
}

uint64_t dd_batch_version_fallbacks(const dd_decoder *decoder, int32_t schema) {
    const auto *state = schema_at(decoder, schema);
    return state == nullptr ? 0 : state->version_fallbacks;
}

size_t dd_batch_unknown_feature_count(const dd_decoder *decoder) {
    return decoder == nullptr ? 0 : decoder->unknown_features.size();
}

void dd_batch_unknown_feature(const dd_decoder *decoder, size_t index, int32_t *schema, const char **name,
                              size_t *name_len, uint64_t *count) {
    if (decoder == nullptr || index >= decoder->unknown_features.size()) return;
    const auto &entry = decoder->unknown_features[index];
    if (schema != nullptr) *schema = entry.schema;
    if (name != nullptr) *name = entry.name.data();
    if (name_len != nullptr) *name_len = entry.name.size();
    if (count != nullptr) *count = entry.count;
}

uint64_t dd_batch_unknown_feature_overflow(const dd_decoder *decoder) {
    return decoder == nullptr ? 0 : decoder->unknown_feature_overflow;
}

}  // extern "C"
