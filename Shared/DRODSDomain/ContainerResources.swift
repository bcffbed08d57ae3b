import DRODSCore

/// Reads the resource requests of the containers in a pod template.
enum ContainerResources {
    /// Resource names the scheduler counts, with the requirement dimension each fills.
    private static var dimensions: [(name: String, keyPath: WritableKeyPath<ResourceRequirements, Int64>)] {
        [("cpu", \.cpuMillis), ("memory", \.memoryBytes), ("nvidia.com/gpu", \.gpu),
         ("ephemeral-storage", \.ephemeralStorageBytes)]
    }

    /// Validates a container list (name, image, resources) and returns each container's
    /// requirements. Container names must be unique within `names`, shared by the pod's
    /// containers and init containers as Kubernetes requires.
    static func readContainers(_ field: JSONField, allowEmpty: Bool,
                               names: inout Set<String>) -> [ResourceRequirements] {
        guard let entries = field.array(allowEmpty: allowEmpty) else { return [] }
        var result: [ResourceRequirements] = []
        for entry in entries {
            guard let container = entry.object() else { continue }
            if let nameField = container.required("name"), let name = nameField.dnsLabel(),
               !names.insert(name).inserted {
                nameField.reject("repeats the container name \"\(name)\"; names must be unique in a pod")
            }
            _ = container.required("image")?.string()
            if let resources = container.optional("resources")?.object() {
                result.append(readRequirements(resources))
            } else {
                result.append(.zero)
            }
        }
        return result
    }

    /// Reads one container's needs. A missing request falls back to the limit, because
    /// Kubernetes defaults the request to the limit.
    private static func readRequirements(_ resources: ObjectReader) -> ResourceRequirements {
        let requests = resources.optional("requests")?.object()
        let limits = resources.optional("limits")?.object()
        var requirements = ResourceRequirements.zero
        for dimension in dimensions {
            let request = requests.flatMap { read(dimension.name, in: $0) }
            let limit = limits.flatMap { read(dimension.name, in: $0) }
            if let request, let limit, request > limit, let requests {
                requests.reject(dimension.name, "must not exceed the limit \(limit) for \(dimension.name), "
                                + "got \(request)")
            }
            guard let quantity = request ?? limit else { continue }
            // Scheduling compares whole units except for CPU, which is counted in millicores.
            requirements[keyPath: dimension.keyPath] =
                dimension.name == "cpu" ? quantity.milliValue : quantity.value
        }
        return requirements
    }

    private static func read(_ name: String, in reader: ObjectReader) -> Quantity? {
        guard let field = reader.optional(name), let quantity = field.quantity() else { return nil }
        if quantity.milliValue < 0 {
            field.reject("must not be negative, got \(quantity)")
            return nil
        }
        if name == "nvidia.com/gpu", !quantity.isWholeNumber {
            field.reject("must be a whole number of devices, got \(quantity)")
            return nil
        }
        return quantity
    }
}
