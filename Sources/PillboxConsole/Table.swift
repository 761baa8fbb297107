/// Aligned columns for the readable output: each column as wide as its widest cell, two spaces
/// between columns, no trailing spaces.
package struct Table {
    private var rows: [[String]] = []

    package init(header: [String]? = nil) {
        if let header { rows.append(header) }
    }

    package mutating func add(_ cells: [String]) { rows.append(cells) }

    /// The lines of the table, without newlines.
    package var lines: [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            return line
        }
    }
}
