/// The contract's columns of each write-back table: header name, SQL expression over the joined
/// tables (`t` the write-back table) and how to write the value. One definition serves
/// `keel export` (CSV) and the HTTP API's plan pages.
struct WriteBackTable {
    enum Format { case text, int, money, number, day, bool }

    let from: String
    let columns: [(name: String, sql: String, format: Format)]
    /// Location columns a `location_id` filter matches (either end of a transfer).
    let locationColumns: [String]
    /// The sku column, when the rows have one.
    let skuColumn: String?

    static func of(_ kind: ExportKind) -> WriteBackTable {
        switch kind {
        case .forecasts:
            return WriteBackTable(
                from: "forecasts t LEFT JOIN locations l ON l.location_key = t.location_key LEFT JOIN items i ON i.item_key = t.item_key",
                columns: [("unique_id", "t.unique_id", .text), ("channel", "t.channel", .text), ("location_id", "l.location_id", .text),
                          ("sku", "i.sku", .text), ("ds", "t.day", .day), ("yhat", "t.yhat", .number), ("model", "t.model", .text)],
                locationColumns: ["l.location_id"], skuColumn: "i.sku")
        case .replenishment:
            return WriteBackTable(
                from: "replenishment_plans t JOIN locations l ON l.location_key = t.location_key JOIN items i ON i.item_key = t.item_key LEFT JOIN suppliers s ON s.supplier_key = t.supplier_key",
                columns: [("location_id", "l.location_id", .text), ("sku", "i.sku", .text), ("supplier_id", "s.supplier_id", .text),
                          ("order_qty", "t.order_qty", .number), ("order_date", "t.order_day", .day), ("expected_arrival", "t.expected_arrival_day", .day),
                          ("reorder_point", "t.reorder_point", .number), ("order_up_to", "t.order_up_to", .number), ("safety_stock", "t.safety_stock", .number),
                          ("service_level_target", "t.service_level_target", .number), ("projected_fill_rate", "t.projected_fill_rate", .number),
                          ("reason", "t.reason", .text)],
                locationColumns: ["l.location_id"], skuColumn: "i.sku")
        case .transfers:
            return WriteBackTable(
                from: "transfer_plans t JOIN locations a ON a.location_key = t.from_location_key JOIN locations b ON b.location_key = t.to_location_key JOIN items i ON i.item_key = t.item_key",
                columns: [("from_location_id", "a.location_id", .text), ("to_location_id", "b.location_id", .text), ("sku", "i.sku", .text),
                          ("qty", "t.qty", .number), ("ship_date", "t.ship_day", .day), ("expected_arrival", "t.expected_arrival_day", .day),
                          ("reason", "t.reason", .text), ("expected_benefit", "t.expected_benefit", .money)],
                locationColumns: ["a.location_id", "b.location_id"], skuColumn: "i.sku")
        case .sourcing:
            return WriteBackTable(
                from: "sourcing_plans t LEFT JOIN locations l ON l.location_key = t.location_key",
                columns: [("order_id", "t.order_id", .text), ("line", "t.line", .int), ("location_id", "l.location_id", .text), ("qty", "t.qty", .number),
                          ("shipment_id", "t.shipment_id", .text), ("service", "t.service", .text), ("ship_cost", "t.ship_cost", .money),
                          ("handling_cost", "t.handling_cost", .money), ("aging_credit", "t.aging_credit", .money),
                          ("expected_delivery", "t.expected_delivery_day", .day), ("promise_met", "t.promise_met", .bool), ("reason", "t.reason", .text)],
                locationColumns: ["l.location_id"], skuColumn: nil)
        case .anomalies:
            return WriteBackTable(
                from: "anomalies t LEFT JOIN locations l ON l.location_key = t.location_key LEFT JOIN items i ON i.item_key = t.item_key",
                columns: [("anomaly_id", "t.anomaly_id", .int), ("kind", "t.kind", .text), ("severity", "t.severity", .text), ("score", "t.score", .number),
                          ("amount_at_risk", "t.amount_at_risk", .money), ("transaction_id", "t.transaction_id", .text), ("return_id", "t.return_id", .text),
                          ("settlement_id", "t.settlement_id", .text), ("location_id", "l.location_id", .text), ("sku", "i.sku", .text),
                          ("channel", "t.channel", .text), ("category", "t.category", .text), ("cashier_id", "t.cashier_id", .text),
                          ("customer_id", "t.customer_id", .text), ("date", "t.day", .day), ("explanation", "t.explanation", .text), ("status", "t.status", .text)],
                locationColumns: ["l.location_id"], skuColumn: "i.sku")
        }
    }
}
