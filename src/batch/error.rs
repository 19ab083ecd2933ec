//! Why a batch could not start or finish: what belongs to the batch alone (its lock, its
//! shard, its interventions map, names that match nothing), and every error of the project
//! it builds from.

use std::fmt;
use std::path::PathBuf;

use super::Shard;
use crate::finding::Finding;
use crate::input::InputError;
use crate::names::UnknownName;
use crate::output::OutputError;
use crate::project::ProjectError;

/// An error of [`super::run`] or [`super::load_plan`].
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(transparent)]
    Project(#[from] ProjectError),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The interventions map is not valid YAML of the expected shape.
    #[error("{0}")]
    Plan(Finding),
    #[error("shard {0} has no municipalities")]
    EmptyShard(Shard),
    #[error("another `report batch` is writing to {}; wait for it to finish (or give another --out-dir)", dir.display())]
    Busy { dir: PathBuf },
    /// Names in the interventions map or under `invited:` that match no municipality: a
    /// misspelt name would silently give its municipality the default fact sheets or no
    /// response rate.
    #[error("{}", UnknownNames(.0))]
    UnknownNames(Vec<UnknownName>),
}

/// The list of [`BatchError::UnknownNames`], one name per line.
struct UnknownNames<'a>(&'a [UnknownName]);

impl fmt::Display for UnknownNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        let (names, them) = if count == 1 {
            ("1 name matches", "it")
        } else {
            ("names match", "them")
        };
        write!(
            f,
            "{} no municipality in the data; correct {them}, or pass --allow-unknown-names to build the reports anyway:",
            if count == 1 {
                names.to_owned()
            } else {
                format!("{count} {names}")
            }
        )?;
        for name in self.0 {
            write!(f, "\n  {name}")?;
        }
        Ok(())
    }
}
