/// A message of a batch that produced no row, with the reason.
public struct DecodeReject: Sendable, Equatable {
    /// Index of the message in the batch passed to `decode`.
    public var messageIndex: Int
    /// Why it was rejected.
    public var error: DecodeError

    /// Creates a reject.
    /// - Parameters:
    ///   - messageIndex: Index of the message in its batch.
    ///   - error: The reason.
    public init(messageIndex: Int, error: DecodeError) {
        self.messageIndex = messageIndex
        self.error = error
    }
}
