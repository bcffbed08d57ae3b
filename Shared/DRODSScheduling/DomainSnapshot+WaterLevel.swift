import DRODSDomain
/// Water levels and replica capacity of a domain.
///
/// The water level of a dimension is `(used + reserved + added) / total`; the domain's level is
/// that of its bottleneck, the highest dimension. Dimensions with a total of 0 are skipped unless
/// something is added to them, in which case the level is infinite (nothing fits).
extension DomainSnapshot {
    /// Returns the water level of each dimension that has a total or receives `added`.
    ///
    /// - Parameters:
    ///   - added: resources placed on top of `used + reserved`.
    ///   - gpuModel: when set, the GPU dimension counts only devices of this model.
    ///   - lift: a fraction added to every dimension, used to schedule against a forecast that
    ///     is above the current level.
    public func waterLevels(adding added: ResourceVector = .zero, gpuModel: String? = nil,
                            lift: Double = 0) -> [ResourceDimension: Double] {
        var levels: [ResourceDimension: Double] = [:]
        for dimension in ResourceDimension.allCases {
            let total = self.total.amount(dimension, gpuModel: gpuModel)
            let extra = added.amount(dimension, gpuModel: gpuModel)
            if total <= 0 {
                if extra > 0 { levels[dimension] = .infinity }
                continue
            }
            let occupied = used.amount(dimension, gpuModel: gpuModel)
                &+ reserved.amount(dimension, gpuModel: gpuModel) &+ extra
            levels[dimension] = Double(occupied) / Double(total) + lift
        }
        return levels
    }

    /// Returns the bottleneck water level, 0 for a domain with no resources at all.
    @inline(__always)
    public func waterLevel(adding added: ResourceVector = .zero, gpuModel: String? = nil,
                           lift: Double = 0) -> Double {
        bottleneckLevel(adding: added, gpuModel: gpuModel, lift: lift, onlyDimensionsOf: nil)
    }

    /// Returns the highest level after `added`, over the dimensions `replica` needs (all of
    /// them when `replica` is nil), without building the per-dimension dictionary; 0 when no
    /// dimension counts. It gives the same value as the maximum of `waterLevels`.
    @inline(__always)
    func bottleneckLevel(adding added: ResourceVector, gpuModel: String?, lift: Double,
                         onlyDimensionsOf replica: ResourceVector?) -> Double {
        var highest: Double?
        for dimension in ResourceDimension.allCases {
            if let replica, replica.amount(dimension, gpuModel: gpuModel) <= 0 { continue }
            let total = self.total.amount(dimension, gpuModel: gpuModel)
            let extra = added.amount(dimension, gpuModel: gpuModel)
            let level: Double
            if total <= 0 {
                guard extra > 0 else { continue }
                level = .infinity
            } else {
                let occupied = used.amount(dimension, gpuModel: gpuModel)
                    &+ reserved.amount(dimension, gpuModel: gpuModel) &+ extra
                level = Double(occupied) / Double(total) + lift
            }
            highest = max(highest ?? level, level)
        }
        return highest ?? 0
    }

    /// Returns the level the scheduler plans with: the current level, or the forecast when
    /// `useForecast` is set and the forecast is higher.
    @inline(__always)
    public func planningLift(useForecast: Bool) -> Double {
        guard useForecast, let forecast = forecastWaterLevel else { return 0 }
        return max(0, forecast - waterLevel())
    }

    /// Returns how many more replicas of `replica` the domain can take.
    ///
    /// The bound is the smallest, over the dimensions the replica needs, of the headroom below
    /// `limit` divided by the per-replica need, and 0 when one replica fits on no single node
    /// (`nodeFits`). It does not pack replicas onto nodes, so it can overestimate a fragmented
    /// domain; the member cluster's own scheduler has the last word.
    @inline(__always)
    public func replicaCapacity(for replica: ResourceVector, gpuModel: String?, limit: Double,
                                lift: Double = 0) -> Int {
        let one = ResourceRequirements(cpuMillis: replica.cpuMillis, memoryBytes: replica.memoryBytes, gpu: replica.gpu)
        guard nodeFits(one) else { return 0 }

        var capacity = Int.max
        for dimension in ResourceDimension.allCases {
            let need = replica.amount(dimension, gpuModel: gpuModel)
            guard need > 0 else { continue }
            let total = Double(self.total.amount(dimension, gpuModel: gpuModel))
            let occupied = Double(used.amount(dimension, gpuModel: gpuModel)
                                  &+ reserved.amount(dimension, gpuModel: gpuModel))
            // Headroom in units: what may still be occupied before the level reaches `limit`.
            let headroom = (limit - lift) * total - occupied
            // A small tolerance keeps an exact fit (for example 0.85 × 100 = 85) from rounding
            // down to one replica fewer.
            let fitting = headroom <= 0 ? 0 : Int(((headroom / Double(need)) + 1e-9).rounded(.down))
            capacity = min(capacity, fitting)
        }
        return capacity == Int.max ? 0 : capacity
    }
}
