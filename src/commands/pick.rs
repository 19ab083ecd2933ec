//! `report build --pick`: choosing fact sheets interactively, with type-to-filter.

use std::io::IsTerminal;

use anyhow::{Result, bail};
use inquire::MultiSelect;

use crate::Lang;
use crate::catalogue::Catalogue;

/// Asks the analyst to pick interventions; `preselected` ids start ticked. Fails at once,
/// rather than waiting for input, when stdin or stderr is not a terminal (e.g. in CI).
pub(super) fn pick(catalogue: &Catalogue, preselected: &[String]) -> Result<Vec<String>> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        bail!(
            "--pick needs an interactive terminal; name the fact sheets with -i ID, \
             --interventions a,b,c or --interventions-file FILE instead"
        );
    }
    let choices: Vec<Choice> = catalogue
        .interventions
        .iter()
        .map(|i| {
            let themes: Vec<&str> = i
                .themes
                .iter()
                .map(|t| catalogue.theme_label(t, Lang::Da))
                .collect();
            Choice {
                id: i.id.0.clone(),
                text: format!("{} — {} [{}]", i.name, themes.join(", "), i.id),
            }
        })
        .collect();
    let defaults: Vec<usize> = choices
        .iter()
        .enumerate()
        .filter(|(_, c)| preselected.contains(&c.id))
        .map(|(index, _)| index)
        .collect();
    let picked = MultiSelect::new(
        "Vælg indsatser til bilaget (skriv for at filtrere):",
        choices,
    )
    .with_default(&defaults)
    .with_page_size(15)
    .prompt()?;
    // Keep the order the analyst gave on the command line, then the catalogue's order.
    let mut ids: Vec<String> = preselected
        .iter()
        .filter(|id| picked.iter().any(|c| &c.id == *id))
        .cloned()
        .collect();
    for choice in picked {
        if !ids.contains(&choice.id) {
            ids.push(choice.id);
        }
    }
    Ok(ids)
}

/// One line of the picker; filtering matches its text (name, themes, id).
struct Choice {
    id: String,
    text: String,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}
