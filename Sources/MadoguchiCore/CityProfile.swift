/// The city itself, as visitors and staff see it on every page: its name in the visitor languages and its emblem.
public struct CityProfile: Codable, Sendable, Equatable {
    public var name: String
    public var names: LocalizedText
    /// A same-site address of the emblem image (`/static/emblem.svg`); nil: no emblem.
    public var emblem: String?

    public init(name: String, names: LocalizedText = .empty, emblem: String? = nil) {
        self.name = name
        self.names = names
        self.emblem = emblem
    }

    /// A city nobody named yet: pages then show the product's name alone.
    public static let unnamed = CityProfile(name: "")

    public func name(in language: Language) -> String { names.name(name, in: language) }

    enum CodingKeys: String, CodingKey { case name, names, emblem }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        names = try container.decodeIfPresent(LocalizedText.self, forKey: .names) ?? .empty
        emblem = try container.decodeIfPresent(String.self, forKey: .emblem)
    }

    func validate() -> [String] {
        var faults: [String] = []
        if name.count > 40 { faults.append("city 'name': 市の名前は40文字以内にしてください") }
        // Only same-site paths: the content security policy loads images from this site alone.
        if let emblem, !(emblem.hasPrefix("/") && !emblem.hasPrefix("//")) || emblem.contains("..") {
            faults.append("city 'emblem': 紋章は /static/… のようにこのサイトの画像のパスで指定してください")
        }
        return faults
    }
}
