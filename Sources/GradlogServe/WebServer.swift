import FlyingFox
import FlyingSocks
import Foundation

/// The web app's HTTP/1.1 server on one address: FlyingSocks' non-blocking sockets and event
/// pool, with the request heads read by `WebConnection` within fixed limits.
///
/// FlyingFox's own `HTTPServer` read a request line or header byte by byte, comparing the whole
/// line read so far at each byte: a 100 KB query took minutes of a core and got no answer; here
/// an oversized head gets its 414 or 431 at once.
public final class WebServer: Sendable {
    private let listening: Socket
    private let pool: any AsyncSocketPool
    private let box: AppBox
    private let tasks = TaskSet()

    /// A server for `app` on `host` (an IP address) and `port` (0: a free one), listening once
    /// this returns; `start` serves.
    public init(host: String, port: Int, app: @escaping @Sendable (_ port: Int) -> WebApp) throws {
        let address: any SocketAddress = host.contains(":") ? try sockaddr_in6.inet6(ip6: host, port: UInt16(port))
            : try sockaddr_in.inet(ip4: host, port: UInt16(port))
        listening = try Socket(domain: Int32(type(of: address).family))
        try listening.setValue(true, for: .localAddressReuse)
        try listening.bind(to: address)
        try listening.listen()
        pool = HTTPServer.defaultPool()
        box = AppBox(make: app)
    }

    /// Serves in the background; returns the port it listens on.
    public func start() async throws -> Int {
        let port: Int
        switch try listening.sockname() {
        case .ip4(_, let listeningPort), .ip6(_, let listeningPort): port = Int(listeningPort)
        default: port = 0
        }
        let app = box.attach(port: port)
        try await pool.prepare()
        let sockets = try AsyncSocket(socket: listening, pool: pool)
        let pool = self.pool, tasks = self.tasks, executor = ServerExecutor.shared
        tasks.add(Task(executorPreference: executor) { try? await pool.run() })
        tasks.add(Task(executorPreference: executor) {
            while !Task.isCancelled {
                guard let socket = try? await sockets.accept() else { return }
                tasks.serve(socket) { await WebConnection(socket: socket, app: app).serve() }
            }
        })
        return port
    }

    /// Lowers the scheduling priority of every thread of this process (threads made later inherit
    /// it from their makers) to `niceness`: the server is a window on training, and on a busy
    /// machine the run it shows should have the cores first. Measured with 50 clients following a
    /// run that logs at full speed (`scripts/serve-bench`). Returns whether every thread was lowered.
    @discardableResult
    public static func yieldToOtherProcesses(niceness: Int32 = 10) -> Bool {
        // A thread may start while the list is walked, from one not lowered yet: walk again until none is left.
        for _ in 0..<5 {
            guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return false }
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            var changed = false
            for thread in threads {
                guard let id = id_t(thread), getpriority(which, id) != niceness else { continue }
                guard setpriority(which, id, niceness) == 0 else { return false }
                changed = true
            }
            if !changed { return true }
        }
        return false
    }

    /// Stops listening and ends open connections.
    public func stop() async {
        _ = shutdown(listening.file.rawValue, Int32(SHUT_RDWR))
        tasks.stop()
        try? listening.close()
    }
}

/// The app, made once the port is known (the Host check names it).
private final class AppBox: @unchecked Sendable {
    private let make: @Sendable (Int) -> WebApp
    private let lock = NSLock()
    private var app: WebApp?

    init(make: @escaping @Sendable (Int) -> WebApp) {
        self.make = make
    }

    /// Builds the app for `port`, once.
    func attach(port: Int) -> WebApp {
        lock.withLock {
            if let app { return app }
            let made = make(port)
            app = made
            return made
        }
    }
}

/// The server's tasks and open connections, ended together by `stop`.
private final class TaskSet: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []
    private var connections: [Int: (file: Int32, task: Task<Void, Never>?)] = [:]
    private var next = 0
    private var stopped = false

    /// Keeps a task of the server's own (the pool, the accept loop).
    func add(_ task: Task<Void, Never>) {
        if lock.withLock({ stopped ? true : { tasks.append(task); return false }() }) { task.cancel() }
    }

    /// Serves `socket` in a task of its own, kept until it ends; closes it at once after `stop`.
    func serve(_ socket: AsyncSocket, _ body: @escaping @Sendable () async -> Void) {
        let file = socket.socket.file.rawValue
        guard let id = lock.withLock({ () -> Int? in
            guard !stopped else { return nil }
            next += 1
            connections[next] = (file, nil)
            return next
        }) else { try? socket.close(); return }
        let task = Task(executorPreference: ServerExecutor.shared) {
            await body()
            self.lock.withLock { _ = self.connections.removeValue(forKey: id) }
            try? socket.close()
        }
        lock.withLock { if connections[id] != nil { connections[id]?.task = task } }
    }

    /// Cancels every task and shuts every open connection down (a pending read ends at once).
    func stop() {
        let (all, open) = lock.withLock {
            stopped = true
            return (tasks, Array(connections.values))
        }
        for task in all { task.cancel() }
        for connection in open {
            _ = shutdown(connection.file, Int32(SHUT_RDWR))
            connection.task?.cancel()
        }
    }
}

/// Runs the server's tasks (its socket pool, accepting, each connection and its event stream) on
/// threads of Dispatch's pool instead of the concurrency pool, which has a thread per core: in a
/// process doing other work too (the test suite, where tests that block hold those threads for
/// minutes), the server still answers.
final class ServerExecutor: TaskExecutor {
    /// The one executor of the process's servers.
    static let shared = ServerExecutor()

    private let queue = DispatchQueue(label: "gradlog-serve", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
