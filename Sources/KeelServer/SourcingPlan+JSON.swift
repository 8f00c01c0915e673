import KeelSourcing

/// The options answer written with `JSONWriter`: the same bytes as `JSONResponse.encoder()`
/// (snake-case keys, sorted) would write for `SourcingPlan`'s `Codable` form — checked byte for
/// byte in `JSONWriterTests` — without Foundation's encoder, which was 42 % of the endpoint's
/// CPU time. Keys are written in sorted order; a new `SourcingPlan` field must be added here.
extension SourcingPlan {
    func write(to w: inout JSONWriter) throws {
        w.beginObject()
        try w.field("adjustment", adjustment)
        w.field("exact", exact)
        try w.field("handling_cost", handlingCost)
        w.field("late_lines", lateLines)
        w.key("nodes")
        w.beginArray()
        for n in nodes {
            w.beginObject()
            w.field("chosen", n.chosen)
            w.field("location_id", n.locationId)
            w.field("reason", n.reason)
            w.endObject()
        }
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
