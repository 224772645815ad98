import CPangoCairo
import Foundation
import MadoguchiCore

/// Draws composed form pages into a PDF with cairo and pango (Debian's libcairo2 and libpango), in IPAmj Mincho —
/// the font of the 戸籍統一文字 and MJ characters (K6), embedded as a subset. Layout units are millimetres.
public struct PDFFormRenderer: FormRenderer {
    /// fontconfig's family name of Debian's fonts-ipamj-mincho.
    public let fontFamily: String

    public init(fontFamily: String = "IPAmjMincho") {
        self.fontFamily = fontFamily
    }

    /// Pango and fontconfig keep shared caches; one document at a time is drawn (a form takes a few milliseconds).
    private static let lock = NSLock()

    static let pointsPerMillimetre = 72.0 / 25.4
    static let smallestSize = 4.0

    public func pdf(_ pages: [ComposedPage]) throws -> Data {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        let sink = PDFSink()
        let retained = Unmanaged.passRetained(sink)
        defer { retained.release() }
        let first = pages.first
        let k = Self.pointsPerMillimetre
        guard
            let surface = cairo_pdf_surface_create_for_stream(
                { closure, bytes, length in
                    guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                    Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
                    return CAIRO_STATUS_SUCCESS
                }, retained.toOpaque(), (first?.width ?? 210) * k, (first?.height ?? 297) * k)
        else { throw RenderError(description: "PDFを作れません。") }
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, first?.title ?? "")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Madoguchi")
        guard let cr = cairo_create(surface) else { throw RenderError(description: "PDFを作れません。") }
        for page in pages {
            cairo_pdf_surface_set_size(surface, page.width * k, page.height * k)
            cairo_save(cr)
            cairo_scale(cr, k, k)
            draw(page, on: cr)
            cairo_restore(cr)
            cairo_show_page(cr)
        }
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw RenderError(description: "PDFの作成に失敗しました（cairo \(status.rawValue)）。") }
        return sink.data
    }

    func draw(_ page: ComposedPage, on cr: OpaquePointer) {
        cairo_set_source_rgb(cr, 0, 0, 0)
        for box in page.boxes {
            cairo_set_line_width(cr, box.width ?? 0.3)
            cairo_rectangle(cr, box.x, box.y, box.w, box.h)
            cairo_stroke(cr)
        }
        for line in page.lines {
            cairo_set_line_width(cr, line.width ?? 0.3)
            cairo_move_to(cr, line.x1, line.y1)
            cairo_line_to(cr, line.x2, line.y2)
            cairo_stroke(cr)
        }
        guard let layout = pango_cairo_create_layout(cr) else { return }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        guard let font = pango_font_description_from_string(fontFamily) else { return }
        defer { pango_font_description_free(font) }
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        for text in page.texts {
            place(text, layout: layout, font: font, cr: cr)
        }
    }

    /// Writes one text in its box: wrapped to the box's width, shrunk until it fits its height, centred vertically.
    func place(_ text: PlacedText, layout: OpaquePointer, font: OpaquePointer, cr: OpaquePointer) {
        let scale = Double(PANGO_SCALE)
        pango_layout_set_width(layout, Int32(text.w * scale))
        pango_layout_set_alignment(layout, text.align == .center ? PANGO_ALIGN_CENTER : text.align == .right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT)
        pango_layout_set_text(layout, text.text, -1)
        var size = text.size
        var width: Int32 = 0, height: Int32 = 0
        while true {
            pango_font_description_set_absolute_size(font, size / Self.pointsPerMillimetre * scale)
            pango_layout_set_font_description(layout, font)
            pango_cairo_update_layout(cr, layout)
            pango_layout_get_size(layout, &width, &height)
            if Double(height) / scale <= text.h + 0.01 || size <= Self.smallestSize { break }
            size = max(Self.smallestSize, size * 0.9)
        }
        let textHeight = Double(height) / scale
        cairo_move_to(cr, text.x, text.y + max(0, (text.h - textHeight) / 2))
        pango_cairo_show_layout(cr, layout)
    }
}

public struct RenderError: Error, CustomStringConvertible {
    public let description: String
}

/// Collects the bytes cairo writes; reached through the stream callback's context pointer.
private final class PDFSink {
    var data = Data()
}
