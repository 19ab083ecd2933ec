//! The fonts every document can use: typst's embedded set plus the Inter sans-serif shipped in
//! `report-templates/fonts` (OFL-1.1). No system fonts are ever read, so output is the same on
//! every machine.

use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::FontStore;

macro_rules! shipped {
    ($($file:literal),+ $(,)?) => {
        &[$(($file, include_bytes!(concat!("../../report-templates/fonts/", $file)))),+]
    };
}

/// The font files shipped with the templates: Inter (OFL-1.1, see
/// `report-templates/fonts/LICENSE-Inter.txt`), the report's text face.
pub const SHIPPED: &[(&str, &[u8])] = shipped![
    "Inter-Regular.otf",
    "Inter-Italic.otf",
    "Inter-SemiBold.otf",
    "Inter-Bold.otf",
    "Inter-BoldItalic.otf",
];

/// Builds the font store shared by every document of the process.
pub fn font_store() -> FontStore {
    let mut store = FontStore::new();
    store.extend(typst_kit::fonts::embedded());
    for (_, data) in SHIPPED {
        for font in Font::iter(Bytes::new(*data)) {
            let info = font.info().clone();
            store.push((font, info));
        }
    }
    store
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inter_is_in_the_book() {
        let store = font_store();
        let families: Vec<&str> = store.book().families().map(|(name, _)| name).collect();
        assert!(families.contains(&"Inter"), "{families:?}");
    }

    #[test]
    fn every_shipped_font_file_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/report-templates/fonts");
        let shipped = std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "otf")
            })
            .count();
        assert_eq!(shipped, SHIPPED.len());
    }
}
