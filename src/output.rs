//! Writing output files, all through one guard ([`Outputs`]): an output may not be one of the
//! job's inputs, nor another output of the same job, nor replace anything but a regular file
//! (a device node, a symlink or a directory is left alone). Files are written to a temporary
//! file beside the target first and renamed over it only when every output of the job has
//! been written, so readers never see a half-written file and a failure leaves no output.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is one of the job's inputs; it is not overwritten (choose another output)", path.display())]
    IsInput { path: PathBuf },
    #[error("{} is given for two outputs of the job; each needs its own file", path.display())]
    Twice { path: PathBuf },
    #[error("{} exists and is not a regular file (a device, symlink or directory); it is not replaced", path.display())]
    NotAFile { path: PathBuf },
}

/// What a path names on disk, to compare an output with the inputs: its canonical path and,
/// where it exists, its device and inode (so a hard link is recognised too).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    path: PathBuf,
    file: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Identity {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| {
            // A file still to be written: its directory's canonical path and its name.
            let parent = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            let parent = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_owned());
            parent.join(path.file_name().unwrap_or_default())
        });
        Identity {
            path: canonical,
            file: file_id(path),
        }
    }

    fn same(&self, other: &Identity) -> bool {
        self.path == other.path || (self.file.is_some() && self.file == other.file)
    }
}

/// True when `a` and `b` name the same file (by canonical path, or as hard links).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    Identity::of(a).same(&Identity::of(b))
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<(u64, u64)> {
    None
}

/// The outputs of a job, checked and written together.
pub struct Outputs {
    inputs: Vec<Identity>,
    /// Every output claimed so far, and whether it has been written (or staged).
    claimed: Vec<(Identity, bool)>,
    staged: Vec<(PathBuf, NamedTempFile)>,
}

impl Outputs {
    /// A guard for a job that read `inputs`.
    pub fn new<'a>(inputs: impl IntoIterator<Item = &'a Path>) -> Outputs {
        Outputs {
            inputs: inputs.into_iter().map(Identity::of).collect(),
            claimed: Vec::new(),
            staged: Vec::new(),
        }
    }

    /// Reserves `path` for one output of the job, before the work that produces it: it may
    /// not be an input, nor another output of the job, nor something other than a regular
    /// file.
    pub fn claim(&mut self, path: &Path) -> Result<(), OutputError> {
        let identity = Identity::of(path);
        if self.inputs.iter().any(|input| input.same(&identity)) {
            return Err(OutputError::IsInput {
                path: path.to_owned(),
            });
        }
        if self
            .claimed
            .iter()
            .any(|(output, _)| output.same(&identity))
        {
            return Err(OutputError::Twice {
                path: path.to_owned(),
            });
        }
        not_replaceable(path)?;
        self.claimed.push((identity, false));
        Ok(())
    }

    /// Writes `bytes` to a temporary file beside `path` (claiming it if it is not claimed
    /// yet); [`Outputs::commit`] moves it into place.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let identity = Identity::of(path);
        let position = match self.claimed.iter().position(|(c, _)| c.same(&identity)) {
            Some(position) => position,
            None => {
                self.claim(path)?;
                self.claimed.len() - 1
            }
        };
        if std::mem::replace(&mut self.claimed[position].1, true) {
            return Err(OutputError::Twice {
                path: path.to_owned(),
            });
        }
        let file = temporary(path, bytes).map_err(|source| OutputError::Write {
            path: path.to_owned(),
            source,
        })?;
        self.staged.push((path.to_owned(), file));
        Ok(())
    }

    /// Moves every staged file into place. Nothing was replaced until every output had been
    /// written in full.
    pub fn commit(&mut self) -> Result<(), OutputError> {
        for (path, file) in self.staged.drain(..) {
            // The target may have turned into something else since it was claimed.
            not_replaceable(&path)?;
            file.persist(&path).map_err(|error| OutputError::Write {
                path: path.clone(),
                source: error.error,
            })?;
        }
        Ok(())
    }

    /// Stages and commits one file: for jobs whose outputs stand alone, like a batch's
    /// reports.
    pub fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        self.stage(path, bytes)?;
        self.commit()
    }
}

/// Refuses a path that exists as something other than a regular file.
fn not_replaceable(path: &Path) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if !metadata.file_type().is_file() => Err(OutputError::NotAFile {
            path: path.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// A temporary file beside `path` holding `bytes`.
fn temporary(path: &Path, bytes: &[u8]) -> std::io::Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".report-").suffix(".partial");
    // Temporary files are private (0600); the output is an ordinary file for its readers.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    // No fsync: readers never see a partial file thanks to the rename, and forcing every
    // report to disk costs a batch more than it protects against.
    Ok(file)
}

/// Writes each `(relative path, bytes)` below `dir`, creating directories as needed (a Typst
/// project or the exported templates), through `outputs`.
pub fn write_files<'a>(
    outputs: &mut Outputs,
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<(), OutputError> {
    for (relative, bytes) in files {
        let target = dir.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|source| OutputError::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        outputs.stage(&target, bytes)?;
    }
    outputs.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        std::fs::write(&path, b"old").unwrap();
        Outputs::new([]).write(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn inputs_twice_given_outputs_and_other_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("survey.csv");
        std::fs::write(&input, b"data").unwrap();
        let mut outputs = Outputs::new([input.as_path()]);
        // The same file by another spelling of its path.
        let other_spelling = dir.path().join(".").join("survey.csv");
        assert!(matches!(
            outputs.stage(&other_spelling, b"x"),
            Err(OutputError::IsInput { .. })
        ));
        outputs.stage(&dir.path().join("a.pdf"), b"pdf").unwrap();
        assert!(matches!(
            outputs.stage(&dir.path().join("a.pdf"), b"json"),
            Err(OutputError::Twice { .. })
        ));
        assert!(matches!(
            outputs.stage(dir.path(), b"x"),
            Err(OutputError::NotAFile { .. })
        ));
        // Nothing is in place before the commit.
        assert!(!dir.path().join("a.pdf").exists());
        outputs.commit().unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.pdf")).unwrap(), b"pdf");
        assert_eq!(std::fs::read(&input).unwrap(), b"data");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_or_device_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
        assert!(matches!(
            Outputs::new([]).write(&link, b"x"),
            Err(OutputError::NotAFile { .. })
        ));
        assert!(matches!(
            Outputs::new([]).write(Path::new("/dev/null"), b"x"),
            Err(OutputError::NotAFile { .. })
        ));
    }
}
