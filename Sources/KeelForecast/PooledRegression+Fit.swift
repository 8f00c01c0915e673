import Foundation
import KeelNumerics

extension PooledRegression {
    /// 0 = Monday … 6 = Sunday for days since 1970-01-01 (a Thursday).
    static func dayOfWeek(_ day: Int) -> Int { ((day + 3) % 7 + 7) % 7 }

    /// Fits the shared coefficients over `group` (see the type's contract) and returns every
    /// series' forecaster. Throws `.invalidInput` for inconsistent shapes, `.tooShort` when the
    /// group has fewer observed rows than p + #series + 1, `.degenerate` when the normal
    /// equations are not positive definite.
    public func fit(group: [SeriesWithFeatures]) throws(ForecastError) -> Fit {
        let p = columnNames.count
        let e = eventNames.count
        guard !group.isEmpty else { throw .invalidInput("\(name): empty group") }
        for s in group {
            let n = s.y.count
            if let v = s.price, v.count != n { throw .invalidInput("\(name): \(s.id): \(v.count) prices for \(n) days") }
            if let v = s.promotion, v.count != n { throw .invalidInput("\(name): \(s.id): \(v.count) promotion flags for \(n) days") }
            if let m = s.events, m.rows != n || m.columns != e {
                throw .invalidInput("\(name): \(s.id): events are \(m.rows)×\(m.columns), expected \(n)×\(e)")
            }
            if let m = s.futureEvents, m.columns != e { throw .invalidInput("\(name): \(s.id): future events have \(m.columns) columns, expected \(e)") }
        }
        let references = group.map { s -> Double in
            if let r = s.referencePrice, r > 0 { return r }
            let observed = (s.price ?? []).filter { $0.isFinite && $0 > 0 }.sorted()
            guard !observed.isEmpty else { return 1 }
            let m = observed.count
            return m % 2 == 1 ? observed[m / 2] : 0.5 * (observed[m / 2 - 1] + observed[m / 2])
        }
        let calendar = Calendar(group: group, yearlyTerms: yearlyTerms)

        var beta = [Double](repeating: 0, count: p)
        var block = Matrix(rows: 0, columns: p)
        var ok: [Bool] = [], eta: [Double] = [], z: [Double] = [], w: [Double] = []
        var xbar = [Double](repeating: 0, count: p)
        var iterations = 0, converged = false
        var totalRows = 0
        while iterations < maxIterations {
            iterations += 1
            var a = Matrix(rows: p, columns: p)
            var b = [Double](repeating: 0, count: p)
            totalRows = 0
            for (i, s) in group.enumerated() {
                let n = s.y.count
                guard n > 0 else { continue }
                if block.rows != n {
                    block = Matrix(rows: n, columns: p)
                    ok = [Bool](repeating: false, count: n)
                    eta = [Double](repeating: 0, count: n); z = eta; w = eta
                }
                fillHistory(s, logReference: log(references[i]), calendar: calendar, into: &block, ok: &ok)
                Matrix.gemv(block, beta, into: &eta)
                // exp(η) kept in `w`; ℓᵢ = Σy / Σexp(η) over the observed rows.
                var sy = 0.0, se = 0.0, rows = 0
                for t in 0..<n {
                    z[t] = 0
                    if ok[t] && s.y[t].isFinite {
                        let e = exp(eta[t])
                        w[t] = e
                        sy += s.y[t]; se += e; rows += 1
                    } else {
                        w[t] = 0
                    }
                }
                guard sy > 0, se > 0, se.isFinite else { continue }
                totalRows += rows
                let level = sy / se
                // Weights μ, working response z; the weighted within-series centring is applied
                // afterwards as a rank-one correction: Σw(x−x̄)(x−x̄)ᵀ = Σwxxᵀ − (Σw)·x̄x̄ᵀ and
                // Σw(x−x̄)(z−z̄) = Σwxz − (Σw)·x̄z̄.
                var sw = 0.0, swz = 0.0
                for t in 0..<n where w[t] > 0 {
                    let mu = level * w[t]
                    let zt = eta[t] + (s.y[t] - mu) / mu
                    w[t] = mu
                    sw += mu
                    swz += mu * zt
                    z[t] = zt
                }
                Matrix.gemv(block, w, transpose: true, into: &xbar)
                for j in 0..<p { xbar[j] /= sw }
                let zbar = swz / sw
                for t in 0..<n { let r = w[t].squareRoot(); w[t] = r; z[t] *= r }
                block.storage.withUnsafeMutableBufferPointer { x in
                    for j in 0..<p {
                        let column = x.baseAddress! + j * n
                        for t in 0..<n { column[t] *= w[t] }
                    }
                }
                let g = block.gram
                for k in 0..<(p * p) { a.storage[k] += g.storage[k] }
                for j in 0..<p {
                    for k in 0..<p { a.storage[j + k * p] -= sw * xbar[j] * xbar[k] }
                    b[j] -= sw * xbar[j] * zbar
                }
                Matrix.gemv(block, z, transpose: true, beta: 1, into: &b)
            }
            let needed = p + group.count + 1
            guard totalRows >= needed else { throw .tooShort(model: name, needed: needed, got: totalRows) }
            var maxDiagonal = 0.0
            for j in 0..<p { maxDiagonal = max(maxDiagonal, a[j, j]) }
            guard maxDiagonal > 0 else { throw .degenerate(model: name, reason: "no variation in any regressor") }
            for j in 0..<p { a[j, j] += ridge * a[j, j] + 1e-10 * maxDiagonal }
            let next: [Double]
            do { next = try a.choleskySolve(b) } catch { throw .degenerate(model: name, reason: "\(error)") }
            var delta = 0.0
            for j in 0..<p { delta = max(delta, abs(next[j] - beta[j])) }
            beta = next
            guard beta.allSatisfy({ $0.isFinite }) else { throw .degenerate(model: name, reason: "non-finite coefficients") }
            if delta < tolerance { converged = true; break }
        }
        return finish(group: group, beta: beta, references: references, calendar: calendar, iterations: iterations, converged: converged)
    }

    /// Levels, fitted values, Pearson dispersion and forecasters under the final β.
    private func finish(group: [SeriesWithFeatures], beta: [Double], references: [Double], calendar: Calendar,
                        iterations: Int, converged: Bool) -> Fit {
        let p = beta.count
        var block = Matrix(rows: 0, columns: p)
        var ok: [Bool] = [], eta: [Double] = []
        var levels = [Double](repeating: 0, count: group.count)
        var fittedAll: [[Double]] = []
        var pearson = 0.0, rows = 0, active = 0
        for (i, s) in group.enumerated() {
            let n = s.y.count
            var fitted = [Double](repeating: .nan, count: n)
            if n > 0 {
                if block.rows != n { block = Matrix(rows: n, columns: p); ok = [Bool](repeating: false, count: n); eta = [Double](repeating: 0, count: n) }
                fillHistory(s, logReference: log(references[i]), calendar: calendar, into: &block, ok: &ok)
                Matrix.gemv(block, beta, into: &eta)
                var sy = 0.0, se = 0.0, m = 0
                for t in 0..<n where ok[t] && s.y[t].isFinite { sy += s.y[t]; se += exp(eta[t]); m += 1 }
                let level = sy > 0 && se > 0 ? sy / se : 0
                levels[i] = level
                for t in 0..<n where ok[t] { fitted[t] = level * exp(eta[t]) }
                if level > 0 {
                    active += 1
                    rows += m
                    for t in 0..<n where ok[t] && s.y[t].isFinite { pearson += (s.y[t] - fitted[t]) * (s.y[t] - fitted[t]) / fitted[t] }
                }
            }
            fittedAll.append(fitted)
        }
        let dispersion = rows > p + active ? pearson / Double(rows - p - active) : 1
        var series: [SeriesFit] = []
        series.reserveCapacity(group.count)
        for (i, s) in group.enumerated() {
            let logRef = log(references[i])
            let given = max(s.futurePrice?.count ?? 0, s.futurePromotion?.count ?? 0, s.futureEvents?.rows ?? 0)
            let lastPrice = s.futurePrice?.last(where: { $0.isFinite && $0 > 0 })
            let held = lastPrice.map { log($0) - logRef } ?? 0
            var futureMeans = [Double](repeating: 0, count: given)
            for h in 0..<given {
                let day = s.firstDay + s.y.count + h
                var eta = 0.0
                if let fp = s.futurePrice, h < fp.count, fp[h].isFinite, fp[h] > 0 { eta += beta[0] * (log(fp[h]) - logRef) } else { eta += beta[0] * held }
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
            series.append(SeriesFit(
                name: name, id: s.id, level: levels[i], fitted: fittedAll[i], futureMeans: futureMeans, coefficients: beta,
                yearlyTerms: yearlyTerms, firstFutureDay: s.firstDay + s.y.count, heldLogPrice: held, dispersion: dispersion))
        }
        return Fit(columnNames: columnNames, coefficients: beta, dispersion: dispersion, iterations: iterations, converged: converged, series: series)
    }

    /// Writes series `s`'s history design (`n × p`, column-major) into `block`; `ok[t]` is false
    /// where a regressor is missing (the row is then zero).
    private func fillHistory(_ s: SeriesWithFeatures, logReference: Double, calendar: Calendar, into block: inout Matrix, ok: inout [Bool]) {
        let n = s.y.count
        let e = eventNames.count
        for t in 0..<n { ok[t] = true }
        block.storage.withUnsafeMutableBufferPointer { x in
            // log relative price
            if let price = s.price {
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
            } else {
                for t in 0..<n { x[t] = 0 }
            }
            // promotion
            if let promotion = s.promotion {
                for t in 0..<n {
                    let v = promotion[t]
                    if v.isFinite { x[n + t] = v } else { x[n + t] = 0; ok[t] = false }
                }
            } else {
                for t in 0..<n { x[n + t] = 0 }
            }
            // day of week (Monday baseline), yearly Fourier: from the calendar table
            let offset = s.firstDay - calendar.firstDay
            for j in 0..<6 { for t in 0..<n { x[(2 + j) * n + t] = 0 } }
            for t in 0..<n {
                let dow = calendar.dayOfWeek[offset + t]
                if dow > 0 { x[(1 + dow) * n + t] = 1 }
            }
            for k in 0..<(2 * yearlyTerms) {
                let column = calendar.fourier[k]
                for t in 0..<n { x[(8 + k) * n + t] = column[offset + t] }
            }
            // events
            let base = 8 + 2 * yearlyTerms
            for j in 0..<e {
                if let events = s.events {
                    for t in 0..<n {
                        let v = events.storage[t + j * n]
                        if v.isFinite { x[(base + j) * n + t] = v } else { x[(base + j) * n + t] = 0; ok[t] = false }
                    }
                } else {
                    for t in 0..<n { x[(base + j) * n + t] = 0 }
                }
            }
        }
        for t in 0..<n where !ok[t] { for j in 0..<block.columns { block.storage[t + j * n] = 0 } }
    }

    /// Day-of-week and yearly Fourier values over every history day of the group, computed once.
    struct Calendar {
        let firstDay: Int
        let dayOfWeek: [Int]
        let fourier: [[Double]]   // 2·yearlyTerms columns: sin k, cos k

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
