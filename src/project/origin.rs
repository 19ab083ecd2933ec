//! Where a text of a document's data came from, so that a problem found in the data (text
//! no font can draw) names the input file to change.

use std::path::{Path, PathBuf};

use super::{CatalogueSource, Settings};
use crate::render::Undrawable;

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
    match text.section() {
        "survey" | "themes" | "breakdowns" | "missing" => settings
            .codebook
            .as_deref()
            .map_or_else(|| "the codebook".to_owned(), |p| p.display().to_string()),
        "unit" => survey(),
        "comparisons" => {
            let custom = settings.comparisons.iter().any(|group| {
                text.field
                    .starts_with(&format!("comparisons[{}]", group.id))
            });
            if custom { config() } else { survey() }
        }
        "branding" => config(),
        "interventions" => factsheet_file(settings, &text.field),
        _ => "the report's templates".to_owned(),
    }
}

/// The fact sheet file of `interventions[ID]…`.
fn factsheet_file(settings: &Settings, field: &str) -> String {
    let id = field
        .strip_prefix("interventions[")
        .and_then(|rest| rest.split_once(']'))
        .map_or("", |(id, _)| id);
    let relative = PathBuf::from("interventions").join(format!("{id}.yaml"));
    match &settings.catalogue {
        CatalogueSource::Dir(dir) => dir.join(relative).display().to_string(),
        CatalogueSource::Bundled => format!(
            "the bundled catalogue's {}",
            Path::new("catalogue").join(relative).display()
        ),
    }
}
