//! Opening input files: every file `report` reads goes through here, so none can be a device,
//! a pipe that never ends or a directory, and none can be larger than its kind allows
//! (`/dev/zero` as a survey is refused at once instead of filling the memory).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest YAML file (codebook, report.yaml, catalogue, interventions lists).
pub const YAML_LIMIT: u64 = 16 << 20;
/// The largest survey file or `invited:` table.
pub const TABLE_LIMIT: u64 = 8 << 30;
/// The largest logo.
pub const IMAGE_LIMIT: u64 = 16 << 20;

/// An input file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a regular file (a device, pipe or directory cannot be read as input)", path.display())]
    NotAFile { path: PathBuf },
    #[error("{}: larger than {} MB, the most such a file may be", path.display(), limit >> 20)]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{}: not UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },
}

/// Opens a regular file of at most `limit` bytes.
pub fn open(path: &Path, limit: u64) -> Result<File, InputError> {
    let io = |source| InputError::Io {
        path: path.to_owned(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(InputError::NotAFile {
            path: path.to_owned(),
        });
    }
    if metadata.len() > limit {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    File::open(path).map_err(io)
}

/// The bytes of a regular file of at most `limit` bytes (also when the file grows while it
/// is read).
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let file = open(path, limit)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io {
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    Ok(bytes)
}

/// The text of a regular UTF-8 file of at most `limit` bytes (a byte-order mark is dropped).
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    let bytes = read_bytes(path, limit)?;
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 {
        path: path.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_text(dir.path(), YAML_LIMIT),
            Err(InputError::NotAFile { .. })
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_text(Path::new("/dev/zero"), YAML_LIMIT),
            Err(InputError::NotAFile { .. })
        ));
        let big = dir.path().join("big.yaml");
        std::fs::write(&big, vec![b'a'; 100]).unwrap();
        assert!(matches!(
            read_text(&big, 10),
            Err(InputError::TooLarge { .. })
        ));
        std::fs::write(&big, b"\xEF\xBB\xBFsurvey: x").unwrap();
        assert_eq!(read_text(&big, 100).unwrap(), "survey: x");
        std::fs::write(&big, b"\xff\xfe").unwrap();
        assert!(matches!(
            read_text(&big, 100),
            Err(InputError::NotUtf8 { .. })
        ));
    }
}
