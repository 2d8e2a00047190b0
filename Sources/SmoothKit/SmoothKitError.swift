/// Every error SmoothKit throws. Nothing is written to any output when one is thrown.
///
/// ```swift
/// do { _ = try logSumExp(x, temperature: 0) }
/// catch SmoothKitError.invalidTemperature(let t) { print("bad temperature \(t)") }
/// ```
public enum SmoothKitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The temperature (or smoothing parameter) is not finite and > 0.
    case invalidTemperature(Double)
    /// An element count does not match `rows × cols` (or the length a function needs).
    case elementCount(expected: Int, actual: Int)
    /// Two arguments' shapes disagree, e.g. an output matrix of another size.
    case shapeMismatch(expected: String, actual: String)
    /// A dimension is negative, a leading dimension is below `cols`, or the extent overflows.
    case invalidShape(String)
    /// An input lies outside the function's domain (e.g. a negative entry for the power max).
    case domain(String)
    /// The requested backend or instruction set is not available on this machine.
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidTemperature(let t): return "temperature must be finite and > 0, got \(t)"
        case .elementCount(let e, let a): return "expected \(e) elements, got \(a)"
        case .shapeMismatch(let e, let a): return "shape mismatch: expected \(e), got \(a)"
        case .invalidShape(let why): return "invalid shape: \(why)"
        case .domain(let why): return "domain error: \(why)"
        case .unavailable(let what): return "unavailable: \(what)"
        }
    }
}
