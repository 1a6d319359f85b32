// Envelope and tensor readers of the serving-stack input formats (include/format_shim.h).
#include "format_shim.h"

#include "json_tokens.h"

#include <simdjson.h>

#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace simdjson;
using simdjson::ondemand::json_type;

namespace {
/// True when the document has content after its root value.
bool has_trailing(ondemand::document &doc) {
    const char *location = nullptr;
    return doc.current_location().get(location) == SUCCESS;
}
}  // namespace

namespace {

/// One tensor as read; the name is an offset into the reader's string storage.
struct TensorEntry {
    size_t name_offset = 0;
    size_t name_length = 0;
    bool is_output = false;
    int32_t datatype = DDF_ANY;
    int64_t rows = 0;
    int64_t columns = 0;
    size_t first_element = 0;
};

/// What a failed read reports.
struct Failure {
    int32_t status;
    std::string field;
    std::string detail;
};

int32_t datatype_of(std::string_view name) noexcept {
    static const std::pair<std::string_view, int32_t> table[] = {
        {"BOOL", DDF_BOOL},   {"UINT8", DDF_UINT8}, {"UINT16", DDF_UINT16}, {"UINT32", DDF_UINT32},
        {"UINT64", DDF_UINT64}, {"INT8", DDF_INT8}, {"INT16", DDF_INT16},   {"INT32", DDF_INT32},
        {"INT64", DDF_INT64}, {"FP16", DDF_FP16},   {"FP32", DDF_FP32},     {"FP64", DDF_FP64},
        {"BYTES", DDF_BYTES},
    };
    for (const auto &entry : table) {
        if (entry.first == name) return entry.second;
    }
    return -1;
}

}  // namespace

struct dd_format {
    size_t max_bytes;
    std::unique_ptr<uint8_t[]> envelope_buffer;
    std::unique_ptr<uint8_t[]> body_buffer;
    ondemand::parser envelope_parser;
    ondemand::parser body_parser;
    // Envelope results (owned copies of unescaped strings).
    std::string ce_id, ce_type, ce_source, ce_service;
    // Body results.
    std::string strings;  // tensor names
    std::string body_id, model_name, model_version;
    std::vector<TensorEntry> tensors;
    std::string arena;
    std::vector<uint32_t> offsets;
    std::vector<uint32_t> lengths;
    // Failure text.
    std::string field, detail;

    explicit dd_format(size_t max) : max_bytes(max) {}

    bool allocate() {
        envelope_buffer.reset(new (std::nothrow) uint8_t[max_bytes + SIMDJSON_PADDING]);
        body_buffer.reset(new (std::nothrow) uint8_t[max_bytes + SIMDJSON_PADDING]);
        return envelope_buffer && body_buffer && envelope_parser.allocate(max_bytes) == SUCCESS &&
               body_parser.allocate(max_bytes) == SUCCESS;
    }

    int32_t fail(dd_format_outcome *outcome, int32_t status, std::string f, std::string d) {
        field = std::move(f);
        detail = std::move(d);
        outcome->status = status;
        outcome->field = field.empty() ? nullptr : field.data();
        outcome->field_len = field.size();
        outcome->detail = detail.data();
        outcome->detail_len = detail.size();
        return status;
    }

    int32_t ok(dd_format_outcome *outcome) {
        outcome->status = DDF_OK;
        outcome->field = nullptr;
        outcome->field_len = 0;
        outcome->detail = nullptr;
        outcome->detail_len = 0;
        return DDF_OK;
    }

    // MARK: - CloudEvents structured mode

    int32_t read_cloudevent(const void *bytes, size_t length, dd_cloudevent *event, dd_format_outcome *outcome) {
        *event = dd_cloudevent{};
        if (length > max_bytes) return fail(outcome, DDF_OVERSIZED, "", "message larger than limits.max_event_bytes");
        std::memcpy(envelope_buffer.get(), bytes, length);
        std::memset(envelope_buffer.get() + length, 0, SIMDJSON_PADDING);
        ondemand::document doc;
        if (envelope_parser.iterate(padded_string_view(envelope_buffer.get(), length, length + SIMDJSON_PADDING)).get(doc)) {
            return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
        }
        ondemand::object object;
        json_type type;
        if (doc.type().get(type)) return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
        if (type != json_type::object || doc.get_object().get(object)) {
            return fail(outcome, DDF_NOT_AN_OBJECT, "", "a structured CloudEvent is a JSON object");
        }
        bool spec_ok = false;
        bool has_id = false, has_type = false, has_source = false;
        std::string_view data;
        bool has_data = false;
        for (auto field_result : object) {
            ondemand::field f;
            std::string_view key;
            if (std::move(field_result).get(f) || f.unescaped_key().get(key)) return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
            ondemand::value value = f.value();
            auto text = [&](std::string &into, bool &present) -> bool {
                std::string_view s;
                if (value.get_string().get(s)) return false;
                into.assign(s);
                present = true;
                return true;
            };
            if (key == "specversion") {
                std::string_view s;
                if (value.get_string().get(s) || s != "1.0") {
                    return fail(outcome, DDF_INVALID_CLOUDEVENT, "specversion", "specversion must be the string \"1.0\"");
                }
                spec_ok = true;
            } else if (key == "id") {
                if (!text(ce_id, has_id)) return fail(outcome, DDF_INVALID_CLOUDEVENT, "id", "id must be a string");
            } else if (key == "type") {
                if (!text(ce_type, has_type)) return fail(outcome, DDF_INVALID_CLOUDEVENT, "type", "type must be a string");
            } else if (key == "source") {
                if (!text(ce_source, has_source)) return fail(outcome, DDF_INVALID_CLOUDEVENT, "source", "source must be a string");
            } else if (key == "inferenceservicename") {
                bool present = false;
                if (!text(ce_service, present)) {
                    return fail(outcome, DDF_INVALID_CLOUDEVENT, "inferenceservicename", "inferenceservicename must be a string");
                }
                event->service = ce_service.data();
                event->service_len = ce_service.size();
            } else if (key == "data") {
                ondemand::object inner;
                if (value.get_object().get(inner) || inner.raw_json().get(data)) {
                    return fail(outcome, DDF_MISSING_DATA, "data", "data must be a JSON object");
                }
                has_data = true;
            } else if (key == "data_base64") {
                return fail(outcome, DDF_MISSING_DATA, "data_base64", "binary data (data_base64) is not supported; send JSON data");
            }
        }
        if (has_trailing(doc)) return fail(outcome, DDF_INVALID_JSON, "", "trailing content after the CloudEvent");
        if (!spec_ok) return fail(outcome, DDF_INVALID_CLOUDEVENT, "specversion", "no specversion");
        if (!has_id) return fail(outcome, DDF_INVALID_CLOUDEVENT, "id", "no id");
        if (!has_source) return fail(outcome, DDF_INVALID_CLOUDEVENT, "source", "no source");
        if (!has_type) return fail(outcome, DDF_INVALID_CLOUDEVENT, "type", "no type");
        if (!has_data) return fail(outcome, DDF_MISSING_DATA, "data", "no data");
        event->id = ce_id.data();
        event->id_len = ce_id.size();
        event->type = ce_type.data();
        event->type_len = ce_type.size();
        event->source = ce_source.data();
        event->source_len = ce_source.size();
        event->data = data.data();
        event->data_len = data.size();
        return ok(outcome);
    }

    // MARK: - Inference bodies

    /// Appends the scalar elements of `value` (flattening nested arrays) to the arena.
    /// Returns false with `why` set when an element does not match `datatype`.
    bool collect(ondemand::value value, int32_t datatype, std::string &why, int depth) {
        json_type type;
        if (value.type().get(type)) {
            why = "not valid JSON";
            return false;
        }
        if (type == json_type::array) {
            if (depth > 32) {
                why = "data nested deeper than 32 levels";
                return false;
            }
            ondemand::array array;
            if (value.get_array().get(array)) {
                why = "not valid JSON";
                return false;
            }
            for (auto element : array) {
                ondemand::value inner;
                if (std::move(element).get(inner) || !collect(inner, datatype, why, depth + 1)) {
                    if (why.empty()) why = "not valid JSON";
                    return false;
                }
            }
            return true;
        }
        bool matches = false;
        switch (type) {
        case json_type::number: matches = datatype != DDF_BOOL && datatype != DDF_BYTES; break;
        case json_type::boolean: matches = datatype == DDF_BOOL || datatype == DDF_ANY; break;
        case json_type::string: matches = datatype == DDF_BYTES || datatype == DDF_ANY; break;
        default: matches = false;
        }
        if (!matches) {
            why = type == json_type::null ? "null element" : type == json_type::object ? "object element"
                                                                                         : "element of the wrong JSON type for the datatype";
            return false;
        }
        const std::string_view token = driftd_shim::trim_token(value.raw_json_token());
        if (type == json_type::number && !driftd_shim::is_json_number_syntax(token)) {
            why = "malformed number";
            return false;
        }
        offsets.push_back(static_cast<uint32_t>(arena.size()));
        lengths.push_back(static_cast<uint32_t>(token.size()));
        arena.append(token);
        return true;
    }

    /// Reads one tensor object of `inputs` or `outputs`. A requested output without data is
    /// skipped (requests list the outputs they want). Returns DDF_OK or a failure.
    int32_t read_tensor(ondemand::value value, bool is_output, size_t position, dd_format_outcome *outcome) {
        const std::string where = std::string(is_output ? "outputs[" : "inputs[") + std::to_string(position) + "]";
        ondemand::object object;
        if (value.get_object().get(object)) return fail(outcome, DDF_INVALID_TENSOR, where, "a tensor is a JSON object");
        TensorEntry entry;
        entry.is_output = is_output;
        bool has_name = false, has_shape = false, has_datatype = false, has_data = false;
        std::vector<int64_t> shape;
        for (auto field_result : object) {
            ondemand::field f;
            std::string_view key;
            if (std::move(field_result).get(f) || f.unescaped_key().get(key)) return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
            ondemand::value v = f.value();
            if (key == "name") {
                std::string_view s;
                if (v.get_string().get(s)) return fail(outcome, DDF_INVALID_TENSOR, where + ".name", "name must be a string");
                entry.name_offset = strings.size();
                entry.name_length = s.size();
                strings.append(s);
                has_name = true;
            } else if (key == "shape") {
                ondemand::array dims;
                if (v.get_array().get(dims)) return fail(outcome, DDF_INVALID_TENSOR, where + ".shape", "shape must be an array of integers");
                for (auto d : dims) {
                    int64_t n;
                    if (std::move(d).get_int64().get(n) || n < 0) {
                        return fail(outcome, DDF_INVALID_TENSOR, where + ".shape", "shape must hold non-negative integers");
                    }
                    shape.push_back(n);
                }
                has_shape = true;
            } else if (key == "datatype") {
                std::string_view s;
                if (v.get_string().get(s) || (entry.datatype = datatype_of(s)) < 0) {
                    return fail(outcome, DDF_INVALID_TENSOR, where + ".datatype",
                                "datatype must be one of BOOL, UINT8...UINT64, INT8...INT64, FP16, FP32, FP64, BYTES");
                }
                has_datatype = true;
            } else if (key == "data") {
                // Any scalar is taken here; the elements are checked against the datatype
                // below, as the datatype may come after the data.
                entry.first_element = offsets.size();
                std::string why;
                if (!collect(v, DDF_ANY, why, 0)) return fail(outcome, DDF_INVALID_TENSOR, where + ".data", why);
                has_data = true;
            }
        }
        if (is_output && !has_data) return DDF_OK;  // a requested output
        if (!has_name) return fail(outcome, DDF_INVALID_TENSOR, where + ".name", "no name");
        if (!has_shape) return fail(outcome, DDF_INVALID_TENSOR, where + ".shape", "no shape");
        if (!has_datatype) return fail(outcome, DDF_INVALID_TENSOR, where + ".datatype", "no datatype");
        if (!has_data) return fail(outcome, DDF_INVALID_TENSOR, where + ".data", "no data");
        int64_t rows = shape.empty() ? 1 : shape[0];
        int64_t columns = 1;
        for (size_t i = 1; i < shape.size(); ++i) {
            if (shape[i] != 0 && columns > INT64_MAX / shape[i]) {
                return fail(outcome, DDF_INVALID_TENSOR, where + ".shape", "shape too large");
            }
            columns *= shape[i];
        }
        const size_t count = offsets.size() - entry.first_element;
        if (columns != 0 && rows > static_cast<int64_t>(count) / columns + 1) {
            return fail(outcome, DDF_INVALID_TENSOR, where + ".data", "data holds fewer elements than the shape");
        }
        if (static_cast<int64_t>(count) != rows * columns) {
            return fail(outcome, DDF_INVALID_TENSOR, where + ".data",
                        "data holds " + std::to_string(count) + " elements; the shape needs " + std::to_string(rows * columns));
        }
        for (size_t i = entry.first_element; i < offsets.size(); ++i) {
            const char first = arena[offsets[i]];
            const bool is_string = first == '"';
            const bool is_bool = first == 't' || first == 'f';
            const bool fits = entry.datatype == DDF_BYTES ? is_string
                            : entry.datatype == DDF_BOOL  ? is_bool
                                                          : !is_string && !is_bool;
            if (!fits) {
                return fail(outcome, DDF_INVALID_TENSOR, where + ".data",
                            "element " + std::to_string(i - entry.first_element) + " does not match the datatype");
            }
        }
        entry.rows = rows;
        entry.columns = columns;
        tensors.push_back(entry);
        return DDF_OK;
    }

    /// A KServe v1 `instances` or `predictions` list: rows of scalars or of arrays.
    int32_t read_v1(ondemand::value value, bool is_output, dd_format_outcome *outcome) {
        const char *name = is_output ? "predictions" : "instances";
        ondemand::array rows;
        if (value.get_array().get(rows)) return fail(outcome, DDF_INVALID_TENSOR, name, "must be an array of rows");
        TensorEntry entry;
        entry.is_output = is_output;
        entry.name_offset = strings.size();
        entry.name_length = std::strlen(name);
        strings.append(name);
        entry.first_element = offsets.size();
        int64_t row_count = 0;
        int64_t columns = -1;
        for (auto row_result : rows) {
            ondemand::value row;
            if (std::move(row_result).get(row)) return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
            const size_t before = offsets.size();
            std::string why;
            if (!collect(row, DDF_ANY, why, 0)) return fail(outcome, DDF_INVALID_TENSOR, name, why);
            const int64_t width = static_cast<int64_t>(offsets.size() - before);
            if (columns >= 0 && width != columns) {
                return fail(outcome, DDF_INVALID_TENSOR, name, "rows of different lengths");
            }
            columns = width;
            ++row_count;
        }
        entry.rows = row_count;
        entry.columns = columns < 0 ? 1 : columns;
        tensors.push_back(entry);
        return DDF_OK;
    }

    int32_t read_body(const void *bytes, size_t length, dd_inference_body *body, dd_format_outcome *outcome) {
        *body = dd_inference_body{};
        strings.clear();
        body_id.clear();
        model_name.clear();
        model_version.clear();
        tensors.clear();
        arena.clear();
        offsets.clear();
        lengths.clear();
        if (length > max_bytes) return fail(outcome, DDF_OVERSIZED, "", "message larger than limits.max_event_bytes");
        std::memcpy(body_buffer.get(), bytes, length);
        std::memset(body_buffer.get() + length, 0, SIMDJSON_PADDING);
        ondemand::document doc;
        if (body_parser.iterate(padded_string_view(body_buffer.get(), length, length + SIMDJSON_PADDING)).get(doc)) {
            return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
        }
        json_type type;
        if (doc.type().get(type)) return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
        ondemand::object object;
        if (type != json_type::object || doc.get_object().get(object)) {
            return fail(outcome, DDF_NOT_AN_OBJECT, "", "an inference body is a JSON object");
        }
        bool has_id = false, has_name = false, has_version = false;
        for (auto field_result : object) {
            ondemand::field f;
            std::string_view key;
            if (std::move(field_result).get(f) || f.unescaped_key().get(key)) return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
            ondemand::value v = f.value();
            if (key == "id") {
                std::string_view s;
                if (v.get_string().get(s)) return fail(outcome, DDF_INVALID_TENSOR, "id", "id must be a string");
                body_id.assign(s);
                has_id = true;
            } else if (key == "model_name") {
                std::string_view s;
                if (v.get_string().get(s)) return fail(outcome, DDF_INVALID_TENSOR, "model_name", "model_name must be a string");
                model_name.assign(s);
                has_name = true;
            } else if (key == "model_version") {
                std::string_view s;
                if (v.get_string().get(s)) return fail(outcome, DDF_INVALID_TENSOR, "model_version", "model_version must be a string");
                model_version.assign(s);
                has_version = true;
            } else if (key == "inputs" || key == "outputs") {
                const bool is_output = key == "outputs";
                ondemand::array list;
                if (v.get_array().get(list)) return fail(outcome, DDF_INVALID_TENSOR, std::string(key), "must be an array of tensors");
                size_t position = 0;
                for (auto element : list) {
                    ondemand::value tensor;
                    if (std::move(element).get(tensor)) return fail(outcome, DDF_INVALID_JSON, "", "not valid JSON");
                    const int32_t status = read_tensor(tensor, is_output, position++, outcome);
                    if (status != DDF_OK) return status;
                }
                if (is_output) {
                    for (const auto &t : tensors) body->is_response |= t.is_output ? 1 : 0;
                } else {
                    body->is_request = 1;
                }
            } else if (key == "instances" || key == "predictions") {
                const bool is_output = key == "predictions";
                const int32_t status = read_v1(v, is_output, outcome);
                if (status != DDF_OK) return status;
                if (is_output) body->is_response = 1; else body->is_request = 1;
            }
        }
        if (has_trailing(doc)) return fail(outcome, DDF_INVALID_JSON, "", "trailing content after the body");
        if (!body->is_request && !body->is_response) {
            return fail(outcome, DDF_NO_TENSORS, "inputs", "neither input tensors nor output tensors with data");
        }
        if (has_id) { body->id = body_id.data(); body->id_len = body_id.size(); }
        if (has_name) { body->model_name = model_name.data(); body->model_name_len = model_name.size(); }
        if (has_version) { body->model_version = model_version.data(); body->model_version_len = model_version.size(); }
        body->tensor_count = tensors.size();
        body->element_count = offsets.size();
        return ok(outcome);
    }
};

extern "C" {

dd_format *dd_format_create(size_t max_bytes) {
    if (max_bytes == 0) return nullptr;
    dd_format *format = new (std::nothrow) dd_format(max_bytes);
    if (format != nullptr && !format->allocate()) {
        delete format;
        return nullptr;
    }
    return format;
}

void dd_format_destroy(dd_format *format) { delete format; }

int32_t dd_cloudevent_read(dd_format *format, const void *bytes, size_t length, dd_cloudevent *event,
                           dd_format_outcome *outcome) {
    return format->read_cloudevent(bytes, length, event, outcome);
}

int32_t dd_inference_body_read(dd_format *format, const void *bytes, size_t length, dd_inference_body *body,
                               dd_format_outcome *outcome) {
    return format->read_body(bytes, length, body, outcome);
}

void dd_inference_tensor(const dd_format *format, size_t index, dd_tensor *tensor) {
    const TensorEntry &entry = format->tensors[index];
    tensor->name = format->strings.data() + entry.name_offset;
    tensor->name_len = entry.name_length;
    tensor->is_output = entry.is_output ? 1 : 0;
    tensor->datatype = entry.datatype;
    tensor->rows = entry.rows;
    tensor->columns = entry.columns;
    tensor->first_element = entry.first_element;
}

void dd_inference_elements(const dd_format *format, const char **arena, const uint32_t **offsets,
                           const uint32_t **lengths) {
    *arena = format->arena.data();
    *offsets = format->offsets.data();
    *lengths = format->lengths.data();
}

}  // extern "C"
