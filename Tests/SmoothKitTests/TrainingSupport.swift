import SmoothKit

// Shared pieces of the training-op tests: a seeded generator, the higher-precision reference
// of the forward ops (Float80 on x86, from the definitions in SPEC §1), and tolerances.

#if arch(x86_64) || arch(i386)
typealias TrainRef = Float80
#else
typealias TrainRef = Double
#endif

/// The element types under test, as a table dimension.
enum TrainDType: String, CaseIterable, CustomStringConvertible, Sendable {
    case float, double
    var description: String { rawValue }
}

/// The C backend on every instruction set this CPU supports, then the pure-Swift backend.
struct TrainPath: CustomStringConvertible, Sendable {
    let backend: Backend
    let isa: InstructionSet?
    var description: String { isa.map { "c/\($0.rawValue)" } ?? "swift" }

    static var all: [TrainPath] {
        InstructionSet.supported.map { TrainPath(backend: .c, isa: $0) } + [TrainPath(backend: .swift, isa: nil)]
    }

    /// Runs `body` with this thread's C calls on this path's ISA (`withForcedISA`,
    /// Support/Paths.swift).
    func run<R>(_ body: () throws -> R) throws -> R {
        guard let isa else { return try body() }
        return try withForcedISA(isa, body).result
    }
}

/// Runs a check on every path for one element type: `float` for Float, `double` for Double
/// (Swift has no generic closures, so the check comes in its two instantiations).
func trainForEachPath(_ dtype: TrainDType, float: (TrainPath) throws -> Void, double: (TrainPath) throws -> Void) throws {
    for path in TrainPath.all {
        switch dtype {
        case .float: try float(path)
        case .double: try double(path)
        }
    }
}

/// Unit roundoff of S: 2^-24 or 2^-53.
func trainUnitRoundoff<S: SmoothScalar>(_: S.Type) -> TrainRef { TrainRef(S.ulpOfOne) / 2 }

// MARK: - reference forward ops in Ref (the definitions, evaluated stably: max first)

enum TrainReference {
    static func logSumExp(_ x: [TrainRef], _ t: TrainRef) -> TrainRef {
        guard let m = x.max(), m.isFinite else {
            if x.contains(where: \.isNaN) { return .nan }
            return x.max() ?? -.infinity
        }
        let s = x.reduce(TrainRef(0)) { $0 + TrainRef.trainExp(($1 - m) / t) }
        return m + t * TrainRef.trainLog(s)
    }

    static func logSoftmax(_ x: [TrainRef], _ t: TrainRef) -> [TrainRef] {
        guard let m = x.max(), m.isFinite, !x.contains(where: \.isNaN) else {
            let l = logSumExp(x, t)
            return x.map { ($0 - l) / t }
        }
        // (x − m)/τ − log Σ: the rounding of L = m + τ·log Σ (relative to m) stays out, which
        // matters where |m|/τ is large (2^46 and more in the column tests).
        let ls = TrainRef.trainLog(x.reduce(TrainRef(0)) { $0 + TrainRef.trainExp(($1 - m) / t) })
        return x.map { ($0 - m) / t - ls }
    }

    static func softmax(_ x: [TrainRef], _ t: TrainRef) -> [TrainRef] { logSoftmax(x, t).map { TrainRef.trainExp($0) } }

    static func softArgmax(_ x: [TrainRef], _ t: TrainRef) -> TrainRef {
        softmax(x, t).enumerated().reduce(TrainRef(0)) { $0 + TrainRef($1.offset) * $1.element }
    }
}

extension TrainRef {
    static func trainExp(_ x: TrainRef) -> TrainRef {
        #if arch(x86_64) || arch(i386)
        return TrainRef(expl(x))
        #else
        return exp(x)
        #endif
    }
    static func trainLog(_ x: TrainRef) -> TrainRef {
        #if arch(x86_64) || arch(i386)
        return TrainRef(logl(x))
        #else
        return log(x)
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - matrices

extension Matrix {
    /// Rows as arrays in the reference type.
    var trainRefRows: [[TrainRef]] { (0..<rows).map { row($0).map { TrainRef($0) } } }
}

/// A rows × cols matrix with entries uniform in `range`, leading dimension cols + pad.
func trainRandomMatrix<S: SmoothScalar>(_: S.Type, rows: Int, cols: Int, range: ClosedRange<Double>, pad: Int = 0,
                                   rng: inout SplitMix64) throws -> Matrix<S> {
    let e = (0..<rows * cols).map { _ in S(Double.random(in: range, using: &rng)) }
    return try Matrix<S>(rows: rows, cols: cols, leadingDimension: cols + pad, elements: e)
}

/// `|a − b| ≤ tol`, with NaN equal to NaN and equal infinities equal.
func trainClose(_ a: TrainRef, _ b: TrainRef, _ tol: TrainRef) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return abs(a - b) <= tol
}
