//! QR codes as SVG (the `qrcode` crate), shown as a `data:` image so that no
//! markup of theirs enters the page: the portal invitation and the
//! two-step set-up.

/// An SVG as a `data:` address an `<img>` shows.
fn svg_data_url(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml,");
    for ch in svg.chars() {
        match ch {
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push('\''),
            '\n' | '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The QR code of `text` (at least 200 px, with its quiet zone) as an
/// image address; none when the text is too long for a QR code.
pub fn image(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Some(svg_data_url(&svg))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_qr_code_is_an_svg_image_address_without_markup_characters() {
        let url =
            super::image("otpauth://totp/palett:kim?secret=ABCD&issuer=palett").expect("a QR code");
        assert!(url.starts_with("data:image/svg+xml,%3C"));
        assert!(!url.contains(['<', '>', '"', '#']));
        assert!(
            super::image(&"x".repeat(8000)).is_none(),
            "too long for a QR code"
        );
    }
}
