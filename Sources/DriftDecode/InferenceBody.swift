/// An inference request or response body (Open Inference Protocol v2 JSON or protobuf, or a
/// KServe v1 body) as driftd reads it: identity, and tensors whose elements are JSON tokens.
public struct InferenceBody: Sendable, Equatable {
    /// One tensor: elements `firstElement ..< firstElement + rows * columns` of the body, row-major.
    public struct Tensor: Sendable, Equatable {
        /// The tensor name (`instances` / `predictions` for KServe v1 bodies).
        public var name: String
        /// Whether it is an output tensor (of a response).
        public var isOutput: Bool
        /// The first dimension of the shape (1 for a scalar).
        public var rows: Int
        /// The product of the other dimensions (1 for a [N] tensor).
        public var columns: Int
        /// Index of the tensor's first element in `offsets`/`lengths`.
        public var firstElement: Int

        /// Creates a tensor description.
        public init(name: String, isOutput: Bool, rows: Int, columns: Int, firstElement: Int) {
            self.name = name
            self.isOutput = isOutput
            self.rows = rows
            self.columns = columns
            self.firstElement = firstElement
        }
    }

    /// Whether the body holds input tensors.
    public var isRequest: Bool
    /// Whether the body holds output tensors with data.
    public var isResponse: Bool
    /// The request id (`id`), if any.
    public var id: String?
    /// `model_name`, if any (responses).
    public var modelName: String?
    /// `model_version`, if any (responses).
    public var modelVersion: String?
    /// The tensors, inputs and outputs.
    public var tensors: [Tensor]
    /// The elements' JSON tokens, concatenated.
    public var arena: [UInt8]
    /// Start of each element's token in `arena`.
    public var offsets: [UInt32]
    /// Length of each element's token.
    public var lengths: [UInt32]

    /// Creates a body.
    public init(
        isRequest: Bool, isResponse: Bool, id: String?, modelName: String?, modelVersion: String?, tensors: [Tensor],
        arena: [UInt8], offsets: [UInt32], lengths: [UInt32]
    ) {
        self.isRequest = isRequest
        self.isResponse = isResponse
        self.id = id
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.tensors = tensors
        self.arena = arena
        self.offsets = offsets
        self.lengths = lengths
    }

    /// The input (or output) tensor named `name`, if present.
    public func tensor(named name: String, output: Bool) -> Tensor? {
        tensors.first { $0.isOutput == output && $0.name == name }
    }

    /// The JSON token of element `index`.
    func token(_ index: Int) -> ArraySlice<UInt8> {
        let start = Int(offsets[index])
        return arena[start..<start + Int(lengths[index])]
    }
}
