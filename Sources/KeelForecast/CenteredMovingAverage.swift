/// The classical decomposition's trend: the centred moving average of order m at t (a 2×m
/// average for even m, so the window stays centred), as in R's `decompose` and statsforecast.
/// Requires m/2 ≤ t < y.count − m/2. The summation order is fixed (ends first) so every caller
/// gets bit-identical values.
@inline(__always)
func centeredMovingAverage(_ y: [Double], at t: Int, period m: Int) -> Double {
    let half = m / 2
    var s = 0.0
    if m % 2 == 0 {
        s = 0.5 * y[t - half] + 0.5 * y[t + half]
        for j in (t - half + 1)..<(t + half) { s += y[j] }
    } else {
        for j in (t - half)...(t + half) { s += y[j] }
    }
    return s / Double(m)
}
