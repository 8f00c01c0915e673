import Foundation
import KeelNumerics

/// The STL inner loops over raw pointers into one workspace (no allocation). Index arithmetic
/// keeps the Fortran's 1-based positions (`xs`, `nleft`, `nright`) so that the code can be read
/// against statsmodels' `_stl.pyx` routine by routine: `est`, `ess`, `ss`, `fts`, `ma`, `rwts`.
struct STLKernel {
    let n: Int
    let np: Int, ns: Int, nt: Int, nl: Int
    let isdeg: Int, itdeg: Int, ildeg: Int
    let nsjump: Int, ntjump: Int, nljump: Int
    let y: UnsafePointer<Double>
    let trend: UnsafeMutablePointer<Double>
    let season: UnsafeMutablePointer<Double>
    let rw: UnsafeMutablePointer<Double>
    /// Five rows of `n + 2·np`: statsmodels' `work[0…4]`.
    let w0, w1, w2, w3, w4: UnsafeMutablePointer<Double>
    var useRobustWeights = false
    let operators: LoessOperators

    init(
        config c: STL, n: Int, y: UnsafePointer<Double>, trend: UnsafeMutablePointer<Double>,
        season: UnsafeMutablePointer<Double>, rw: UnsafeMutablePointer<Double>,
        work: UnsafeMutablePointer<Double>, width: Int, operators: LoessOperators
    ) {
        self.operators = operators
        self.n = n
        np = c.period; ns = c.seasonal; nt = c.trend; nl = c.lowPass
        isdeg = c.seasonalDegree; itdeg = c.trendDegree; ildeg = c.lowPassDegree
        nsjump = c.seasonalJump; ntjump = c.trendJump; nljump = c.lowPassJump
        self.y = y; self.trend = trend; self.season = season; self.rw = rw
        w0 = work; w1 = work + width; w2 = work + 2 * width; w3 = work + 3 * width; w4 = work + 4 * width
    }

    /// `inner` passes of: detrend → cycle-subseries smoothing → low-pass removal → trend loess.
    mutating func oneStep(_ inner: Int) {
        for _ in 0..<inner {
            for i in 0..<n { w0[i] = y[i] - trend[i] }
            seasonalSmoothing()
            lowPassFilter()
            Self.ess(w2, n, nl, ildeg, nljump, false, w3, w0, w4, operators)
            for i in 0..<n {
                season[i] = w1[np + i] - w0[i]
                w0[i] = y[i] - season[i]
            }
            Self.ess(w0, n, nt, itdeg, ntjump, useRobustWeights, rw, trend, w2, operators)
        }
    }

    /// Bisquare robustness weights of `y − (trend + season)` scaled by 6 × median absolute remainder.
    func robustnessWeights() {
        var r = [Double](repeating: 0, count: n)  // one allocation per outer iteration
        for i in 0..<n { r[i] = abs(y[i] - trend[i] - season[i]) }
        for i in 0..<n { rw[i] = r[i] }
        r.sort()
        let mid0 = n / 2, mid1 = n - mid0 - 1
        let cmad = 3.0 * (r[mid0] + r[mid1])
        if cmad == 0 {
            for i in 0..<n { rw[i] = 1 }
            return
        }
        let c9 = 0.999 * cmad, c1 = 0.001 * cmad
        for i in 0..<n {
            let v = rw[i]
            if v <= c1 {
                rw[i] = 1
            } else if v <= c9 {
                let u = v / cmad
                rw[i] = (1 - u * u) * (1 - u * u)
            } else {
                rw[i] = 0
            }
        }
    }

    /// `ss`: loess of every cycle-subseries of `w0`, extended by one value at each end, into `w1`
    /// (length `n + 2·np`). Uses `w2` (subseries), `w3` (its robustness weights), `w4` (its fit),
    /// and `season` as scratch for the loess weights.
    private func seasonalSmoothing() {
        let work1 = w2, work2 = w3, work3 = w4, work4 = season
        for j in 0..<np {
            let k = (n - (j + 1)) / np + 1
            for i in 0..<k { work1[i] = w0[i * np + j] }
            if useRobustWeights { for i in 0..<k { work3[i] = rw[i * np + j] } }
            Self.ess(work1, k, ns, isdeg, nsjump, useRobustWeights, work3, work2 + 1, work4, operators)
            let nright = min(ns, k)
            work2[0] = Self.est(work1, k, ns, isdeg, 0, 1, nright, work4, useRobustWeights, work3)
            if work2[0].isNaN { work2[0] = work2[1] }
            let nleft = max(1, k - ns + 1)
            work2[k + 1] = Self.est(work1, k, ns, isdeg, k + 1, nleft, k, work4, useRobustWeights, work3)
            if work2[k + 1].isNaN { work2[k + 1] = work2[k] }
            for m in 0..<(k + 2) { w1[m * np + j] = work2[m] }
        }
    }

    /// `fts`: moving averages of lengths np, np, 3 of `w1` (length n + 2np) into `w2` (length n).
    private func lowPassFilter() {
        Self.movingAverage(w1, n + 2 * np, np, w2)
        Self.movingAverage(w2, n + np + 1, np, w0)
        Self.movingAverage(w0, n + 2, 3, w2)
    }

    /// `ma`: running mean of length `len` of `x[0..<n]` into `ave[0..<n − len + 1]`.
    static func movingAverage(_ x: UnsafeMutablePointer<Double>, _ n: Int, _ len: Int, _ ave: UnsafeMutablePointer<Double>) {
        let newn = n - len + 1
        let flen = Double(len)
        var v = 0.0
        for i in 0..<len { v += x[i] }
        ave[0] = v / flen
        var k = len, m = 0
        for j in 1..<max(1, newn) {
            v += x[k] - x[m]
            ave[j] = v / flen
            k += 1
            m += 1
        }
    }

    /// `est`: the loess fit at 1-based position `xs` from `y[nleft−1 ..< nright]` with tricube
    /// weights (times `rw` when `userw`), local constant (`ideg` 0) or linear (1). NaN when all
    /// weights vanish. `w` receives the weights.
    @inline(__always)
    static func est(
        _ y: UnsafeMutablePointer<Double>, _ n: Int, _ len: Int, _ ideg: Int, _ xs: Int, _ nleft: Int, _ nright: Int,
        _ w: UnsafeMutablePointer<Double>, _ userw: Bool, _ rw: UnsafeMutablePointer<Double>
    ) -> Double {
        guard weights(n, len, ideg, xs, nleft, nright, w, userw, rw) else { return .nan }
        var ys = 0.0
        for j in (nleft - 1)..<nright { ys += w[j] * y[j] }
        return ys
    }

    /// The equivalent kernel of `est`: writes into `w[nleft−1 ..< nright]` the weights whose dot
    /// product with `y` is the loess fit at `xs`; false when they all vanish.
    @inline(__always)
    static func weights(
        _ n: Int, _ len: Int, _ ideg: Int, _ xs: Int, _ nleft: Int, _ nright: Int,
        _ w: UnsafeMutablePointer<Double>, _ userw: Bool, _ rw: UnsafeMutablePointer<Double>
    ) -> Bool {
        let rng = Double(n) - 1.0
        var h = Double(max(xs - nleft, nright - xs))
        if len > n { h += Double((len - n) / 2) }
        let h9 = 0.999 * h, h1 = 0.001 * h
        var a = 0.0
        for j in (nleft - 1)..<nright {
            w[j] = 0
            let r = abs(Double(j + 1 - xs))
            if r <= h9 {
                if r <= h1 {
                    w[j] = 1
                } else {
                    let q = r / h
                    let t = 1 - q * q * q
                    w[j] = t * t * t
                }
                if userw { w[j] *= rw[j] }
                a += w[j]
            }
        }
        if a <= 0 { return false }
        for j in (nleft - 1)..<nright { w[j] /= a }
        if h > 0, ideg > 0 {
            a = 0
            for j in (nleft - 1)..<nright { a += w[j] * Double(j + 1) }
            var b = Double(xs) - a
            var c = 0.0
            for j in (nleft - 1)..<nright { let d = Double(j + 1) - a; c += w[j] * d * d }
            if c.squareRoot() > 0.001 * rng {
                b /= c
                for j in (nleft - 1)..<nright { w[j] *= b * (Double(j + 1) - a) + 1 }
            }
        }
        return true
    }

    /// `ess`: loess smoothing of `y[0..<n]` with span `len` into `ys`, evaluating every `njump`
    /// points and interpolating linearly between them. `res` is scratch for the weights.
    static func ess(
        _ y: UnsafeMutablePointer<Double>, _ n: Int, _ len: Int, _ ideg: Int, _ njump: Int, _ userw: Bool,
        _ rw: UnsafeMutablePointer<Double>, _ ys: UnsafeMutablePointer<Double>, _ res: UnsafeMutablePointer<Double>,
        _ operators: LoessOperators? = nil
    ) {
        if n < 2 {
            ys[0] = y[0]
            return
        }
        let newnj = min(njump, n - 1)
        if let operators, !userw, newnj == 1, len < n {
            // Without robustness weights the loess fit is a fixed linear operator: the window always
            // holds `len` points and its weights depend only on the offset of `xs` in it.
            let kernel = operators.kernel(n: n, len: len, ideg: ideg)
            let nsh = (len + 2) / 2
            var nleft = 1, nright = len
            for i in 0..<n {
                if i + 1 > nsh, nright != n {
                    nleft += 1
                    nright += 1
                }
                ys[i] = LoessOperators.dot(kernel + (i - nleft + 1) * len, UnsafePointer(y + nleft - 1), len)
            }
            return
        }
        var nleft = 0, nright = 0
        if len >= n {
            nleft = 1
            nright = n
            var i = 0
            while i < n {
                ys[i] = est(y, n, len, ideg, i + 1, nleft, nright, res, userw, rw)
                if ys[i].isNaN { ys[i] = y[i] }
                i += newnj
            }
        } else if newnj == 1 {
            let nsh = (len + 2) / 2
            nleft = 1
            nright = len
            for i in 0..<n {
                if i + 1 > nsh, nright != n {
                    nleft += 1
                    nright += 1
                }
                ys[i] = est(y, n, len, ideg, i + 1, nleft, nright, res, userw, rw)
                if ys[i].isNaN { ys[i] = y[i] }
            }
        } else {
            let nsh = (len + 1) / 2
            var i = 0
            while i < n {
                if i + 1 < nsh {
                    nleft = 1
                    nright = len
                } else if i + 1 >= n - nsh + 1 {
                    nleft = n - len + 1
                    nright = n
                } else {
                    nleft = i + 1 - nsh + 1
                    nright = len + i + 1 - nsh
                }
                ys[i] = est(y, n, len, ideg, i + 1, nleft, nright, res, userw, rw)
                if ys[i].isNaN { ys[i] = y[i] }
                i += newnj
            }
        }
        if newnj == 1 { return }
        var i = 0
        while i < n - newnj {
            let delta = (ys[i + newnj] - ys[i]) / Double(newnj)
            for j in i..<(i + newnj) { ys[j] = ys[i] + delta * Double(j - i) }
            i += newnj
        }
        let k = ((n - 1) / newnj) * newnj + 1
        if k != n {
            ys[n - 1] = est(y, n, len, ideg, n, nleft, nright, res, userw, rw)
            if ys[n - 1].isNaN { ys[n - 1] = y[n - 1] }
            if k != n - 1 {
                let delta = (ys[n - 1] - ys[k - 1]) / Double(n - k)
                for j in k..<n { ys[j] = ys[k - 1] + delta * Double(j + 1 - k) }
            }
        }
    }
}

/// Cached loess operators for `STLKernel.ess` without robustness weights: for each
/// `(n, len, degree)` a `len × len` table whose row `d` holds the weights of the fit at offset `d`
/// of a `len`-point window (from `STLKernel.weights`, so the fit equals `est` up to rounding,
/// ≈ 1e-16 relative). Tables are immutable once built and shared process-wide (a batch of
/// series of one length builds each table once; at most 64 tables, 8·len² bytes each, are kept).
/// A `LoessOperators` value holds the tables one decomposition uses; it is not thread-safe and
/// is owned by that decomposition.
final class LoessOperators {
    struct Key: Hashable { var n: Int, len: Int, degree: Int }
    private var tables: [Key: LoessTable] = [:]

    init() {}

    func kernel(n: Int, len: Int, ideg: Int) -> UnsafePointer<Double> {
        let key = Key(n: n, len: len, degree: ideg)
        if let t = tables[key] { return UnsafePointer(t.pointer) }
        let t = LoessTable.shared(key)
        tables[key] = t
        return UnsafePointer(t.pointer)
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        if count >= 48 {
            return Matrix.dot(UnsafeBufferPointer(start: a, count: count), UnsafeBufferPointer(start: b, count: count))
        }
        var s0 = 0.0, s1 = 0.0
        var j = 0
        while j + 1 < count { s0 += a[j] * b[j]; s1 += a[j + 1] * b[j + 1]; j += 2 }
        if j < count { s0 += a[j] * b[j] }
        return s0 + s1
    }
}

/// One immutable loess operator table (see `LoessOperators`).
final class LoessTable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>

    init(_ key: LoessOperators.Key) {
        let len = key.len
        pointer = UnsafeMutablePointer<Double>.allocate(capacity: len * len)
        pointer.initialize(repeating: 0, count: len * len)
        let dummy = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        defer { dummy.deallocate() }
        for d in 0..<len {
            _ = STLKernel.weights(key.n, len, key.degree, d + 1, 1, len, pointer + d * len, false, dummy)
        }
    }

    deinit { pointer.deallocate() }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [LoessOperators.Key: LoessTable] = [:]

    /// The table for `key`, built on first use. Thread-safe.
    static func shared(_ key: LoessOperators.Key) -> LoessTable {
        lock.lock()
        if let t = cache[key] { lock.unlock(); return t }
        lock.unlock()
        let t = LoessTable(key)  // built outside the lock; a racing builder gives an identical table
        lock.lock()
        defer { lock.unlock() }
        if let existing = cache[key] { return existing }
        if cache.count >= 64 { cache.removeAll() }
        cache[key] = t
        return t
    }
}
