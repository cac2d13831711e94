/// One printed line of the benchmark: a workload's figures.
struct Row {
    let workload: Workload
    let training: Double
    let logged: Double
    let floor: Double
    let bytes: Int
    let peakKiB: Int
    let memoryRatio: Double

    static let header = pad(["workload", "steps", "train steps/s", "gradlog steps/s", "floor steps/s",
                             "gradlog/floor", "gradlog/train", "bytes/step", "peak MiB", "peak vs smallest"])

    var text: String {
        let steps = Double(workload.steps)
        return Self.pad([
            workload.label, "\(workload.steps)", rate(steps / training), rate(steps / logged), rate(steps / floor),
            fixed(logged / floor, 2) + "x", fixed(logged / training, 1) + "x",
            fixed(Double(bytes) / steps, 1), fixed(Double(peakKiB) / 1024, 1), fixed(memoryRatio, 2) + "x",
        ])
    }

    static func pad(_ cells: [String]) -> String {
        padded(cells, widths: [8, 8, 14, 16, 14, 14, 14, 11, 9, 17])
    }

    /// Cells right-aligned in columns of the given widths.
    static func padded(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).map { cell, width in
            String(repeating: " ", count: max(0, width - cell.count)) + cell
        }.joined(separator: " ")
    }
}

/// A rate with thousands separators, e.g. 187,204.
func rate(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var out = ""
    for (index, character) in digits.reversed().enumerated() {
        if index > 0 && index % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return String(out.reversed())
}

/// A number with a fixed count of decimals.
func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(abs(scaled) % Int(scale))
    guard decimals > 0 else { return "\(whole)" }
    return "\(whole).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
}
