import KeelCore

/// A whole CSV file read into memory (test outputs are small).
struct CSVTable {
    var header: [String]
    var rows: [[String]]

    init(path: String) throws {
        let r = try CSVReader(path: path)
        guard try r.next() else { header = []; rows = []; return }
        header = (0..<r.fieldCount).map { r.string($0) ?? "" }
        var rows: [[String]] = []
        while try r.next() { rows.append((0..<r.fieldCount).map { r.string($0) ?? "" }) }
        self.rows = rows
    }

    func column(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return [] }
        return rows.map { $0[i] }
    }

    func index(_ name: String) -> Int { header.firstIndex(of: name)! }
}
