// Half-precision storage (SPEC §1.6): `HalfMatrix`, a matrix of `Float16` (where the platform
// has it) or `BFloat16` that the ops read and write while computing in Float.

/// A row-major `rows × cols` matrix stored in a 16-bit type, with a leading dimension
/// (elements between row starts, ≥ cols): the half-precision counterpart of ``Matrix``.
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 3, elements: [1, 2, 3].map { BFloat16($0) })
/// let p = try softmax(x)        // [[0.0898, 0.2451, 0.6641]] in bfloat16
/// ```
public struct HalfMatrix<Element: HalfPrecisionStorage>: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public let leadingDimension: Int
    /// The storage, `(rows − 1)·leadingDimension + cols` elements (padding included; the maps
    /// copy x's padding into their result).
    public internal(set) var storage: [Element]

    /// A matrix of `rows·cols` copies of `value` (padding too), e.g. the output of an `into:` op.
    ///
    /// ```swift
    /// var p = try HalfMatrix<BFloat16>(rows: 4, cols: 10, repeating: BFloat16(0))
    /// try softmax(x, into: &p)
    /// ```
    /// - Throws: ``SmoothKitError/invalidShape(_:)`` for negative sizes or `leadingDimension < cols`.
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, repeating value: Element) throws {
        let ld = leadingDimension ?? cols
        guard rows >= 0, cols >= 0, ld >= cols else {
            throw SmoothKitError.invalidShape("rows \(rows), cols \(cols), leading dimension \(ld)")
        }
        self.rows = rows
        self.cols = cols
        self.leadingDimension = ld
        storage = [Element](repeating: value, count: rows == 0 ? 0 : (rows - 1) * ld + cols)
    }

    /// A matrix from `rows·cols` elements in row order, padded to `leadingDimension`.
    /// - Throws: ``SmoothKitError/elementCount(expected:actual:)``, ``SmoothKitError/invalidShape(_:)``.
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, elements: [Element]) throws {
        try self.init(rows: rows, cols: cols, leadingDimension: leadingDimension, repeating: Element(Float(0)))
        try checkCount(elements.count, rows * cols)
        let ld = self.leadingDimension
        for r in 0..<rows { for c in 0..<cols { storage[r * ld + c] = elements[r * cols + c] } }
    }

    /// Element (row, col).
    public subscript(row: Int, col: Int) -> Element {
        precondition(row >= 0 && row < rows && col >= 0 && col < cols, "index out of range")
        return storage[row * leadingDimension + col]
    }

    /// The elements in row order, without padding.
    public var elements: [Element] { (0..<rows).flatMap { r in (0..<cols).map { self[r, $0] } } }

    /// The values as a `Matrix<Float>` (exact), with the same leading dimension.
    public var floatMatrix: Matrix<Float> {
        get throws {
            try Matrix<Float>(rows: rows, cols: cols, leadingDimension: leadingDimension,
                              elements: elements.map(Element._widen))
        }
    }

    /// A matrix of `m`'s values rounded to `Element`.
    public init(rounding m: Matrix<Float>) throws {
        try self.init(rows: m.rows, cols: m.cols, leadingDimension: m.leadingDimension,
                      elements: m.elements.map { Element($0) })
    }

    var shapeDescription: String { "\(rows) × \(cols)" + (leadingDimension != cols ? " (ld \(leadingDimension))" : "") }

    /// Writes `m`'s values (this matrix's rows and cols), each rounded once to `Element`; the
    /// padding is left alone. How the pure-Swift backend stores a Float op's result.
    mutating func assignRounded(_ m: Matrix<Float>) {
        let ld = leadingDimension
        for r in 0..<rows { for c in 0..<cols { storage[r * ld + c] = Element(m[r, c]) } }
    }

    func withBits<R>(_ body: (UnsafePointer<UInt16>?) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body($0.baseAddress?.assumingMemoryBound(to: UInt16.self)) }
    }
    mutating func withMutableBits<R>(_ body: (UnsafeMutablePointer<UInt16>?) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBytes { try body($0.baseAddress?.assumingMemoryBound(to: UInt16.self)) }
    }
}

/// `b` (an output, or a second input) has the rows and cols of `a`.
func checkSameShape<E>(_ a: HalfMatrix<E>, _ b: HalfMatrix<E>) throws {
    guard a.rows == b.rows, a.cols == b.cols else {
        throw SmoothKitError.shapeMismatch(expected: a.shapeDescription, actual: b.shapeDescription)
    }
}
