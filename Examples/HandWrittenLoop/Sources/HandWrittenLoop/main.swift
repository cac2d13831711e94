// Gradient descent on one sigmoid neuron, written by hand, logged by GradlogKit.
//
// Usage: HandWrittenLoop DATABASE [STEPS]
// Then: gradlog report latest --db DATABASE
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GradlogKit

/// Writes a line to standard error.
func complain(_ text: String) {
    _ = (text + "\n").withCString { write(2, $0, strlen($0)) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let steps = Int(arguments.count > 2 ? arguments[2] : "100"), steps >= 1 else {
    complain("usage: HandWrittenLoop DATABASE [STEPS]")
    exit(64)
}

// One sample x = 2 with label 1; the loss of logit t = w·x + b is log(1 + e^-t).
let (x, eps, lr) = (2.0, 1e-6, 0.1)
func loss(_ w: Double, _ b: Double) -> Double {
    let t = w * x + b
    return max(t, 0) - t + log1p(exp(-abs(t)))
}

do {
    let run = try GradlogRun(database: arguments[1], name: "hand-written loop", tags: ["example": "swift"],
                             config: "{\"lr\": \(lr), \"x\": \(x)}", parameters: ["w", "b"])
    var (w, b) = (0.5, -1.0)
    for step in 1...steps {
        let dt = -1 / (1 + exp(w * x + b))  // ∂loss/∂t = σ(t) - 1
        let analytic = [dt * x, dt]
        let numeric = [(loss(w + eps, b) - loss(w - eps, b)) / (2 * eps),
                       (loss(w, b + eps) - loss(w, b - eps)) / (2 * eps)]
        try run.log(step: step, loss: loss(w, b), values: [w, b], analytic: analytic, numeric: numeric, batchSize: 1)
        w -= lr * analytic[0]
        b -= lr * analytic[1]
    }
    try run.finish(finalValues: [w, b])
    print("logged run \(run.id ?? 0): \(steps) steps, final loss \(loss(w, b))")
} catch {
    complain("HandWrittenLoop: \(error)")
    exit(1)
}
