import CCrackLib
import Foundation
import MadoguchiCore
import Synchronization

/// Debian's cracklib (`libcrack2`, dictionary from `cracklib-runtime`): refuses dictionary words, common passwords,
/// their simple variants and the login itself. No Swift library checks passwords against a dictionary.
struct CrackLibChecker: PasswordStrengthChecker {
    /// cracklib keeps the open dictionary in static state: one check at a time.
    private static let gate = Mutex(())
    let dictionary: String

    init(dictionary: String = String(cString: GetDefaultCracklibDict())) {
        self.dictionary = dictionary
    }

    /// Whether the packed dictionary is installed; cracklib ends the process when it cannot open it (Debian #682735).
    var isAvailable: Bool { FileManager.default.fileExists(atPath: dictionary + ".pwd") }

    func weakness(of password: String, login: String) -> String? {
        guard isAvailable else { return nil }
        return Self.gate.withLock { _ in
            FascistCheckUser(password, dictionary, login, nil).map { String(cString: $0) }
        }
    }
}
