// The argument checks every op shares, in one place. Each throws the SmoothKitError that names
// the argument; every op runs them before it writes anything.

/// The temperature τ: finite and > 0 (SPEC §1 "Arguments").
func checkTemperature<S: BinaryFloatingPoint>(_ t: S) throws {
    guard t.isFinite, t > 0 else { throw SmoothKitError.invalidTemperature(Double(t)) }
}

/// A smoothing parameter other than τ (the catalog's `parameter:`): finite and > 0.
func checkParameter<S: BinaryFloatingPoint>(_ p: S, name: String = "parameter") throws {
    guard p.isFinite, p > 0 else { throw SmoothKitError.invalidParameter(name: name, value: Double(p)) }
}

/// A length the call needs: `count` values where `expected` are needed.
func checkCount(_ count: Int, _ expected: Int) throws {
    guard count == expected else { throw SmoothKitError.elementCount(expected: expected, actual: count) }
}

/// An op's output span holds `expected` values.
func checkOutputCount<S>(_ out: borrowing MutableSpan<S>, _ expected: Int) throws {
    try checkCount(out.count, expected)
}

/// `b` (an output, or a second input) has the rows and cols of `a`.
func checkSameShape<S: SmoothScalar>(_ a: Matrix<S>, _ b: Matrix<S>) throws {
    guard a.rows == b.rows, a.cols == b.cols else {
        throw SmoothKitError.shapeMismatch(expected: a.shapeDescription, actual: b.shapeDescription)
    }
}
