//! `report validate`: reads survey data against the codebook and prints a data-quality
//! summary: files and rows, respondents per municipality, answer rates per question, what
//! disclosure control withholds, and every problem found; with `--audit`, also why each
//! figure is withheld, under a header that marks it as not for publication. Exit code 1 when
//! there are errors, 0 with warnings only.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{UnitLevel, ValidateArgs};
use report::aggregate::{Decision, Focus, Level, Pattern, Tally, UnitRef, WithheldCounts, whole};
use report::project::Project;
use report::survey::{Codebook, Quality, QuestionKind, Severity};

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
    let schools = responses.schools().len();
    let publishes_schools = project.publishes(Level::School);
    let school_level = if schools > 0 && args.level == UnitLevel::School && publishes_schools {
        let tally = Tally::count(codebook, &responses, Level::School);
        let (pattern, quality) = project.pattern(&responses, &tally, Level::School, Focus::All)?;
        Some((tally, pattern, quality))
    } else {
        None
    };
    // The municipality reports' decisions are the school-level system's where the data name
    // schools: taken from it when it is there already.
    let (pattern, union_quality) = match &school_level {
        Some((_, pattern, quality)) => (pattern.municipal(), quality.clone()),
        None => project.pattern(&responses, &tally, Level::Municipality, Focus::All)?,
    };
    let together = schools > 0 && publishes_schools;
    write_disclosure(&mut out, codebook, &tally, &pattern, together)?;
    let school_level = school_level.map(|(tally, pattern, _)| (tally, pattern));
    if let Some((tally, pattern)) = &school_level {
        write_school_disclosure(&mut out, codebook, tally, pattern)?;
    } else if schools > 0 && !publishes_schools {
        writeln!(
            out,
            "\nThe data name {schools} schools, but report.yaml's `levels:` does not list `school`: \
             no school report is published this round."
        )?;
    } else if schools > 0 {
        writeln!(
            out,
            "\nThe data name {schools} schools: `--level school` also shows what school reports would withhold."
        )?;
    }
    if args.audit {
        let schools = school_level
            .as_ref()
            .map(|(tally, pattern)| (tally, pattern));
        write_audit(&mut out, codebook, (&tally, &pattern), schools)?;
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

/// Prints what disclosure control withholds, as every published output shows it (withheld,
/// without a reason): the municipalities that get no report, and per question how many groups
/// (municipalities and their breakdowns) are published or withheld; `together` says that
/// they were decided with the school reports.
fn write_disclosure(
    out: &mut impl Write,
    codebook: &Codebook,
    tally: &Tally,
    pattern: &Pattern,
    together: bool,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\nDisclosure control (min_cell {}, {} groups per municipality):",
        pattern.min_cell(),
        pattern.parts().len() + 1
    )?;
    if together {
        writeln!(
            out,
            "  decided with the school reports (report.yaml `levels: [municipality]` decides \
             them alone)"
        )?;
    }
    let refused = refused(pattern, municipalities(tally));
    let refused: Vec<&str> = refused.iter().map(|(name, _)| name.as_str()).collect();
    if refused.is_empty() {
        writeln!(out, "  every municipality gets a report")?;
    } else {
        writeln!(
            out,
            "  no report for {} municipality(ies), their figures withheld: {}",
            refused.len(),
            refused.join(", ")
        )?;
    }
    writeln!(
        out,
        "  {:<10}{:>10}{:>10}",
        "question", "published", "withheld"
    )?;
    let mut totals = WithheldCounts::default();
    for (id, counts) in question_counts(codebook, tally, pattern) {
        add(&mut totals, counts);
        writeln!(
            out,
            "  {id:<10}{:>10}{:>10}",
            counts.published,
            counts.primary + counts.secondary
        )?;
    }
    writeln!(
        out,
        "  {:<10}{:>10}{:>10}",
        "all",
        totals.published,
        totals.primary + totals.secondary
    )
}

/// Prints what disclosure control withholds for school reports: how many schools get no
/// report, and the groups of municipalities and schools together.
fn write_school_disclosure(
    out: &mut impl Write,
    codebook: &Codebook,
    tally: &Tally,
    pattern: &Pattern,
) -> std::io::Result<()> {
    let refused = refused(pattern, schools(tally)).len();
    let mut totals = WithheldCounts::default();
    for (_, counts) in question_counts(codebook, tally, pattern) {
        add(&mut totals, counts);
    }
    writeln!(
        out,
        "\nWith school reports ({} schools, {refused} with no report):\n  \
         municipality and school groups over all questions: {} published, {} withheld",
        tally.schools().len(),
        totals.published,
        totals.primary + totals.secondary
    )
}

/// The header of `--audit`: what follows must not reach a reader.
const AUDIT_HEADER: &str = "AUDIT — NOT FOR PUBLICATION (REVISION — MÅ IKKE OFFENTLIGGØRES)";

/// Prints why each withheld figure is withheld and why each unit gets no report. Published
/// outputs mark every withheld figure alike: a reason there would tell a reader that a group
/// withheld to protect another is large, and with whole numbers the small one could be
/// worked out. This is for the analyst who checks the pattern, never for a report.
fn write_audit(
    out: &mut impl Write,
    codebook: &Codebook,
    (tally, pattern): (&Tally, &Pattern),
    schools: Option<(&Tally, &Pattern)>,
) -> std::io::Result<()> {
    let min_cell = pattern.min_cell();
    writeln!(out, "\n{AUDIT_HEADER}")?;
    writeln!(
        out,
        "  Why figures are withheld. Every published output marks them alike: keep these\n  \
         reasons with the analyst, out of reports, tables and messages to readers.\n  \
         primary: fewer than {min_cell} answers (respondents);\n  \
         secondary: withheld so that a smaller group cannot be worked out"
    )?;
    let reasons = |out: &mut dyn Write, what: &str, refused: &[(String, Decision)]| {
        let names = |wanted: Decision| {
            let names: Vec<&str> = refused
                .iter()
                .filter(|(_, decision)| *decision == wanted)
                .map(|(name, _)| name.as_str())
                .collect();
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        };
        writeln!(
            out,
            "  {what} with no report, primary (fewer than {min_cell} respondents): {}\n  \
             {what} with no report, secondary (protecting a smaller group): {}",
            names(Decision::Primary),
            names(Decision::Secondary)
        )
    };
    reasons(
        out,
        "municipalities",
        &refused(pattern, municipalities(tally)),
    )?;
    writeln!(
        out,
        "  {:<10}{:>10}{:>10}{:>10}",
        "question", "withheld", "primary", "secondary"
    )?;
    let mut totals = WithheldCounts::default();
    for (id, counts) in question_counts(codebook, tally, pattern) {
        add(&mut totals, counts);
        writeln!(
            out,
            "  {id:<10}{:>10}{:>10}{:>10}",
            counts.primary + counts.secondary,
            counts.primary,
            counts.secondary
        )?;
    }
    writeln!(
        out,
        "  {:<10}{:>10}{:>10}{:>10}",
        "all",
        totals.primary + totals.secondary,
        totals.primary,
        totals.secondary
    )?;
    if let Some((tally, pattern)) = schools {
        writeln!(out, "  With school reports:")?;
        reasons(out, "schools", &refused(pattern, self::schools(tally)))?;
        let mut totals = WithheldCounts::default();
        for (_, counts) in question_counts(codebook, tally, pattern) {
            add(&mut totals, counts);
        }
        writeln!(
            out,
            "  municipality and school groups over all questions: {} primary, {} secondary",
            totals.primary, totals.secondary
        )?;
    }
    writeln!(out, "{AUDIT_HEADER}: end")
}

/// Every municipality of a tally, by name.
fn municipalities(tally: &Tally) -> Vec<(String, UnitRef)> {
    (0..tally.municipalities().len())
        .map(|m| (tally.municipalities()[m].clone(), UnitRef::Municipality(m)))
        .collect()
}

/// Every school of a tally, by name with its municipality.
fn schools(tally: &Tally) -> Vec<(String, UnitRef)> {
    tally
        .schools()
        .iter()
        .enumerate()
        .map(|(s, (m, name))| {
            (
                format!("{name} ({})", tally.municipalities()[*m]),
                UnitRef::School(s),
            )
        })
        .collect()
}

/// The units that get no report, with the decision on their number of respondents.
fn refused(pattern: &Pattern, units: Vec<(String, UnitRef)>) -> Vec<(String, Decision)> {
    units
        .into_iter()
        .map(|(name, unit)| (name, pattern.respondents(whole(unit))))
        .filter(|(_, decision)| !decision.is_published())
        .collect()
}

/// Each question the data have, with how many of its groups are published and withheld.
fn question_counts<'a>(
    codebook: &'a Codebook,
    tally: &'a Tally,
    pattern: &'a Pattern,
) -> impl Iterator<Item = (&'a str, WithheldCounts)> + 'a {
    codebook
        .questions()
        .enumerate()
        .filter(|&(q, _)| tally.has_question(q))
        .map(|(q, question)| (question.id.0.as_str(), pattern.withheld(q)))
}

fn add(totals: &mut WithheldCounts, counts: WithheldCounts) {
    totals.published += counts.published;
    totals.primary += counts.primary;
    totals.secondary += counts.secondary;
}

/// Prints `cells` in `columns` columns.
fn write_grid(out: &mut impl Write, cells: &[String], columns: usize) -> std::io::Result<()> {
    for row in cells.chunks(columns) {
        writeln!(out, "  {}", row.join("    "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use report::survey::Responses;

    const CODEBOOK: &str = r#"
survey: t
title: T
round: 2026
background:
  municipality: kommune
  school: skole
  gender: {column: koen, values: {1: "Dreng", 2: "Pige", 3: "Andet"}}
missing: {98: "Ved ikke"}
themes:
  - id: a
    title: A
    questions:
      - {id: q1, text: "?", options: {1: "Ja", 2: "Nej"}}
"#;

    /// `kommune,skole,koen,q1` rows, `count` times each.
    fn tallies(rows: &[(usize, &str)]) -> (Codebook, Tally, Tally) {
        let codebook = Codebook::parse(CODEBOOK, Path::new("c.yaml")).unwrap();
        let mut csv = String::from("kommune,skole,koen,q1\n");
        for &(count, row) in rows {
            for _ in 0..count {
                csv.push_str(row);
                csv.push('\n');
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(&path, csv).unwrap();
        let (responses, quality) = Responses::read(&[path], &codebook, None).unwrap();
        assert_eq!(quality.errors(), 0);
        let municipalities = Tally::count(&codebook, &responses, Level::Municipality);
        let schools = Tally::count(&codebook, &responses, Level::School);
        (codebook, municipalities, schools)
    }

    #[test]
    fn the_reasons_are_printed_only_with_audit_under_their_header() {
        // Stor: 20 boys, 20 girls, 3 "Andet" (too few; one other gender must protect them);
        // schools A and B of 20 and C of 3 (too few; B protects C, as Stor − A − B = C).
        // Lille: 3 pupils.
        let (codebook, tally, school_tally) = tallies(&[
            (20, "Stor,A,1,1"),
            (20, "Stor,B,2,2"),
            (3, "Stor,C,3,1"),
            (3, "Lille,D,1,1"),
        ]);
        let pattern = Pattern::of(&tally, 5);
        let school_pattern = Pattern::of(&school_tally, 5);
        let mut published = Vec::new();
        write_disclosure(&mut published, &codebook, &tally, &pattern, false).unwrap();
        write_school_disclosure(&mut published, &codebook, &school_tally, &school_pattern).unwrap();
        let published = String::from_utf8(published).unwrap();
        assert!(
            published.contains("no report for 1 municipality(ies), their figures withheld: Lille"),
            "{published}"
        );
        assert!(
            published.contains("(4 schools, 3 with no report)"),
            "{published}"
        );
        for reason in ["primary", "secondary", "fewer than", "AUDIT"] {
            assert!(!published.contains(reason), "{reason} in {published}");
        }

        let mut audit = Vec::new();
        write_audit(
            &mut audit,
            &codebook,
            (&tally, &pattern),
            Some((&school_tally, &school_pattern)),
        )
        .unwrap();
        let audit = String::from_utf8(audit).unwrap();
        let lines: Vec<&str> = audit.lines().collect();
        assert_eq!(
            lines[1],
            "AUDIT — NOT FOR PUBLICATION (REVISION — MÅ IKKE OFFENTLIGGØRES)"
        );
        for line in [
            "  municipalities with no report, primary (fewer than 5 respondents): Lille",
            "  municipalities with no report, secondary (protecting a smaller group): none",
            "  question    withheld   primary secondary",
            "  q1                 4         3         1",
            "  With school reports:",
            "  schools with no report, primary (fewer than 5 respondents): D (Lille), C (Stor)",
            "  schools with no report, secondary (protecting a smaller group): B (Stor)",
        ] {
            assert!(lines.contains(&line), "no `{line}` in\n{audit}");
        }
        assert_eq!(
            lines.last(),
            Some(&"AUDIT — NOT FOR PUBLICATION (REVISION — MÅ IKKE OFFENTLIGGØRES): end")
        );
    }
}
