/// The hand-written OpenAPI 3.1 description of every endpoint (`GET /openapi.json`).
public enum OpenAPIDocument {
    public static let json = #"""
{
  "openapi": "3.1.0",
  "info": {"title": "Keel order-router API", "version": "1.0.0",
    "description": "Sourcing options and reservations for the order router, plans for planners, the anomaly queue for finance. Every /v1 endpoint needs 'Authorization: Bearer <key>' (keys from 'keel keys create'). Roles: router → sourcing and inventory; planner → plans and inventory; finance → anomalies; admin → all. Errors: {\"error\": {\"code\", \"message\"}}. Request bodies are limited to 65536 bytes (413 body_too_large)."},
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "parameters": {
      "orderId": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
      "idempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": true, "schema": {"type": "string", "minLength": 1},
        "description": "A replayed key returns the first answer unchanged; a key reused for another order or operation is 409 conflict."},
      "limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
      "offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "enum": ["missing_api_key", "invalid_api_key", "revoked_api_key", "forbidden", "malformed_json", "invalid_request",
          "missing_idempotency_key", "conflict", "not_found", "illegal_transition", "body_too_large", "route_not_found", "method_not_allowed", "internal_error"]},
        "message": {"type": "string"}}}}},
      "OrderLine": {"type": "object", "required": ["line", "sku", "qty"], "properties": {
        "line": {"type": "integer"}, "sku": {"type": "string"}, "qty": {"type": "number", "exclusiveMinimum": 0}}},
      "Order": {"type": "object", "required": ["lines", "ship_to_zone", "service"], "properties": {
        "order_id": {"type": "string"}, "lines": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/OrderLine"}},
        "ship_to_zone": {"type": "string"}, "service": {"type": "string", "enum": ["standard", "express", "same_day", "pickup"]},
        "promise_date": {"type": "string", "format": "date"}, "pickup_location_id": {"type": "string"},
        "channel": {"type": "string", "enum": ["store", "web", "app", "marketplace", "call_center"], "description": "the sales channel (expected return cost signal); default web"},
        "k": {"type": "integer", "minimum": 1, "maximum": 20, "description": "options only: how many ranked plans (default 3)"}}},
      "Plan": {"type": "object", "properties": {
        "order_id": {"type": "string"}, "rank": {"type": "integer"}, "shipments": {"type": "array", "items": {"type": "object"}},
        "unsourced": {"type": "array", "items": {"type": "object"}}, "shipping_cost": {"type": "number"}, "handling_cost": {"type": "number"},
        "adjustment": {"type": "number"}, "total_cost": {"type": "number"}, "late_lines": {"type": "integer"}, "objective": {"type": "number"},
        "exact": {"type": "boolean"}, "nodes": {"type": "array", "items": {"type": "object"}}}},
      "Outcome": {"type": "object", "properties": {
        "order_id": {"type": "string"}, "status": {"type": "string", "enum": ["reserved", "cancelled"]},
        "reservations": {"type": "array", "items": {"type": "object", "properties": {"line": {"type": "integer"}, "sku": {"type": "string"},
          "location_id": {"type": "string"}, "qty": {"type": "number"}, "shipment_id": {"type": "string"}}}},
        "unsourced": {"type": "array", "items": {"type": "object"}}, "total_cost": {"type": "number"}}},
      "RowPage": {"type": "object", "properties": {"run_id": {"type": ["integer", "null"]}, "total": {"type": "integer"},
        "limit": {"type": "integer"}, "offset": {"type": "integer"}, "rows": {"type": "array", "items": {"type": "object"}}}},
      "ForecastRow": {"type": "object", "description": "A row of GET /v1/plans/forecasts; plus one q{level} number (or null) per quantile level of the run.",
        "properties": {"unique_id": {"type": ["string", "null"]}, "channel": {"type": ["string", "null"]}, "location_id": {"type": ["string", "null"]},
          "sku": {"type": ["string", "null"]}, "ds": {"type": "string", "format": "date"}, "yhat": {"type": "number"}, "model": {"type": "string"}},
        "patternProperties": {"^q[0-9.]+$": {"type": ["number", "null"]}}}
    },
    "responses": {
      "Unauthorized": {"description": "no, unknown or revoked key", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Forbidden": {"description": "the key's role may not use this endpoint", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "BadRequest": {"description": "malformed JSON or invalid input (the message names the field)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "unknown order, sku, kind, anomaly or run", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Conflict": {"description": "the request conflicts with the current state", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "TooLarge": {"description": "body over 65536 bytes", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  },
  "security": [{"bearer": []}],
  "paths": {
    "/healthz": {"get": {"summary": "Liveness: the database opens and is migrated", "security": [],
      "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/metrics": {"get": {"summary": "Prometheus text: request counts by route, method and status; latency histogram by route", "security": [],
      "responses": {"200": {"description": "metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/openapi.json": {"get": {"summary": "This document", "security": [],
      "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/v1/sourcing/options": {"post": {"summary": "Ranked sourcing plans for an order (reserves nothing). Role router.",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
      "responses": {"200": {"description": "plans, best first", "content": {"application/json": {"schema": {"type": "object",
        "properties": {"order_id": {"type": "string"}, "plans": {"type": "array", "items": {"$ref": "#/components/schemas/Plan"}}}}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/TooLarge"}}}},
    "/v1/orders/{id}/reserve": {"post": {"summary": "Reserve the best plan for the order now. Role router.",
      "parameters": [{"$ref": "#/components/parameters/orderId"}, {"$ref": "#/components/parameters/idempotencyKey"}],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
      "responses": {"200": {"description": "reserved", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Outcome"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"}, "409": {"$ref": "#/components/responses/Conflict"}, "413": {"$ref": "#/components/responses/TooLarge"}}}},
    "/v1/orders/{id}/reject": {"post": {"summary": "A node refuses the order: its lines are released and re-sourced elsewhere. Role router.",
      "parameters": [{"$ref": "#/components/parameters/orderId"}, {"$ref": "#/components/parameters/idempotencyKey"}],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["location_id", "reason"],
        "properties": {"location_id": {"type": "string"}, "reason": {"type": "string", "minLength": 1}}}}}},
      "responses": {"200": {"description": "re-sourced", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Outcome"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"}}}},
    "/v1/orders/{id}/cancel": {"post": {"summary": "Release everything the order holds and mark it cancelled. Role router.",
      "parameters": [{"$ref": "#/components/parameters/orderId"}, {"$ref": "#/components/parameters/idempotencyKey"}],
      "responses": {"200": {"description": "cancelled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Outcome"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"}}}},
    "/v1/inventory/{sku}": {"get": {"summary": "Available-to-sell by node (on_hand − reserved − damaged). Roles router, planner.",
      "parameters": [{"name": "sku", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "positions", "content": {"application/json": {"schema": {"type": "object", "properties": {
        "sku": {"type": "string"}, "available_to_sell": {"type": "number"}, "nodes": {"type": "array", "items": {"type": "object"}}}}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}},
    "/v1/plans/{kind}": {"get": {"summary": "Rows of the latest successful run of a kind. Role planner.",
      "description": "Rows use the contract's export columns. forecasts rows: unique_id, channel, location_id, sku, ds, yhat, model and one q{level} column per quantile level of the run (e.g. q0.5, q0.9, q0.95; null where a row has no quantiles).",
      "parameters": [{"name": "kind", "in": "path", "required": true, "schema": {"type": "string", "enum": ["replenishment", "transfers", "sourcing", "forecasts"]}},
        {"name": "location_id", "in": "query", "schema": {"type": "string"}}, {"name": "sku", "in": "query", "schema": {"type": "string"}},
        {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/offset"}],
      "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RowPage"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}},
    "/v1/anomalies": {"get": {"summary": "The exception queue, newest first. Role finance.",
      "parameters": [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "acknowledged", "resolved"]}},
        {"name": "kind", "in": "query", "schema": {"type": "string"}}, {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/offset"}],
      "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RowPage"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}}}},
    "/v1/anomalies/{id}": {"patch": {"summary": "Move an anomaly open → acknowledged → resolved (or open → resolved). Role finance.",
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {
        "status": {"type": "string", "enum": ["open", "acknowledged", "resolved"]}, "note": {"type": "string"}}}}}},
      "responses": {"200": {"description": "the change", "content": {"application/json": {"schema": {"type": "object"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"}}}}
  }
}
"""#
}
