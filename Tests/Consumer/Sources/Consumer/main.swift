import SmoothKit

let x = try Matrix<Double>(rows: 2, cols: 3, elements: [1, 2, 3, 0, 0, -.infinity])
let lse = try logSumExp(x)
let p = try softmax(x, temperature: 0.5)
let a = try softArgmax(x, backend: .swift)
print("consumer: logsumexp \(lse), softmax row 1 \(p.row(1)), soft-argmax \(a)")
guard abs(lse[1] - 0.6931471805599453) < 1e-15, p.row(1) == [0.5, 0.5, 0], abs(a[1] - 0.5) < 1e-15 else {
    fatalError("consumer: MISMATCH")
}
