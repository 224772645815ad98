import ArgumentParser
import Foundation
import Synchronization
import Hummingbird
import Logging
import MadoguchiCore
import MadoguchiDevices
import MadoguchiStorage
import MadoguchiWeb
import ServiceLifecycle

/// A progress bar on standard error, redrawn in place on a terminal and printed every tenth otherwise.
final class ProgressBar: Sendable {
    let total: Int
    let label: String
    private let interactive = isatty(STDERR_FILENO) != 0
    private let lastTenth = Mutex(-1)

    init(total: Int, label: String) {
        self.total = max(1, total)
        self.label = label
    }

    func update(_ done: Int, of total: Int? = nil, detail: String) {
        let total = max(1, total ?? self.total)
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let line = "\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) \(detail)"
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else if lastTenth.withLock({
            let changed = $0 != Int(fraction * 10); $0 = Int(fraction * 10); return changed
        }) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish() { if interactive { FileHandle.standardError.write(Data("\n".utf8)) } }
}
