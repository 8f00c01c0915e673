import Foundation
import KeelCore
import KeelStore
@testable import KeelReport
import KeelTestSupport
import Testing

/// The whole report on the tiny retailer with every kind of run: every section and chart in the
/// HTML, every chart well-formed SVG, the notebook valid under the official nbformat 4 schema.
@Suite struct DocumentTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func fullReport() throws -> (ImportedTinyRetailer, ReportDocument) {
        let dir = try TinyRetailer.importedDatabase()
        try ReportFixture.forecastRuns(dir.database)
        try ReportFixture.planRuns(dir.database)
        return (dir, try ReportBuilder.build(dir.database))
    }

    @Test func htmlHasEverySectionAndEveryChart() throws {
        let (dir, doc) = try fullReport()
        let written = try ReportWriter.write(doc, to: dir.file("out"))
        let html = try String(contentsOfFile: written.html, encoding: .utf8)
        let ids = ["overview", "forecasts", "accuracy", "inventory", "margin", "replenishment", "transfers", "sourcing", "anomalies"]
        #expect(doc.sections.map(\.id) == ids)
        for id in ids { #expect(html.contains("<section id=\"\(id)\">"), "section \(id) missing") }
        // Overview 1 (timings), forecasts 1 total + 4 levels + top SKUs, accuracy 1, inventory 2,
        // margin 2, replenishment 2, transfers 1, sourcing 1, anomalies 2 (by kind, weekly trend) = 18.
        #expect(doc.charts.count == 18)
        #expect(html.components(separatedBy: "<svg ").count - 1 == doc.charts.count)
        for chart in doc.charts {
            #expect(html.contains("id=\"\(chart.id)\""), "chart \(chart.id) missing")
            let parsed = XMLCheck.parse(chart.svg)
            #expect(parsed.error == nil, "\(chart.id) \(chart.title): \(parsed.error ?? "")")
        }
        #expect(Set(doc.charts.map(\.id)).count == doc.charts.count)
        // Text from the database is escaped; the page is self-contained.
        #expect(html.contains("sold &lt;below&gt; cost &amp; no promo"))
        // (The only URL is the SVG namespace name, which is an identifier, never fetched.)
        let references = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        for needle in ["<script", "http://", "https://", "<link", "src=", "url(", "@import", "<img"] {
            #expect(!references.contains(needle), "the page refers outside itself: \(needle)")
        }
        #expect(written.sections == 9 && written.charts == 18)
    }

    @Test func notebookStructure() throws {
        let (_, doc) = try fullReport()
        guard case .object(let top) = NotebookWriter.notebook(doc) else { Issue.record("not an object"); return }
        let root = Dictionary(uniqueKeysWithValues: top)
        #expect(root["nbformat"] == .number(4) && root["nbformat_minor"] == .number(5))
        guard case .array(let cells) = root["cells"] else { Issue.record("no cells"); return }
        var ids = Set<String>()
        var svgOutputs = 0
        for cell in cells {
            guard case .object(let fields) = cell else { continue }
            let f = Dictionary(uniqueKeysWithValues: fields)
            guard case .string(let id) = f["id"] else { Issue.record("cell without id"); continue }
            #expect(id.range(of: "^[a-zA-Z0-9_-]{1,64}$", options: .regularExpression) != nil)
            ids.insert(id)
            if f["cell_type"] == .string("code"), case .array(let outputs) = f["outputs"] {
                for case .object(let o) in outputs {
                    let out = Dictionary(uniqueKeysWithValues: o)
                    #expect(out["output_type"] == .string("display_data"))
                    if case .object(let data) = out["data"], data.contains(where: { $0.0 == "image/svg+xml" }) { svgOutputs += 1 }
                }
            }
        }
        #expect(ids.count == cells.count)
        #expect(svgOutputs == doc.charts.count)
        // The JSON text parses back with Foundation.
        let text = NotebookWriter.render(doc)
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(text.utf8)) }
    }

    /// Validates with `Scripts/validate_notebook.py`: the `nbformat` package's own validator and the
    /// vendored official schema. Needs a Python with nbformat: `$KEEL_NOTEBOOK_PYTHON`, else
    /// `.build/venv/bin/python` (created by `make test`), else `python3`. Fails — never skips — without one.
    @Test func notebookValidatesAgainstTheOfficialSchema() throws {
        let (dir, doc) = try fullReport()
        let written = try ReportWriter.write(doc, to: dir.file("out"))
        // An empty database's report must validate too ("no run yet" everywhere).
        let empty = try KeelDatabase(path: dir.file("empty/keel.sqlite"))
        let emptyWritten = try ReportWriter.write(try ReportBuilder.build(empty), to: dir.file("empty-out"))
        guard let python = DocumentTests.pythonWithNbformat() else {
            Issue.record("""
                No Python with the nbformat package was found, so the notebook could not be validated. \
                Run `make test` (it creates .build/venv with nbformat) or set KEEL_NOTEBOOK_PYTHON to a python that has nbformat.
                """)
            return
        }
        let schema = DocumentTests.packageRoot + "/Tests/KeelReportTests/Fixtures/nbformat.v4.schema.json"
        let result = try DocumentTests.run(python, [DocumentTests.packageRoot + "/Scripts/validate_notebook.py", written.notebook, emptyWritten.notebook, "--schema", schema])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.components(separatedBy: "valid: ").count - 1 == 2, "\(result.output)")
    }

    // A notebook that breaks the schema must be reported invalid: the validator is live.
    @Test func validatorRejectsABrokenNotebook() throws {
        guard let python = DocumentTests.pythonWithNbformat() else {
            Issue.record("No Python with nbformat (run `make test` or set KEEL_NOTEBOOK_PYTHON)")
            return
        }
        let dir = TemporaryDirectory()
        let bad = dir.write("bad.ipynb", #"{"cells": [{"cell_type": "code", "id": "bad id!", "metadata": {}, "source": [], "outputs": [], "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#)
        let schema = DocumentTests.packageRoot + "/Tests/KeelReportTests/Fixtures/nbformat.v4.schema.json"
        let result = try DocumentTests.run(python, [DocumentTests.packageRoot + "/Scripts/validate_notebook.py", bad, "--schema", schema])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("INVALID"))
    }

    static func pythonWithNbformat() -> String? {
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["KEEL_NOTEBOOK_PYTHON"] { candidates.append(p) }
        candidates += [packageRoot + "/.build/venv/bin/python", "/usr/bin/python3", "/usr/local/bin/python3"]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) {
            if let r = try? run(c, ["-c", "import nbformat, jsonschema"]), r.status == 0 { return c }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
