/// Seasonal-Trend decomposition by Loess (Cleveland, Cleveland, McRae & Terpenning 1990),
/// a line-for-line port of statsmodels' `STL` (itself a port of the netlib Fortran `stl.f`).
///
/// `y = trend + seasonal + remainder`. Each inner iteration (1) detrends, (2) smooths every
/// cycle-subseries (all observations `j, j + period, j + 2·period, …`) by loess of span
/// `seasonal` and degree `seasonalDegree`, extended one cycle at each end, (3) removes from that
/// the low-pass filter (moving averages of lengths `period`, `period`, 3, then loess of span
/// `lowPass`), giving the seasonal, and (4) smooths the deseasonalised series by loess of span
/// `trend`. The robust variant runs outer iterations that down-weight large remainders by the
/// bisquare of `|r| / (6·median|r|)`.
///
/// Defaults are statsmodels': `seasonal = 7`, `trend` = the next odd integer ≥
/// `1.5·period / (1 − 1.5/seasonal)`, `lowPass` = the next odd integer > `period`, degrees 1,
/// jumps 1, `robust = false`; inner iterations 5 (2 when robust), outer iterations 0 (15 when
/// robust). Following the same arithmetic in the same order, the components match statsmodels
/// to about 1e-13 of the component scale (see `MSTLTests`).
///
/// Cost: O(n·(seasonal + trend + lowPass)) per inner iteration; the loess loops run over one
/// preallocated workspace and allocate nothing. Missing values are not accepted (`MSTL`
/// interpolates them before calling this).
public struct STL: Sendable, Hashable {
    public var period: Int
    public var seasonal: Int
    public var trend: Int
    public var lowPass: Int
    public var seasonalDegree: Int
    public var trendDegree: Int
    public var lowPassDegree: Int
    public var robust: Bool
    public var seasonalJump: Int
    public var trendJump: Int
    public var lowPassJump: Int

    /// The components of one decomposition, each `y.count` long.
    public struct Components: Sendable, Equatable {
        public var trend: [Double]
        public var seasonal: [Double]
        public var remainder: [Double]
        /// The final robustness weights (all 1 when not robust).
        public var weights: [Double]
    }

    /// Validates the spans like statsmodels: `period ≥ 2`; `seasonal` odd ≥ 3; `trend` and
    /// `lowPass` odd ≥ 3 and greater than `period`; degrees 0 or 1; jumps ≥ 1.
    public init(
        period: Int, seasonal: Int = 7, trend: Int? = nil, lowPass: Int? = nil,
        seasonalDegree: Int = 1, trendDegree: Int = 1, lowPassDegree: Int = 1, robust: Bool = false,
        seasonalJump: Int = 1, trendJump: Int = 1, lowPassJump: Int = 1
    ) throws(ForecastError) {
        guard period >= 2 else { throw .invalidInput("STL: period must be ≥ 2, got \(period)") }
        guard seasonal >= 3, seasonal % 2 == 1 else { throw .invalidInput("STL: seasonal must be odd ≥ 3, got \(seasonal)") }
        var nt = trend ?? Int((1.5 * Double(period) / (1 - 1.5 / Double(seasonal))).rounded(.up))
        if trend == nil, nt % 2 == 0 { nt += 1 }
        guard nt >= 3, nt % 2 == 1, nt > period else { throw .invalidInput("STL: trend must be odd ≥ 3 and > period, got \(nt)") }
        var nl = lowPass ?? period + 1
        if lowPass == nil, nl % 2 == 0 { nl += 1 }
        guard nl >= 3, nl % 2 == 1, nl > period else { throw .invalidInput("STL: low_pass must be odd ≥ 3 and > period, got \(nl)") }
        for d in [seasonalDegree, trendDegree, lowPassDegree] where !(0...1).contains(d) {
            throw .invalidInput("STL: loess degrees must be 0 or 1, got \(d)")
        }
        guard seasonalJump >= 1, trendJump >= 1, lowPassJump >= 1 else { throw .invalidInput("STL: jumps must be ≥ 1") }
        self.period = period
        self.seasonal = seasonal
        self.trend = nt
        self.lowPass = nl
        self.seasonalDegree = seasonalDegree
        self.trendDegree = trendDegree
        self.lowPassDegree = lowPassDegree
        self.robust = robust
        self.seasonalJump = seasonalJump
        self.trendJump = trendJump
        self.lowPassJump = lowPassJump
    }

    /// Decomposes `y` (finite values). Like statsmodels any length ≥ 2 is accepted, but with
    /// fewer than two full cycles the seasonal is poorly determined (`MSTL` drops such periods).
    /// Throws `.invalidInput` for non-finite values and `.tooShort` below 2 observations.
    public func decompose(_ y: [Double], innerIterations: Int? = nil, outerIterations: Int? = nil) throws(ForecastError) -> Components {
        try decompose(y, innerIterations: innerIterations, outerIterations: outerIterations, operators: LoessOperators())
    }

    /// `decompose` reusing loess operators across calls (`MSTL`).
    func decompose(_ y: [Double], innerIterations: Int?, outerIterations: Int?, operators: LoessOperators) throws(ForecastError) -> Components {
        let n = y.count
        guard n >= 2 else { throw .tooShort(model: "STL", needed: 2, got: n) }
        guard y.allSatisfy(\.isFinite) else { throw .invalidInput("STL: the series has missing or non-finite values") }
        let inner = innerIterations ?? (robust ? 2 : 5)
        let outer = outerIterations ?? (robust ? 15 : 0)
        var trendOut = [Double](repeating: 0, count: n)
        var seasonOut = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 1, count: n)
        let width = n + 2 * period
        var work = [Double](repeating: 0, count: 5 * width)
        y.withUnsafeBufferPointer { py in
            trendOut.withUnsafeMutableBufferPointer { pt in
                seasonOut.withUnsafeMutableBufferPointer { ps in
                    weights.withUnsafeMutableBufferPointer { prw in
                        work.withUnsafeMutableBufferPointer { pw in
                            var kernel = STLKernel(
                                config: self, n: n, y: py.baseAddress!, trend: pt.baseAddress!, season: ps.baseAddress!,
                                rw: prw.baseAddress!, work: pw.baseAddress!, width: width, operators: operators)
                            var k = 0
                            while true {
                                kernel.oneStep(inner)
                                k += 1
                                if k > outer { break }
                                kernel.robustnessWeights()
                                kernel.useRobustWeights = true
                            }
                        }
                    }
                }
            }
        }
        var remainder = [Double](repeating: 0, count: n)
        for i in 0..<n { remainder[i] = y[i] - seasonOut[i] - trendOut[i] }
        return Components(trend: trendOut, seasonal: seasonOut, remainder: remainder, weights: weights)
    }
}
