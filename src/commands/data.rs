//! Locating and reading survey data for the commands: flags over report.yaml, and data with
//! errors refused with a screenful of what is wrong.

use std::fmt::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::cli::SurveyArgs;
use crate::config::Config;
use crate::survey::{Codebook, Quality, Responses, Severity};

/// How many issues an error message lists; `report validate` lists them all.
const SCREENFUL: usize = 15;

/// The survey files, codebook and sheet to read, after flags have overridden report.yaml.
#[derive(Debug, Clone)]
pub struct SurveyInput {
    pub paths: Vec<PathBuf>,
    pub codebook: PathBuf,
    pub sheet: Option<String>,
}

impl SurveyInput {
    pub fn resolve(args: &SurveyArgs, config: &Config) -> Result<SurveyInput> {
        let paths = if args.survey.is_empty() {
            config.survey.clone()
        } else {
            args.survey.clone()
        };
        if paths.is_empty() {
            bail!("no survey given: use --survey FILE or set `survey:` in report.yaml");
        }
        let codebook = args
            .codebook
            .clone()
            .or_else(|| config.codebook.clone())
            .context("no codebook given: use --codebook FILE or set `codebook:` in report.yaml")?;
        Ok(SurveyInput {
            paths,
            codebook,
            sheet: args.sheet.clone(),
        })
    }

    /// The `report validate` command line that shows every problem of these files.
    pub fn validate_command(&self) -> String {
        let mut command = "report validate".to_owned();
        for path in &self.paths {
            let _ = write!(command, " --survey {}", path.display());
        }
        let _ = write!(command, " --codebook {}", self.codebook.display());
        if let Some(sheet) = &self.sheet {
            let _ = write!(command, " --sheet {sheet}");
        }
        command
    }

    /// Reads the survey for a report: stops on data errors (listing a screenful of them) and
    /// mentions warnings in one line.
    pub fn read_for_report(&self, codebook: &Codebook) -> Result<Responses> {
        let (responses, quality) = Responses::read(&self.paths, codebook, self.sheet.as_deref())?;
        let errors = quality.errors();
        if errors > 0 {
            bail!(self.refusal(&quality));
        }
        let warnings = quality.warnings();
        if warnings > 0 {
            eprintln!(
                "note: the survey data have {warnings} warning(s); `{}` lists them",
                self.validate_command()
            );
        }
        if responses.is_empty() {
            bail!("the survey data have no respondents");
        }
        Ok(responses)
    }

    fn refusal(&self, quality: &Quality) -> String {
        let errors: Vec<String> = quality
            .issues()
            .filter(|i| i.severity == Severity::Error)
            .map(ToString::to_string)
            .collect();
        let mut message = format!(
            "the survey data have {} problem(s); no report was written:",
            errors.len()
        );
        for line in errors.iter().take(SCREENFUL) {
            let _ = write!(message, "\n  {line}");
        }
        if errors.len() > SCREENFUL {
            let _ = write!(message, "\n  … and {} more", errors.len() - SCREENFUL);
        }
        let _ = write!(
            message,
            "\nrun `{}` for the full list",
            self.validate_command()
        );
        message
    }
}
