#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Training

/// Turns a `--dataset` argument into samples: a built-in name, or else a CSV file path.
public enum DatasetLoader {
    /// The built-in dataset of that name, or the dataset in the CSV file at that path.
    public static func load(_ argument: String) throws(TrackerError) -> Dataset {
        if let builtIn = Dataset.builtIn(named: argument) { return builtIn }
        let bytes = try readFile(argument)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badData(CSVError(source: argument, problem: "the file is not UTF-8 text; expected CSV"))
        }
        do {
            return try CSVDataset.parse(text, source: argument)
        } catch {
            throw .badData(error)
        }
    }

    private static func readFile(_ path: String) throws(TrackerError) -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw .datasetNotFound(path) }
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw .unreadableFile(path: path, reason: "it is a directory; give a CSV file")
        }
        guard let file = fopen(path, "rb") else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            bytes.append(contentsOf: buffer[0..<count])
            if count < buffer.count { break }
        }
        if ferror(file) != 0 { throw .unreadableFile(path: path, reason: "read error") }
        return bytes
    }
}
