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

/// Builds the font store shared by every document of a renderer: typst's fonts, the shipped
/// ones, and `extra` font files from a templates directory (those that are copies of a
/// shipped font, as `templates export` writes them, are not loaded twice).
pub(crate) fn font_store(extra: &[Bytes]) -> FontStore {
    let mut store = FontStore::new();
    store.extend(typst_kit::fonts::embedded());
    let shipped = SHIPPED.iter().map(|&(_, data)| Bytes::new(data));
    let added = extra
        .iter()
        .filter(|bytes| !SHIPPED.iter().any(|(_, data)| bytes.as_slice() == *data))
        .cloned();
    for data in shipped.chain(added) {
        for font in Font::iter(data) {
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
        let store = font_store(&[]);
        let families: Vec<&str> = store.book().families().map(|(name, _)| name).collect();
        assert!(families.contains(&"Inter"), "{families:?}");
    }

    #[test]
    fn template_fonts_join_the_book_and_shipped_copies_do_not() {
        let count = |store: &FontStore| store.book().families().count();
        let plain = font_store(&[]);
        let copy = Bytes::new(SHIPPED[0].1);
        assert_eq!(count(&font_store(&[copy])), count(&plain));
        // A font that is not shipped (here one of typst's own, loaded a second time) adds
        // its faces to the book.
        let (other, _) = typst_kit::fonts::embedded().next().unwrap();
        let store = font_store(&[other.data().clone()]);
        let faces = |store: &FontStore| (0..).take_while(|&i| store.font(i).is_some()).count();
        assert_eq!(faces(&store), faces(&plain) + 1);
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
