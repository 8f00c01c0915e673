import Foundation
import KeelStore

/// Writes a report as `report.html` and `report.ipynb` in a folder (created if missing). Both
/// files are rendered in memory first and each replaced atomically.
public enum ReportWriter {
    public struct Written: Sendable {
        public var html: String
        public var notebook: String
        public var sections: Int
        public var charts: Int
    }

    public static func write(_ doc: ReportDocument, to folder: String) throws -> Written {
        let html = HTMLDocument.render(doc)
        let notebook = NotebookWriter.render(doc)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let h = (folder as NSString).appendingPathComponent("report.html"), n = (folder as NSString).appendingPathComponent("report.ipynb")
            try Data(html.utf8).write(to: URL(fileURLWithPath: h), options: .atomic)
            try Data(notebook.utf8).write(to: URL(fileURLWithPath: n), options: .atomic)
            return Written(html: h, notebook: n, sections: doc.sections.count, charts: doc.charts.count)
        } catch {
            throw StoreError.badFile(path: folder, reason: "cannot write the report: \(error.localizedDescription)")
        }
    }
}
