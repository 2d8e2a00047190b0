import Testing
import SmoothKit
@Test func smoke() throws {
    let x = try Matrix<Float>(rows: 2, cols: 3, elements: [1, 2, 3, 0, 0, -.infinity])
    print(try logSumExp(x), try softmax(x), try logSoftmax(x), try softArgmax(x), InstructionSet.active, InstructionSet.supported)
    var y = x; try softmaxInPlace(&y); print(y)
}
