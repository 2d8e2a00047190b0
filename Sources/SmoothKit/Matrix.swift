/// A row-major matrix that owns 64-byte-aligned storage, the input and output of every
/// batched op. A value type with copy-on-write.
///
/// Element `(r, c)` lives at offset `r * leadingDimension + c`; the `leadingDimension - cols`
/// padding elements at the end of each row are never read by the ops.
///
/// ```swift
/// var x = try Matrix<Float>(rows: 2, cols: 3, elements: [1, 2, 3,
///                                                        0, 0, 0])
/// x[1, 2] = 5
/// let total = x.withRow(1) { row in row[0] + row[1] + row[2] }   // 5
/// let flat = x.elements                                          // [1, 2, 3, 0, 0, 5]
/// ```
public struct Matrix<Scalar: SmoothScalar>: Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (elements each op reads per row).
    public let cols: Int
    /// Elements between the starts of consecutive rows, `>= cols`.
    public let leadingDimension: Int

    @usableFromInline var storage: MatrixStorage<Scalar>

    /// A `rows × cols` matrix with every element `value`.
    ///
    /// `leadingDimension` (default `cols`) pads each row; padding holds `value` too.
    /// ```swift
    /// let zeros = try Matrix<Double>(rows: 4, cols: 10, repeating: 0)
    /// ```
    /// - Throws: ``SmoothKitError/invalidShape(_:)`` for negative sizes, a leading dimension
    ///   below `cols`, or a size that does not fit in memory.
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, repeating value: Scalar) throws {
        let (ld, count) = try Self.checkedShape(rows: rows, cols: cols, leadingDimension: leadingDimension)
        self.rows = rows
        self.cols = cols
        self.leadingDimension = ld
        self.storage = MatrixStorage(count: count, repeating: value)
    }

    /// A `rows × cols` matrix from row-major `elements` (`rows * cols` of them).
    ///
    /// ```swift
    /// let x = try Matrix<Float>(rows: 1, cols: 4, elements: [0, 1, 2, 3])
    /// ```
    /// - Throws: ``SmoothKitError/elementCount(expected:actual:)`` when the count is wrong,
    ///   ``SmoothKitError/invalidShape(_:)`` for bad sizes.
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, elements: [Scalar]) throws {
        try self.init(rows: rows, cols: cols, leadingDimension: leadingDimension, repeating: 0)
        guard elements.count == rows * cols else {
            throw SmoothKitError.elementCount(expected: rows * cols, actual: elements.count)
        }
        let ld = self.leadingDimension
        elements.withUnsafeBufferPointer { src in
            for r in 0..<rows {
                (storage.base + r * ld).update(from: src.baseAddress! + r * cols, count: cols)
            }
        }
    }

    /// A `rows × cols` matrix whose elements `body` writes in place, with no intermediate array.
    ///
    /// `body` gets all `rows * leadingDimension` elements, zero-filled, as a `MutableSpan`;
    /// element `(r, c)` is at `r * leadingDimension + c`.
    /// ```swift
    /// let ramp = try Matrix<Float>(rows: 2, cols: 3) { elements in
    ///     for i in elements.indices { elements[i] = Float(i) }
    /// }                                             // [[0, 1, 2], [3, 4, 5]]
    /// ```
    /// - Throws: ``SmoothKitError/invalidShape(_:)`` as ``init(rows:cols:leadingDimension:repeating:)``,
    ///   or what `body` throws.
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil,
                initializingWith body: (inout MutableSpan<Scalar>) throws -> Void) throws {
        try self.init(rows: rows, cols: cols, leadingDimension: leadingDimension, repeating: 0)
        try withUnsafeMutableBufferPointer { buffer in
            var span = buffer.mutableSpan
            try body(&span)
        }
    }

    /// A matrix over `count ≥ (rows − 1) * leadingDimension + cols` caller-owned elements (a
    /// view's span), never freed nor copied while uniquely referenced: how a ``MatrixView`` or
    /// ``MutableMatrixView`` runs an op. It must not outlive the call that makes it, and only
    /// the ops' drivers see it (internal; no such matrix leaves the module).
    init(borrowing base: UnsafeMutablePointer<Scalar>, count: Int, rows: Int, cols: Int, leadingDimension: Int) {
        self.rows = rows
        self.cols = cols
        self.leadingDimension = leadingDimension
        self.storage = MatrixStorage(borrowing: base, count: count)
    }

    /// Checks a shape; the leading dimension (default `cols`) and the `rows * ld` elements it spans.
    static func checkedShape(rows: Int, cols: Int, leadingDimension: Int?) throws -> (ld: Int, count: Int) {
        try checkedMatrixShape(Scalar.self, rows: rows, cols: cols, leadingDimension: leadingDimension)
    }

    /// Element `(row, col)`. Traps on an index out of range, as `Array` does.
    ///
    /// ```swift
    /// var m = try Matrix<Float>(rows: 2, cols: 2, repeating: 0)
    /// m[0, 1] = 3
    /// ```
    public subscript(row: Int, col: Int) -> Scalar {
        get {
            precondition(row >= 0 && row < rows && col >= 0 && col < cols, "Matrix index out of range")
            return storage.base[row * leadingDimension + col]
        }
        set {
            precondition(row >= 0 && row < rows && col >= 0 && col < cols, "Matrix index out of range")
            makeUnique()
            storage.base[row * leadingDimension + col] = newValue
        }
    }

    /// The elements in row-major order, without padding (`rows * cols` of them).
    ///
    /// ```swift
    /// let flat = try Matrix<Float>(rows: 2, cols: 2, elements: [1, 2, 3, 4]).elements
    /// ```
    public var elements: [Scalar] {
        var out = [Scalar]()
        out.reserveCapacity(rows * cols)
        for r in 0..<rows {
            out.append(contentsOf: UnsafeBufferPointer(start: storage.base + r * leadingDimension, count: cols))
        }
        return out
    }

    /// One row as a `Array`.
    ///
    /// ```swift
    /// let second = x.row(1)
    /// ```
    public func row(_ r: Int) -> [Scalar] {
        withRow(r) { span in (0..<span.count).map { span[$0] } }
    }

    /// Calls `body` with row `r` as a `Span` (no copy).
    ///
    /// ```swift
    /// let first = x.withRow(0) { $0[0] }
    /// ```
    public func withRow<R>(_ r: Int, _ body: (Span<Scalar>) throws -> R) rethrows -> R {
        precondition(r >= 0 && r < rows, "Matrix row out of range")
        return try body(Span(_unsafeElements: UnsafeBufferPointer(start: storage.base + r * leadingDimension, count: cols)))
    }

    /// Calls `body` with row `r` as a `MutableSpan` (no copy).
    ///
    /// ```swift
    /// x.withMutableRow(0) { row in row[0] = 1 }
    /// ```
    public mutating func withMutableRow<R>(_ r: Int, _ body: (inout MutableSpan<Scalar>) throws -> R) rethrows -> R {
        precondition(r >= 0 && r < rows, "Matrix row out of range")
        makeUnique()
        var span = MutableSpan(_unsafeElements: UnsafeMutableBufferPointer(start: storage.base + r * leadingDimension, count: cols))
        return try body(&span)
    }

    /// Calls `body` with the storage: `rows * leadingDimension` elements, row `r` starting at
    /// `r * leadingDimension` (padding included). No copy; the pointer is valid only in `body`.
    ///
    /// ```swift
    /// let sum = x.withUnsafeBufferPointer { $0.reduce(0, +) }    // padding included
    /// ```
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: storage.base, count: rows * leadingDimension))
        }
    }

    /// Calls `body` with the storage to write, as ``withUnsafeBufferPointer(_:)``. A matrix
    /// that shares storage with a copy gets its own first (copy-on-write); no copy otherwise.
    ///
    /// ```swift
    /// var x = try Matrix<Float>(rows: 1000, cols: 512, repeating: 0)
    /// x.withUnsafeMutableBufferPointer { buffer in
    ///     _ = buffer.update(fromContentsOf: myFeatures)            // one memcpy, straight in
    /// }
    /// ```
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R)
        rethrows -> R {
        makeUnique()
        return try withExtendedLifetime(storage) {
            try body(UnsafeMutableBufferPointer(start: storage.base, count: rows * leadingDimension))
        }
    }

    /// Shape as text, for error messages.
    var shapeDescription: String { "\(rows) × \(cols)" + (leadingDimension != cols ? " (ld \(leadingDimension))" : "") }

    @usableFromInline mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Read-only base pointer for the kernels (internal: no pointer leaves the module).
    func withBase<R>(_ body: (UnsafePointer<Scalar>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafePointer(storage.base)) }
    }

    /// Writable base pointer for the kernels.
    mutating func withMutableBase<R>(_ body: (UnsafeMutablePointer<Scalar>) throws -> R) rethrows -> R {
        makeUnique()
        return try withExtendedLifetime(storage) { try body(storage.base) }
    }
}

/// The shape checks of every matrix and view of `Element`s: sizes ≥ 0, a leading dimension
/// (default `cols`) ≥ `cols`, and `rows * ld` elements that fit in memory; returns both.
func checkedMatrixShape<Element>(_: Element.Type, rows: Int, cols: Int,
                                 leadingDimension: Int?) throws -> (ld: Int, count: Int) {
    let ld = leadingDimension ?? cols
    guard rows >= 0, cols >= 0 else {
        throw SmoothKitError.invalidShape("rows and cols must be >= 0, got \(rows) × \(cols)")
    }
    guard ld >= cols else {
        throw SmoothKitError.invalidShape("leading dimension \(ld) is below cols \(cols)")
    }
    let (count, overflow) = rows.multipliedReportingOverflow(by: ld)
    guard !overflow, count <= Int.max / MemoryLayout<Element>.stride / 2 else {
        throw SmoothKitError.invalidShape("\(rows) × \(ld) elements do not fit in memory")
    }
    return (ld, count)
}

extension Matrix: Equatable {
    /// Equal when shapes and elements (not padding) are equal.
    public static func == (a: Matrix, b: Matrix) -> Bool {
        a.rows == b.rows && a.cols == b.cols && a.elements == b.elements
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        "Matrix<\(Scalar.self)>(\(shapeDescription))" + (rows * cols <= 64 ? " \(elements)" : "")
    }
}

/// Element storage of ``Matrix`` and ``HalfMatrix``: owned and 64-byte aligned, or borrowed
/// from a caller (a view's memory, neither freed nor aligned by us). Elements are bitwise
/// copyable, so no deinitialisation.
@usableFromInline final class MatrixStorage<Element: BitwiseCopyable>: @unchecked Sendable {
    /// Alignment of every owned buffer: one cache line, and a whole AVX-512 register.
    static var alignment: Int { 64 }

    let base: UnsafeMutablePointer<Element>
    let count: Int
    /// False for borrowed memory, which the caller frees.
    private let owned: Bool

    /// Owned, aligned memory for `count` elements (at least one, so that `base` is a real address).
    private init(allocating count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Element>.stride,
                                                   alignment: Self.alignment)
        base = raw.bindMemory(to: Element.self, capacity: max(count, 1))
        owned = true
    }

    convenience init(count: Int, repeating value: Element) {
        self.init(allocating: count)
        base.initialize(repeating: value, count: count)
    }

    init(borrowing base: UnsafeMutablePointer<Element>, count: Int) {
        self.base = base
        self.count = count
        owned = false
    }

    /// An owned copy (a borrowed matrix that is copied and then written gets one).
    func copy() -> MatrixStorage {
        let new = MatrixStorage(allocating: count)
        new.base.initialize(from: base, count: count)
        return new
    }

    deinit { if owned { UnsafeMutableRawPointer(base).deallocate() } }
}
