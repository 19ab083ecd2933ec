//! File-name slugs of municipality names: `Lyngby-Taarbæk` → `lyngby-taarbaek`.

/// Lowercase ASCII letters and digits joined by single hyphens; Danish letters transliterated.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let piece = match c {
            'æ' => "ae",
            'ø' => "oe",
            'å' => "aa",
            'é' | 'è' | 'ê' => "e",
            'ü' => "u",
            'ö' => "o",
            'ä' => "a",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if piece == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(piece);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn transliterates_and_joins() {
        assert_eq!(slug("Lyngby-Taarbæk"), "lyngby-taarbaek");
        assert_eq!(slug("Ærø"), "aeroe");
        assert_eq!(slug("Høje-Taastrup"), "hoeje-taastrup");
        assert_eq!(
            slug("  Bornholms Regionskommune! "),
            "bornholms-regionskommune"
        );
        assert_eq!(slug("København"), "koebenhavn");
    }
}
