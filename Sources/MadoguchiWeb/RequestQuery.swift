import Hummingbird

extension Request {
    /// A query parameter as the visitor or client sent it, trimmed; `fallback` when it is absent or blank.
    func query(_ name: String, default fallback: String = "") -> String {
        let value = uri.queryParameters[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        return value.isEmpty ? fallback : value
    }
}
