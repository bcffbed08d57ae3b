/// Counts the domains a decision rejects, by reason, asking a plugin for the reason of each
/// `StandardRejection` value only once.
///
/// Values that map to a fixed slot are counted in an array and capability masks in a short
/// list, because hashing a reason string per rejected domain costs more than the check.
struct RejectionTally {
    private static let slotCount = 11
    private var slotCounts = [Int](repeating: 0, count: slotCount)
    private var slotReasons = [String?](repeating: nil, count: slotCount)
    private var capabilityMasks: [UInt64] = []
    private var capabilityCounts: [Int] = []
    private var capabilityReasons: [String] = []
    private var byReason: [String: Int] = [:]

    /// Counts one more domain rejected as `rejection` and returns true when its reason is
    /// known already; returns false, counting nothing, when `record` must supply it.
    mutating func countIfKnown(_ rejection: StandardRejection) -> Bool {
        if let slot = Self.slot(of: rejection) {
            guard slotReasons[slot] != nil else { return false }
            slotCounts[slot] += 1
            return true
        }
        if case .capability(let missing) = rejection, missing != .max,
           let position = capabilityMasks.firstIndex(of: missing) {
            capabilityCounts[position] += 1
            return true
        }
        return false
    }

    /// Counts one domain rejected as `rejection` with the plugin's `reason`.
    mutating func record(_ rejection: StandardRejection, reason: String) {
        if let slot = Self.slot(of: rejection) {
            slotReasons[slot] = reason
            slotCounts[slot] += 1
        } else if case .capability(let missing) = rejection, missing != .max {
            capabilityMasks.append(missing)
            capabilityCounts.append(1)
            capabilityReasons.append(reason)
        } else {
            byReason[reason, default: 0] += 1
        }
    }

    /// Counts one domain rejected by a plugin outside the standard checks.
    mutating func record(reason: String) {
        byReason[reason, default: 0] += 1
    }

    /// Number of rejected domains per reason.
    var countsByReason: [String: Int] {
        var counts = byReason
        for slot in slotReasons.indices {
            if let reason = slotReasons[slot] { counts[reason, default: 0] += slotCounts[slot] }
        }
        for position in capabilityReasons.indices {
            counts[capabilityReasons[position], default: 0] += capabilityCounts[position]
        }
        return counts
    }

    private static func slot(of rejection: StandardRejection) -> Int? {
        switch rejection {
        case .health(let health):
            switch health {
            case .ready: return 0
            case .notReady: return 1
            case .unknown: return 2
            }
        case .gpuModel: return 3
        case .resources(let dimension): return dimension >= 0 && dimension < 5 ? 4 + dimension : nil
        case .nodeFit: return 9
        case .waterLevel: return 10
        case .capability, .affinity, .taint: return nil
        }
    }
}
