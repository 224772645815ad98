import MadoguchiCore

/// One booking as a client sends it — the JSON API (`POST /api/v1/reservations`, staff bookings), the visitor's
/// confirmation and booking forms, the staff's form — decoded by one type into Core's `BookingRequest`. The pages
/// name the procedure in the path and keep the reservation ID in a cookie; the API sends both in the body.
struct BookingSubmission: Decodable, Sendable {
    var procedure: String?
    var office: String
    var start: String
    var reservationId: String?
    var birthDate: String?
    var phone: String?
    var email: String?
    var password: String?
    /// The pages' second password field.
    var passwordAgain: String?
    /// The seat held while the visitor typed (R5).
    var hold: String?
    /// `language` in the API, `lang` in the pages' forms.
    var language: String?

    enum CodingKeys: String, CodingKey {
        case procedure, office, start, reservationId, birthDate, phone, email, password, passwordAgain, hold, language, lang
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        procedure = try c.decodeIfPresent(String.self, forKey: .procedure)
        office = try c.decode(String.self, forKey: .office)
        start = try c.decode(String.self, forKey: .start)
        reservationId = try c.decodeIfPresent(String.self, forKey: .reservationId)
        birthDate = try c.decodeIfPresent(String.self, forKey: .birthDate)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        passwordAgain = try c.decodeIfPresent(String.self, forKey: .passwordAgain)
        hold = try c.decodeIfPresent(String.self, forKey: .hold)
        language = try c.decodeIfPresent(String.self, forKey: .language) ?? c.decodeIfPresent(String.self, forKey: .lang)
    }

    /// The procedure the API names in the body (a page takes it from the path).
    func requiredProcedure() throws -> String {
        guard let procedure else { throw APIError(.badRequest, code: "missing_field", message: "項目「procedure」がありません。") }
        return procedure
    }

    /// The request for Core; a page passes the procedure of its path, the reservation ID of its cookie and the
    /// language it shows, which replace what the body says.
    func request(procedureID: String? = nil, reservationID: String?? = nil, language shown: Language? = nil, client: String = "") -> BookingRequest {
        var request = BookingRequest(
            procedureID: procedureID ?? procedure ?? "", officeID: office, start: start, reservationID: reservationID ?? reservationId,
            birthDate: birthDate, phone: phone ?? "", email: email ?? "", password: password ?? "",
            language: shown ?? language.flatMap(Language.init(tag:)) ?? .ja, holdCode: hold)
        request.client = client
        return request
    }
}
