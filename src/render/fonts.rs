//! The fonts every document can use: typst's embedded set plus the Inter sans-serif shipped in
//! `report-templates/fonts` (OFL-1.1). No system fonts are ever read, so output is the same on
//! every machine.

use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::FontStore;

/// Inter (OFL-1.1, see `report-templates/fonts/LICENSE-Inter.txt`), the report's text face.
const INTER: &[&[u8]] = &[
    include_bytes!("../../report-templates/fonts/Inter-Regular.otf"),
    include_bytes!("../../report-templates/fonts/Inter-Italic.otf"),
    include_bytes!("../../report-templates/fonts/Inter-SemiBold.otf"),
    include_bytes!("../../report-templates/fonts/Inter-Bold.otf"),
    include_bytes!("../../report-templates/fonts/Inter-BoldItalic.otf"),
];

/// Builds the font store shared by every document of the process.
pub fn font_store() -> FontStore {
    let mut store = FontStore::new();
    store.extend(typst_kit::fonts::embedded());
    for data in INTER {
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
        assert_eq!(shipped, INTER.len());
    }
}
