//! `report build --pick`: choosing fact sheets interactively, with type-to-filter.

use std::io::IsTerminal;

use anyhow::{Result, bail};
use inquire::MultiSelect;

use report::Lang;
use report::catalogue::Catalogue;

/// Asks the analyst to pick interventions; `preselected` ids start ticked, and `suggested`
/// ids (the library's suggestions for the report's concerns) are listed first, marked. Fails
/// at once, rather than waiting for input, when stdin or stderr is not a terminal (e.g. in
/// CI).
pub(super) fn pick(
    catalogue: &Catalogue,
    preselected: &[String],
    suggested: &[String],
) -> Result<Vec<String>> {
    ensure_terminal()?;
    let rank = |id: &str| suggested.iter().position(|s| s == id).unwrap_or(usize::MAX);
    let mut interventions: Vec<_> = catalogue.interventions.iter().collect();
    // Suggestions first, in their order; the rest in the catalogue's.
    interventions.sort_by_key(|i| rank(&i.id.0));
    let choices: Vec<Choice> = interventions
        .into_iter()
        .map(|i| {
            let themes: Vec<&str> = i
                .themes
                .iter()
                .map(|t| catalogue.theme_label(t, Lang::Da))
                .collect();
            let mark = if rank(&i.id.0) == usize::MAX {
                "  "
            } else {
                "★ "
            };
            Choice {
                id: i.id.0.clone(),
                text: format!("{mark}{} — {} [{}]", i.name, themes.join(", "), i.id),
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
        "Vælg indsatser til bilaget (★ = forslag til rapportens opmærksomhedspunkter; skriv for at filtrere):",
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

/// Fails unless stdin and stderr are a terminal, so `--pick` in CI stops before any work.
pub(super) fn ensure_terminal() -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        bail!(
            "--pick needs an interactive terminal; name the fact sheets with -i ID, \
             --interventions a,b,c or --interventions-file FILE instead"
        );
    }
    Ok(())
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
