import Foundation
import GRDB
import KeelCore
import KeelTestSupport
import Testing

@Suite(.serialized) struct ForecastCommandTests {
    @Test func databaseModeWritesOneForecastRunWithTheContractColumns() throws {
        let dir = TemporaryDirectory()
        let data = dir.file("retailer")
        try KeelBinary.run(["datasets", "generate", "--out", data, "--stores", "2", "--dcs", "1", "--skus", "20", "--days", "120", "--seed", "5"])
        let db = dir.file("k.sqlite")
        let imported = try KeelBinary.run(["import", "--db", db, data])
        #expect(imported.status == 0, "\(imported.stderr)")
        let fc = try KeelBinary.run(["forecast", "--db", db, "--horizon", "7", "--quantiles", "0.5,0.9", "--json"])
        #expect(fc.status == 0, "\(fc.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(fc.stdout.utf8)) as! [String: Any]
        let series = summary["series"] as! Int
        #expect(series > 0)
        #expect(summary["rows"] as! Int == series * 7)
        let out = dir.file("forecasts.csv")
        let export = try KeelBinary.run(["export", "forecasts", "--db", db, "--output", out])
        #expect(export.status == 0, "\(export.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "run_id,channel,location_id,sku,ds,yhat,q0.5,q0.9,model")
        #expect(lines.count == series * 7 + 1)
        // Every value finite and non-negative; q0.9 ≥ q0.5.
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let yhat = Double(f[5])!, q5 = Double(f[6])!, q9 = Double(f[7])!
            #expect(yhat >= 0 && q5 >= 0 && q9 >= q5)
        }
        let status = try KeelBinary.run(["status", "--db", db, "--json"])
        let runs = (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any])["runs"] as! [[String: Any]]
        #expect(runs.first?["kind"] as? String == "forecast")
        #expect(runs.first?["status"] as? String == "succeeded")

        // Price and promotion drivers: the generated retailer changes prices and runs promotions, so
        // series are adjusted, each department's fit is in the run's notes with the economic signs,
        // and the adjusted series' rows name their model with "+drivers".
        #expect(summary["driverAdjusted"] as! Int > 0)
        let queue = try DatabaseQueue(path: db)
        let (notes, parameters, adjustedRows) = try queue.read { d in
            let row = try Row.fetchOne(d, sql: "SELECT notes, parameters, run_id FROM runs WHERE kind = 'forecast' ORDER BY run_id DESC LIMIT 1")!
            let n: String = row[0], p: String = row[1], id: Int64 = row[2]
            return (n, p, try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM forecasts WHERE run_id = ? AND model LIKE '%+drivers'", arguments: [id])!)
        }
        #expect(adjustedRows == (summary["driverAdjusted"] as! Int) * 7)
        #expect(parameters.contains("\"drivers\":\"on\""))
        let groups = (try JSONSerialization.jsonObject(with: Data(notes.utf8)) as! [String: Any])["drivers"] as! [[String: Any]]
        #expect(!groups.isEmpty)
        for g in groups {
            if let e = g["elasticity"] as? Double, let u = g["promotionUplift"] as? Double { #expect(e <= 0 && u >= 1, "\(g)") }
            else { #expect(g["failure"] is String, "\(g)") }
        }
        // --no-drivers: the univariate forecast, recorded as such.
        let plain = try KeelBinary.run(["forecast", "--db", db, "--horizon", "7", "--no-drivers", "--json"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let plainSummary = try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as! [String: Any]
        #expect(plainSummary["driverAdjusted"] as! Int == 0)
        let plainRows = try queue.read { d in
            try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM forecasts WHERE run_id = ? AND model LIKE '%+drivers'", arguments: [plainSummary["runId"] as! Int])!
        }
        #expect(plainRows == 0)
    }

    @Test func fileModeAndBacktest() throws {
        let dir = TemporaryDirectory()
        var text = "unique_id,ds,y\n"
        for id in ["a", "b"] {
            for m in 0..<48 {
                let y = 100 + 10 * Double((m % 12)) + (id == "b" ? 50 : 0) + Double(m)
                text += "\(id),\(2020 + m / 12)-\(String(format: "%02d", m % 12 + 1))-01,\(y)\n"
            }
        }
        let train = dir.write("train.csv", text)
        let out = dir.file("fc.csv")
        let r = try KeelBinary.run(["forecast", "--input", train, "--output", out, "--horizon", "6", "--season", "12", "--quantiles", "0.1,0.9"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "unique_id,ds,yhat,q0.1,q0.9")
        #expect(lines.count == 13)
        #expect(lines[1].hasPrefix("a,2024-01-01,"))
        let bt = try KeelBinary.run(["backtest", "--input", train, "--horizon", "6", "--season", "12", "--models", "auto,SeasonalNaive", "--output", dir.file("bt.csv")])
        #expect(bt.status == 0, "\(bt.stderr)")
        #expect(bt.stdout.contains("SeasonalNaive"))
        let bad = try KeelBinary.run(["forecast", "--input", dir.write("bad.csv", "unique_id,ds,y\na,2024-01-01,x\n"), "--output", out, "--horizon", "2"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.csv:2: y: not a number"))
        let unknown = try KeelBinary.run(["forecast", "--input", train, "--output", out, "--horizon", "2", "--models", "Prophet"])
        #expect(unknown.status == 2)
    }

    @Test func futureExogenousValues() throws {
        let dir = TemporaryDirectory()
        var train = "unique_id,ds,y,promo\n", future = "unique_id,ds,promo\n"
        let start = Day("2024-01-01")!
        for t in 0..<60 {
            let promo = t % 5 == 0 ? 1 : 0
            train += "a,\(start.adding(t)),\(20 + 10 * promo + t % 3),\(promo)\n"
        }
        for j in 0..<3 { future += "a,\(start.adding(60 + j)),\(j == 1 ? 1 : 0)\n" }
        let trainPath = dir.write("train.csv", train), futurePath = dir.write("future.csv", future)
        let out = dir.file("fc.csv")
        let r = try KeelBinary.run(["forecast", "--input", trainPath, "--future", futurePath, "--output", out, "--horizon", "3",
                                    "--models", "DynamicRegressionX", "--quantiles", "0.5"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        let yhat = lines.dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(yhat[1] > yhat[0] + 5 && yhat[1] > yhat[2] + 5)  // the promotion day
        let missing = try KeelBinary.run(["forecast", "--input", trainPath, "--output", out, "--horizon", "3", "--models", "DynamicRegressionX"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("needs --future"))
        // Automatic mode: the daily set's "drivers" forecast the series with the log-link
        // regression, which sees the promotion day too.
        let auto = try KeelBinary.run(["forecast", "--input", trainPath, "--future", futurePath, "--output", out, "--horizon", "3",
                                       "--quantiles", "0.5", "--json"])
        #expect(auto.status == 0, "\(auto.stderr)")
        let autoHat = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(autoHat[1] > autoHat[0] + 5 && autoHat[1] > autoHat[2] + 5, "\(autoHat)")
        let noFuture = try KeelBinary.run(["forecast", "--input", trainPath, "--output", out, "--horizon", "3", "--models", "LogLinkRegressionX"])
        #expect(noFuture.status == 2)
        #expect(noFuture.stderr.contains("LogLinkRegressionX needs --future"))
        var monthly = "unique_id,ds,y,promo\n", monthlyFuture = "unique_id,ds,promo\n"
        for m in 0..<36 { monthly += "a,\(2021 + m / 12)-\(String(format: "%02d", m % 12 + 1))-01,\(20 + m % 4),\(m % 2)\n" }
        monthlyFuture += "a,2024-01-01,1\na,2024-02-01,0\n"
        let monthlyRun = try KeelBinary.run(["forecast", "--input", dir.write("m.csv", monthly), "--future", dir.write("mf.csv", monthlyFuture),
                                             "--output", out, "--horizon", "2", "--models", "LogLinkRegressionX"])
        #expect(monthlyRun.status == 2)
        #expect(monthlyRun.stderr.contains("needs daily data"), "\(monthlyRun.stderr)")
    }
}
