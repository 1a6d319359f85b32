#ifndef DRIFTD_SIMDJSON_SHIM_H
#define DRIFTD_SIMDJSON_SHIM_H

/*
 * A small C API over simdjson On-Demand that decodes driftd inference and label
 * events (docs/events.md) straight into per-schema column buffers.
 *
 * Threading: a dd_decoder owns one simdjson parser and its buffers. It is not
 * thread-safe; use one decoder per thread. Different decoders are independent.
 *
 * Lifetime: every pointer returned by a query function points into the decoder
 * and stays valid until the next call that mutates it (dd_decode_*,
 * dd_batch_reset, dd_raw_iterate, dd_decoder_destroy).
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque decoder: one parser, a padded input buffer, schemas and column buffers. */
typedef struct dd_decoder dd_decoder;

/** Outcome of decoding one message. Values are stable (mirrored in Swift). */
typedef enum dd_status {
    DD_OK = 0,
    DD_INVALID_JSON = 1,
    DD_NOT_AN_OBJECT = 2,
    DD_OVERSIZED = 3,
    DD_MISSING_MODEL = 4,
    DD_UNKNOWN_MODEL = 5,
    DD_UNKNOWN_VERSION = 6,
    DD_MISSING_FEATURES = 7,
    DD_WRONG_TYPE = 8,
    DD_NON_FINITE = 9,
    DD_BAD_TIMESTAMP = 10,
    DD_DUPLICATE_KEY = 11,
    DD_MISSING_ID = 12,
    DD_MISSING_LABEL = 13,
    DD_BAD_SCHEMA = 100 /* schema loading only: bad index or duplicate name */
} dd_status;

/** What a field should have held, reported with DD_WRONG_TYPE. */
typedef enum dd_expected {
    DD_EXPECT_NONE = 0,
    DD_EXPECT_NUMBER = 1,            /* JSON number */
    DD_EXPECT_CATEGORY = 2,          /* string, boolean or integer */
    DD_EXPECT_STRING = 3,            /* string */
    DD_EXPECT_STRING_OR_INTEGER = 4, /* string or integer */
    DD_EXPECT_OBJECT = 5,            /* object */
    DD_EXPECT_LABEL = 6              /* number, string or boolean */
} dd_expected;

/** The JSON type actually found. */
typedef enum dd_json_kind {
    DD_KIND_UNKNOWN = 0,
    DD_KIND_NULL = 1,
    DD_KIND_BOOLEAN = 2,
    DD_KIND_NUMBER = 3,
    DD_KIND_STRING = 4,
    DD_KIND_ARRAY = 5,
    DD_KIND_OBJECT = 6
} dd_json_kind;

/** Details of one decode call. Strings are not NUL-terminated; use the lengths. */
typedef struct dd_outcome {
    int32_t status;          /* a dd_status */
    int32_t expected;        /* a dd_expected, for DD_WRONG_TYPE */
    int32_t actual;          /* a dd_json_kind, for DD_WRONG_TYPE */
    int32_t schema;          /* schema index the event resolved to, or -1 */
    int32_t version_fallback;/* 1 when the schema was chosen by model alone despite a version */
    int32_t reserved;
    const char *field;       /* offending field path, e.g. "features.tenure" */
    size_t field_len;
    const char *detail;      /* extra text: parser message, offending model/version, ... */
    size_t detail_len;
} dd_outcome;

/** A decoded label event. Strings point into the decoder (see lifetime above). */
typedef struct dd_label {
    const char *model;
    size_t model_len;
    const char *id;
    size_t id_len;
    const char *label;
    size_t label_len;
    int64_t timestamp_ms;
    int32_t label_kind;      /* dd_json_kind of the label: BOOLEAN, NUMBER or STRING */
    int32_t reserved;
} dd_label;

/* MARK: - Lifetime and schemas */

/**
 * Creates a decoder accepting messages up to max_event_bytes (must be > 0).
 * capture_ids: keep each accepted row's event id. allow_version_fallback: when an
 * event's version has no schema, use the model's default schema (counted).
 * max_unknown_feature_names: distinct (schema, name) pairs counted per batch.
 * Returns NULL when allocation fails.
 */
dd_decoder *dd_decoder_create(size_t max_event_bytes, int32_t capture_ids,
                              int32_t allow_version_fallback, size_t max_unknown_feature_names);

/** Destroys a decoder; NULL is ignored. */
void dd_decoder_destroy(dd_decoder *decoder);

/**
 * Adds a schema; returns its index (>= 0) or -DD_BAD_SCHEMA when (model, version)
 * is already present. has_prediction: the schema has a prediction column.
 * The model's default schema (used for events without a version and for version
 * fallback) is the one added last for that model.
 */
int32_t dd_schema_add(dd_decoder *decoder, const char *model, size_t model_len,
                      const char *version, size_t version_len, int32_t feature_count,
                      int32_t has_prediction);

/**
 * Describes column `column` of schema `schema` (column == -1: the prediction).
 * categorical: 1 for categorical, 0 for numeric. other_bin: categorical "other" bin.
 * Returns DD_OK or DD_BAD_SCHEMA.
 */
int32_t dd_schema_set_column(dd_decoder *decoder, int32_t schema, int32_t column,
                             const char *name, size_t name_len, int32_t categorical,
                             int32_t other_bin);

/** Maps a category of a categorical column (-1: prediction) to its bin. DD_OK or DD_BAD_SCHEMA. */
int32_t dd_schema_add_category(dd_decoder *decoder, int32_t schema, int32_t column,
                               const char *category, size_t category_len, int32_t bin);

/* MARK: - Decoding */

/** Clears all rows, ids and counters of the current batch (capacity is kept). */
void dd_batch_reset(dd_decoder *decoder);

/**
 * Decodes one inference event and, when valid, appends one row to its schema's
 * columns. fallback_timestamp_ms is used when the event has no timestamp.
 * Returns the status (also stored in *outcome, which must not be NULL).
 */
int32_t dd_decode_inference(dd_decoder *decoder, const void *bytes, size_t length,
                            int64_t fallback_timestamp_ms, dd_outcome *outcome);

/** Decodes one label event into *label (on DD_OK). Returns the status. */
int32_t dd_decode_label(dd_decoder *decoder, const void *bytes, size_t length,
                        int64_t fallback_timestamp_ms, dd_label *label, dd_outcome *outcome);

/**
 * Reference workload for benchmarks: parses the message with the same parser and
 * padded buffer and visits every field and value (keys unescaped, numbers parsed
 * as doubles, strings unescaped, nested objects and arrays walked). Writes a
 * checksum (so the work cannot be optimised away). Returns DD_OK, DD_OVERSIZED,
 * DD_NOT_AN_OBJECT (events are objects) or DD_INVALID_JSON.
 */
int32_t dd_raw_iterate(dd_decoder *decoder, const void *bytes, size_t length, double *checksum);

/* MARK: - Batch results */

/** Number of schemas loaded. */
int32_t dd_schema_count(const dd_decoder *decoder);

/** Rows accepted into schema `schema` since the last reset. */
size_t dd_batch_rows(const dd_decoder *decoder, int32_t schema);

/** Column values of schema `schema` (column -1: predictions, -2: latency_ms, -3: cost; NaN
 * where the event had none); dd_batch_rows entries. */
const double *dd_batch_column(const dd_decoder *decoder, int32_t schema, int32_t column);

/** Event timestamps (epoch ms) of schema `schema`'s rows. */
const int64_t *dd_batch_timestamps(const dd_decoder *decoder, int32_t schema);

/** Message index (as passed to dd_decode_inference call order since reset) of each row. */
const int64_t *dd_batch_message_indexes(const dd_decoder *decoder, int32_t schema);

/**
 * The event id of row `row` of schema `schema` (capture_ids only). Returns 1 and
 * sets *id / *id_len when the event had an id, 0 otherwise.
 */
int32_t dd_batch_id(const dd_decoder *decoder, int32_t schema, size_t row,
                    const char **id, size_t *id_len);

/** Events routed to schema `schema` by version fallback since the last reset. */
uint64_t dd_batch_version_fallbacks(const dd_decoder *decoder, int32_t schema);

/** Distinct (schema, unknown feature name) pairs counted since the last reset. */
size_t dd_batch_unknown_feature_count(const dd_decoder *decoder);

/** Entry `index` of the unknown feature counters. */
void dd_batch_unknown_feature(const dd_decoder *decoder, size_t index, int32_t *schema,
                              const char **name, size_t *name_len, uint64_t *count);

/** Unknown feature occurrences not counted by name because the name bound was reached. */
uint64_t dd_batch_unknown_feature_overflow(const dd_decoder *decoder);


/* MARK: - Flat records (JSON Lines data files) */

/** Opaque reader of flat JSON objects: one simdjson parser and a padded line buffer. Not thread-safe. */
typedef struct dd_flat_reader dd_flat_reader;

/** Outcome of reading one record. Values are stable (mirrored in Swift). */
typedef enum dd_flat_status {
    DD_FLAT_OK = 0,
    DD_FLAT_INVALID_JSON = 1,       /* not valid JSON (detail: simdjson's message) */
    DD_FLAT_NOT_AN_OBJECT = 2,      /* valid JSON, but the root is not an object */
    DD_FLAT_NESTED_VALUE = 3,       /* a value is an array or object (key, nested_kind set) */
    DD_FLAT_NUMBER_OUT_OF_RANGE = 4 /* a number overflows a double (key and detail: the number) */
} dd_flat_status;

/** One key-value pair of a record. Strings are unescaped, not NUL-terminated, and point into the reader. */
typedef struct dd_flat_field {
    const char *key;
    size_t key_len;
    const char *string;      /* DD_KIND_STRING only */
    size_t string_len;
    double number;           /* DD_KIND_NUMBER only */
    int32_t kind;            /* dd_json_kind: NULL, BOOLEAN, NUMBER or STRING */
    int32_t boolean;         /* DD_KIND_BOOLEAN only: 0 or 1 */
} dd_flat_field;

/** Details of a failed record. Pointers point into the reader. */
typedef struct dd_flat_error {
    size_t offset;           /* 0-based byte offset in the record where the problem was found */
    const char *key;         /* key concerned, when there is one */
    size_t key_len;
    const char *detail;      /* parser message, or the out-of-range number */
    size_t detail_len;
    int32_t nested_kind;     /* dd_json_kind (ARRAY or OBJECT) for DD_FLAT_NESTED_VALUE */
    int32_t reserved;
} dd_flat_error;

/** Creates a flat-record reader; NULL when allocation fails. */
dd_flat_reader *dd_flat_reader_create(void);

/** Destroys a reader; NULL is ignored. */
void dd_flat_reader_destroy(dd_flat_reader *reader);

/**
 * Parses one record (a JSON object whose values are scalars) with simdjson On-Demand.
 * On DD_FLAT_OK, *fields and *count describe its pairs in order (duplicates included:
 * the caller decides); otherwise *error says where. Every pointer stays valid until the
 * next call on this reader.
 */
int32_t dd_flat_parse(dd_flat_reader *reader, const void *bytes, size_t length, const dd_flat_field **fields,
                      size_t *count, dd_flat_error *error);

#ifdef __cplusplus
}
#endif

#endif /* DRIFTD_SIMDJSON_SHIM_H */
