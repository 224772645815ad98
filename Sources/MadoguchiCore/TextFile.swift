import Foundation

/// Uploaded and imported text files as municipal systems write them: UTF-8, else Shift_JIS (the one place this
/// rule lives).
public enum TextFile {
    public static func decode(_ data: Data) -> String? {
        if let text = String(data: data, encoding: .utf8) { return text }
        return String(data: data, encoding: .shiftJIS)
    }
}
