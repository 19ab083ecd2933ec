//! The files an HTML page offers for download — the report as PDF and the published tables
//! (the `--tables-out` workbook) — as links relative to the page, so that the page and its
//! files can be put on a website together, in one folder or a tree, and keep working.
//!
//! The page reads them as `/downloads.json` (docs/templates.md); they are not part of the
//! report's data, since they say where files are written, not what the report shows. The
//! tables hold the same published figures as the report, withheld the same way.

use std::path::{Component, Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

/// The path of the downloads in a page's world.
pub const PATH: &str = "downloads.json";

/// What a page links to, each as a URL relative to the page; `None` when not written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Downloads {
    pub pdf: Option<String>,
    pub tables: Option<String>,
}

impl Downloads {
    /// The links of the page written to `page` to the PDF at `pdf` and the tables at
    /// `tables`, where they are written.
    pub fn of(page: &Path, pdf: Option<&Path>, tables: Option<&Path>) -> Downloads {
        let link = |target: &Path| relative_url(page, target);
        Downloads {
            pdf: pdf.map(link),
            tables: tables.map(link),
        }
    }

    /// As the page reads them.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("downloads serialise")
    }
}

/// What a URL path segment keeps as it is (RFC 3986 unreserved characters); everything else,
/// a space or an `æ` among them, is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `target` as a URL relative to the folder of `page`. Both are made absolute against the
/// working directory and `.` and `..` resolved by name (nothing is read from disk, so the
/// link is the same whether or not the files exist yet). Paths on different roots (two
/// Windows drives) have no relative URL: the link is then the file name, as if both were
/// published in one folder.
fn relative_url(page: &Path, target: &Path) -> String {
    let from = normalised(page);
    let from = from.parent().unwrap_or(&from);
    let to = normalised(target);
    let segments: Vec<String> = if root(from) == root(&to) {
        let from: Vec<_> = from.components().collect();
        let to: Vec<_> = to.components().collect();
        let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
        std::iter::repeat_n("..".to_owned(), from.len() - common)
            .chain(to[common..].iter().map(|c| segment(c.as_os_str())))
            .collect()
    } else {
        to.file_name().map(segment).into_iter().collect()
    };
    segments.join("/")
}

/// The prefix (a Windows drive) and root of `path`.
fn root(path: &Path) -> Vec<Component<'_>> {
    path.components()
        .take_while(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
        .collect()
}

/// One path segment, percent-encoded.
fn segment(name: &std::ffi::OsStr) -> String {
    utf8_percent_encode(&name.to_string_lossy(), SEGMENT).to_string()
}

/// `path` made absolute, with `.` and `..` resolved by name.
fn normalised(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_page_folder() {
        let url = |page: &str, target: &str| relative_url(Path::new(page), Path::new(target));
        assert_eq!(url("/site/a.html", "/site/a.pdf"), "a.pdf");
        assert_eq!(url("/site/html/a.html", "/site/pdf/a.pdf"), "../pdf/a.pdf");
        assert_eq!(
            url("/site/a.html", "/site/data/tables.xlsx"),
            "data/tables.xlsx"
        );
        assert_eq!(url("/site/./x/../a.html", "/site/b.pdf"), "b.pdf");
        assert_eq!(url("/a/b/c/p.html", "/t.xlsx"), "../../../t.xlsx");
    }

    #[test]
    fn relative_paths_are_taken_from_the_working_directory() {
        assert_eq!(
            relative_url(Path::new("out/a.html"), Path::new("a.pdf")),
            "../a.pdf"
        );
        assert_eq!(
            relative_url(Path::new("a.html"), Path::new("a.pdf")),
            "a.pdf"
        );
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(
            relative_url(
                Path::new("/s/p.html"),
                Path::new("/s/Ærø Kommune/t a#b?.xlsx")
            ),
            "%C3%86r%C3%B8%20Kommune/t%20a%23b%3F.xlsx"
        );
    }

    #[test]
    fn nothing_written_is_no_link() {
        let downloads = Downloads::of(Path::new("/s/p.html"), None, Some(Path::new("/s/t.xlsx")));
        assert_eq!(
            String::from_utf8(downloads.to_json()).unwrap(),
            r#"{"pdf":null,"tables":"t.xlsx"}"#
        );
    }
}
