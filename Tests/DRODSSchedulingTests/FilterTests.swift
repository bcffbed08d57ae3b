import DRODSDomain
import DRODSScheduling
import XCTest

final class FilterTests: XCTestCase {
    private func failure(_ plugin: any FilterPlugin, _ domain: DomainSnapshot, _ task: SchedulingTask,
                         purpose: FilterContext.Purpose = .placingNewReplicas,
                         configuration: SchedulerConfiguration = SchedulerConfiguration()) -> FilterFailure? {
        let fleet = FleetSnapshot(domains: [domain])
        return plugin.filter(domain, context: FilterContext(task: task, fleet: fleet,
                                                            configuration: configuration, purpose: purpose))
    }

    func testHealthFilterRejectsNotReadyAndUnknown() {
        let cases: [(DomainHealth, FilterFailure.Code?)] = [
            (.ready, nil), (.notReady, .unhealthy), (.unknown, .unhealthy),
        ]
        for (health, expected) in cases {
            XCTAssertEqual(failure(HealthFilter(), makeDomain("a", health: health), makeTask(replicas: 1))?.code,
                           expected, "health \(health)")
        }
    }

    func testCapabilityFilterRequiresGPUForGPUTasks() {
        let gpuTask = makeTask(replicas: 1, gpus: 1)
        XCTAssertEqual(failure(CapabilityFilter(), makeDomain("a"), gpuTask)?.code, .missingCapability)
        XCTAssertNil(failure(CapabilityFilter(), makeDomain("a", gpus: 8), gpuTask))

        var rdmaTask = makeTask(replicas: 1)
        rdmaTask.constraints.requiredCapabilities = ["rdma"]
        XCTAssertEqual(failure(CapabilityFilter(), makeDomain("a"), rdmaTask)?.reason, "missing capability rdma")
        XCTAssertNil(failure(CapabilityFilter(), makeDomain("a", capabilities: ["rdma"]), rdmaTask))
    }

    func testAffinityFilterChecksEveryRule() {
        let domain = makeDomain("a", region: "eu-west-1", provider: "aws", zone: "eu-west-1a",
                                labels: ["tier": "gold"])
        let cases: [(String, PlacementConstraints, String?)] = [
            ("no rules", .none, nil),
            ("name listed", PlacementConstraints(domainNames: ["a", "b"]), nil),
            ("name missing", PlacementConstraints(domainNames: ["b"]), "domain name not allowed"),
            ("label matches", PlacementConstraints(labels: ["tier": "gold"]), nil),
            ("label differs", PlacementConstraints(labels: ["tier": "silver"]), "labels not allowed"),
            ("provider matches", PlacementConstraints(providers: ["aws"]), nil),
            ("provider differs", PlacementConstraints(providers: ["gcp"]), "provider not allowed"),
            ("region differs", PlacementConstraints(regions: ["us-east-1"]), "region not allowed"),
            ("zone matches", PlacementConstraints(zones: ["eu-west-1a"]), nil),
            ("zone differs", PlacementConstraints(zones: ["eu-west-1b"]), "zone not allowed"),
        ]
        for (name, constraints, expected) in cases {
            let task = makeTask(replicas: 1, constraints: constraints)
            XCTAssertEqual(failure(AffinityFilter(), domain, task)?.reason, expected, name)
        }
    }

    func testTaintFilterBlocksUntoleratedHardTaints() {
        let noSchedule = ClusterTaint(key: "maintenance", value: "yes", effect: .noSchedule)
        let noExecute = ClusterTaint(key: "evict", effect: .noExecute)
        let prefer = ClusterTaint(key: "spot", effect: .preferNoSchedule)
        let cases: [(String, ClusterTaint, [Toleration], FilterContext.Purpose, Bool)] = [
            ("NoSchedule blocks new replicas", noSchedule, [], .placingNewReplicas, true),
            ("NoSchedule keeps running replicas", noSchedule, [], .keepingRunningReplicas, false),
            ("NoExecute blocks new replicas", noExecute, [], .placingNewReplicas, true),
            ("NoExecute evicts running replicas", noExecute, [], .keepingRunningReplicas, true),
            ("PreferNoSchedule never blocks", prefer, [], .placingNewReplicas, false),
            ("Equal toleration matches", noSchedule, [Toleration(key: "maintenance", value: "yes")],
             .placingNewReplicas, false),
            ("Equal toleration with another value", noSchedule, [Toleration(key: "maintenance", value: "no")],
             .placingNewReplicas, true),
            ("Exists toleration matches", noExecute, [Toleration(key: "evict", operator: .exists)],
             .placingNewReplicas, false),
            ("toleration for another effect", noExecute,
             [Toleration(key: "evict", operator: .exists, effect: .noSchedule)], .placingNewReplicas, true),
        ]
        for (name, taint, tolerations, purpose, blocked) in cases {
            let task = makeTask(replicas: 1, constraints: PlacementConstraints(tolerations: tolerations))
            let result = failure(TaintFilter(), makeDomain("a", taints: [taint]), task, purpose: purpose)
            XCTAssertEqual(result?.code, blocked ? .untoleratedTaint : nil, name)
        }
    }

    func testGPUModelFilterNeedsRequestedModel() {
        let task = makeTask(replicas: 1, gpus: 1, gpuModel: "nvidia-a100")
        XCTAssertEqual(failure(GPUModelFilter(), makeDomain("a", gpus: 8, gpuModel: "nvidia-t4"), task)?.code,
                       .gpuModelUnavailable)
        XCTAssertNil(failure(GPUModelFilter(), makeDomain("a", gpus: 8, gpuModel: "nvidia-a100"), task))
        XCTAssertNil(failure(GPUModelFilter(), makeDomain("a"), makeTask(replicas: 1)))
    }

    func testResourceFitFilterNamesShortDimension() {
        let full = makeDomain("a", gpus: 4, usedFraction: 1)
        let result = failure(ResourceFitFilter(), full, makeTask(replicas: 1, cores: 0, memoryGiB: 0, gpus: 1))
        XCTAssertEqual(result?.reason, "insufficient gpu")
        XCTAssertNil(failure(ResourceFitFilter(), makeDomain("a", gpus: 4), makeTask(replicas: 1, gpus: 1)))
    }

    func testNodeFitFilterSeesFragmentation() {
        // Ten nodes with 8 free cores each: 80 cores in total, but no node takes 12.
        let fragmented = makeDomain("a", cores: 80, largestFreeNode: NodeResources(cpuMillis: 8000,
                                                                                memoryBytes: 64 * gibibyte))
        let result = failure(NodeFitFilter(), fragmented, makeTask(replicas: 1, cores: 12))
        XCTAssertEqual(result?.code, .noNodeFits)
        XCTAssertNil(failure(NodeFitFilter(), fragmented, makeTask(replicas: 1, cores: 8)))
    }

    func testWaterLevelFilterUsesLevelAfterOneReplica() {
        let task = makeTask(replicas: 1, cores: 5, memoryGiB: 1)
        // 80 of 100 cores used: one 5-core replica reaches exactly 0.85, which is allowed.
        XCTAssertNil(failure(WaterLevelFilter(), makeDomain("a", usedFraction: 0.80), task))
        XCTAssertEqual(failure(WaterLevelFilter(), makeDomain("a", usedFraction: 0.81), task)?.reason,
                       "water level above 0.85")
    }

    func testWaterLevelFilterHonoursForecastWhenAsked() {
        var domain = makeDomain("a", usedFraction: 0.5)
        domain.forecastWaterLevel = 0.9
        let task = makeTask(replicas: 1)
        XCTAssertNil(failure(WaterLevelFilter(), domain, task))
        let forecasting = SchedulerConfiguration(scheduleAgainstForecast: true)
        XCTAssertEqual(failure(WaterLevelFilter(), domain, task, configuration: forecasting)?.code,
                       .waterLevelExceeded)
    }

    func testReservedResourcesCountAsUsed() {
        var domain = makeDomain("a", usedFraction: 0.5)
        domain.reserved = ResourceVector(cpuMillis: 40_000)
        XCTAssertEqual(failure(WaterLevelFilter(), domain, makeTask(replicas: 1))?.code, .waterLevelExceeded)
    }

    func testSummaryGroupsReasons() {
        let fleet = FleetSnapshot(domains: [
            makeDomain("a", gpus: 2, usedFraction: 1), makeDomain("b", gpus: 2, usedFraction: 1),
            makeDomain("c", cores: 100, gpus: 8, usedFraction: 0.9),
            makeDomain("d", cores: 100, gpus: 8, usedFraction: 0.9),
            makeDomain("e", cores: 100, gpus: 8, usedFraction: 0.9),
        ])
        let decision = Scheduler.decide(makeTask(replicas: 1, cores: 1, memoryGiB: 0, gpus: 0), fleet: fleet)
        XCTAssertEqual(decision.filterSummary.text, "2 domains: insufficient cpu; 3 domains: water level above 0.85")
        XCTAssertEqual(decision.outcome, .unschedulable)
        XCTAssertTrue(decision.reasons.joined().contains("3 domains: water level above 0.85"))
    }

    func testStandardRegistryOrder() {
        XCTAssertEqual(FilterRegistry.standard.plugins.map(\.name),
                       ["Health", "Capability", "Affinity", "Taint", "GPUModel", "ResourceFit", "NodeFit",
                        "WaterLevel"])
        XCTAssertNotNil(FilterRegistry.standard.plugin(named: "NodeFit"))
    }
}

final class WaterLevelDimensionTests: XCTestCase {
    func testFullGPUsDoNotBlockCPUReplicas() {
        var domain = makeDomain("a", gpus: 8)
        domain.used.gpu = 8
        let fleet = FleetSnapshot(domains: [domain])
        let context = FilterContext(task: makeTask(replicas: 1), fleet: fleet, configuration: SchedulerConfiguration())
        XCTAssertNil(WaterLevelFilter().filter(domain, context: context))
        XCTAssertEqual(domain.waterLevel(), 1)

        let gpuContext = FilterContext(task: makeTask(replicas: 1, gpus: 1), fleet: fleet,
                                       configuration: SchedulerConfiguration())
        XCTAssertEqual(WaterLevelFilter().filter(domain, context: gpuContext)?.code, .waterLevelExceeded)
    }
}
