// Matrix: construction errors, element and row access, copy-on-write, and padding that the
// ops never read.
import SmoothKit
import Testing

@Suite struct MatrixTests {
    enum InitFault: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case negativeRows, negativeCols, ldBelowCols, sizeOverflows, tooFewElements, tooManyElements
        var testDescription: String { rawValue }
    }

    /// Each bad construction throws its typed error, through both initialisers.
    @Test(arguments: InitFault.allCases, CoreDType.allCases)
    func initRejects(_ fault: InitFault, _ dtype: CoreDType) {
        dtype.with { initRejects(fault, $0) }
    }

    private func initRejects<S: TestScalar>(_ fault: InitFault, _: S.Type) {
        let (rows, cols, ld, count): (Int, Int, Int?, Int) = switch fault {
        case .negativeRows: (-1, 3, nil, 0)
        case .negativeCols: (2, -3, nil, 0)
        case .ldBelowCols: (2, 3, 2, 6)
        case .sizeOverflows: (Int.max / 2, 3, 4, 0)
        case .tooFewElements: (2, 3, nil, 5)
        case .tooManyElements: (2, 3, 5, 7)
        }
        let elements = [S](repeating: 1, count: count)
        let error = #expect(throws: SmoothKitError.self, "\(S.label) \(fault)") {
            try Matrix<S>(rows: rows, cols: cols, leadingDimension: ld, elements: elements)
        }
        switch (fault, error) {
        case (.tooFewElements, .elementCount(6, 5)?), (.tooManyElements, .elementCount(6, 7)?): break
        case (.negativeRows, .invalidShape?), (.negativeCols, .invalidShape?), (.ldBelowCols, .invalidShape?),
             (.sizeOverflows, .invalidShape?): break
        default: Issue.record("\(S.label) \(fault): wrong error \(String(describing: error))")
        }
        if fault != .tooFewElements && fault != .tooManyElements {
            #expect(throws: SmoothKitError.self, "\(S.label) \(fault), repeating:") {
                try Matrix<S>(rows: rows, cols: cols, leadingDimension: ld, repeating: 0)
            }
        }
    }

    @Test(arguments: CoreDType.allCases)
    func access(_ dtype: CoreDType) throws {
        try dtype.with { try access($0) }
    }

    private func access<S: TestScalar>(_: S.Type) throws {
        var m = try Matrix<S>(rows: 2, cols: 3, leadingDimension: 5, elements: [1, 2, 3, 4, 5, 6])
        #expect(m.rows == 2 && m.cols == 3 && m.leadingDimension == 5)
        #expect(m[0, 0] == 1 && m[0, 2] == 3 && m[1, 0] == 4 && m[1, 2] == 6)
        #expect(m.elements == [1, 2, 3, 4, 5, 6], "elements must skip the padding")
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.withRow(1) { span in (0..<span.count).map { span[$0] } } == [4, 5, 6])
        m[1, 1] = 9
        #expect(m.elements == [1, 2, 3, 4, 9, 6])
        m.withMutableRow(0) { row in row[2] = -7 }
        #expect(m.row(0) == [1, 2, -7])
        let filled = try Matrix<S>(rows: 3, cols: 2, repeating: 2.5)
        #expect(filled.elements == [S](repeating: 2.5, count: 6))
        let empty = try Matrix<S>(rows: 0, cols: 4, elements: [])
        #expect(empty.elements.isEmpty && empty.rows == 0)
        // Equality compares shape and elements, not the leading dimension or padding.
        let dense = try Matrix<S>(rows: 2, cols: 3, elements: [1, 2, -7, 4, 9, 6])
        #expect(dense == m)
        #expect(dense != (try Matrix<S>(rows: 3, cols: 2, elements: [1, 2, -7, 4, 9, 6])))
    }

    /// Copy-on-write: mutating a copy (subscript, withMutableRow, an in-place op or an
    /// into-variant) leaves the original as it was.
    @Test(arguments: CoreDType.allCases)
    func copyOnWrite(_ dtype: CoreDType) throws {
        try dtype.with { try copyOnWrite($0) }
    }

    private func copyOnWrite<S: TestScalar>(_: S.Type) throws {
        let original = try Matrix<S>(rows: 2, cols: 2, elements: [1, 2, 3, 4])
        var a = original
        a[0, 0] = 10
        var b = original
        b.withMutableRow(1) { $0[1] = 40 }
        var c = original
        try softmaxInPlace(&c, backend: .c)
        var d = original
        try logSoftmax(original, backend: .c, into: &d)
        #expect(original.elements == [1, 2, 3, 4])
        #expect(a.elements == [10, 2, 3, 4] && b.elements == [1, 2, 3, 40])
        #expect(c.elements != original.elements && d.elements != original.elements)
    }

    /// The ops never read the padding between rows: NaN padding, finite results equal to
    /// those of the same matrix without padding, on every façade backend.
    @Test(arguments: CoreDType.allCases)
    func paddingIsNotRead(_ dtype: CoreDType) throws {
        try dtype.with { try paddingIsNotRead($0) }
    }

    private func paddingIsNotRead<S: TestScalar>(_: S.Type) throws {
        var rng = SplitMix64(seed: 0x9AD)
        let rows = 5, cols = 13
        let values = (0..<rows * cols).map { _ in S(fromDouble: 4 * rng.symmetric()) }
        let dense = try Matrix<S>(rows: rows, cols: cols, elements: values)
        var padded = try Matrix<S>(rows: rows, cols: cols, leadingDimension: cols + 3, repeating: .nan)
        for r in 0..<rows { for c in 0..<cols { padded[r, c] = values[r * cols + c] } }
        #expect(padded == dense)
        for backend in facadeBackends {
            func all(_ m: Matrix<S>) throws -> [[S]] {
                [try logSumExp(m, backend: backend), try softmax(m, backend: backend).elements,
                 try logSoftmax(m, backend: backend).elements, try softArgmax(m, backend: backend)]
            }
            let (got, want) = try withStableISA(for: backend) { (try all(padded), try all(dense)) }
            for (k, (g, w)) in zip(got, want).enumerated() {
                let op = CoreOp.allCases[k].rawValue
                #expect(g.allSatisfy { $0.isFinite }, "\(S.label) .\(backend) \(op): NaN padding leaked into \(g)")
                #expect(g == w, "\(S.label) .\(backend) \(op): padded and dense results differ")
            }
        }
    }
}
