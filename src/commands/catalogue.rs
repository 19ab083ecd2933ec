//! `report catalogue check|list|show|search|schema`: the intervention library in the terminal.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use comfy_table::{ContentArrangement, Table, presets};

use crate::cli::{CatalogueArgs, CatalogueCommand, FilterArgs, OutputFormat};
use report::Lang;
use report::catalogue::Catalogue;
use report::catalogue::load::BUNDLED;
use report::catalogue::model::{Intervention, ThemeId};
use report::catalogue::search::{Filter, search};
use report::markdown;
use report::project::{CatalogueSource, Project};
use report::render::Undrawable;

/// Runs a `catalogue` subcommand.
pub(super) fn catalogue(args: &CatalogueArgs, config: Option<PathBuf>) -> Result<ExitCode> {
    let project = Project::open(&args.options(config))?;
    let catalogue = project.catalogue()?;
    let mut out = std::io::stdout().lock();
    match &args.command {
        CatalogueCommand::Check { .. } => {
            let name = match &project.settings().catalogue {
                CatalogueSource::Bundled => BUNDLED.to_owned(),
                CatalogueSource::Dir(dir) => dir.display().to_string(),
            };
            let undrawable = project.undrawable_factsheets()?;
            check(catalogue, &undrawable, &name, &mut out)
        }
        CatalogueCommand::List {
            for_report: true,
            format,
            ..
        } => suggestions(&project, *format, &mut out),
        CatalogueCommand::List { filter, format, .. } => {
            let filter = to_filter(filter, catalogue)?;
            let listed: Vec<&Intervention> = catalogue
                .interventions
                .iter()
                .filter(|i| filter.matches(i))
                .collect();
            print_list(catalogue, &listed, *format, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        CatalogueCommand::Search {
            text,
            filter,
            format,
        } => {
            let filter = to_filter(filter, catalogue)?;
            let hits: Vec<&Intervention> = search(catalogue, &text.join(" "))
                .into_iter()
                .map(|hit| hit.intervention)
                .filter(|i| filter.matches(i))
                .collect();
            // No match exits 1 in every format, as grep does; JSON still prints its `[]`.
            if hits.is_empty() && *format == OutputFormat::Text {
                eprintln!("no intervention matches `{}`", text.join(" "));
            } else {
                print_list(catalogue, &hits, *format, &mut out)?;
            }
            Ok(if hits.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        CatalogueCommand::Show { id, format } => {
            let intervention = catalogue.find(id)?;
            match format {
                OutputFormat::Json => {
                    writeln!(out, "{}", serde_json::to_string_pretty(intervention)?)?;
                }
                OutputFormat::Text => write!(out, "{}", show(catalogue, intervention, width()))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        CatalogueCommand::Schema => {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&catalogue.json_schema())?
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints the library's suggestions for the report of the project's municipality: per theme
/// with a concern, the interventions the report's library list names.
fn suggestions(project: &Project, format: OutputFormat, out: &mut impl Write) -> Result<ExitCode> {
    let subject = project.subject()?;
    let survey = project.read_survey_for(subject)?;
    let report = project.report(&survey, subject, &[])?;
    let library = &report.data.library;
    if format == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(library)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let catalogue = project.catalogue()?;
    let concerns = report.data.differences.concerns.len();
    writeln!(
        out,
        "{}: {concerns} concern(s); suggestions from the library for {} theme(s){}",
        report.summary.unit.name,
        library.themes.len(),
        library
            .ages_text
            .as_ref()
            .map(|ages| format!(" ({ages})"))
            .unwrap_or_default()
    )?;
    for theme in &library.themes {
        writeln!(out, "\n{}", theme.title)?;
        let listed: Vec<&Intervention> = theme
            .interventions
            .iter()
            .filter_map(|id| catalogue.get(id))
            .collect();
        print_list(catalogue, &listed, OutputFormat::Text, out)?;
    }
    writeln!(
        out,
        "\nInspiration only: no link between the survey's themes and the interventions' effect is \
         documented, and each provider states its own documentation level. Append a fact sheet \
         with `report build -i ID`."
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Prints every problem and a summary; exit code 1 if there were problems.
fn check(
    catalogue: &Catalogue,
    undrawable: &[(String, Undrawable)],
    name: &str,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let findings = catalogue.findings();
    for finding in &findings {
        writeln!(out, "{finding}")?;
    }
    for (file, text) in undrawable {
        writeln!(out, "{file}: {text}")?;
    }
    if findings.is_empty() && undrawable.is_empty() {
        writeln!(
            out,
            "{name}: {} fact sheets and {} themes, no problems",
            catalogue.interventions.len(),
            catalogue.themes.len()
        )?;
        Ok(ExitCode::SUCCESS)
    } else {
        let files: std::collections::BTreeSet<String> = findings
            .iter()
            .map(|f| f.path.display().to_string())
            .chain(undrawable.iter().map(|(file, _)| file.clone()))
            .collect();
        eprintln!(
            "{name}: {} problem(s) in {} file(s)",
            findings.len() + undrawable.len(),
            files.len()
        );
        Ok(ExitCode::from(1))
    }
}

fn to_filter(args: &FilterArgs, catalogue: &Catalogue) -> Result<Filter> {
    if let Some(theme) = &args.theme
        && !catalogue.themes.iter().any(|t| &t.id.0 == theme)
    {
        let known = catalogue.themes.iter().map(|t| t.id.0.as_str());
        bail!(
            "unknown theme `{theme}`{}",
            report::suggest::did_you_mean(&report::suggest::closest(theme, known))
        );
    }
    Ok(Filter {
        theme: args.theme.clone().map(ThemeId),
        age: args.age,
        kind: args.kind,
        setting: args.setting,
        documentation: args.documentation,
    })
}

/// The terminal's width, or 100 columns when output is not a terminal.
fn width() -> usize {
    comfy_table::Table::new()
        .width()
        .map_or(100, |w| usize::from(w).clamp(40, 120))
}

fn print_list(
    catalogue: &Catalogue,
    interventions: &[&Intervention],
    format: OutputFormat,
    out: &mut impl Write,
) -> Result<()> {
    if format == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(interventions)?)?;
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width() as u16)
        .set_header([
            "Id",
            "Navn",
            "Alder / klasse",
            report::fact_label(Lang::Da, "themes"),
            "Dokumentation (oplyst)",
        ]);
    for i in interventions {
        let themes: Vec<&str> = i
            .themes
            .iter()
            .map(|t| catalogue.theme_label(t, Lang::Da))
            .collect();
        table.add_row([
            i.id.0.clone(),
            i.name.clone(),
            ages_or_grades(i),
            themes.join(", "),
            i.documentation.level.label(Lang::Da).to_owned(),
        ]);
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{} intervention(s)", interventions.len())?;
    Ok(())
}

/// The stated ages, else the stated grades, else "–".
fn ages_or_grades(i: &Intervention) -> String {
    i.target.label(Lang::Da).unwrap_or_else(|| "–".to_owned())
}

fn ages(i: &Intervention) -> String {
    i.target
        .age
        .map_or("–".to_owned(), |age| age.label(Lang::Da))
}

/// The whole fact sheet as text.
fn show(catalogue: &Catalogue, i: &Intervention, width: usize) -> String {
    let lang = Lang::Da;
    let label = |key: &str| report::fact_label(lang, key);
    let join = |labels: Vec<&str>| labels.join(", ");
    let themes = |themes: &[ThemeId]| {
        join(
            themes
                .iter()
                .map(|t| catalogue.theme_label(t, lang))
                .collect(),
        )
    };
    let mut facts: Vec<(&str, String)> = vec![
        (label("themes"), themes(&i.themes)),
        (label("secondary-themes"), themes(&i.secondary_themes)),
        (label("target"), i.target.who.clone()),
        // Grades alone leave out the age row rather than print "–" beside them.
        (
            label("age"),
            match (i.target.age, i.target.grades) {
                (None, Some(_)) => String::new(),
                _ => ages(i),
            },
        ),
        (
            label("grades"),
            i.target
                .grades
                .map_or(String::new(), |grades| grades.label(lang)),
        ),
        (
            label("settings"),
            join(i.settings.iter().map(|s| s.label(lang)).collect()),
        ),
        (
            label("type"),
            join(i.kinds.iter().map(|k| k.label(lang)).collect()),
        ),
    ];
    if let Some(format) = &i.format {
        let parts = [&format.sessions, &format.frequency, &format.duration];
        let parts: Vec<&str> = parts.iter().filter_map(|p| p.as_deref()).collect();
        facts.push((label("format"), parts.join(" · ")));
    }
    let mut documentation = i.documentation.level.label(lang).to_owned();
    if let Some(note) = &i.documentation.note {
        documentation = format!("{documentation}. {note}");
    }
    facts.push((label("documentation"), documentation));
    if let Some(source) = &i.documentation.source {
        let source = match &source.url {
            Some(url) => format!("{} <{url}>", source.title),
            None => source.title.clone(),
        };
        facts.push((label("source"), source));
    }
    let provider = match &i.provider.url {
        Some(url) => format!(
            "{} ({}) <{url}>",
            i.provider.name,
            i.provider.kind.label(lang)
        ),
        None => format!("{} ({})", i.provider.name, i.provider.kind.label(lang)),
    };
    facts.push((label("provider"), provider));
    if !i.partners.is_empty() {
        facts.push((label("partners"), i.partners.join(", ")));
    }
    if let Some(reviewed) = &i.reviewed {
        facts.push((label("reviewed"), reviewed.clone()));
    }

    let mut text = format!("{} ({})\n\n", i.name, i.id);
    text += &textwrap::fill(&i.summary, width);
    text += "\n\n";
    // Labels and values in two columns, the values after the longest label.
    let label_width = facts
        .iter()
        .map(|(label, _)| label.chars().count() + 2)
        .max()
        .unwrap_or(0);
    for (label, value) in facts.iter().filter(|(_, v)| !v.is_empty()) {
        let indent = " ".repeat(label_width);
        let options = textwrap::Options::new(width)
            .initial_indent(&indent)
            .subsequent_indent(&indent);
        let wrapped = textwrap::fill(value, options);
        text += &format!("{label:<label_width$}{}\n", &wrapped[label_width..]);
    }
    text += &format!("\n{}\n\n", label("description"));
    text += &markdown::to_plain_text(&markdown::parse(&i.description).blocks, width);
    text += "\n";
    if let Some(recommendations) = &i.recommendations {
        text += &format!("\n{}\n\n", label("recommendations"));
        text += &markdown::to_plain_text(&markdown::parse(recommendations).blocks, width);
        text += "\n";
    }
    if !i.links.is_empty() {
        text += &format!("\n{}\n\n", label("links"));
        for link in &i.links {
            text += &format!("• {} <{}>\n", link.title, link.url);
        }
    }
    text
}
