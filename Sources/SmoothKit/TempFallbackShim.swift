// TEMPORARY until Fallback/ lands: never committed.
enum SwiftRowOps {
    static func logSumExp<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, cols: Int, ldx: Int, temperature: S, out: UnsafeMutablePointer<S>) { fatalError() }
    static func softmax<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, cols: Int, ldx: Int, temperature: S, y: UnsafeMutablePointer<S>, ldy: Int) { fatalError() }
    static func logSoftmax<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, cols: Int, ldx: Int, temperature: S, y: UnsafeMutablePointer<S>, ldy: Int) { fatalError() }
    static func softArgmax<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, cols: Int, ldx: Int, temperature: S, out: UnsafeMutablePointer<S>) { fatalError() }
}
