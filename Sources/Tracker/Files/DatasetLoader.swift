#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Training

/// Turns a `--dataset` argument into samples: a built-in name, or else a CSV file path.
public enum DatasetLoader {
    /// The largest CSV file gradlog reads, in bytes (1 GiB): every sample is also stored in the database.
    public static let maxFileBytes: Int64 = 1 << 30

    /// The built-in dataset of that name, or the dataset in the CSV file at that path, whose label
    /// column is `label` when given (a built-in dataset has no columns to choose from).
    public static func load(_ argument: String, label: String? = nil) throws(TrackerError) -> Dataset {
        if let builtIn = Dataset.builtIn(named: argument) {
            guard label == nil else {
                throw .badConfig([ConfigProblem(setting: .label, value: label ?? "", rule: .onlyForFiles(builtIn: argument))])
            }
            return builtIn
        }
        let file = try openRegularFile(argument)
        defer { fclose(file) }
        var parser = CSVDataset(source: argument, label: label)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total: Int64 = 0
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            total += Int64(count)
            if total > maxFileBytes { throw tooLarge(argument) }
            do {
                try buffer.withUnsafeBufferPointer { bytes throws(CSVError) in
                    try parser.read(UnsafeBufferPointer(rebasing: bytes[0..<count]))
                }
            } catch {
                throw .badData(error)
            }
            if count < buffer.count { break }
        }
        if ferror(file) != 0 { throw .unreadableFile(path: argument, reason: .readError) }
        do {
            return try parser.finish()
        } catch {
            throw .badData(error)
        }
    }

    /// Opens the file after refusing what is not a regular file of at most `maxFileBytes`.
    private static func openRegularFile(_ path: String) throws(TrackerError) -> UnsafeMutablePointer<FILE> {
        let size = try ReadableFile.regularFileSize(path, missing: .datasetNotFound(path), expected: .csv)
        if size > maxFileBytes { throw tooLarge(path) }
        guard let file = fopen(path, "rb") else {
            throw .unreadableFile(path: path, reason: .system(errno: errno))
        }
        return file
    }

    private static func tooLarge(_ path: String) -> TrackerError {
        .unreadableFile(path: path, reason: .tooLarge(limitMiB: Int(maxFileBytes >> 20)))
    }
}
