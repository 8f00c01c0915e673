import Foundation
import KeelNumerics

extension PooledRegression {
    /// The k-th smallest element (0-based) by quickselect (Hoare partition, middle pivot);
    /// reorders `v`. Expected O(n).
    static func select(_ v: inout [Double], _ k: Int) -> Double {
        var lo = 0, hi = v.count - 1
        while lo < hi {
            let pivot = v[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while v[j] > pivot { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return v[k] }
        }
        return v[k]
    }

    /// The price elasticities are relative to: the median of the finite positive prices (the mean
    /// of the two middle ones for an even count), 1 when there is none.
    public static func referencePrice<C: Collection<Double>>(_ prices: C) -> Double {
        var observed = prices.filter { $0.isFinite && $0 > 0 }
        guard !observed.isEmpty else { return 1 }
        let m = observed.count
        let upper = select(&observed, m / 2)
        guard m % 2 == 0 else { return upper }
        return 0.5 * (select(&observed, m / 2 - 1) + upper)
    }

    /// 0 = Monday … 6 = Sunday for days since 1970-01-01 (a Thursday).
    static func dayOfWeek(_ day: Int) -> Int { ((day + 3) % 7 + 7) % 7 }

    /// Fits the shared coefficients over `group` (see the type's contract) and returns every
    /// series' forecaster. Throws `.invalidInput` for inconsistent shapes, `.tooShort` when the
    /// group has fewer observed rows than p + #series + 1, `.degenerate` when the normal
    /// equations are not positive definite.
    public func fit(group: [SeriesWithFeatures]) throws(ForecastError) -> Fit {
        try fit(group: group, forecasters: true)
    }

    /// As `fit(group:)`, with `Fit.series` empty: the coefficients and the dispersion only (no
    /// per-series fitted values or forecasters are built — for callers that use the effects
    /// alone, like `DriverEffects`).
    public func coefficients(group: [SeriesWithFeatures]) throws(ForecastError) -> Fit {
        try fit(group: group, forecasters: false)
    }

    private func fit(group: [SeriesWithFeatures], forecasters: Bool) throws(ForecastError) -> Fit {
        let p = columnNames.count
        let e = eventNames.count
        guard !group.isEmpty else { throw .invalidInput("\(name): empty group") }
        if let prior, prior.mean.count != p || prior.precision.count != p || prior.precision.contains(where: { !($0 >= 0) }) {
            throw .invalidInput("\(name): a prior needs \(p) means and \(p) non-negative precisions")
        }
        for s in group {
            let n = s.y.count
            if let v = s.price, v.count != n { throw .invalidInput("\(name): \(s.id): \(v.count) prices for \(n) days") }
            if let v = s.promotion, v.count != n { throw .invalidInput("\(name): \(s.id): \(v.count) promotion flags for \(n) days") }
            if let m = s.events, m.rows != n || m.columns != e {
                throw .invalidInput("\(name): \(s.id): events are \(m.rows)×\(m.columns), expected \(n)×\(e)")
            }
            if let m = s.futureEvents, m.columns != e {
                throw .invalidInput("\(name): \(s.id): future events have \(m.columns) columns, expected \(e)")
            }
        }
        let references = group.map { s -> Double in
            if let r = s.referencePrice, r > 0 { return r }
            return PooledRegression.referencePrice(s.price ?? [])
        }
        let calendar = Calendar(group: group, yearlyTerms: yearlyTerms)

        // Warm start on every 8th series (the Newton steps from β = 0 are the expensive part of
        // convergence), then IRLS over the whole group from there.
        var start = [Double](repeating: 0, count: p)
        if group.count >= 400 {
            let subset = Array(stride(from: 0, to: group.count, by: 8))
            start = try irls(group, subset, references: references, calendar: calendar, start: start, tolerance: 1e-4).beta
        }
        let (beta, iterations, converged) = try irls(
            group, Array(group.indices), references: references, calendar: calendar,
            start: start, tolerance: tolerance)
        return finish(group: group, beta: beta, references: references, calendar: calendar, iterations: iterations, converged: converged,
                      forecasters: forecasters)
    }

    /// IRLS over the series at `indices` from `start` (see the type's contract). Each iteration
    /// accumulates the normal equations over `shardCount` contiguous shards of the series, run
    /// concurrently and summed in shard order, so the result does not depend on scheduling.
    private func irls(
        _ group: [SeriesWithFeatures], _ indices: [Int], references: [Double], calendar: Calendar,
        start: [Double], tolerance: Double
    ) throws(ForecastError) -> (beta: [Double], iterations: Int, converged: Bool) {
        let p = columnNames.count
        var beta = start
        var iterations = 0, converged = false
        let shardCount = indices.count >= 64 ? PooledRegression.shardCount : 1
        let size = (indices.count + shardCount - 1) / shardCount
        let shards = (0..<shardCount).map { k in Array(indices[min(indices.count, k * size)..<min(indices.count, (k + 1) * size)]) }
        while iterations < maxIterations {
            iterations += 1
            let partials = PartialBox(count: shardCount)
            let current = beta
            DispatchQueue.concurrentPerform(iterations: shardCount) { k in
                partials.set(k, accumulate(group, shards[k], references: references, calendar: calendar, beta: current))
            }
            var a = Matrix(rows: p, columns: p)
            var b = [Double](repeating: 0, count: p)
            var totalRows = 0
            for k in 0..<shardCount {
                let part = partials.get(k)
                for i in 0..<(p * p) { a.storage[i] += part.a.storage[i] }
                for j in 0..<p { b[j] += part.b[j] }
                totalRows += part.rows
            }
            let needed = p + indices.count + 1
            guard totalRows >= needed else { throw .tooShort(model: name, needed: needed, got: totalRows) }
            var maxDiagonal = 0.0
            for j in 0..<p { maxDiagonal = max(maxDiagonal, a[j, j]) }
            guard maxDiagonal > 0 else { throw .degenerate(model: name, reason: "no variation in any regressor") }
            for j in 0..<p { a[j, j] += ridge * a[j, j] + 1e-10 * maxDiagonal }
            if let prior {
                for j in 0..<p where prior.precision[j] > 0 {
                    a[j, j] += prior.precision[j]
                    b[j] += prior.precision[j] * prior.mean[j]
                }
            }
            let next: [Double]
            do { next = try a.choleskySolve(b) } catch { throw .degenerate(model: name, reason: "\(error)") }
            var delta = 0.0
            for j in 0..<p { delta = max(delta, abs(next[j] - beta[j])) }
            beta = next
            guard beta.allSatisfy({ $0.isFinite }) else { throw .degenerate(model: name, reason: "non-finite coefficients") }
            if delta < tolerance { converged = true; break }
        }
        return (beta, iterations, converged)
    }

    /// Accumulates `XᵀWX` (centred within series), `XᵀWz` and the observed row count over the
    /// series at `indices`, packing their rows into blocks of up to 16,384 rows per `dsyrk`.
    private func accumulate(
        _ group: [SeriesWithFeatures], _ indices: [Int], references: [Double], calendar: Calendar,
        beta: [Double]
    ) -> Partial {
        let p = columnNames.count
        let longest = indices.map { group[$0].y.count }.max() ?? 0
        // Blocks of up to 16,384 rows, no larger than the rows there are (a group of one short
        // series — `ExogenousLogLinkRegression` — would otherwise pad every block with zeros).
        let blockRows = max(longest, min(16_384, indices.reduce(0) { $0 + group[$1].y.count }))
        var block = Matrix(rows: blockRows, columns: p)
        var zs = [Double](repeating: 0, count: blockRows)
        var ok = [Bool](repeating: false, count: longest), eta = [Double](repeating: 0, count: longest), w = eta
        var xbar = [Double](repeating: 0, count: p)
        var a = Matrix(rows: p, columns: p)
        var b = [Double](repeating: 0, count: p)
        var totalRows = 0
        var used = 0
        func flush() {
            guard used > 0 else { return }
            block.storage.withUnsafeMutableBufferPointer { x in
                for j in 0..<p { (x.baseAddress! + j * blockRows + used).update(repeating: 0, count: blockRows - used) }
            }
            for t in used..<blockRows { zs[t] = 0 }
            let g = block.gram
            for k in 0..<(p * p) { a.storage[k] += g.storage[k] }
            Matrix.gemv(block, zs, transpose: true, beta: 1, into: &b)
            used = 0
        }
        for i in indices {
            let s = group[i]
            let n = s.y.count
            guard n > 0 else { continue }
            if used + n > blockRows { flush() }
            let logReference = log(references[i])
            var rows = 0, sw = 0.0, zbar = 0.0
            block.storage.withUnsafeMutableBufferPointer { xb in
                ok.withUnsafeMutableBufferPointer { okb in
                    eta.withUnsafeMutableBufferPointer { etab in
                        w.withUnsafeMutableBufferPointer { wb in
                            zs.withUnsafeMutableBufferPointer { zb in
                                s.y.withUnsafeBufferPointer { yb in
                                    let x = xb.baseAddress! + used, o = okb.baseAddress!, et = etab.baseAddress!
                                    let wt = wb.baseAddress!, z = zb.baseAddress! + used, y = yb.baseAddress!
                                    fillRows(s, logReference: logReference, calendar: calendar, x: x, ld: blockRows, ok: o)
                                    // η = Xβ
                                    et.update(repeating: 0, count: n)
                                    for j in 0..<p where beta[j] != 0 {
                                        let c = x + j * blockRows, bj = beta[j]
                                        for t in 0..<n { et[t] += c[t] * bj }
                                    }
                                    // exp(η) in w; ℓᵢ = Σy / Σexp(η) over the observed rows.
                                    var sy = 0.0, se = 0.0
                                    for t in 0..<n {
                                        z[t] = 0
                                        if o[t] && y[t].isFinite {
                                            let e = exp(et[t])
                                            wt[t] = e
                                            sy += y[t]; se += e; rows += 1
                                        } else {
                                            wt[t] = 0
                                        }
                                    }
                                    guard sy > 0, se > 0, se.isFinite else {
                                        rows = 0
                                        for j in 0..<p { (x + j * blockRows).update(repeating: 0, count: n) }
                                        return
                                    }
                                    let level = sy / se
                                    // Weights μ, working response z = η + (y − μ)/μ. The weighted
                                    // within-series centring is a rank-one correction afterwards:
                                    // Σw(x−x̄)(x−x̄)ᵀ = Σwxxᵀ − (Σw)·x̄x̄ᵀ, Σw(x−x̄)(z−z̄) = Σwxz − (Σw)·x̄z̄.
                                    var swz = 0.0
                                    for t in 0..<n where wt[t] > 0 {
                                        let mu = level * wt[t]
                                        let zt = et[t] + (y[t] - mu) / mu
                                        wt[t] = mu
                                        sw += mu
                                        swz += mu * zt
                                        z[t] = zt
                                    }
                                    zbar = swz / sw
                                    let weights = UnsafeBufferPointer(start: UnsafePointer(wt), count: n)
                                    for j in 0..<p {
                                        let c = UnsafeBufferPointer(start: UnsafePointer(x + j * blockRows), count: n)
                                        xbar[j] = Matrix.dot(weights, c) / sw
                                    }
                                    for t in 0..<n { let r = wt[t].squareRoot(); wt[t] = r; z[t] *= r }
                                    for j in 0..<p {
                                        let c = x + j * blockRows
                                        for t in 0..<n { c[t] *= wt[t] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            guard rows > 0 else { continue }
            totalRows += rows
            used += n
            for j in 0..<p {
                for k in 0..<p { a.storage[j + k * p] -= sw * xbar[j] * xbar[k] }
                b[j] -= sw * xbar[j] * zbar
            }
        }
        flush()
        return Partial(a: a, b: b, rows: totalRows)
    }

    /// Levels, fitted values, Pearson dispersion and forecasters under the final β.
    private func finish(
        group: [SeriesWithFeatures], beta: [Double], references: [Double], calendar: Calendar,
        iterations: Int, converged: Bool, forecasters: Bool
    ) -> Fit {
        let p = beta.count
        var block = Matrix(rows: 0, columns: p)
        var ok: [Bool] = [], eta: [Double] = []
        var levels = [Double](repeating: 0, count: group.count)
        var fittedAll: [[Double]] = []
        var pearson = 0.0, rows = 0, active = 0
        for (i, s) in group.enumerated() {
            let n = s.y.count
            var fitted = [Double](repeating: .nan, count: forecasters ? n : 0)
            if n > 0 {
                if block.rows != n {
                    block = Matrix(rows: n, columns: p); ok = [Bool](repeating: false, count: n); eta = [Double](repeating: 0, count: n)
                }
                fillHistory(s, logReference: log(references[i]), calendar: calendar, into: &block, ok: &ok)
                Matrix.gemv(block, beta, into: &eta)
                var sy = 0.0, se = 0.0, m = 0
                for t in 0..<n where ok[t] && s.y[t].isFinite { sy += s.y[t]; se += exp(eta[t]); m += 1 }
                let level = sy > 0 && se > 0 ? sy / se : 0
                levels[i] = level
                if forecasters { for t in 0..<n where ok[t] { fitted[t] = level * exp(eta[t]) } }
                if level > 0 {
                    active += 1
                    rows += m
                    for t in 0..<n where ok[t] && s.y[t].isFinite {
                        let mu = level * exp(eta[t])
                        pearson += (s.y[t] - mu) * (s.y[t] - mu) / mu
                    }
                }
            }
            if forecasters { fittedAll.append(fitted) }
        }
        let dispersion = rows > p + active ? pearson / Double(rows - p - active) : 1
        var series: [SeriesFit] = []
        series.reserveCapacity(forecasters ? group.count : 0)
        for (i, s) in group.enumerated() where forecasters {
            let logRef = log(references[i])
            let given = max(s.futurePrice?.count ?? 0, s.futurePromotion?.count ?? 0, s.futureEvents?.rows ?? 0)
            let lastPrice = s.futurePrice?.last(where: { $0.isFinite && $0 > 0 })
            let held = lastPrice.map { log($0) - logRef } ?? 0
            var futureMeans = [Double](repeating: 0, count: given)
            for h in 0..<given {
                let day = s.firstDay + s.y.count + h
                var eta = 0.0
                if let fp = s.futurePrice, h < fp.count, fp[h].isFinite, fp[h] > 0 {
                    eta += beta[0] * (log(fp[h]) - logRef)
                } else {
                    eta += beta[0] * held
                }
                if let fp = s.futurePromotion, h < fp.count, fp[h].isFinite { eta += beta[1] * fp[h] }
                let dow = PooledRegression.dayOfWeek(day)
                if dow > 0 { eta += beta[1 + dow] }
                for k in 0..<yearlyTerms {
                    let a = 2 * Double.pi * Double(k + 1) * Double(day) / 365.25
                    eta += beta[8 + 2 * k] * sin(a) + beta[9 + 2 * k] * cos(a)
                }
                if let fe = s.futureEvents, h < fe.rows {
                    for j in 0..<eventNames.count where fe[h, j].isFinite { eta += beta[8 + 2 * yearlyTerms + j] * fe[h, j] }
                }
                futureMeans[h] = levels[i] * exp(eta)
            }
            series.append(
                SeriesFit(
                    name: name, id: s.id, level: levels[i], fitted: fittedAll[i], futureMeans: futureMeans, coefficients: beta,
                    yearlyTerms: yearlyTerms, firstFutureDay: s.firstDay + s.y.count, heldLogPrice: held, dispersion: dispersion))
        }
        return Fit(columnNames: columnNames, coefficients: beta, dispersion: dispersion, iterations: iterations, converged: converged, series: series)
    }

    /// Writes series `s`'s history design (`n × p`, column-major) into `block`; `ok[t]` is false
    /// where a regressor is missing (the row is then zero).
    private func fillHistory(_ s: SeriesWithFeatures, logReference: Double, calendar: Calendar, into block: inout Matrix, ok: inout [Bool]) {
        let n = s.y.count
        block.storage.withUnsafeMutableBufferPointer { x in
            ok.withUnsafeMutableBufferPointer { o in
                fillRows(s, logReference: logReference, calendar: calendar, x: x.baseAddress!, ld: n, ok: o.baseAddress!)
            }
        }
    }

    /// `fillHistory` into column-major storage with leading dimension `ld` (row 0 of the series
    /// at `x`, column j at `x + j·ld`).
    private func fillRows(
        _ s: SeriesWithFeatures, logReference: Double, calendar: Calendar,
        x: UnsafeMutablePointer<Double>, ld: Int, ok: UnsafeMutablePointer<Bool>
    ) {
        let n = s.y.count
        let e = eventNames.count
        let p = columnNames.count
        ok.update(repeating: true, count: n)
        // log relative price
        if let price = s.price {
            price.withUnsafeBufferPointer { price in
                var lastPrice = Double.nan, lastLog = 0.0
                for t in 0..<n {
                    let v = price[t]
                    if v.isFinite && v > 0 {
                        if v != lastPrice { lastPrice = v; lastLog = log(v) - logReference }
                        x[t] = lastLog
                    } else {
                        x[t] = 0; ok[t] = false
                    }
                }
            }
        } else {
            x.update(repeating: 0, count: n)
        }
        // promotion
        let promo = x + ld
        if let promotion = s.promotion {
            promotion.withUnsafeBufferPointer { promotion in
                for t in 0..<n {
                    let v = promotion[t]
                    if v.isFinite { promo[t] = v } else { promo[t] = 0; ok[t] = false }
                }
            }
        } else {
            promo.update(repeating: 0, count: n)
        }
        // day of week (Monday baseline), yearly Fourier: from the calendar table
        let offset = s.firstDay - calendar.firstDay
        for j in 0..<6 { (x + (2 + j) * ld).update(repeating: 0, count: n) }
        calendar.dayOfWeek.withUnsafeBufferPointer { dow in
            for t in 0..<n {
                let d = dow[offset + t]
                if d > 0 { x[(1 + d) * ld + t] = 1 }
            }
        }
        for k in 0..<(2 * yearlyTerms) {
            calendar.fourier[k].withUnsafeBufferPointer { column in
                (x + (8 + k) * ld).update(from: column.baseAddress! + offset, count: n)
            }
        }
        // events
        let base = 8 + 2 * yearlyTerms
        for j in 0..<e {
            let out = x + (base + j) * ld
            if let events = s.events {
                events.storage.withUnsafeBufferPointer { ev in
                    for t in 0..<n {
                        let v = ev[t + j * n]
                        if v.isFinite { out[t] = v } else { out[t] = 0; ok[t] = false }
                    }
                }
            } else {
                out.update(repeating: 0, count: n)
            }
        }
        for t in 0..<n where !ok[t] { for j in 0..<p { x[t + j * ld] = 0 } }
    }

    /// Day-of-week and yearly Fourier values over every history day of the group, computed once.
    struct Calendar {
        let firstDay: Int
        let dayOfWeek: [Int]
        let fourier: [[Double]]  // 2·yearlyTerms columns: sin k, cos k

        init(group: [SeriesWithFeatures], yearlyTerms: Int) {
            let first = group.map(\.firstDay).min() ?? 0
            let last = group.map { $0.firstDay + $0.y.count }.max() ?? first
            let count = max(0, last - first)
            firstDay = first
            dayOfWeek = (0..<count).map { PooledRegression.dayOfWeek(first + $0) }
            var columns: [[Double]] = []
            for k in 0..<yearlyTerms {
                var s = [Double](repeating: 0, count: count), c = s
                for d in 0..<count {
                    let a = 2 * Double.pi * Double(k + 1) * Double(first + d) / 365.25
                    s[d] = sin(a)
                    c[d] = cos(a)
                }
                columns.append(s)
                columns.append(c)
            }
            fourier = columns
        }
    }
}

/// One shard's share of the normal equations.
struct Partial: Sendable {
    var a: Matrix
    var b: [Double]
    var rows: Int
}

/// Slots for the shards' results, each written by exactly one `concurrentPerform` iteration.
private final class PartialBox: @unchecked Sendable {
    private var slots: [Partial?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ value: Partial) { lock.lock(); slots[k] = value; lock.unlock() }
    func get(_ k: Int) -> Partial { lock.lock(); defer { lock.unlock() }; return slots[k]! }
}

extension PooledRegression {
    /// Fixed number of shards per IRLS iteration (independent of the machine, so results are
    /// bit-identical everywhere); they run on up to that many cores.
    static let shardCount = 4
}
