//! The rules of batch generation, free of I/O: which municipalities a CI shard covers, which
//! fact sheets each report appends, how a report's inputs are fingerprinted so unchanged
//! reports are not rendered again, and what became of each report.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::finding::{Finding, parse_yaml};
use crate::names::{ByName, UnknownName};
use crate::render::{Asset, Renderer};

/// Part `index` of `count` (both 1-based in the `K/N` syntax): a deterministic split of the
/// municipalities so a CI matrix of `count` machines covers every one exactly once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Everything in one shard.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// True when the item at `position` (in sorted order) belongs to this shard.
    pub fn includes(&self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || format!("`{text}` is not a shard K/N with 1 ≤ K ≤ N");
        let (index, count) = text.split_once('/').ok_or_else(error)?;
        let index: usize = index.trim().parse().map_err(|_| error())?;
        let count: usize = count.trim().parse().map_err(|_| error())?;
        if index == 0 || count == 0 || index > count {
            return Err(error());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Which fact sheets each municipality's report appends, from a YAML map of municipality
/// name → ids with an optional `default:` list for the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterventionPlan {
    /// The file it was read from, an input of the batch.
    path: Option<std::path::PathBuf>,
    default: Vec<String>,
    by_municipality: ByName<Vec<String>>,
}

impl InterventionPlan {
    /// Parses the YAML map (from `path`, for messages).
    pub fn parse(text: &str, path: &std::path::Path) -> Result<InterventionPlan, Finding> {
        let mut map: BTreeMap<String, Vec<String>> = parse_yaml(text, path)?;
        let default = map.remove("default").unwrap_or_default();
        let by_municipality = map.into_iter().collect();
        Ok(InterventionPlan {
            path: Some(path.to_owned()),
            default,
            by_municipality,
        })
    }

    /// The file the plan was read from.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// The ids for `municipality` (its own list, else the default).
    pub fn for_municipality(&self, municipality: &str) -> &[String] {
        self.by_municipality
            .get(municipality)
            .map_or(&self.default, Vec::as_slice)
    }

    /// Names in the map that are not among `known` municipalities (probably misspelt).
    pub(crate) fn unknown_names(&self, known: &[String]) -> Vec<UnknownName> {
        self.by_municipality
            .unknown(known, "in the interventions file")
    }
}

/// Fingerprints of everything a report's PDF is made from: the tool version, the templates
/// and PDF standards of the renderer, the files the template may read besides its data (the
/// logo), the exact data handed to the template (which holds the municipality's and the
/// benchmark's figures, the chosen fact sheets, the branding, the language and the date), and
/// the PDF identifier. What every report of a batch shares is hashed once.
#[derive(Clone)]
pub struct Fingerprinter {
    shared: Sha256,
}

impl Fingerprinter {
    pub fn new(renderer: &Renderer, assets: &[Asset]) -> Fingerprinter {
        let mut hash = Sha256::new();
        hash.update(env!("CARGO_PKG_VERSION"));
        hash.update([0]);
        for template in renderer.templates() {
            hash.update(template.path.as_bytes());
            hash.update([0]);
            hash.update(&template.bytes);
            hash.update([0]);
        }
        for standard in renderer.standard_names() {
            hash.update(standard);
            hash.update([0]);
        }
        for asset in assets {
            hash.update(&asset.path);
            hash.update([0]);
            hash.update(asset.bytes.as_slice());
            hash.update([0]);
        }
        Fingerprinter { shared: hash }
    }

    /// The fingerprint of one report: its template data, the downloads its HTML page links
    /// to (if it has one) and PDF identifier.
    pub fn of(&self, data: &[u8], downloads: Option<&[u8]>, ident: &str) -> String {
        let mut hash = self.shared.clone();
        hash.update(ident);
        hash.update([0]);
        if let Some(downloads) = downloads {
            hash.update(downloads);
            hash.update([0]);
        }
        hash.update(data);
        hash.finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// What each report in an output directory was built from, and what was written: file name
/// → entry. It is rewritten as reports finish, so an interrupted batch resumes where it
/// stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub reports: BTreeMap<String, Entry>,
}

/// One report of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The fingerprint of its inputs.
    pub fingerprint: String,
    /// The SHA-256 of the PDF written, to tell it from a file changed or cut short since.
    pub sha256: String,
    /// The SHA-256 of the HTML page written beside it (`--html`), if one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_sha256: Option<String>,
}

impl Manifest {
    /// The manifest's file name in the output directory.
    pub const FILE: &'static str = ".report-manifest.json";

    /// True when `file` was last built from `fingerprint` and `pdf` is what was written then,
    /// and, where an HTML page is wanted, `html` is the page written with it.
    pub fn is_current(
        &self,
        file: &str,
        fingerprint: &str,
        pdf: &[u8],
        html: Option<&[u8]>,
    ) -> bool {
        self.reports.get(file).is_some_and(|entry| {
            entry.fingerprint == fingerprint
                && entry.sha256 == sha256(pdf)
                && html.is_none_or(|html| entry.html_sha256 == Some(sha256(html)))
        })
    }
}

/// The SHA-256 of `bytes` in hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What became of one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Written,
    /// Its inputs have not changed since the file in the output directory was written.
    Unchanged,
    /// Not built, for the reason given (e.g. too few respondents to publish anything).
    Skipped,
    Failed,
}

/// One line of the batch summary (`--summary FILE.json`).
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub municipality: String,
    /// The school, in a batch of school reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    pub file: String,
    pub pages: Option<usize>,
    pub bytes: Option<u64>,
    pub milliseconds: u64,
    pub status: Status,
    /// Why the report failed or was skipped.
    pub error: Option<String>,
    /// What typst and the layout check warned about while rendering it, each as printed
    /// (`path:line:column: warning: message`, hints on lines of their own).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_everything_exactly_once() {
        let shards: Vec<Shard> = ["1/3", "2/3", "3/3"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        for position in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.includes(position)).count(), 1);
        }
        for bad in ["0/2", "3/2", "1/0", "1", "a/b", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn intervention_plans_fall_back_to_the_default() {
        let plan = InterventionPlan::parse(
            "default: [x-it]\nAarhus: [pals, ventilen]\nLyngby: []\n\"silkeborg \": [pals]\n",
            std::path::Path::new("plan.yaml"),
        )
        .unwrap();
        assert_eq!(plan.for_municipality("aarhus"), ["pals", "ventilen"]);
        assert_eq!(plan.for_municipality("Odense"), ["x-it"]);
        assert!(plan.for_municipality("Lyngby").is_empty());
        // The same name key as `-m`: spaces and case do not matter.
        assert_eq!(plan.for_municipality("Silkeborg"), ["pals"]);
        let known = ["Aarhus".to_owned(), "Silkeborg".to_owned()];
        let unknown: Vec<String> = plan
            .unknown_names(&known)
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(unknown, ["Lyngby"]);
    }

    #[test]
    fn fingerprints_change_with_every_input() {
        let fingerprint = |renderer: &Renderer, assets: &[Asset], data: &[u8], ident: &str| {
            Fingerprinter::new(renderer, assets).of(data, None, ident)
        };
        let renderer = Renderer::new();
        let a = fingerprint(&renderer, &[], b"{}", "x");
        assert_eq!(a, fingerprint(&renderer, &[], b"{}", "x"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, fingerprint(&renderer, &[], b"{ }", "x"));
        assert_ne!(a, fingerprint(&renderer, &[], b"{}", "y"));
        let page =
            |downloads: &[u8]| Fingerprinter::new(&renderer, &[]).of(b"{}", Some(downloads), "x");
        assert_ne!(a, page(br#"{"pdf":"x.pdf","tables":null}"#));
        assert_ne!(
            page(br#"{"pdf":"x.pdf","tables":null}"#),
            page(br#"{"pdf":"x.pdf","tables":"t.xlsx"}"#)
        );
        let archive = Renderer::new().with_standards(&["a-2b", "ua-1"]).unwrap();
        assert_ne!(a, fingerprint(&archive, &[], b"{}", "x"));
        let logo = |bytes: &'static [u8]| Asset {
            path: "assets/logo.svg".into(),
            bytes: typst::foundations::Bytes::new(bytes),
        };
        let with_logo = fingerprint(&renderer, &[logo(b"<svg/>")], b"{}", "x");
        assert_ne!(a, with_logo);
        assert_ne!(
            with_logo,
            fingerprint(&renderer, &[logo(b"<svg />")], b"{}", "x")
        );
    }
}
