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
    /// Number of rows.
    public let rows: Int
    /// Number of columns (elements each op reads per row).
    public let cols: Int
    /// Elements between the starts of consecutive rows, `>= cols`.
    public let leadingDimension: Int
    /// The elements, owned (copy-on-write) or borrowed from a view's memory for one call.
    var buffer: MatrixStorage<Element>

    /// The storage as an array, `(rows − 1)·leadingDimension + cols` elements (padding
    /// included; the maps copy x's padding into their result).
    ///
    /// ```swift
    /// let x = try HalfMatrix<BFloat16>(rows: 2, cols: 1, leadingDimension: 2, repeating: BFloat16(1))
    /// x.storage.count               // 3: the last row has no padding
    /// ```
    public var storage: [Element] {
        Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
    }

    /// A matrix of `rows·cols` copies of `value` (padding too), e.g. the output of an `into:` op.
    ///
    /// ```swift
    /// var p = try HalfMatrix<BFloat16>(rows: 4, cols: 10, repeating: BFloat16(0))
    /// try softmax(x, into: &p)
    /// ```
    /// - Throws: ``SmoothKitError/invalidShape(_:)`` for negative sizes, `leadingDimension < cols`
    ///   or a size that does not fit in memory.
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, repeating value: Element) throws {
        let (ld, _) = try checkedMatrixShape(Element.self, rows: rows, cols: cols, leadingDimension: leadingDimension)
        self.rows = rows
        self.cols = cols
        self.leadingDimension = ld
        buffer = MatrixStorage(count: rows == 0 ? 0 : (rows - 1) * ld + cols, repeating: value)
    }

    /// A matrix from `rows·cols` elements in row order, padded to `leadingDimension`.
    ///
    /// ```swift
    /// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 2, leadingDimension: 4, elements: [BFloat16(1), BFloat16(2)])
    /// ```
    /// - Throws: ``SmoothKitError/elementCount(expected:actual:)``, ``SmoothKitError/invalidShape(_:)``.
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, elements: [Element]) throws {
        try self.init(rows: rows, cols: cols, leadingDimension: leadingDimension, repeating: Element(Float(0)))
        try checkCount(elements.count, rows * cols)
        let ld = self.leadingDimension, base = buffer.base
        for r in 0..<rows { for c in 0..<cols { base[r * ld + c] = elements[r * cols + c] } }
    }

    /// A matrix over `count ≥ (rows − 1)·leadingDimension + cols` caller-owned elements (a
    /// view's span), never freed nor copied while uniquely referenced: how a ``HalfMatrixView``
    /// or ``MutableHalfMatrixView`` runs an op. Internal, and it must not outlive that call.
    init(borrowing base: UnsafeMutablePointer<Element>, count: Int, rows: Int, cols: Int, leadingDimension: Int) {
        self.rows = rows
        self.cols = cols
        self.leadingDimension = leadingDimension
        buffer = MatrixStorage(borrowing: base, count: count)
    }

    /// Element (row, col).
    ///
    /// ```swift
    /// let first = Float(x[0, 0])
    /// ```
    public subscript(row: Int, col: Int) -> Element {
        precondition(row >= 0 && row < rows && col >= 0 && col < cols, "index out of range")
        return withExtendedLifetime(buffer) { buffer.base[row * leadingDimension + col] }
    }

    /// The elements in row order, without padding.
    ///
    /// ```swift
    /// let flat = x.elements.map(Float.init)
    /// ```
    public var elements: [Element] { (0..<rows).flatMap { r in (0..<cols).map { self[r, $0] } } }

    /// The values as a `Matrix<Float>` (exact), with the same leading dimension.
    ///
    /// ```swift
    /// let wide = try x.floatMatrix
    /// ```
    public var floatMatrix: Matrix<Float> {
        get throws {
            try Matrix<Float>(rows: rows, cols: cols, leadingDimension: leadingDimension,
                              elements: elements.map(Element._widen))
        }
    }

    /// A matrix of `m`'s values rounded to `Element`.
    ///
    /// ```swift
    /// let h = try HalfMatrix<BFloat16>(rounding: Matrix<Float>(rows: 1, cols: 1, elements: [0.1]))
    /// ```
    public init(rounding m: Matrix<Float>) throws {
        try self.init(rows: m.rows, cols: m.cols, leadingDimension: m.leadingDimension,
                      elements: m.elements.map { Element($0) })
    }

    /// Equal when shapes and all stored elements (padding included) are equal.
    public static func == (a: HalfMatrix, b: HalfMatrix) -> Bool {
        a.rows == b.rows && a.cols == b.cols && a.leadingDimension == b.leadingDimension && a.storage == b.storage
    }

    var shapeDescription: String { "\(rows) × \(cols)" + (leadingDimension != cols ? " (ld \(leadingDimension))" : "") }

    /// Writes `m`'s values (this matrix's rows and cols), each rounded once to `Element`; the
    /// padding is left alone. How the pure-Swift backend stores a Float op's result.
    mutating func assignRounded(_ m: Matrix<Float>) {
        let (rows, cols, ld) = (rows, cols, leadingDimension)
        withMutableElements { base in
            for r in 0..<rows { for c in 0..<cols { base[r * ld + c] = Element(m[r, c]) } }
        }
    }

    /// The storage as the 16-bit patterns the C entry points read (never nil).
    func withBits<R>(_ body: (UnsafePointer<UInt16>?) throws -> R) rethrows -> R {
        try withExtendedLifetime(buffer) {
            try body(UnsafeRawPointer(buffer.base).assumingMemoryBound(to: UInt16.self))
        }
    }

    /// The storage to write as 16-bit patterns (copied first when shared: copy-on-write).
    mutating func withMutableBits<R>(_ body: (UnsafeMutablePointer<UInt16>?) throws -> R) rethrows -> R {
        try withMutableElements { try body(UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt16.self)) }
    }

    /// The storage to write (copied first when shared: copy-on-write).
    private mutating func withMutableElements<R>(_ body: (UnsafeMutablePointer<Element>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
        return try withExtendedLifetime(buffer) { try body(buffer.base) }
    }
}

/// `b` (an output, or a second input) has the rows and cols of `a`.
func checkSameShape<E>(_ a: HalfMatrix<E>, _ b: HalfMatrix<E>) throws {
    guard a.rows == b.rows, a.cols == b.cols else {
        throw SmoothKitError.shapeMismatch(expected: a.shapeDescription, actual: b.shapeDescription)
    }
}
