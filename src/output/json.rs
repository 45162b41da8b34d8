//! JSON writing: pretty-printed, newline-terminated, written atomically.

use super::OutputError;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically: a temp file beside it, fsync, then rename over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let err = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Serialise `value` as pretty JSON (two-space indent, trailing newline) to `path`, atomically.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), OutputError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|source| OutputError::Serialise {
        path: path.to_path_buf(),
        source,
    })?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}
