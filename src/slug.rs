//! File-name slugs of municipality and school names: `Lyngby-Taarbæk` → `lyngby-taarbaek`.
//! Names with nothing to transliterate (Greek, Chinese …) get a stable stem from their hash,
//! and [`unique_stems`] keeps names that slug alike apart, so no file name is empty and no
//! two units share one.

use sha2::{Digest, Sha256};

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

/// The first 8 hex digits of the SHA-256 of `name`: stable across runs and machines.
fn short_hash(name: &str) -> String {
    Sha256::digest(name.as_bytes())[..4]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A file-name stem for `name`: its slug, or `x-<hash>` where the slug would be empty.
pub(crate) fn stem(name: &str) -> String {
    let slug = slug(name);
    if slug.is_empty() {
        format!("x-{}", short_hash(name))
    } else {
        slug
    }
}

/// A stem per name, unique among `names`: a name whose stem another name shares gets
/// `-<hash of the exact name>` added, whatever order the names come in.
pub(crate) fn unique_stems(names: &[&str]) -> Vec<String> {
    let stems: Vec<String> = names.iter().map(|name| stem(name)).collect();
    stems
        .iter()
        .zip(names)
        .map(|(stem, name)| {
            let shared = stems.iter().filter(|s| *s == stem).count() > 1;
            if shared {
                format!("{stem}-{}", short_hash(name))
            } else {
                stem.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_slug_alike_get_apart_and_no_stem_is_empty() {
        let stems = unique_stems(&["Silkeborg", "SILKEBORG!", "Odder", "Αθήνα", "北京"]);
        assert_eq!(stems[2], "odder");
        assert!(stems[0].starts_with("silkeborg-") && stems[1].starts_with("silkeborg-"));
        assert_ne!(stems[0], stems[1]);
        assert!(stems[3].starts_with("x-") && stems[4].starts_with("x-"));
        assert_ne!(stems[3], stems[4]);
        // The same names in another order keep their stems.
        let again = unique_stems(&["北京", "Odder", "SILKEBORG!", "Silkeborg", "Αθήνα"]);
        assert_eq!(again[3], stems[0]);
        assert_eq!(again[0], stems[4]);
    }

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
