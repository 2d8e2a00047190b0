import CSmoothKit
#if canImport(FoundationEssentials)
import FoundationEssentials  // LocalizedError only; no Foundation on Linux
#else
import Foundation
#endif

/// Every error SmoothKit throws. Nothing is written to any output when one is thrown.
///
/// Each case's ``description`` (also its `LocalizedError.errorDescription`) names the
/// argument at fault and the value it had.
/// ```swift
/// do { _ = try logSumExp(x, temperature: 0) }
/// catch SmoothKitError.invalidTemperature(let t) { print("bad temperature \(t)") }
/// catch { print(error) }   // e.g. "parameter must be finite and > 0, got -1.0"
/// ```
public enum SmoothKitError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The temperature τ is not finite and > 0.
    case invalidTemperature(Double)
    /// A named argument other than τ is not finite and > 0, e.g. a catalog smoothing
    /// `parameter` (a width or sharpness).
    case invalidParameter(name: String, value: Double)
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
    /// A computation could not finish (LAPACK did not converge, or a workspace could not be
    /// allocated); `status` is the C library's `smk_status` code.
    case computationFailed(status: Int)

    /// What went wrong, naming the argument.
    ///
    /// ```swift
    /// SmoothKitError.invalidParameter(name: "parameter", value: -1).description
    /// // "parameter must be finite and > 0, got -1.0"
    /// ```
    public var description: String {
        switch self {
        case .invalidTemperature(let t): return "temperature must be finite and > 0, got \(t)"
        case .invalidParameter(let name, let value): return "\(name) must be finite and > 0, got \(value)"
        case .elementCount(let e, let a): return "expected \(e) elements, got \(a)"
        case .shapeMismatch(let e, let a): return "shape mismatch: expected \(e), got \(a)"
        case .invalidShape(let why): return "invalid shape: \(why)"
        case .domain(let why): return "domain error: \(why)"
        case .unavailable(let what): return "unavailable: \(what)"
        case .computationFailed(let status):
            let text = UInt32(exactly: status).map { String(cString: smk_status_string(smk_status(rawValue: $0))) }
            return "computation failed: \(text ?? "status \(status)")"
        }
    }

    /// The same text as ``description``, for `LocalizedError` (`localizedDescription`).
    ///
    /// ```swift
    /// let message = SmoothKitError.invalidTemperature(0).errorDescription
    /// ```
    public var errorDescription: String? { description }
}
