//! Where a text of a document's data came from, so that a problem found in the data (text
//! no font can draw) names the input file to change.

use std::path::{Path, PathBuf};

use super::{CatalogueSource, Settings};
use crate::render::{Step, Undrawable};

/// The input a text of the report data came from, as readers of a message know it.
pub(super) fn origin(settings: &Settings, text: &Undrawable) -> String {
    let config = || {
        settings
            .config_file
            .as_deref()
            .unwrap_or(Path::new(crate::config::DEFAULT_FILE))
            .display()
            .to_string()
    };
    let survey = || {
        let files: Vec<String> = settings
            .survey
            .iter()
            .map(|path| path.display().to_string())
            .collect();
        format!("the survey data ({})", files.join(", "))
    };
    let [Step::Field(section), rest @ ..] = text.path.as_slice() else {
        return "the report's templates".to_owned();
    };
    let id = match rest {
        [Step::Id(id), ..] => Some(id.as_str()),
        _ => None,
    };
    match (section.as_str(), id) {
        ("survey" | "themes" | "breakdowns" | "missing", _) => settings
            .codebook
            .as_deref()
            .map_or_else(|| "the codebook".to_owned(), |p| p.display().to_string()),
        ("unit", _) => survey(),
        ("comparisons", Some(id)) if settings.comparisons.iter().any(|group| group.id == id) => {
            config()
        }
        ("comparisons", _) => survey(),
        ("branding", _) => config(),
        ("interventions", Some(id)) => factsheet_file(settings, id),
        _ => "the report's templates".to_owned(),
    }
}

/// The fact sheet file of intervention `id`.
fn factsheet_file(settings: &Settings, id: &str) -> String {
    let relative = PathBuf::from("interventions").join(format!("{id}.yaml"));
    match &settings.catalogue {
        CatalogueSource::Dir(dir) => dir.join(relative).display().to_string(),
        CatalogueSource::Bundled => format!(
            "the bundled catalogue's {}",
            Path::new("catalogue").join(relative).display()
        ),
    }
}
