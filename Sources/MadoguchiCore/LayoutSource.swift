import Synchronization

/// The current configuration. Settings changes replace it at run time, so callers read it per request.
public final class LayoutSource: Sendable {
    private let layout: Mutex<OfficeLayout>
    public init(_ layout: OfficeLayout) { self.layout = Mutex(layout) }
    public var current: OfficeLayout { layout.withLock { $0 } }
    public func replace(with newLayout: OfficeLayout) { layout.withLock { $0 = newLayout } }
}
