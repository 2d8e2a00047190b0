// Non-owning matrix views: the ops read and write the caller's memory with no copy.
//
// A view is a `Span` (or `MutableSpan`) plus a shape; it cannot outlive the memory it views
// (`~Escapable`), and a mutable view is unique (`~Copyable`), so the compiler rules out the
// dangling and aliasing mistakes a raw pointer allows. Each op taking a view runs the same
// checks and kernels as its `Matrix` form, on a `Matrix` that borrows the view's memory for
// the length of the call (`Matrix(borrowing:)`).

/// A read-only, row-major matrix over elements the caller owns, with no copy.
///
/// Element `(r, c)` is `elements[r * leadingDimension + c]`; padding between rows is never
/// read. The row ops, the training ops and the catalog's row ops take a view wherever they
/// take a ``Matrix``.
///
/// ```swift
/// let scores: [Float] = loadScores()                  // 1000 × 512, row-major
/// let x = try MatrixView(rows: 1000, cols: 512, elements: scores.span)
/// var probabilities = [Float](repeating: 0, count: scores.count)
/// var p = try MutableMatrixView(rows: 1000, cols: 512, elements: probabilities.mutableSpan)
/// try softmax(x, into: &p)                            // reads scores, writes probabilities
/// ```
/// Memory reached by pointer works the same way: `MatrixView(rows:cols:elements: buffer.span)`.
public struct MatrixView<Scalar: SmoothScalar>: ~Escapable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (elements each op reads per row).
    public let cols: Int
    /// Elements between the starts of consecutive rows, `>= cols`.
    public let leadingDimension: Int
    let elements: Span<Scalar>

    /// A `rows × cols` view of `elements`, which holds at least
    /// `(rows − 1) * leadingDimension + cols` of them (the last row needs no padding).
    ///
    /// ```swift
    /// let padded: [Double] = [1, 2, .nan,
    ///                         3, 4, .nan]              // ld 3, the NaNs are never read
    /// let x = try MatrixView(rows: 2, cols: 2, leadingDimension: 3, elements: padded.span)
    /// ```
    /// - Throws: ``SmoothKitError/invalidShape(_:)`` for negative sizes, a leading dimension
    ///   below `cols`, or an extent that overflows; ``SmoothKitError/elementCount(expected:actual:)``
    ///   when `elements` is too short.
    @_lifetime(copy elements)
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, elements: Span<Scalar>) throws {
        let ld = try viewLeadingDimension(Scalar.self, rows, cols, leadingDimension, count: elements.count)
        self.rows = rows
        self.cols = cols
        self.leadingDimension = ld
        self.elements = elements
    }

    /// Runs `body` on a `Matrix` borrowing this view's memory (no copy, nothing written).
    func withBorrowedMatrix<R>(_ body: (Matrix<Scalar>) throws -> R) throws -> R {
        try withBorrowedReading(elements, rows, cols, leadingDimension, body)
    }
}

/// A writable, row-major matrix over elements the caller owns: the output of an op that
/// writes the caller's memory, with no copy. Padding between rows is never written.
///
/// ```swift
/// var out = [Float](repeating: 0, count: 1000 * 512)
/// var y = try MutableMatrixView(rows: 1000, cols: 512, elements: out.mutableSpan)
/// try logSoftmax(x, into: &y)                         // out holds the result
/// ```
public struct MutableMatrixView<Scalar: SmoothScalar>: ~Copyable, ~Escapable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (elements each op writes per row).
    public let cols: Int
    /// Elements between the starts of consecutive rows, `>= cols`.
    public let leadingDimension: Int
    var elements: MutableSpan<Scalar>

    /// A `rows × cols` view of `elements` to write, which holds at least
    /// `(rows − 1) * leadingDimension + cols` of them.
    ///
    /// ```swift
    /// var buffer = [Float](repeating: 0, count: 2 * 8)
    /// var y = try MutableMatrixView(rows: 2, cols: 5, leadingDimension: 8,
    ///                               elements: buffer.mutableSpan)   // columns 5..<8 untouched
    /// ```
    /// - Throws: as ``MatrixView/init(rows:cols:leadingDimension:elements:)``.
    @_lifetime(copy elements)
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, elements: consuming MutableSpan<Scalar>) throws {
        let ld = try viewLeadingDimension(Scalar.self, rows, cols, leadingDimension, count: elements.count)
        self.rows = rows
        self.cols = cols
        self.leadingDimension = ld
        self.elements = elements
    }

    /// Runs `body` on a `Matrix` borrowing this view's memory: what `body` writes through
    /// the matrix lands in the caller's memory (checked: the matrix never gets its own copy).
    mutating func withBorrowedMatrix<R>(_ body: (inout Matrix<Scalar>) throws -> R) throws -> R {
        try withBorrowedWriting(&elements, rows, cols, leadingDimension, body)
    }
}

/// The view checks, for ``MatrixView`` and ``HalfMatrixView`` alike: the shape as ``Matrix``
/// checks it, then enough elements for the last row.
func viewLeadingDimension<E>(_: E.Type, _ rows: Int, _ cols: Int, _ leadingDimension: Int?, count: Int) throws -> Int {
    let (ld, _) = try checkedMatrixShape(E.self, rows: rows, cols: cols, leadingDimension: leadingDimension)
    let needed = rows == 0 ? 0 : (rows - 1) * ld + cols
    guard count >= needed else { throw SmoothKitError.elementCount(expected: needed, actual: count) }
    return ld
}

/// A matrix type whose storage can borrow a view's memory: ``Matrix`` and ``HalfMatrix``.
protocol BorrowingMatrix {
    associatedtype Element: BitwiseCopyable
    /// A matrix over `count` caller-owned elements, never freed nor copied while uniquely referenced.
    init(borrowing base: UnsafeMutablePointer<Element>, count: Int, rows: Int, cols: Int, leadingDimension: Int)
    /// The first element of the storage (the borrowed memory's, until a copy-on-write).
    var storageBase: UnsafeMutablePointer<Element> { get }
}

extension Matrix: BorrowingMatrix {
    var storageBase: UnsafeMutablePointer<Scalar> { storage.base }
}

/// An `M` over `buffer` for the length of `body`. An empty buffer may have no address; the
/// matrix then points at a one-element scratch that no op reads (it has no elements). The
/// matrix is `inout` so that it stays uniquely referenced: a write through it then never
/// copies (copy-on-write would otherwise move the result away from the caller's memory).
private func withBorrowed<M: BorrowingMatrix, R>(_ buffer: UnsafeMutableBufferPointer<M.Element>, _ rows: Int,
                                                 _ cols: Int, _ ld: Int, _ body: (inout M) throws -> R) throws -> R {
    let scratch = buffer.baseAddress == nil ? UnsafeMutablePointer<M.Element>.allocate(capacity: 1) : nil
    defer { scratch?.deallocate() }
    var matrix = M(borrowing: buffer.baseAddress ?? scratch!, count: buffer.count, rows: rows, cols: cols,
                   leadingDimension: ld)
    return try body(&matrix)
}

/// Runs `body` on an `M` borrowing a read-only view's elements (no copy, nothing written).
func withBorrowedReading<M: BorrowingMatrix, R>(_ elements: Span<M.Element>, _ rows: Int, _ cols: Int, _ ld: Int,
                                                _ body: (M) throws -> R) throws -> R {
    try elements.withUnsafeBufferPointer { buffer in
        try withBorrowed(UnsafeMutableBufferPointer(mutating: buffer), rows, cols, ld) { (m: inout M) in try body(m) }
    }
}

/// Runs `body` on an `M` borrowing a mutable view's elements: what `body` writes through the
/// matrix lands in the caller's memory (checked: the matrix never gets its own copy).
func withBorrowedWriting<M: BorrowingMatrix, R>(_ elements: inout MutableSpan<M.Element>, _ rows: Int, _ cols: Int,
                                                _ ld: Int, _ body: (inout M) throws -> R) throws -> R {
    try elements.withUnsafeMutableBufferPointer { buffer in
        try withBorrowed(buffer, rows, cols, ld) { (matrix: inout M) in
            let result = try body(&matrix)
            precondition(matrix.storageBase == buffer.baseAddress ?? matrix.storageBase,
                         "a view's borrowed matrix was copied")
            return result
        }
    }
}

/// `count` values that `body` writes through a span: how an op returning an array shares the
/// body of its `into:` form.
func collecting<S: SmoothScalar>(count: Int, _ body: (inout MutableSpan<S>) throws -> Void) throws -> [S] {
    var out = [S](repeating: 0, count: count)
    var span = out.mutableSpan
    try body(&span)
    _ = consume span
    return out
}
