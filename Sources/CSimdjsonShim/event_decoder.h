#ifndef DRIFTD_SHIM_EVENT_DECODER_H
#define DRIFTD_SHIM_EVENT_DECODER_H

#include "raw_name.h"
#include "simdjson_shim.h"

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace driftd_shim {

/// One monitored column: how to turn a JSON value into a double.
struct ColumnSpec {
    /// Up to this many categories are matched raw (see RawName) before unescaping.
    static constexpr size_t kRawCategoryLimit = 16;

    std::string name;
    /// `name` prepared for raw key compares.
    RawName raw_name;
    bool configured = false;
    bool categorical = false;
    int32_t other_bin = 0;
    /// Categories, used by linear scan when there are few of them.
    std::vector<std::pair<std::string_view, int32_t>> small_categories;
    /// Categories by name, used when there are many of them.
    std::unordered_map<std::string_view, int32_t> category_map;
    /// Owns the category strings the views above point into (a deque never moves them).
    std::deque<std::string> category_storage;
    /// Categories prepared for raw compares; used while every category is raw-comparable
    /// and there are at most kRawCategoryLimit of them.
    std::vector<std::pair<RawName, int32_t>> raw_categories;
    bool raw_scan = true;

    /// Bin of a category; `other_bin` when it is unknown.
    int32_t bin_of(std::string_view category) const noexcept;
    /// Bin of the raw string content at `raw` when it raw-matches a category, else -1.
    int32_t raw_bin_of(const char *raw, const char *end) const noexcept {
        for (const auto &entry : raw_categories) {
            if (entry.first.matches(raw, end)) return entry.second;
        }
        return -1;
    }
    /// Adds a category; false when it is already present.
    bool add_category(std::string_view category, int32_t bin);
};

/// A loaded model schema and the rows decoded into it since the last batch reset.
struct SchemaState {
    std::string model;
    std::string version;
    std::vector<ColumnSpec> features;
    bool has_prediction = false;
    ColumnSpec prediction;
    /// Feature name -> column; keys view into `features[i].name` (never resized).
    std::unordered_map<std::string_view, int32_t> feature_index;
    /// The column seen at each position of the previous event's `features` object:
    /// producers keep their key order, so one compare usually replaces a hash lookup.
    std::vector<int32_t> predicted_order;
    /// Per column, the event generation that last set it (duplicate key detection).
    std::vector<uint64_t> seen_generation;

    // MARK: batch rows
    std::vector<std::vector<double>> columns;
    std::vector<double> predictions;
    std::vector<int64_t> timestamps;
    std::vector<double> latencies;  // latency_ms per row, NaN when absent
    std::vector<double> costs;      // cost per row, NaN when absent
    std::vector<int64_t> message_indexes;
    std::string id_arena;
    std::vector<uint64_t> id_offsets;
    std::vector<int64_t> id_lengths;  // -1: the event had no id
    uint64_t version_fallbacks = 0;

    size_t rows() const noexcept { return timestamps.size(); }
    /// Column index of a feature name, or -1.
    int32_t lookup_feature(std::string_view name, size_t position) noexcept;
    void clear_rows() noexcept;
};

}  // namespace driftd_shim

/// The decoder behind the C API (see simdjson_shim.h). One per thread.
struct dd_decoder {
    dd_decoder(size_t max_event_bytes, bool capture_ids, bool allow_version_fallback,
               size_t max_unknown_feature_names);

    int32_t add_schema(std::string_view model, std::string_view version, int32_t feature_count,
                       bool has_prediction);
    int32_t set_column(int32_t schema, int32_t column, std::string_view name, bool categorical,
                       int32_t other_bin);
    int32_t add_category(int32_t schema, int32_t column, std::string_view category, int32_t bin);

    /// False when the parser could not allocate its buffers.
    bool is_ready() noexcept;
    void reset_batch() noexcept;
    int32_t decode_inference(const void *bytes, size_t length, int64_t fallback_ms, dd_outcome &out);
    int32_t decode_label(const void *bytes, size_t length, int64_t fallback_ms, dd_label &label,
                         dd_outcome &out);
    int32_t raw_iterate(const void *bytes, size_t length, double &checksum);

    // MARK: state read by the C API
    std::vector<std::unique_ptr<driftd_shim::SchemaState>> schemas;
    struct UnknownFeature {
        int32_t schema;
        std::string name;
        uint64_t count;
    };
    std::vector<UnknownFeature> unknown_features;
    uint64_t unknown_feature_overflow = 0;

private:
    int32_t fail(dd_outcome &out, int32_t status, std::string_view field, std::string_view detail);
    int32_t fail_type(dd_outcome &out, std::string_view field, int32_t expected, int32_t actual);
    int32_t fail_json(dd_outcome &out, simdjson::error_code error, std::string_view field);
    /// DD_WRONG_TYPE for a value of the given type, or DD_INVALID_JSON when the value is malformed.
    int32_t fail_type(dd_outcome &out, simdjson::ondemand::value &value, simdjson::ondemand::json_type type,
                      std::string_view field, int32_t expected);
    /// Walks a value the decoder does not use, so that malformed JSON is rejected everywhere.
    int32_t validate_ignored(simdjson::ondemand::value &value, std::string_view field, dd_outcome &out);
    /// A scalar that could not be read: non-finite literal or out-of-range number
    /// (DD_NON_FINITE) or malformed JSON (DD_INVALID_JSON).
    int32_t fail_token(dd_outcome &out, simdjson::ondemand::value &value, simdjson::error_code error,
                       std::string_view field);

    int32_t load(const void *bytes, size_t length, simdjson::ondemand::document &doc, dd_outcome &out);
    int32_t check_trailing(simdjson::ondemand::document &doc, dd_outcome &out);
    int32_t resolve_schema(std::string_view model, bool has_version, std::string_view version,
                           dd_outcome &out);
    int32_t decode_inference_event(const void *bytes, size_t length, int64_t fallback_ms,
                                   int64_t message_index, dd_outcome &out);
    int32_t decode_label_event(const void *bytes, size_t length, int64_t fallback_ms, dd_label &label,
                               dd_outcome &out);
    int32_t decode_features(driftd_shim::SchemaState &schema, simdjson::ondemand::value &value,
                            size_t row, dd_outcome &out);
    int32_t decode_prediction(driftd_shim::SchemaState &schema, simdjson::ondemand::value &value,
                              size_t row, dd_outcome &out);
    int32_t decode_column(const driftd_shim::ColumnSpec &column, simdjson::ondemand::value &value,
                          std::string_view field, double &result, dd_outcome &out);
    /// Reads a string (or, with `allow_integer`, an integer as text) into `target`; with
    /// `keep` false the value is only validated (an id that is not captured).
    int32_t decode_text(simdjson::ondemand::value &value, std::string_view field, bool allow_integer,
                        std::string &target, bool &present, dd_outcome &out, bool keep = true);
    int32_t decode_timestamp(simdjson::ondemand::value &value, bool &present, int64_t &ms,
                             dd_outcome &out);
    /// `latency_ms` or `cost`: a finite number into `result`, or null (result untouched).
    int32_t decode_serving_number(simdjson::ondemand::value &value, std::string_view field, double &result,
                                  dd_outcome &out);
    int32_t decode_label_value(simdjson::ondemand::value &value, bool &present, int32_t &kind,
                               dd_outcome &out);
    void count_unknown_features(int32_t schema);
    void begin_row(driftd_shim::SchemaState &schema);
    void rollback_row() noexcept;
    static void schema_key(std::string &key, std::string_view model, std::string_view version);

    /// End of the readable padded input buffer (bound for raw compares).
    const char *buffer_end() const noexcept {
        return reinterpret_cast<const char *>(buffer_.get()) + max_event_bytes_ + simdjson::SIMDJSON_PADDING;
    }

    size_t max_event_bytes_;
    bool capture_ids_;
    bool allow_version_fallback_;
    size_t max_unknown_feature_names_;
    std::unique_ptr<uint8_t[]> buffer_;
    simdjson::ondemand::parser parser_;
    int64_t message_counter_ = 0;
    uint64_t generation_ = 0;
    /// The top-level key found at each position of the previous inference event (-1: none).
    std::array<int8_t, 16> top_level_order_ = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    /// The schema whose row the current event opened (rolled back on reject).
    driftd_shim::SchemaState *open_row_ = nullptr;
    /// Unknown feature names of the current event, counted only if it is accepted.
    std::vector<std::string> pending_unknown_;
    size_t pending_unknown_count_ = 0;

    std::unordered_map<std::string, int32_t> exact_schema_;    // schema_key(model, version) -> schema
    std::unordered_map<std::string, int32_t> default_schema_;  // model -> last added schema
    std::unordered_map<std::string, size_t> unknown_index_;    // schema bytes + name -> entry
    std::string lookup_key_;
    std::string last_model_;
    std::string last_version_;
    bool last_has_version_ = false;
    int32_t last_schema_ = -1;
    bool last_fallback_ = false;

    // Owned copies (views into the parser buffer do not survive a rewind or the next event).
    std::string model_;
    std::string version_;
    std::string id_;
    std::string label_;
    std::string field_;
    std::string detail_;
};

#endif
