// The baseline: the textbook scalar loop one writes without thinking about speed
// (max, then Σ exp((x − m)/τ) with libm's exp, then the op), one row at a time, one thread.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SmoothKit

/// The element types the benchmark runs: SmoothKit's scalars with libm's exp and log.
protocol BenchScalar: SmoothScalar {
    static var dtype: DType { get }
    static func libmExp(_ x: Self) -> Self
    static func libmLog(_ x: Self) -> Self
}

extension Float: BenchScalar {
    static var dtype: DType { .f32 }
    static func libmExp(_ x: Float) -> Float { expf(x) }
    static func libmLog(_ x: Float) -> Float { logf(x) }
}

extension Double: BenchScalar {
    static var dtype: DType { .f64 }
    static func libmExp(_ x: Double) -> Double { exp(x) }
    static func libmLog(_ x: Double) -> Double { log(x) }
}

enum Naive {
    /// Runs `op` on `rows × cols` (dense) from `x` into `out` (a matrix for the map ops, one
    /// value per row otherwise).
    static func run<S: BenchScalar>(_ op: BenchOp, _ x: UnsafePointer<S>, rows: Int, cols: Int, tau: S,
                                    _ out: UnsafeMutablePointer<S>) {
        for r in 0..<rows {
            let xr = x + r * cols
            var m = -S.infinity
            for i in 0..<cols { m = max(m, xr[i]) }
            var s: S = 0
            for i in 0..<cols { s += S.libmExp((xr[i] - m) / tau) }
            switch op {
            case .logsumexp:
                out[r] = m + tau * S.libmLog(s)
            case .softmax:
                let yr = out + r * cols
                for i in 0..<cols { yr[i] = S.libmExp((xr[i] - m) / tau) / s }
            case .log_softmax:
                let yr = out + r * cols, ls = S.libmLog(s)
                for i in 0..<cols { yr[i] = (xr[i] - m) / tau - ls }
            case .softargmax:
                var w: S = 0
                for i in 0..<cols { w += S(i) * S.libmExp((xr[i] - m) / tau) }
                out[r] = w / s
            }
        }
    }
}
