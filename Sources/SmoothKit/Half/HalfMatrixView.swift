// Non-owning half-precision views: the half ops read and write the caller's Float16 or
// BFloat16 memory with no copy, as ``MatrixView`` does for Float and Double. Each op taking a
// view runs the same checks and drivers as its `HalfMatrix` form, on a `HalfMatrix` that
// borrows the view's memory for the length of the call (`HalfMatrix(borrowing:)`).

/// A read-only, row-major half-precision matrix over elements the caller owns, with no copy.
///
/// Element `(r, c)` is `elements[r * leadingDimension + c]`; padding between rows is never
/// read. The half row ops and training ops take a view wherever they take a ``HalfMatrix``.
///
/// ```swift
/// let scores: [BFloat16] = loadScores()               // 1000 × 512, row-major
/// let x = try HalfMatrixView(rows: 1000, cols: 512, elements: scores.span)
/// var probabilities = [BFloat16](repeating: BFloat16(0), count: scores.count)
/// var p = try MutableHalfMatrixView(rows: 1000, cols: 512, elements: probabilities.mutableSpan)
/// try softmax(x, into: &p)                            // reads scores, writes probabilities
/// ```
public struct HalfMatrixView<Element: HalfPrecisionStorage>: ~Escapable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (elements each op reads per row).
    public let cols: Int
    /// Elements between the starts of consecutive rows, `>= cols`.
    public let leadingDimension: Int
    let elements: Span<Element>

    /// A `rows × cols` view of `elements`, which holds at least
    /// `(rows − 1) * leadingDimension + cols` of them (the last row needs no padding).
    ///
    /// ```swift
    /// let padded = [1, 2, .nan, 3, 4, .nan].map { BFloat16($0) }   // ld 3, the NaNs are never read
    /// let x = try HalfMatrixView(rows: 2, cols: 2, leadingDimension: 3, elements: padded.span)
    /// ```
    /// - Throws: ``SmoothKitError/invalidShape(_:)`` for negative sizes, a leading dimension
    ///   below `cols`, or an extent that overflows; ``SmoothKitError/elementCount(expected:actual:)``
    ///   when `elements` is too short.
    @_lifetime(copy elements)
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, elements: Span<Element>) throws {
        let ld = try viewLeadingDimension(Element.self, rows, cols, leadingDimension, count: elements.count)
        self.rows = rows
        self.cols = cols
        self.leadingDimension = ld
        self.elements = elements
    }

    /// Runs `body` on a `HalfMatrix` borrowing this view's memory (no copy, nothing written).
    func withBorrowedMatrix<R>(_ body: (HalfMatrix<Element>) throws -> R) throws -> R {
        try withBorrowedReading(elements, rows, cols, leadingDimension, body)
    }
}

/// A writable, row-major half-precision matrix over elements the caller owns: the output of
/// an op that writes the caller's memory, with no copy. Padding between rows is never written.
///
/// ```swift
/// var out = [BFloat16](repeating: BFloat16(0), count: 1000 * 512)
/// var y = try MutableHalfMatrixView(rows: 1000, cols: 512, elements: out.mutableSpan)
/// try logSoftmax(x, into: &y)                         // out holds the result
/// ```
public struct MutableHalfMatrixView<Element: HalfPrecisionStorage>: ~Copyable, ~Escapable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (elements each op writes per row).
    public let cols: Int
    /// Elements between the starts of consecutive rows, `>= cols`.
    public let leadingDimension: Int
    var elements: MutableSpan<Element>

    /// A `rows × cols` view of `elements` to write, which holds at least
    /// `(rows − 1) * leadingDimension + cols` of them.
    ///
    /// ```swift
    /// var buffer = [Float16](repeating: 0, count: 2 * 8)
    /// var y = try MutableHalfMatrixView(rows: 2, cols: 5, leadingDimension: 8,
    ///                                   elements: buffer.mutableSpan)   // columns 5..<8 untouched
    /// ```
    /// - Throws: as ``HalfMatrixView/init(rows:cols:leadingDimension:elements:)``.
    @_lifetime(copy elements)
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, elements: consuming MutableSpan<Element>) throws {
        let ld = try viewLeadingDimension(Element.self, rows, cols, leadingDimension, count: elements.count)
        self.rows = rows
        self.cols = cols
        self.leadingDimension = ld
        self.elements = elements
    }

    /// Runs `body` on a `HalfMatrix` borrowing this view's memory: what `body` writes through
    /// the matrix lands in the caller's memory (checked: the matrix never gets its own copy).
    mutating func withBorrowedMatrix<R>(_ body: (inout HalfMatrix<Element>) throws -> R) throws -> R {
        try withBorrowedWriting(&elements, rows, cols, leadingDimension, body)
    }
}

extension HalfMatrix: BorrowingMatrix {
    var storageBase: UnsafeMutablePointer<Element> { buffer.base }
}
