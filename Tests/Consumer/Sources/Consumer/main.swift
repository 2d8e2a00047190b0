import SmoothKit

let x = try Matrix<Double>(rows: 2, cols: 3, elements: [1, 2, 3, 0, 0, -.infinity])
let lse = try logSumExp(x)
let p = try softmax(x, temperature: 0.5)
let a = try softArgmax(x, backend: .swift)
print("consumer: logsumexp \(lse), softmax row 1 \(p.row(1)), soft-argmax \(a)")
guard abs(lse[1] - 0.6931471805599453) < 1e-15, p.row(1) == [0.5, 0.5, 0], abs(a[1] - 0.5) < 1e-15 else {
    fatalError("consumer: MISMATCH")
}

// README's zero-copy quick start, as written: views over the caller's arrays.
let features: [Float] = (0..<1000 * 512).map { Float($0 % 7) }
var probabilities = [Float](repeating: 0, count: features.count)
do {  // memory you already hold, no copy: a view in, a view out (views stay in a scope)
    var y = try MutableMatrixView(rows: 1000, cols: 512, elements: probabilities.mutableSpan)
    try softmax(MatrixView(rows: 1000, cols: 512, elements: features.span), into: &y)
}
let rowSum = probabilities[0..<512].reduce(0, +)
print("consumer: view softmax row 0 sums to \(rowSum)")
guard abs(rowSum - 1) < 1e-4 else { fatalError("consumer: MISMATCH (views)") }
