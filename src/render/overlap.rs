//! Text a reader cannot read, found in the laid-out document before it becomes a PDF: text
//! set over text (a heading too long for its column, a label wider than the space a template
//! gives it or two lines placed on top of each other all end up as words whose glyphs cover
//! each other) and text set smaller than [`SMALLEST`] (a label shrunk to fit a column).
//! Every document is checked, so such a page is reported (as a warning naming the words)
//! whatever template, data or language caused it.

use std::fmt;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::TextItem;
use typst_layout::PagedDocument;

/// Two words printed over each other.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Overlap {
    /// 1-based.
    pub page: usize,
    pub first: String,
    pub second: String,
}

impl fmt::Display for Overlap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "page {}: `{}` is printed over `{}`",
            self.page, self.first, self.second
        )
    }
}

/// The smallest text size a report prints, in points: below it, notes and labels are hard to
/// read on paper and on a screen.
pub(super) const SMALLEST: f64 = 7.0;

/// Words set smaller than [`SMALLEST`] on one page.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Small {
    /// 1-based.
    pub page: usize,
    /// The smallest size found, in points.
    pub size: f64,
    /// Up to three of the words, in reading order.
    pub words: Vec<String>,
}

impl fmt::Display for Small {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "page {}: `{}` is set in {:.1} pt, below the {SMALLEST} pt a report keeps",
            self.page,
            self.words.join(" "),
            self.size
        )
    }
}

/// A word's extent on its page, in points: from `x0` to `x1` on the baseline `y` (downwards).
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
}

impl Word {
    /// Whether the glyphs of two words cover each other: their baselines are closer than
    /// most of a letter's height and their extents cross by more than a hair.
    fn overlaps(&self, other: &Word) -> bool {
        let size = self.size.min(other.size);
        let crossing = self.x1.min(other.x1) - self.x0.max(other.x0);
        (self.y - other.y).abs() < 0.6 * size && crossing > 0.15 * size
    }
}

/// The words of every page of a document, top to bottom: read from the frames once, for
/// every check.
pub(crate) struct Pages(Vec<Vec<Word>>);

impl Pages {
    pub(crate) fn of(document: &PagedDocument) -> Pages {
        Pages(
            document
                .pages()
                .iter()
                .map(|page| {
                    let mut words = Vec::new();
                    collect(&page.frame, Transform::identity(), &mut words);
                    words.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
                    words
                })
                .collect(),
        )
    }

    /// The pages with words set smaller than [`SMALLEST`] (a hair's tolerance for rounding).
    pub(crate) fn small_text(&self) -> Vec<Small> {
        self.0
            .iter()
            .enumerate()
            .filter_map(|(index, words)| {
                let small: Vec<&Word> = words.iter().filter(|w| w.size < SMALLEST - 0.05).collect();
                let size = small.iter().map(|w| w.size).min_by(f64::total_cmp)?;
                Some(Small {
                    page: index + 1,
                    size,
                    words: small.iter().take(3).map(|w| w.text.clone()).collect(),
                })
            })
            .collect()
    }

    /// Every pair of words printed over each other, page by page.
    pub(crate) fn overlaps(&self) -> Vec<Overlap> {
        let mut found = Vec::new();
        for (index, words) in self.0.iter().enumerate() {
            // A sweep down the page: only words with close baselines can cover each other.
            for (i, a) in words.iter().enumerate() {
                for b in words[i + 1..]
                    .iter()
                    .take_while(|b| b.y - a.y < a.size.max(b.size))
                {
                    if a.overlaps(b) {
                        found.push(Overlap {
                            page: index + 1,
                            first: a.text.clone(),
                            second: b.text.clone(),
                        });
                    }
                }
            }
        }
        found
    }
}

/// The words of `frame` and its groups, placed by `transform`.
fn collect(frame: &Frame, transform: Transform, words: &mut Vec<Word>) {
    for (position, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = transform
                    .pre_concat(Transform::translate(position.x, position.y))
                    .pre_concat(group.transform);
                collect(&group.frame, inner, words);
            }
            FrameItem::Text(text) => text_words(text, *position, transform, words),
            FrameItem::Shape(..)
            | FrameItem::Image(..)
            | FrameItem::Link(..)
            | FrameItem::Tag(_) => {}
        }
    }
}

/// The words of a run of shaped text at `origin` (its baseline start): glyphs between
/// whitespace, each word from its first glyph's left to its last glyph's advance.
fn text_words(text: &TextItem, origin: Point, transform: Transform, words: &mut Vec<Word>) {
    let size = text.size;
    let scale = transform.sy.get().abs();
    // A word so far: the byte range of its text, and where it starts and ends.
    let mut place = |word: &mut Option<(std::ops::Range<usize>, Abs, Abs)>| {
        if let Some((bytes, start, end)) = word.take() {
            let left = Point::new(origin.x + start, origin.y).transform(transform);
            let right = Point::new(origin.x + end, origin.y).transform(transform);
            words.push(Word {
                text: text.text.get(bytes).unwrap_or_default().to_owned(),
                x0: left.x.to_pt().min(right.x.to_pt()),
                x1: left.x.to_pt().max(right.x.to_pt()),
                y: left.y.to_pt(),
                size: size.to_pt() * scale,
            });
        }
    };
    let mut x = Abs::zero();
    let mut word: Option<(std::ops::Range<usize>, Abs, Abs)> = None;
    for glyph in &text.glyphs {
        let range = glyph.range();
        let content = text.text.get(range.clone()).unwrap_or_default();
        let start = x + glyph.x_offset.at(size);
        let advance = glyph.x_advance.at(size);
        if !content.is_empty() && content.chars().all(char::is_whitespace) {
            place(&mut word);
        } else {
            let (bytes, _, end) = word.get_or_insert_with(|| (range.clone(), start, start));
            bytes.start = bytes.start.min(range.start);
            bytes.end = bytes.end.max(range.end);
            *end = start + advance;
        }
        x += advance;
    }
    place(&mut word);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, x0: f64, x1: f64, y: f64) -> Word {
        Word {
            text: text.into(),
            x0,
            x1,
            y,
            size: 6.5,
        }
    }

    #[test]
    fn words_on_one_baseline_that_cross_overlap_and_neighbours_do_not() {
        let a = word("Nogle gange", 100.0, 140.0, 500.0);
        assert!(a.overlaps(&word("Sjældent", 138.0, 165.0, 500.5)));
        assert!(!a.overlaps(&word("Sjældent", 141.0, 165.0, 500.0)));
        assert!(!a.overlaps(&word("Sjældent", 120.0, 165.0, 508.0)));
    }
}
