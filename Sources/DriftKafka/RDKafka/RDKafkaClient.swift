import Crdkafka

/// Owns one `rd_kafka_t` and the retained Swift context its callbacks use.
///
/// Destruction order (in `deinit`): `rd_kafka_destroy` first, which joins librdkafka's threads
/// and serves its last callbacks, then the context is released. Consumed message batches keep a
/// strong reference to this object, because librdkafka requires every `rd_kafka_message_t` to be
/// destroyed before its handle; the handle therefore lives until the last batch is gone.
final class RDKafkaClient: @unchecked Sendable {
    // @unchecked Sendable: the handle is immutable and librdkafka's handle is thread-safe for the
    // calls made through it; the owning public type documents its own threading contract.

    /// The librdkafka handle.
    let handle: OpaquePointer
    /// The context stored as the configuration opaque.
    let context: RDKafkaClientContext
    /// librdkafka's instance name (`rdkafka#consumer-1`).
    let name: String
    private let retainedContext: Unmanaged<RDKafkaClientContext>

    private init(handle: OpaquePointer, context: RDKafkaClientContext, retainedContext: Unmanaged<RDKafkaClientContext>)
    {
        self.handle = handle
        self.context = context
        self.retainedContext = retainedContext
        self.name = String(cString: rd_kafka_name(handle))
    }

    deinit {
        rd_kafka_destroy(handle)
        retainedContext.release()
    }

    /// Creates a client of `type` with `properties` (set in order), routing librdkafka's log lines
    /// and errors to `context`. `configure` registers type-specific callbacks on the configuration.
    static func make(
        type: rd_kafka_type_t,
        properties: [(String, String)],
        context: RDKafkaClientContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> RDKafkaClient {
        let conf = try RDKafkaConfiguration.make(properties)
        let retained = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, retained.toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, line in
            guard let rk, let context = RDKafkaClientContext.from(opaque: rd_kafka_opaque(rk)) else { return }
            context.log(
                syslogLevel: level,
                facility: facility.map { String(cString: $0) } ?? "",
                message: line.map { String(cString: $0) } ?? "",
                client: String(cString: rd_kafka_name(rk))
            )
        }
        rd_kafka_conf_set_error_cb(conf) { rk, err, reason, opaque in
            guard let rk, let context = RDKafkaClientContext.from(opaque: opaque) else { return }
            context.recordError(
                rd_kafka_resp_err_t(rawValue: err),
                reason: reason.map { String(cString: $0) } ?? "",
                client: String(cString: rd_kafka_name(rk))
            )
        }
        configure(conf)

        var errstr = [CChar](repeating: 0, count: 512)
        let handle = errstr.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_new(type, conf, buffer.baseAddress, buffer.count)
        }
        guard let handle else {
            // rd_kafka_new does not take ownership of the configuration on failure.
            rd_kafka_conf_destroy(conf)
            retained.release()
            let message = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw KafkaError(code: .clientCreation, message: "rd_kafka_new failed: \(message)")
        }
        return RDKafkaClient(handle: handle, context: context, retainedContext: retained)
    }

    /// The fatal error raised on this client, if any.
    var fatalError: KafkaError? {
        KafkaError.fatalError(of: handle)
    }
}
