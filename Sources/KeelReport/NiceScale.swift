import Foundation
import KeelCore

/// Axis ticks at "nice" numbers (1, 2 or 5 times a power of ten) covering a data range
/// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
///
/// `lower ≤ min` and `upper ≥ max`, both multiples of `step`; `ticks` runs from `lower` to
/// `upper` in steps of `step` (at most `maxTicks + 1` values for the usual inputs).
public struct NiceScale: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var step: Double

    public init(min: Double, max: Double, maxTicks: Int = 6, includeZero: Bool = false) {
        var lo = Swift.min(min, max), hi = Swift.max(min, max)
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        if includeZero { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
        if lo == hi {
            if lo == 0 { hi = 1 } else {
                let pad = abs(lo) * 0.1
                lo -= pad; hi += pad
                if includeZero { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
            }
        }
        let range = NiceScale.niceNumber(hi - lo, round: false)
        let step = NiceScale.niceNumber(range / Double(Swift.max(1, maxTicks - 1)), round: true)
        self.step = step
        lower = (lo / step).rounded(.down) * step
        upper = (hi / step).rounded(.up) * step
    }

    /// The tick values, `lower … upper` by `step` (computed by multiplication, no drift).
    public var ticks: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...n).map { i in
            let v = lower + Double(i) * step
            return abs(v) < step * 1e-9 ? 0 : v
        }
    }

    /// Decimals needed to print the ticks exactly.
    public var decimals: Int { Swift.max(0, -Int((log10(step)).rounded(.down))) }

    /// The tick label for `v`.
    public func label(_ v: Double) -> String { Markup.number(v, decimals: decimals) }

    /// The nice number near `x`: 1, 2, 5 or 10 times a power of ten; rounded to the nearest when
    /// `round`, else the smallest one not below `x`.
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = (log10(x)).rounded(.down)
        let fraction = x / pow(10, exponent)
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * pow(10, exponent)
    }
}
