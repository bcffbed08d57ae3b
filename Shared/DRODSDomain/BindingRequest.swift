import DRODSCore

/// A scheduling task (`POST /api/v1/bindings`): place a submitted workload, or a number of
/// replicas with explicit requirements. The server assigns the binding id.
public struct BindingRequest: Equatable, Codable, Sendable {
    /// The subject of the task: a workload, or replicas given by their requirements.
    public enum Subject: Equatable, Codable, Sendable {
        /// A submitted workload; its manifest gives the requirements.
        case workload(WorkloadReference)
        /// Replicas described only by what each needs.
        case requirements(ResourceRequirements, gpuModel: String?)
    }

    public var subject: Subject
    /// Replica count, 1 to 100000. Nil only for a workload subject without an explicit count,
    /// which means the workload's own count.
    public var replicas: Int?
    /// 0 to 1000.
    public var priority: Int
    /// Name of a propagation policy to follow; nil when `placement` is given or neither is.
    public var policy: String?
    public var placement: BindingPlacement?
    /// A display name, free text.
    public var name: String?

    public static let replicaRange = 1...100_000
    public static let maxNameLength = 253
    /// Upper bound on `requirements.gpu`, a sanity check: no node offers this many devices.
    public static let maxGPUsPerReplica = 1024

    public init(subject: Subject, replicas: Int? = nil, priority: Int = 0, policy: String? = nil,
                placement: BindingPlacement? = nil, name: String? = nil) {
        self.subject = subject
        self.replicas = replicas
        self.priority = priority
        self.policy = policy
        self.placement = placement
        self.name = name
    }

    public static func validate(_ input: JSONValue) throws -> BindingRequest {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(input, collector: collector) else {
            throw collector.failure()
        }
        reader.rejectUnknownFields(
            allowed: ["workload", "requirements", "replicas", "priority", "policy", "placement", "name"])

        var subject: Subject?
        let workloadField = reader.optional("workload")
        let requirementsField = reader.optional("requirements")
        let replicasField = reader.optional("replicas")
        switch (workloadField, requirementsField) {
        case (nil, nil):
            reader.reject("workload", "or requirements is required; give exactly one of them")
        case (.some, .some):
            reader.reject("requirements", "must not be given together with workload; give exactly one of them")
        case (.some(let field), nil):
            subject = WorkloadReference.read(field).map(Subject.workload)
        case (nil, .some(let field)):
            subject = readRequirements(field)
            if replicasField == nil {
                reader.reject("replicas", "is required together with requirements")
            }
        }
        let replicas = replicasField?.integer(in: replicaRange)
        let priority = reader.optional("priority")?.integer(in: PropagationPolicy.priorityRange) ?? 0

        let policy = reader.optional("policy")?.dnsLabel()
        var placement: BindingPlacement?
        if let placementField = reader.optional("placement") {
            if reader.contains("policy") {
                placementField.reject("must not be given together with policy; name a policy "
                                      + "or describe the placement inline")
            } else {
                placement = BindingPlacement.read(placementField)
            }
        }
        let name = reader.optional("name")?.string(maxLength: maxNameLength)

        guard collector.isEmpty, let subject else { throw collector.failure() }
        return BindingRequest(subject: subject, replicas: replicas, priority: priority,
                              policy: policy, placement: placement, name: name)
    }

    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = ["priority": .number(Double(priority))]
        switch subject {
        case .workload(let reference):
            members["workload"] = reference.jsonValue()
        case .requirements(let requirements, let gpuModel):
            var requirementMembers: [String: JSONValue] = [
                "cpu": .string(Quantity(milliValue: requirements.cpuMillis).description),
                "memory": .string(String(requirements.memoryBytes)),
                "gpu": .number(Double(requirements.gpu)),
                "ephemeralStorage": .string(String(requirements.ephemeralStorageBytes)),
            ]
            if let gpuModel { requirementMembers["gpuModel"] = .string(gpuModel) }
            members["requirements"] = .object(requirementMembers)
        }
        if let replicas { members["replicas"] = .number(Double(replicas)) }
        if let policy { members["policy"] = .string(policy) }
        if let placement { members["placement"] = placement.jsonValue() }
        if let name { members["name"] = .string(name) }
        return .object(members)
    }

    // MARK: - Reading

    /// `{cpu, memory, gpu?, ephemeralStorage?, gpuModel?}`: quantities per replica.
    private static func readRequirements(_ field: JSONField) -> Subject? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["cpu", "memory", "gpu", "ephemeralStorage", "gpuModel"])

        func nonNegative(_ field: JSONField?) -> Quantity? {
            guard let field, let quantity = field.quantity() else { return nil }
            guard quantity.milliValue >= 0 else {
                field.reject("must not be negative, got \(quantity)")
                return nil
            }
            return quantity
        }
        let cpu = nonNegative(reader.required("cpu"))
        let memory = nonNegative(reader.required("memory"))
        let gpu = reader.optional("gpu")?.integer(in: 0...maxGPUsPerReplica) ?? 0
        let storage = nonNegative(reader.optional("ephemeralStorage")) ?? .zero
        var gpuModel: String?
        if let modelField = reader.optional("gpuModel"), let model = modelField.string() {
            if NameSyntax.isLabelValue(model) {
                gpuModel = model
            } else {
                modelField.reject("must be a GPU model name such as nvidia-a100: at most 63 "
                                  + "letters, digits, '-', '_' or '.'")
            }
        }

        guard let cpu, let memory else { return nil }
        let requirements = ResourceRequirements(cpuMillis: cpu.milliValue, memoryBytes: memory.value,
                                                gpu: Int64(gpu), ephemeralStorageBytes: storage.value)
        return .requirements(requirements, gpuModel: gpuModel)
    }
}
