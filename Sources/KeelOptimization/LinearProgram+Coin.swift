/// Pointers to the arrays `Clp_loadProblem`/`Cbc_loadProblem` take, valid inside a closure.
struct CoinArrays {
    var columns: Int32
    var rows: Int32
    var starts: UnsafePointer<Int32>?
    var index: UnsafePointer<Int32>?
    var value: UnsafePointer<Double>?
    var columnLower: UnsafePointer<Double>?
    var columnUpper: UnsafePointer<Double>?
    var objective: UnsafePointer<Double>?
    var rowLower: UnsafePointer<Double>?
    var rowUpper: UnsafePointer<Double>?
}

extension LinearProgram {
    /// Lends the CSC arrays and bounds (infinities mapped to `DBL_MAX`) to `body`; call
    /// `validate()` first. The solvers copy everything during `loadProblem`.
    func withCoinArrays<R>(_ body: (CoinArrays) -> R) -> R {
        let a = constraints
        let cl = Self.coinBounds(columnLower), cu = Self.coinBounds(columnUpper)
        let rl = Self.coinBounds(rowLower), ru = Self.coinBounds(rowUpper)
        return a.columnStarts.withUnsafeBufferPointer { starts in
            a.rowIndices.withUnsafeBufferPointer { index in
                a.values.withUnsafeBufferPointer { value in
                    cl.withUnsafeBufferPointer { cl in
                        cu.withUnsafeBufferPointer { cu in
                            objective.withUnsafeBufferPointer { obj in
                                rl.withUnsafeBufferPointer { rl in
                                    ru.withUnsafeBufferPointer { ru in
                                        body(CoinArrays(
                                            columns: Int32(a.columns), rows: Int32(a.rows),
                                            starts: starts.baseAddress, index: index.baseAddress,
                                            value: value.baseAddress, columnLower: cl.baseAddress,
                                            columnUpper: cu.baseAddress, objective: obj.baseAddress,
                                            rowLower: rl.baseAddress, rowUpper: ru.baseAddress))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Copies `count` doubles from a solver-owned array (empty when the pointer is null).
func copyArray(_ pointer: UnsafePointer<Double>?, count: Int) -> [Double] {
    guard let pointer, count > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: count))
}
