@testable import DRODSCLI
import DRODSCore
import DRODSFleetData
import XCTest

final class DemoManifestTests: XCTestCase {
    func testGPUPodBecomesOneReplicaDeployment() {
        let pod = TracePod(name: "openb-pod-0001", cpuMillis: 12000, memoryMiB: 16384, gpuCount: 2, gpuMilli: 1000,
                           creationTime: 0, deletionTime: 10)
        let manifest = DemoManifest.deployment(name: pod.name, pod: pod)
        XCTAssertEqual(manifest["kind"]?.stringValue, "Deployment")
        XCTAssertEqual(manifest["metadata"]?["namespace"]?.stringValue, "demo")
        XCTAssertEqual(manifest["metadata"]?["name"]?.stringValue, "openb-pod-0001")
        XCTAssertEqual(manifest["spec"]?["replicas"]?.doubleValue, 1)
        guard case .array(let containers) = manifest["spec"]?["template"]?["spec"]?["containers"] ?? .null else {
            return XCTFail("no containers in \(manifest)")
        }
        XCTAssertEqual(containers.count, 1)
        let resources = containers[0]["resources"]
        XCTAssertEqual(resources?["requests"]?["cpu"]?.stringValue, "12000m")
        XCTAssertEqual(resources?["requests"]?["memory"]?.stringValue, "16384Mi")
        XCTAssertEqual(resources?["limits"]?["nvidia.com/gpu"]?.stringValue, "2")
        XCTAssertEqual(manifest["spec"]?["selector"]?["matchLabels"]?["app"]?.stringValue, "openb-pod-0001")
    }

    func testSharedGPUTakesWholeDevice() {
        let pod = TracePod(name: "p", cpuMillis: 500, memoryMiB: 512, gpuCount: 1, gpuMilli: 250,
                           creationTime: 0, deletionTime: 10)
        XCTAssertEqual(DemoManifest.wholeGPUs(of: pod), 1)
        guard case .array(let containers) = DemoManifest.deployment(name: "p", pod: pod)["spec"]?["template"]?["spec"]?["containers"] ?? .null,
              let container = containers.first else {
            return XCTFail("no container")
        }
        XCTAssertEqual(container["resources"]?["limits"]?["nvidia.com/gpu"]?.stringValue, "1")
    }

    func testCPUPodHasNoGPULimit() {
        let pod = TracePod(name: "p", cpuMillis: 500, memoryMiB: 512, gpuCount: 0, gpuMilli: 0,
                           creationTime: 0, deletionTime: 10)
        let text = String(decoding: (try? WireJSON.encode(DemoManifest.deployment(name: "p", pod: pod))) ?? Data(),
                          as: UTF8.self)
        XCTAssertFalse(text.contains("nvidia.com/gpu"), text)
        XCTAssertFalse(text.contains("limits"), text)
    }

    func testBindingIDFollowsWorkloadNaming() {
        XCTAssertEqual(DemoManifest.bindingID(name: "openb-pod-0001"), "wl.deployment.demo.openb-pod-0001")
    }
}
