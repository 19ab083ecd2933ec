//! The project file `report.yaml`: defaults for flags, with paths relative to the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::Lang;
use crate::finding::{Finding, locate_key, parse_yaml};
use crate::input::{InputError, YAML_LIMIT, read_text};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "report.yaml";

/// Defaults from `report.yaml`. Every field is optional; flags override them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Survey results files (one path or a list).
    #[serde(default, deserialize_with = "one_or_many")]
    pub survey: Vec<PathBuf>,
    /// Codebook file.
    pub codebook: Option<PathBuf>,
    /// Every codebook that publishes from the survey round (this one among them): disclosure
    /// control protects all their reports together.
    #[serde(default)]
    pub publications: Vec<PathBuf>,
    /// The levels the round publishes reports at: `[municipality]`, or `[municipality,
    /// school]` (the default). Disclosure control protects every level listed together, and a
    /// report at a level not listed is refused.
    pub levels: Option<Vec<crate::aggregate::Level>>,
    /// Results of an earlier round, for trends.
    pub previous: Option<PathBuf>,
    /// Earlier rounds for trends: year → results file.
    #[serde(default)]
    pub rounds: std::collections::BTreeMap<u16, PathBuf>,
    /// The comparison groups of reports, in order: `all`, `region`, `municipality` (for school
    /// reports) or a custom group's id.
    pub compare: Option<Vec<String>>,
    /// Custom comparison groups.
    #[serde(default)]
    pub comparisons: Vec<CustomComparison>,
    /// Municipality to report on.
    pub municipality: Option<String>,
    /// Intervention library directory.
    pub catalogue: Option<PathBuf>,
    /// Privacy threshold.
    pub min_cell: Option<u32>,
    /// The smallest difference, in percentage points, that a report marks (default 5).
    pub relevant_difference: Option<f64>,
    /// The breakdowns every comparison is standardised over to the unit's mix: a list of
    /// codebook breakdown ids, or one string (`gender-grade`).
    pub standardise: Option<OneOrMany>,
    /// Report language.
    pub lang: Option<Lang>,
    /// A directory of custom templates.
    pub templates: Option<PathBuf>,
    /// How the reports look for the organisation that publishes them.
    #[serde(default)]
    pub branding: Branding,
    /// How many pupils were invited per municipality (a map, or a table file of
    /// municipality, number), for response rates.
    pub invited: Option<Invited>,
    /// The file itself, if one was read.
    #[serde(skip)]
    pub file: Option<PathBuf>,
    /// The directory of the file, if one was read.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
}

/// One value or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "a breakdown id, ids joined by `-` (`gender-grade`), or a list of ids"
)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrMany> for Vec<String> {
    fn from(value: OneOrMany) -> Vec<String> {
        match value {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// The publisher's look: every field is optional, and the defaults look professional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// The organisation's name, on the cover.
    pub organisation: Option<String>,
    /// A PNG, JPEG or SVG logo for the cover (relative to report.yaml).
    pub logo: Option<PathBuf>,
    /// The primary colour as `#rrggbb` (cover, headings).
    pub colour: Option<String>,
    /// A contact line on the cover, e.g. department, e-mail and phone.
    pub contact: Option<String>,
    /// A preface in Markdown, printed after the summary.
    pub preface: Option<String>,
}

/// A comparison group the analyst defines, e.g. comparable municipalities or a KKR group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomComparison {
    /// How `compare:` and `--compare` name it.
    pub id: String,
    /// Its name as readers see it.
    pub name: crate::Text,
    /// Its municipalities, as named in the survey data.
    pub municipalities: Vec<String>,
}

/// Numbers of invited pupils.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Invited {
    /// Municipality name → number invited.
    Counts(std::collections::BTreeMap<String, u32>),
    /// A CSV file or spreadsheet with the municipality's name and the number invited in its
    /// first two columns (a header row first).
    File(PathBuf),
}

/// Why `report.yaml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Read(#[from] InputError),
    /// YAML syntax, unknown keys, or a value out of range.
    #[error("{0}")]
    Invalid(Finding),
}

impl Config {
    /// Loads `explicit`, or `./report.yaml` if it exists, or nothing.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        match explicit {
            Some(path) => Config::load(path),
            None if Path::new(DEFAULT_FILE).is_file() => Config::load(Path::new(DEFAULT_FILE)),
            None => Ok(Config::default()),
        }
    }

    /// Loads a project file and makes its paths relative to the file's directory.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_text(path, YAML_LIMIT)?;
        let mut config: Config = parse_yaml(&text, path).map_err(ConfigError::Invalid)?;
        if config.min_cell == Some(0) {
            return Err(ConfigError::Invalid(Finding::new(
                path,
                locate_key(&text, "min_cell"),
                "`min_cell` must be at least 1",
            )));
        }
        if config
            .relevant_difference
            .is_some_and(|d| !(0.0..=100.0).contains(&d))
        {
            return Err(ConfigError::Invalid(Finding::new(
                path,
                locate_key(&text, "relevant_difference"),
                "`relevant_difference` is in percentage points, from 0 to 100",
            )));
        }
        if config.levels.as_ref().is_some_and(Vec::is_empty) {
            return Err(ConfigError::Invalid(Finding::new(
                path,
                locate_key(&text, "levels"),
                "`levels` lists the levels the round publishes: `[municipality]` or \
                 `[municipality, school]`",
            )));
        }
        let base = path.parent().unwrap_or(Path::new(""));
        config.file = Some(path.to_owned());
        config.dir = Some(base.to_owned());
        for field in [
            &mut config.codebook,
            &mut config.catalogue,
            &mut config.previous,
            &mut config.templates,
            &mut config.branding.logo,
        ] {
            if let Some(relative) = field.take() {
                *field = Some(base.join(relative));
            }
        }
        for path in config.survey.iter_mut().chain(&mut config.publications) {
            *path = base.join(&*path);
        }
        for round in config.rounds.values_mut() {
            *round = base.join(&*round);
        }
        if let Some(Invited::File(file)) = &mut config.invited {
            *file = base.join(&*file);
        }
        if let Some(colour) = &config.branding.colour
            && !is_hex_colour(colour)
        {
            return Err(ConfigError::Invalid(Finding::new(
                path,
                locate_key(&text, "colour"),
                format!("branding colour `{colour}` is not of the form #rrggbb"),
            )));
        }
        Ok(config)
    }
}

/// `#rrggbb`.
fn is_hex_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// `survey: a.csv` or `survey: [a.csv, b.csv]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<PathBuf>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(PathBuf),
        Many(Vec<PathBuf>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(path) => vec![path],
        OneOrMany::Many(paths) => paths,
    })
}

impl Config {
    /// The catalogue directory: `catalogue:` from the file, else `catalogue/` beside the file
    /// if there is one; `None` means the catalogue bundled in the binary.
    pub fn catalogue_dir(&self) -> Option<PathBuf> {
        self.catalogue.clone().or_else(|| {
            let beside = self.dir.as_ref()?.join("catalogue");
            beside.is_dir().then_some(beside)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.yaml");
        std::fs::write(
            &path,
            "survey: data/s.csv\nmunicipality: Aarhus\nlang: en\n",
        )
        .unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.survey, [dir.path().join("data/s.csv")]);
        assert!(config.publications.is_empty());
        assert_eq!(config.municipality.as_deref(), Some("Aarhus"));
        assert_eq!(config.lang, Some(Lang::En));
    }

    #[test]
    fn publications_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.yaml");
        std::fs::write(
            &path,
            "publications: [a.codebook.yaml, sub/b.codebook.yaml]\n",
        )
        .unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(
            config.publications,
            [
                dir.path().join("a.codebook.yaml"),
                dir.path().join("sub/b.codebook.yaml")
            ]
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_a_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.yaml");
        std::fs::write(&path, "survey: s.csv\nkommune: Aarhus\n").unwrap();
        let message = Config::load(&path).unwrap_err().to_string();
        assert!(
            message.contains("report.yaml:2:1: unknown field `kommune`"),
            "{message}"
        );
    }

    #[test]
    fn branding_and_invited_are_read_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.yaml");
        std::fs::write(
            &path,
            "branding:\n  organisation: Aarhus Kommune\n  logo: img/logo.svg\n  colour: \"#005f87\"\n\
             invited: {Aarhus: 1200, Odder: 300}\n",
        )
        .unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.branding.logo, Some(dir.path().join("img/logo.svg")));
        assert_eq!(config.branding.colour.as_deref(), Some("#005f87"));
        assert!(
            matches!(config.invited, Some(Invited::Counts(ref counts)) if counts["Odder"] == 300)
        );

        std::fs::write(&path, "invited: elever.csv\n").unwrap();
        let config = Config::load(&path).unwrap();
        assert!(
            matches!(config.invited, Some(Invited::File(ref f)) if *f == dir.path().join("elever.csv"))
        );
    }

    #[test]
    fn a_colour_that_is_not_hex_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.yaml");
        std::fs::write(&path, "lang: da\nbranding:\n  colour: blue\n").unwrap();
        let message = Config::load(&path).unwrap_err().to_string();
        assert!(
            message.contains("report.yaml:3:3: branding colour `blue` is not of the form #rrggbb"),
            "{message}"
        );
    }
}
