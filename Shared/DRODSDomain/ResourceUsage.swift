import DRODSCore

/// A total and the used part of one resource dimension, where used never exceeds total.
public struct ResourceUsage: Equatable, Hashable, Codable, Sendable {
    public var total: Int64
    public var used: Int64

    public init(total: Int64, used: Int64) {
        self.total = total
        self.used = used
    }

    public var free: Int64 { total - used }

    public func jsonValue() -> JSONValue {
        .object(["total": .number(Double(total)), "used": .number(Double(used))])
    }
}
