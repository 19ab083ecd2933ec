//! `report validate`: reads survey data against the codebook and prints a data-quality
//! summary: files and rows, respondents per municipality, answer rates per question, what
//! disclosure control withholds and why, and every problem found. Exit code 1 when there are
//! errors, 0 with warnings only.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use crate::aggregate::{Level, Pattern, Tally, UnitRef, whole};
use crate::cli::{UnitLevel, ValidateArgs};
use crate::project::Project;
use crate::survey::{Codebook, Quality, QuestionKind, Severity};

/// Validates the data and prints the summary.
pub(super) fn validate(args: &ValidateArgs, config: Option<PathBuf>) -> Result<ExitCode> {
    let project = Project::open(&args.options(config))?;
    let codebook = project.codebook()?;
    project.publications()?;
    let (responses, quality) = project.read_responses()?;
    let settings = project.settings();
    let mut out = std::io::stdout().lock();

    let kinds = codebook.questions().fold([0usize; 4], |mut counts, q| {
        counts[match q.kind {
            QuestionKind::Single { .. } => 0,
            QuestionKind::Multiple { .. } => 1,
            QuestionKind::Numeric { .. } => 2,
            QuestionKind::Index { .. } => 3,
        }] += 1;
        counts
    });
    writeln!(
        out,
        "Codebook  {}: {} themes, {} questions ({} single choice, {} multiple choice, {} numeric, {} index)",
        settings.codebook_file()?.display(),
        codebook.themes.len(),
        codebook.questions().count(),
        kinds[0],
        kinds[1],
        kinds[2],
        kinds[3],
    )?;
    if !settings.publications.is_empty() {
        let files: Vec<String> = settings
            .publications
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        writeln!(
            out,
            "Publications  {}: disclosure control protects their reports together",
            files.join(", ")
        )?;
    }
    for source in &quality.sources {
        writeln!(
            out,
            "Survey    {}: {}, {} rows",
            source.path.display(),
            source.dialect,
            source.rows
        )?;
    }
    writeln!(out, "Respondents: {}", responses.len())?;

    let mut per_municipality = vec![0usize; responses.municipalities().len()];
    for &m in responses.municipality_column() {
        per_municipality[m as usize] += 1;
    }
    writeln!(
        out,
        "\nRespondents per municipality ({}):",
        per_municipality.len()
    )?;
    let cells: Vec<String> = responses
        .municipalities()
        .iter()
        .zip(&per_municipality)
        .map(|(name, count)| {
            format!(
                "{:<20}{count:>7}",
                if name.is_empty() { "(none)" } else { name }
            )
        })
        .collect();
    write_grid(&mut out, &cells, 3)?;

    writeln!(out, "\nShare of respondents who answered each question:")?;
    let rows = responses.len().max(1);
    let cells: Vec<String> = codebook
        .questions()
        .enumerate()
        .map(|(q, question)| match responses.answers(q) {
            Some(answers) => {
                let answered = (0..responses.len())
                    .filter(|&r| !answers.is_blank(r))
                    .count();
                format!(
                    "{:<10}{:>6.1} %",
                    question.id,
                    answered as f64 * 100.0 / rows as f64
                )
            }
            None => format!("{:<10}{:>8}", question.id, "absent"),
        })
        .collect();
    write_grid(&mut out, &cells, 5)?;

    let tally = Tally::count(codebook, &responses, Level::Municipality);
    let (pattern, union_quality) = project.pattern(&tally, Level::Municipality)?;
    write_disclosure(&mut out, codebook, &tally, &pattern)?;
    let schools = responses.schools().len();
    if schools > 0 {
        if args.level == UnitLevel::School {
            let tally = Tally::count(codebook, &responses, Level::School);
            let (pattern, _) = project.pattern(&tally, Level::School)?;
            write_school_disclosure(&mut out, codebook, &tally, &pattern)?;
        } else {
            writeln!(
                out,
                "\nThe data name {schools} schools: `--level school` also shows what school reports would withhold."
            )?;
        }
    }

    // Errors in the columns only the round's other publications read stop every report too.
    let own: HashSet<String> = quality.issues().map(ToString::to_string).collect();
    let others: Vec<String> = union_quality
        .iter()
        .flat_map(Quality::issues)
        .filter(|i| i.severity == Severity::Error)
        .map(ToString::to_string)
        .filter(|issue| !own.contains(issue))
        .collect();
    let (errors, warnings) = (quality.errors() + others.len(), quality.warnings());
    if errors + warnings > 0 {
        writeln!(out, "\nProblems:")?;
        for issue in quality.issues() {
            writeln!(out, "  {issue}")?;
        }
    }
    if !others.is_empty() {
        writeln!(
            out,
            "\nProblems in the columns the round's other publications read:"
        )?;
        for issue in &others {
            writeln!(out, "  {issue}")?;
        }
    }
    writeln!(out, "\n{errors} error(s), {warnings} warning(s)")?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints what disclosure control withholds: municipalities too small for a report, and per
/// question how many groups (municipalities and their breakdowns) are published or withheld.
fn write_disclosure(
    out: &mut impl Write,
    codebook: &Codebook,
    tally: &Tally,
    pattern: &Pattern,
) -> std::io::Result<()> {
    let min_cell = pattern.min_cell();
    let municipalities = tally.municipalities();
    writeln!(
        out,
        "\nDisclosure control (min_cell {min_cell}, {} groups per municipality):",
        pattern.parts().len() + 1
    )?;
    let small: Vec<&str> = (0..municipalities.len())
        .filter(|&m| {
            !pattern
                .respondents(whole(UnitRef::Municipality(m)))
                .is_published()
        })
        .map(|m| municipalities[m].as_str())
        .collect();
    if small.is_empty() {
        writeln!(
            out,
            "  every municipality has at least {min_cell} respondents"
        )?;
    } else {
        writeln!(
            out,
            "  no report for {} municipality(ies) with fewer than {min_cell} respondents: {}",
            small.len(),
            small.join(", ")
        )?;
    }
    writeln!(
        out,
        "  {:<10}{:>10}{:>10}{:>10}   (primary: fewer than {min_cell} answers; secondary: withheld so that a smaller group cannot be worked out)",
        "question", "published", "primary", "secondary"
    )?;
    let mut totals = [0usize; 3];
    for (q, question) in codebook.questions().enumerate() {
        if !tally.has_question(q) {
            continue;
        }
        let withheld = pattern.withheld(q);
        totals[0] += withheld.published;
        totals[1] += withheld.primary;
        totals[2] += withheld.secondary;
        writeln!(
            out,
            "  {:<10}{:>10}{:>10}{:>10}",
            question.id, withheld.published, withheld.primary, withheld.secondary
        )?;
    }
    writeln!(
        out,
        "  {:<10}{:>10}{:>10}{:>10}",
        "all", totals[0], totals[1], totals[2]
    )
}

/// Prints what disclosure control withholds for school reports: schools too small for a
/// report, and the groups of municipalities and schools together.
fn write_school_disclosure(
    out: &mut impl Write,
    codebook: &Codebook,
    tally: &Tally,
    pattern: &Pattern,
) -> std::io::Result<()> {
    let min_cell = pattern.min_cell();
    let schools = tally.schools().len();
    let small = (0..schools)
        .filter(|&s| {
            !pattern
                .respondents(whole(UnitRef::School(s)))
                .is_published()
        })
        .count();
    let mut totals = [0usize; 3];
    for q in (0..codebook.questions().count()).filter(|&q| tally.has_question(q)) {
        let withheld = pattern.withheld(q);
        totals[0] += withheld.published;
        totals[1] += withheld.primary;
        totals[2] += withheld.secondary;
    }
    writeln!(
        out,
        "\nWith school reports ({schools} schools, {small} with fewer than {min_cell} respondents and no report):\n  \
         municipality and school groups over all questions: {} published, {} primary, {} secondary",
        totals[0], totals[1], totals[2]
    )
}

/// Prints `cells` in `columns` columns.
fn write_grid(out: &mut impl Write, cells: &[String], columns: usize) -> std::io::Result<()> {
    for row in cells.chunks(columns) {
        writeln!(out, "  {}", row.join("    "))?;
    }
    Ok(())
}
