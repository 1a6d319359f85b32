#ifndef DRIFTD_FORMAT_SHIM_H
#define DRIFTD_FORMAT_SHIM_H

/*
 * Envelope and tensor readers for the input formats of the serving stacks
 * (docs/events.md, formats): CloudEvents 1.0 structured mode, Open Inference
 * Protocol v2 JSON bodies and KServe v1 bodies. They locate and validate what
 * driftd needs and hand back raw JSON tokens; the driftd event decoder
 * (simdjson_shim.h) checks and bins the values.
 *
 * Threading: a dd_format is not thread-safe; one per thread.
 * Lifetime: pointers returned by a call stay valid until the next call of the
 * same function on the same dd_format (each function has its own buffer), or
 * dd_format_destroy.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque format reader: a parser and padded buffers. */
typedef struct dd_format dd_format;

/** Outcome of reading one message. Values are stable (mirrored in Swift). */
typedef enum dd_format_status {
    DDF_OK = 0,
    DDF_INVALID_JSON = 1,
    DDF_NOT_AN_OBJECT = 2,
    DDF_OVERSIZED = 3,
    DDF_INVALID_CLOUDEVENT = 20, /* a required attribute missing or not a string; specversion not 1.0 */
    DDF_MISSING_DATA = 21,       /* no data, or data that is not a JSON object */
    DDF_INVALID_TENSOR = 22,     /* a tensor without name/shape/datatype/data, or data not matching them */
    DDF_NO_TENSORS = 23          /* neither inputs nor outputs with data (nor instances/predictions) */
} dd_format_status;

/** Tensor element types (OIP v2 datatypes). DDF_ANY: KServe v1 bodies, no declared type. */
typedef enum dd_datatype {
    DDF_ANY = 0, DDF_BOOL = 1, DDF_UINT8, DDF_UINT16, DDF_UINT32, DDF_UINT64,
    DDF_INT8, DDF_INT16, DDF_INT32, DDF_INT64, DDF_FP16, DDF_FP32, DDF_FP64, DDF_BYTES
} dd_datatype;

/** Details of a rejected message; strings point into the reader. */
typedef struct dd_format_outcome {
    int32_t status;       /* a dd_format_status */
    int32_t reserved;
    const char *field;    /* offending field, e.g. "inputs[1].shape" */
    size_t field_len;
    const char *detail;   /* a sentence for humans */
    size_t detail_len;
} dd_format_outcome;

/** The attributes of a structured-mode CloudEvent that driftd uses. Absent: NULL, 0. */
typedef struct dd_cloudevent {
    const char *id; size_t id_len;
    const char *type; size_t type_len;
    const char *source; size_t source_len;
    /** KServe's `inferenceservicename` extension attribute. */
    const char *service; size_t service_len;
    /** Raw JSON text of `data` (an object). */
    const char *data; size_t data_len;
} dd_cloudevent;

/** An inference request or response body. Strings unescaped; absent: NULL, 0. */
typedef struct dd_inference_body {
    int32_t is_request;   /* has input tensors (`inputs`, or v1 `instances`) */
    int32_t is_response;  /* has output tensors with data (`outputs`, or v1 `predictions`) */
    const char *id; size_t id_len;
    const char *model_name; size_t model_name_len;
    const char *model_version; size_t model_version_len;
    size_t tensor_count;
    size_t element_count;
} dd_inference_body;

/** One tensor of the last body read. Elements are first_element ..< first_element + rows * columns. */
typedef struct dd_tensor {
    const char *name; size_t name_len;
    int32_t is_output;
    int32_t datatype;     /* a dd_datatype */
    int64_t rows;         /* shape[0] (1 for a scalar) */
    int64_t columns;      /* product of shape[1...] (1 for shape [N]) */
    size_t first_element;
} dd_tensor;

/** Creates a reader for messages up to max_bytes (> 0); NULL when allocation fails. */
dd_format *dd_format_create(size_t max_bytes);

/** Destroys a reader; NULL is ignored. */
void dd_format_destroy(dd_format *format);

/**
 * Reads a structured-mode CloudEvent (application/cloudevents+json): specversion
 * "1.0", id, source and type strings, and data holding a JSON object.
 * Returns the status (also in *outcome).
 */
int32_t dd_cloudevent_read(dd_format *format, const void *bytes, size_t length, dd_cloudevent *event,
                           dd_format_outcome *outcome);

/**
 * Reads an Open Inference Protocol v2 request or response body, or a KServe v1
 * body (`instances` read as input tensor "instances", `predictions` as output
 * tensor "predictions"). Nested tensor data is flattened row-major; the element
 * count must equal the shape's product and each element must match the datatype.
 * Returns the status (also in *outcome).
 */
int32_t dd_inference_body_read(dd_format *format, const void *bytes, size_t length, dd_inference_body *body,
                               dd_format_outcome *outcome);

/** Tensor `index` (< tensor_count) of the last body read. */
void dd_inference_tensor(const dd_format *format, size_t index, dd_tensor *tensor);

/**
 * The elements of the last body read: raw JSON tokens (numbers, `true`/`false`,
 * quoted strings) at arena + offsets[i], lengths[i] bytes.
 */
void dd_inference_elements(const dd_format *format, const char **arena, const uint32_t **offsets,
                           const uint32_t **lengths);

#ifdef __cplusplus
}
#endif

#endif /* DRIFTD_FORMAT_SHIM_H */
