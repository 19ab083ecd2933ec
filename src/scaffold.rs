//! The files of a new project (`report init`): a `report.yaml` with every key explained, an
//! `invited.csv` to fill in, and with survey data a drafted codebook ([`crate::survey::draft`])
//! — so a new user starts from files that already follow docs/formats.md instead of from a
//! blank page.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::survey::draft::{Draft, DraftError, draft, quote};

/// The project file's name.
pub const CONFIG: &str = crate::config::DEFAULT_FILE;
/// The table of invited pupils.
pub const INVITED: &str = "invited.csv";
/// The drafted codebook.
pub const CODEBOOK: &str = "codebook.yaml";

/// The files of a new project, by name relative to its directory.
#[derive(Debug)]
pub struct Scaffold {
    pub files: Vec<(&'static str, String)>,
    /// The codebook drafted from the survey, if one was given.
    pub draft: Option<Draft>,
}

/// The files for a project in `dir` (which need not exist yet) whose data are `surveys`
/// (none: the keys are left commented out). `this_year` is the codebook's round where the
/// data do not give one.
pub fn scaffold(
    dir: &Path,
    surveys: &[PathBuf],
    sheet: Option<&str>,
    this_year: u16,
) -> Result<Scaffold, DraftError> {
    let draft = if surveys.is_empty() {
        None
    } else {
        Some(draft(surveys, sheet, this_year)?)
    };
    let base = resolved(dir);
    let surveys: Vec<String> = surveys
        .iter()
        .map(|survey| relative(&base, &resolved(survey)).display().to_string())
        .collect();
    let municipalities = draft
        .as_ref()
        .map(|d| d.municipalities.as_slice())
        .unwrap_or_default();
    let mut files = vec![
        (CONFIG, config(&surveys, draft.is_some(), municipalities)),
        (INVITED, invited(municipalities)),
    ];
    if let Some(draft) = &draft {
        files.push((CODEBOOK, draft.yaml.clone()));
    }
    Ok(Scaffold { files, draft })
}

/// The commented report.yaml.
fn config(surveys: &[String], drafted: bool, municipalities: &[String]) -> String {
    let mut out = String::from(
        "# report.yaml: the project file of `report` (docs/formats.md, \"Project file report.yaml\").\n\
         # `report build`, `validate` and `batch` read it from the working directory, or from\n\
         # --config FILE. Paths are relative to this file. Every key is optional, and a flag on\n\
         # the command line overrides its key.\n\n\
         # Survey results: CSV, a spreadsheet (.xlsx, .xls, .ods) or SPSS (.sav, .zsav); one file\n\
         # or a list of files read as one data set.\n",
    );
    match surveys {
        [] => out.push_str("# survey: \"data/survey.csv\"\n"),
        [one] => {
            let _ = writeln!(out, "survey: {}", quote(one));
        }
        many => {
            let list: Vec<String> = many.iter().map(|s| quote(s)).collect();
            let _ = writeln!(out, "survey: [{}]", list.join(", "));
        }
    }
    out.push_str(
        "# The codebook that explains the survey's columns (`report codebook draft --survey FILE`\n\
         # drafts one).\n",
    );
    if drafted {
        let _ = writeln!(
            out,
            "codebook: {}   # drafted: fill in its TODOs and check its CHECKs",
            quote(CODEBOOK)
        );
    } else {
        let _ = writeln!(out, "# codebook: {}", quote(CODEBOOK));
    }
    out.push_str("# The municipality `report build` reports on, as named in the survey data.\n");
    if let Some(first) = municipalities.first() {
        let shown: Vec<&str> = municipalities.iter().take(8).map(String::as_str).collect();
        let more = if municipalities.len() > 8 {
            ", …"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "# In the data: {}{more}",
            shown.join(", ").replace(['\n', '\r'], " ")
        );
        let _ = writeln!(out, "# municipality: {}", quote(first));
    } else {
        out.push_str("# municipality: \"Silkeborg\"\n");
    }
    out.push_str(CONFIG_REST);
    out
}

/// The keys of report.yaml that do not depend on the data.
const CONFIG_REST: &str = r##"# The intervention library, a directory of fact sheets [default: the one built in, or a
# catalogue/ directory beside this file].
# catalogue: "catalogue"
# The privacy threshold: nothing is published about fewer respondents than this (at least 1).
min_cell: 5
# The language of the report: da or en.
lang: da
# Edited templates (`report templates export DIR` writes the built-in ones to edit).
# templates: "templates"
# How the reports look for the organisation that publishes them; every key is optional.
# branding:
#   organisation: "Silkeborg Kommune · Børn og Unge"   # on the cover
#   logo: "branding/logo.svg"                          # PNG, JPEG or SVG, on the cover
#   colour: "#7a1f3d"                                  # #rrggbb: cover, headings
#   contact: "Analyse og Data · analyse@silkeborg.dk"  # on the cover
#   preface: |                                         # Markdown, a preface before the report
#     Rapporten drøftes i Børne- og Ungeudvalget i januar.
# Pupils invited per municipality, for the response rate: write the numbers into
# invited.csv (municipality name, number invited; header row first), then remove the # below.
# invited: "invited.csv"
# The comparison groups, in order (the first is the main one): all, region, municipality
# (for a school report) or the id of a group under `comparisons:`.
# compare: [region, all]
# comparisons:
#   - id: naboer
#     name: {da: "Nabokommuner", en: "Neighbouring municipalities"}
#     municipalities: ["Skanderborg", "Favrskov"]
# Every codebook that publishes reports from this survey (the codebook above among them),
# so that disclosure control protects all their reports together.
# publications: ["codebook.yaml", "codebook-uden-koen.yaml"]
# The levels this round publishes reports at. Where the data name schools, municipality and
# school reports are protected together (a municipality report then withholds what the
# school reports need); a round without school reports says so, and school reports are refused.
# levels: [municipality]
# Earlier rounds, for trends: year → results file with the same codebook ids (other pupils:
# a file of this round is refused).
# rounds:
#   2024: "data/survey-2024.csv"
# Or one earlier round (its year: --previous-round, else the codebook's round − 1).
# previous: "data/survey-2024.csv"
"##;

/// The invited-pupils table: a header, and a row to fill in per municipality in the data.
fn invited(municipalities: &[String]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![["kommune", "inviterede"]];
    rows.extend(municipalities.iter().map(|m| [m.as_str(), ""]));
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// `path` as an absolute path with symbolic links resolved as far as it exists (the rest
/// need not exist yet).
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(canonical, |path: PathBuf, part| match part {
                    Component::ParentDir => path.parent().map(Path::to_path_buf).unwrap_or(path),
                    Component::CurDir => path,
                    part => path.join(part),
                });
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// `to` relative to the directory `from` (both absolute), with `..` where needed.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        // Another drive or root: only an absolute path reaches it.
        return to.iter().collect();
    }
    std::iter::repeat_n(Component::ParentDir, from.len() - common)
        .chain(to[common..].iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_project_directory() {
        assert_eq!(
            relative(Path::new("/a/b/project"), Path::new("/a/data/s.csv")),
            Path::new("../../data/s.csv")
        );
        assert_eq!(
            relative(Path::new("/a"), Path::new("/a/s.csv")),
            Path::new("s.csv")
        );
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            resolved(&dir.path().join("new/../other/./x")),
            base.join("other/x")
        );
    }

    #[test]
    fn the_project_file_reads_as_one_and_points_at_the_survey() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("projekt");
        let survey =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/udskoling-2026-sample.csv");
        let files = scaffold(&project, std::slice::from_ref(&survey), None, 2030).unwrap();
        let names: Vec<&str> = files.files.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, [CONFIG, INVITED, CODEBOOK]);
        std::fs::create_dir_all(&project).unwrap();
        for (name, text) in &files.files {
            std::fs::write(project.join(name), text).unwrap();
        }
        let config = crate::config::Config::load(&project.join(CONFIG)).unwrap();
        assert_eq!(
            std::fs::canonicalize(&config.survey[0]).unwrap(),
            std::fs::canonicalize(&survey).unwrap()
        );
        assert_eq!(config.codebook, Some(project.join(CODEBOOK)));
        assert_eq!(config.min_cell, Some(5));
        let invited = &files.files[1].1;
        assert!(
            invited.starts_with("kommune,inviterede\nFavrskov,\n"),
            "{invited}"
        );

        // Without data: every data key commented out, and still a valid project file.
        let empty = scaffold(&project, &[], None, 2030).unwrap();
        std::fs::write(project.join(CONFIG), &empty.files[0].1).unwrap();
        let config = crate::config::Config::load(&project.join(CONFIG)).unwrap();
        assert!(config.survey.is_empty() && config.codebook.is_none());
        assert_eq!(empty.files[1].1, "kommune,inviterede\n");
    }
}
