import KeelSourcing

/// The options answer written with `JSONWriter`: the same bytes as `JSONResponse.encoder()`
/// (snake-case keys, sorted) would write for `SourcingPlan`'s `Codable` form — checked byte for
/// byte in `JSONWriterTests` — without Foundation's encoder, which was 42 % of the endpoint's
/// CPU time. Keys are written in sorted order; a new `SourcingPlan` field must be added here.
extension SourcingPlan {
    /// The first plan's node objects as written: an order's plans explain the same nodes with
    /// mostly the same reasons (only the nodes a plan uses differ), so a later plan copies the
    /// bytes of every node equal to the first plan's at the same position instead of writing it
    /// again — the same bytes, about two thirds of the answer's node objects not re-encoded.
    struct NodeMemo {
        var nodes: [NodeReason] = []
        var bytes: [UInt8] = []
        /// `bytes[ends[j − 1] ..< ends[j]]` is node j's object (from 0 for j = 0).
        var ends: [Int] = []

        func object(_ j: Int) -> ArraySlice<UInt8> { bytes[(j == 0 ? 0 : ends[j - 1])..<ends[j]] }
    }

    func write(to w: inout JSONWriter, memo: inout NodeMemo) throws {
        w.beginObject()
        try w.field("adjustment", adjustment)
        w.field("exact", exact)
        try w.field("handling_cost", handlingCost)
        w.field("late_lines", lateLines)
        w.key("nodes")
        w.beginArray()
        let recording = memo.nodes.isEmpty
        if recording { memo.bytes.reserveCapacity(nodes.count * 112) }
        for (j, n) in nodes.enumerated() {
            if !recording, j < memo.nodes.count, memo.nodes[j] == n {
                w.element(memo.object(j))
                continue
            }
            let start = w.bytes.count
            w.beginObject()
            w.field("chosen", n.chosen)
            w.field("location_id", n.locationId)
            w.field("reason", n.reason)
            w.endObject()
            if recording {
                // Without the separator before it (there is one from the second node on).
                memo.bytes.append(contentsOf: w.bytes[(j == 0 ? start : start + 1)...])
                memo.ends.append(memo.bytes.count)
            }
        }
        if recording { memo.nodes = nodes }
        w.endArray()
        try w.field("objective", objective)
        w.field("order_id", orderId)
        w.field("rank", rank)
        w.key("shipments")
        w.beginArray()
        for s in shipments { try s.write(to: &w) }
        w.endArray()
        try w.field("shipping_cost", shippingCost)
        w.key("signals")
        try signals.write(to: &w)
        try w.field("total_cost", totalCost)
        w.key("unsourced")
        w.beginArray()
        for u in unsourced {
            w.beginObject()
            w.field("line", u.line)
            try w.field("qty", u.qty)
            w.field("reason", u.reason)
            w.field("sku", u.sku)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}

extension SourcingPlan.Shipment {
    func write(to w: inout JSONWriter) throws {
        w.beginObject()
        try w.field("adjustment", adjustment)
        w.field("expected_delivery", expectedDelivery.description)
        try w.field("fixed_cost", fixedCost)
        try w.field("handling_cost", handlingCost)
        w.key("lines")
        w.beginArray()
        for l in lines {
            w.beginObject()
            try w.field("handling_cost", l.handlingCost)
            w.field("line", l.line)
            try w.field("qty", l.qty)
            try w.field("ship_cost", l.shipCost)
            w.key("signals")
            try l.signals.write(to: &w)
            w.field("sku", l.sku)
            w.endObject()
        }
        w.endArray()
        w.field("location_id", locationId)
        w.field("promise_met", promiseMet)
        w.field("service", service)
        try w.field("ship_cost", shipCost)
        w.field("shipment_id", shipmentId)
        w.key("signals")
        try signals.write(to: &w)
        w.endObject()
    }
}

extension SignalCosts {
    func write(to w: inout JSONWriter) throws {
        w.beginObject()
        try w.field("aging_credit", agingCredit)
        try w.field("expected_return_cost", expectedReturnCost)
        try w.field("opportunity_cost", opportunityCost)
        try w.field("store_protection", storeProtection)
        w.endObject()
    }
}
