import DriftCore
import Foundation

/// Reads and writes baseline JSON files (`docs/baseline.md`): pretty-printed, sorted keys.
public enum BaselineFile {
    /// Loads and validates a baseline.
    /// - Parameter path: File path.
    /// - Returns: A baseline that passes `Baseline.validationErrors()`.
    /// - Throws: `BaselineFileError` naming the file.
    public static func load(path: String) throws(BaselineFileError) -> Baseline {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw BaselineFileError(.unreadable, file: path, "cannot read baseline: \(error.localizedDescription)")
        }
        return try decode(data, file: path)
    }

    /// Decodes and validates a baseline document.
    /// - Parameters:
    ///   - data: JSON bytes.
    ///   - file: Name used in errors.
    /// - Returns: The baseline.
    /// - Throws: `BaselineFileError` (`malformed` or `invalid`).
    public static func decode(_ data: Data, file: String) throws(BaselineFileError) -> Baseline {
        let baseline: Baseline
        do { baseline = try JSONDecoder().decode(Baseline.self, from: data) } catch let error as DecodingError {
            throw BaselineFileError(.malformed, file: file, "not a baseline document: \(describe(error))")
        } catch {
            throw BaselineFileError(.malformed, file: file, "not a baseline document: \(error)")
        }
        let problems = baseline.validationErrors()
        guard problems.isEmpty else {
            throw BaselineFileError(
                .invalid, file: file,
                "baseline '\(baseline.id)' is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s"))",
                validationErrors: problems)
        }
        return baseline
    }

    /// Encodes a baseline as pretty-printed JSON with sorted keys and a final newline.
    /// - Parameter baseline: A valid baseline.
    /// - Returns: The document bytes.
    /// - Throws: `BaselineFileError.invalid` when the baseline breaks its invariants.
    public static func encode(_ baseline: Baseline, file: String = "<memory>") throws(BaselineFileError) -> Data {
        let problems = baseline.validationErrors()
        guard problems.isEmpty else {
            throw BaselineFileError(
                .invalid, file: file, "refusing to write an invalid baseline", validationErrors: problems)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(baseline)
            data.append(UInt8(ascii: "\n"))
            return data
        } catch {
            throw BaselineFileError(.invalid, file: file, "cannot encode baseline: \(error)")
        }
    }

    /// Writes a baseline atomically.
    /// - Parameters:
    ///   - baseline: A valid baseline.
    ///   - path: Destination file.
    /// - Throws: `BaselineFileError` (`invalid` or `unwritable`).
    public static func save(_ baseline: Baseline, to path: String) throws(BaselineFileError) {
        let data = try encode(baseline, file: path)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw BaselineFileError(.unwritable, file: path, "cannot write baseline: \(error.localizedDescription)")
        }
    }

    // MARK: - Private

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "document" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing key '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?).map { " (\($0.localizedDescription))" } ?? ""
            return "\(path(context.codingPath)): \(context.debugDescription)\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}
