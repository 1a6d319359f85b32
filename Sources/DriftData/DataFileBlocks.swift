import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A data file read in bounded blocks, for the readers of each format: memory holds one block
/// plus the record that straddles its end, never the whole file.
///
/// The parser sees `window`: the bytes read and not yet given up, all of them valid UTF-8 (a
/// multi-byte character cut by a block boundary is held back until its last byte is read). When
/// a record runs past the end of the window, the parser calls `refill(keepingFrom:)` with the
/// record's start: the bytes from there on move to the front of the buffer and the next block
/// is read after them (the buffer grows only for a record longer than a block).
final class DataFileBlocks {
    /// Bytes read per block unless a reader is told otherwise.
    static let defaultBlockSize = 1 << 20

    private enum Source {
        case file(Int32)
        case memory([UInt8], offset: Int)
    }

    private var source: Source
    /// The file, for errors.
    let file: String
    /// Bytes read at a time (at least 1).
    let blockSize: Int
    /// Size of the whole input in bytes (the file's size when it was opened).
    let totalSize: Int
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    /// Bytes held in `buffer`.
    private var end = 0
    /// Bytes of `buffer` validated as UTF-8: the end of the window.
    private var validEnd = 0
    /// Whether the source has no more bytes.
    private var exhausted = false
    /// Offset in the input of `window`'s first byte.
    private(set) var windowOffset = 0

    /// Opens a file.
    /// - Parameters:
    ///   - path: File path.
    ///   - blockSize: Bytes read at a time.
    /// - Throws: `DataFileError` `.unreadable` naming the file, or `.notUTF8` for the first block.
    init(path: String, blockSize: Int) throws(DataFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.unreadable(path, errno) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let code = errno
            close(fd)
            throw Self.unreadable(path, code)
        }
        source = .file(fd)
        file = path
        self.blockSize = max(1, blockSize)
        totalSize = Int(status.st_size)
        buffer = .allocate(capacity: 2 * self.blockSize)
        try refill(keepingFrom: 0)
    }

    /// Reads bytes already in memory, block by block like a file.
    /// - Parameters:
    ///   - bytes: The input.
    ///   - file: Name used in errors.
    ///   - blockSize: Bytes taken at a time.
    /// - Throws: `DataFileError` `.notUTF8` for the first block.
    init(bytes: [UInt8], file: String, blockSize: Int) throws(DataFileError) {
        source = .memory(bytes, offset: 0)
        self.file = file
        self.blockSize = max(1, blockSize)
        totalSize = bytes.count
        buffer = .allocate(capacity: 2 * self.blockSize)
        try refill(keepingFrom: 0)
    }

    deinit {
        if case .file(let fd) = source { close(fd) }
        buffer.deallocate()
    }

    /// The bytes read and not given up, valid UTF-8; valid until the next `refill(keepingFrom:)`.
    /// The parser may rewrite bytes of a record it has finished (unescaping in place).
    var window: UnsafeMutableBufferPointer<UInt8> { UnsafeMutableBufferPointer(rebasing: buffer[0..<validEnd]) }

    /// Whether `window` holds everything up to the end of the input.
    var atEnd: Bool { exhausted && validEnd == end }

    /// Gives up the window's bytes before `keep` and reads the next block after the rest, until
    /// the window has grown or the input has ended.
    /// - Parameter keep: Offset in `window` of the first byte still needed.
    /// - Throws: `DataFileError` `.unreadable` on a read error, `.notUTF8` when the block is not
    ///   valid UTF-8.
    func refill(keepingFrom keep: Int) throws(DataFileError) {
        if keep > 0 {
            if end > keep, let base = buffer.baseAddress { memmove(base, base + keep, end - keep) }
            end -= keep
            validEnd -= keep
            windowOffset += keep
        }
        let before = validEnd
        while validEnd == before, !atEnd {
            if buffer.count - end < blockSize {
                let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(2 * buffer.count, end + blockSize))
                if end > 0, let from = buffer.baseAddress, let to = grown.baseAddress { memcpy(to, from, end) }
                buffer.deallocate()
                buffer = grown
            }
            let count = try readBlock(into: buffer.baseAddress! + end, count: blockSize)
            if count == 0 { exhausted = true }
            end += count
            let cut = exhausted ? end : Self.completeCharacters(buffer, from: validEnd, to: end)
            guard cut > validEnd else { continue }
            let fresh = Span(_unsafeElements: UnsafeBufferPointer(rebasing: buffer[validEnd..<cut]))
            guard (try? UTF8Span(validating: fresh)) != nil else {
                throw DataFileError(.notUTF8, file: file, "file is not valid UTF-8")
            }
            validEnd = cut
        }
    }

    /// Reads the rest of the input, checking that it is valid UTF-8: the check a whole-file read
    /// made before parsing, so an error found while parsing gives way to `.notUTF8` as before.
    /// - Throws: `DataFileError` `.notUTF8` or `.unreadable`.
    func validateRest() throws(DataFileError) {
        while !atEnd { try refill(keepingFrom: validEnd) }
    }

    /// Up to `count` bytes from the source (0 at its end).
    private func readBlock(into target: UnsafeMutablePointer<UInt8>, count: Int) throws(DataFileError) -> Int {
        switch source {
        case .file(let fd):
            var total = 0
            while total < count {
                let got = read(fd, target + total, count - total)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw Self.unreadable(file, errno)
                }
                if got == 0 { break }
                total += got
            }
            return total
        case .memory(let bytes, let offset):
            let taken = min(count, bytes.count - offset)
            bytes.withUnsafeBufferPointer { bytes in
                if taken > 0 { target.update(from: bytes.baseAddress! + offset, count: taken) }
            }
            source = .memory(bytes, offset: offset + taken)
            return taken
        }
    }

    /// The end of the last complete UTF-8 character in `buffer[from..<to]`: `to`, or the start of
    /// a multi-byte character whose last bytes are not read yet. Cutting there splits no
    /// character, so the two parts are valid exactly when the whole is.
    private static func completeCharacters(_ buffer: UnsafeMutableBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var back = 1
        while back <= 3, to - back >= from {
            let byte = buffer[to - back]
            if byte & 0xC0 != 0x80 {
                // A lead byte (or ASCII): its character needs `length` bytes.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                return length > back ? to - back : to
            }
            back += 1
        }
        return to
    }

    private static func unreadable(_ path: String, _ code: Int32) -> DataFileError {
        DataFileError(.unreadable, file: path, "cannot read file: \(String(cString: strerror(code)))")
    }
}
