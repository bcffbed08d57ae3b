import DRODSCore

/// Dispatches requests by method and path pattern. Unknown paths get 404 `NOT_FOUND`; a known
/// path with another method gets 405 `METHOD_NOT_ALLOWED` and an `Allow` header. When several
/// patterns match a path, the one with a literal segment where the others have a parameter
/// wins, so `/clusters/summary` takes precedence over `/clusters/{name}`.
/// `HEAD` requests go to the `GET` handler, and the server sends no body for them.
public struct Router: Sendable {
    /// A route handler; it receives the request and the values of the `{param}` segments.
    public typealias Handler = @Sendable (HTTPRequest, [String: String]) throws -> HTTPResponse
    /// A route handler that sends its response through the responder, possibly after it
    /// returned. It must either throw without responding or respond exactly once.
    public typealias DeferredHandler = @Sendable (HTTPRequest, [String: String], HTTPResponder) throws -> Void

    /// A registered method and pattern, for checking an API description against the routes.
    public struct RouteDescription: Hashable, Sendable {
        public let method: String
        public let pattern: String
    }

    private enum Action: Sendable {
        case immediate(Handler)
        case deferred(DeferredHandler)
    }

    private struct Route: Sendable {
        let method: String
        let pattern: RoutePattern
        let action: Action
    }

    /// The outcome of looking up a request: a route to run, or a 404 or 405 response.
    private enum Resolution {
        case route(Route, parameters: [String: String])
        case response(HTTPResponse)
    }

    private var routes: [Route] = []

    public init() {}

    /// Every registered route in registration order.
    public var registeredRoutes: [RouteDescription] {
        routes.map { RouteDescription(method: $0.method, pattern: $0.pattern.text) }
    }

    /// Registers `handler` for `method` (case-insensitive) and `pattern`. A malformed pattern
    /// or a second route for the same method and paths is a programming error and traps.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        add(method, pattern, action: .immediate(handler))
    }

    /// Registers a deferred handler, under the same rules as `add(_:_:_:)`.
    public mutating func add(_ method: String, _ pattern: String, responding handler: @escaping DeferredHandler) {
        add(method, pattern, action: .deferred(handler))
    }

    private mutating func add(_ method: String, _ pattern: String, action: Action) {
        guard let parsed = RoutePattern(pattern) else {
            preconditionFailure("route pattern \"\(pattern)\" must start with / and use {name} segments")
        }
        let names = parsed.parameterNames
        precondition(Set(names).count == names.count,
                     "route pattern \"\(pattern)\" repeats a parameter name")
        let upper = method.uppercased()
        precondition(!routes.contains { $0.method == upper && $0.pattern.hasSameShape(as: parsed) },
                     "route \(upper) \(pattern) is registered twice")
        routes.append(Route(method: upper, pattern: parsed, action: action))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) {
        add("GET", pattern, handler)
    }

    public mutating func post(_ pattern: String, _ handler: @escaping Handler) {
        add("POST", pattern, handler)
    }

    public mutating func put(_ pattern: String, _ handler: @escaping Handler) {
        add("PUT", pattern, handler)
    }

    public mutating func patch(_ pattern: String, _ handler: @escaping Handler) {
        add("PATCH", pattern, handler)
    }

    public mutating func delete(_ pattern: String, _ handler: @escaping Handler) {
        add("DELETE", pattern, handler)
    }

    /// Finds the route for `request` and calls its handler; errors from the handler propagate.
    /// For a deferred route it blocks until the handler has responded.
    public func handle(_ request: HTTPRequest) throws -> HTTPResponse {
        switch resolve(request) {
        case .response(let response):
            return response
        case .route(let route, let parameters):
            switch route.action {
            case .immediate(let handler):
                return try handler(request, parameters)
            case .deferred(let handler):
                let pending = BlockingResponse()
                try handler(request, parameters, pending.makeResponder())
                return pending.wait()
            }
        }
    }

    /// Finds the route for `request` and sends its response through `responder`, at once for
    /// an immediate route, 404 or 405, or whenever a deferred handler responds. Errors thrown
    /// by the handler propagate, and then nothing was sent.
    public func handle(_ request: HTTPRequest, responder: HTTPResponder) throws {
        switch resolve(request) {
        case .response(let response):
            responder.respond(response)
        case .route(let route, let parameters):
            switch route.action {
            case .immediate(let handler):
                responder.respond(try handler(request, parameters))
            case .deferred(let handler):
                try handler(request, parameters, responder)
            }
        }
    }

    private func resolve(_ request: HTTPRequest) -> Resolution {
        // Splitting before decoding keeps an encoded slash inside its segment.
        let pathSegments = request.rawPath.split(separator: "/").map { PercentDecoding.decode($0) }
        let method = request.method.uppercased()
        var allowed: Set<String> = []
        var best: (route: Route, parameters: [String: String])?

        for route in routes {
            guard let parameters = route.pattern.match(pathSegments) else { continue }
            allowed.insert(route.method)
            guard route.method == method || (method == "HEAD" && route.method == "GET") else {
                continue
            }
            if let current = best, !route.pattern.isMoreSpecific(than: current.route.pattern) {
                continue
            }
            best = (route, parameters)
        }

        if let best {
            return .route(best.route, parameters: best.parameters)
        }
        if allowed.isEmpty {
            return .response(HTTPResponse.error(status: 404, code: "NOT_FOUND",
                                                message: "no resource at path \(request.path)",
                                                details: ["path": .string(request.path)]))
        }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        let allowList = allowed.sorted()
        var response = HTTPResponse.error(
            status: 405, code: "METHOD_NOT_ALLOWED",
            message: "method \(method) is not allowed on \(request.path); use one of "
                + allowList.joined(separator: ", "),
            details: ["allowed": .array(allowList.map { .string($0) })])
        response.headers["Allow"] = allowList.joined(separator: ", ")
        return .response(response)
    }
}
