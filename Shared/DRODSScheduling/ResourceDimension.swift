/// A resource dimension whose water level the scheduler tracks.
public enum ResourceDimension: String, CaseIterable, Codable, Sendable, Comparable {
    case cpu
    case memory
    case gpu
    case storage
    case pods

    public static func < (lhs: ResourceDimension, rhs: ResourceDimension) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
