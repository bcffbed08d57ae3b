import DRODSCore

/// A Kubernetes workload submitted for multi-cluster placement: an apps/v1 Deployment or
/// StatefulSet, or a batch/v1 Job. The whole manifest is kept for rendering per cluster; the
/// other fields are what the scheduler reads from it.
public struct Workload: Equatable, Codable, Sendable {
    public static let defaultNamespace = "default"
    public static let replicaRange = 0...100_000

    public var kind: WorkloadKind
    public var apiVersion: String { kind.apiVersion }
    /// DNS-1123 subdomain.
    public var name: String
    /// DNS-1123 label; `default` when the manifest gives none.
    public var namespace: String
    public var labels: [String: String]
    /// `spec.replicas`, or `spec.parallelism` for a Job; 1 when the manifest gives none.
    public var replicas: Int
    /// Resources one replica needs, as the scheduler counts them.
    public var requirements: ResourceRequirements
    public var hints: SchedulingHints
    /// The manifest with `metadata.namespace` filled in, and without `status` or the metadata
    /// fields a server sets (`uid`, `resourceVersion`, …), which a member cluster would reject
    /// on create.
    public var manifest: JSONValue

    public init(kind: WorkloadKind, name: String, namespace: String, labels: [String: String],
                replicas: Int, requirements: ResourceRequirements, hints: SchedulingHints,
                manifest: JSONValue) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.replicas = replicas
        self.requirements = requirements
        self.hints = hints
        self.manifest = manifest
    }

    public var reference: WorkloadReference {
        WorkloadReference(kind: kind, namespace: namespace, name: name)
    }

    /// `kind/namespace/name`.
    public var key: String { reference.key }

    public static func validate(_ input: JSONValue) throws -> Workload {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(input, collector: collector) else {
            throw collector.failure()
        }

        let kind = reader.required("kind").flatMap { field -> WorkloadKind? in
            guard let kind = WorkloadKind(rawValue: field.value.stringValue ?? "") else {
                field.reject("must be one of \(WorkloadKind.acceptedList)")
                return nil
            }
            return kind
        }
        if let field = reader.required("apiVersion"), let apiVersion = field.string(), let kind,
           apiVersion != kind.apiVersion {
            field.reject("must be \(kind.apiVersion) for kind \(kind.rawValue), got \(apiVersion)")
        }

        var name: String?
        var namespace = defaultNamespace
        var labels: [String: String] = [:]
        var hints = SchedulingHints()
        if let metadata = reader.required("metadata")?.object() {
            name = metadata.required("name")?.dnsSubdomain()
            namespace = metadata.optional("namespace")?.dnsLabel() ?? defaultNamespace
            labels = metadata.optional("labels")?.labels() ?? [:]
            if let annotationsField = metadata.optional("annotations"),
               let annotations = ObjectMeta.readAnnotations(annotationsField) {
                hints = readHints(annotations, path: annotationsField.path, collector: collector)
            }
        }

        var replicas = 1
        var requirements = ResourceRequirements.zero
        if let spec = reader.required("spec")?.object() {
            let replicaField = kind?.replicaField ?? "replicas"
            replicas = spec.optional(replicaField)?.integer(in: replicaRange) ?? 1
            requirements = readPodRequirements(spec)
        }

        guard collector.isEmpty, let kind, let name else { throw collector.failure() }
        return Workload(kind: kind, name: name, namespace: namespace, labels: labels,
                        replicas: replicas, requirements: requirements, hints: hints,
                        manifest: normalized(input, namespace: namespace))
    }

    /// Returns the API representation, which is the stored manifest.
    public func jsonValue() -> JSONValue {
        manifest
    }

    // MARK: - Reading the manifest

    /// Per-replica needs of `spec.template.spec`: the sum over containers, or the largest init
    /// container when that is larger, because init containers run one at a time before the others.
    private static func readPodRequirements(_ spec: ObjectReader) -> ResourceRequirements {
        guard let template = spec.required("template")?.object(),
              let podSpec = template.required("spec")?.object() else { return .zero }
        var containerNames: Set<String> = []
        var total = ResourceRequirements.zero
        if let containers = podSpec.required("containers") {
            for container in ContainerResources.readContainers(containers, allowEmpty: false,
                                                               names: &containerNames) {
                total = total + container
            }
        }
        if let initContainers = podSpec.optional("initContainers") {
            for container in ContainerResources.readContainers(initContainers, allowEmpty: true,
                                                               names: &containerNames) {
                total = total.maximum(container)
            }
        }
        return total
    }

    private static func readHints(_ annotations: [String: String], path: String,
                                  collector: ErrorCollector) -> SchedulingHints {
        var hints = SchedulingHints()
        func reject(_ key: String, _ message: String) {
            collector.add(FieldPathText.appending(key, to: path), message)
        }

        if let model = annotations[SchedulingHints.gpuModelAnnotation] {
            if !model.isEmpty, NameSyntax.isLabelValue(model) {
                hints.gpuModel = model
            } else {
                reject(SchedulingHints.gpuModelAnnotation, "must be a GPU model name such as "
                       + "nvidia-a100: at most 63 letters, digits, '-', '_' or '.'")
            }
        }
        if let location = annotations[SchedulingHints.dataLocationAnnotation] {
            if NameSyntax.isDNS1123Label(location) {
                hints.dataLocation = location
            } else {
                reject(SchedulingHints.dataLocationAnnotation,
                       "must be a region name; region names " + NameSyntax.dns1123LabelMessage)
            }
        }
        if let text = annotations[SchedulingHints.priorityAnnotation] {
            if let priority = Int(text), PropagationPolicy.priorityRange.contains(priority) {
                hints.priority = priority
            } else {
                reject(SchedulingHints.priorityAnnotation,
                       "must be an integer between 0 and 1000 written as a string, got \"\(text)\"")
            }
        }
        return hints
    }

    private static func normalized(_ input: JSONValue, namespace: String) -> JSONValue {
        guard case .object(var members) = input,
              case .object(var metadata) = members["metadata"] else { return input }
        members["status"] = nil
        for field in ObjectMeta.serverSetFields {
            metadata[field] = nil
        }
        metadata["namespace"] = .string(namespace)
        members["metadata"] = .object(metadata)
        return .object(members)
    }
}
