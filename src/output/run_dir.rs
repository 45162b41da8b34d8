//! The run directory: `OUT/<run-id>/agencies/<id>.json`, `OUT/<run-id>/index.json`,
//! `OUT/<run-id>/discovery.json` (the agencies found and how, applications, OPD sites off the
//! domain), `OUT/<run-id>/province.json` (every OPD type of the nomenclature with the site found
//! for it or "no site found"), and
//! `OUT/latest`, a symbolic link to the newest run directory (replaced atomically).

use super::json::write_json;
use super::OutputError;
use crate::scorecard::{RunIndex, Scorecard};
use std::path::{Path, PathBuf};

/// A run's output directory.
#[derive(Debug, Clone)]
pub struct RunDir {
    out: PathBuf,
    run_id: String,
    dir: PathBuf,
}

impl RunDir {
    /// Create `out/<run_id>/agencies/`. When `out/<run_id>` already exists (two runs in one
    /// second), `-2`, `-3`, … is appended to the id; [`RunDir::run_id`] gives the final id.
    /// Errors: [`OutputError::Write`] naming the path, also when `out/latest` exists and is not
    /// a symbolic link (a file or folder of the user's that [`RunDir::mark_latest`] would
    /// replace or fail on after the whole audit): checked here, before any agency is crawled.
    pub fn create(out: &Path, run_id: &str) -> Result<RunDir, OutputError> {
        let err = |path: &Path, source| OutputError::Write {
            path: path.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(out).map_err(|e| err(out, e))?;
        #[cfg(unix)]
        {
            let latest = out.join("latest");
            if let Ok(meta) = std::fs::symlink_metadata(&latest) {
                if !meta.file_type().is_symlink() {
                    return Err(err(
                        &latest,
                        std::io::Error::other(
                            "exists and is not the symbolic link pantau keeps to the newest run; move it away or choose another --out",
                        ),
                    ));
                }
            }
        }
        let mut id = run_id.to_string();
        let mut n = 1;
        loop {
            let dir = out.join(&id);
            match std::fs::create_dir(&dir) {
                Ok(()) => {
                    let agencies = dir.join("agencies");
                    std::fs::create_dir(&agencies).map_err(|e| err(&agencies, e))?;
                    return Ok(RunDir {
                        out: out.to_path_buf(),
                        run_id: id,
                        dir,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    n += 1;
                    id = format!("{run_id}-{n}");
                }
                Err(e) => return Err(err(&dir, e)),
            }
        }
    }

    /// The run id (the directory's name).
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// `out/<run-id>`.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Path of an agency's scorecard.
    pub fn scorecard_path(&self, agency_id: &str) -> PathBuf {
        self.dir.join("agencies").join(format!("{agency_id}.json"))
    }

    /// Write one agency's scorecard atomically.
    pub fn write_scorecard(&self, card: &Scorecard) -> Result<PathBuf, OutputError> {
        let path = self.scorecard_path(&card.agency.id);
        write_json(&path, card)?;
        Ok(path)
    }

    /// Write `index.json` atomically.
    pub fn write_index(&self, index: &RunIndex) -> Result<PathBuf, OutputError> {
        let path = self.dir.join("index.json");
        write_json(&path, index)?;
        Ok(path)
    }

    /// Point `out/latest` at this run: a relative symlink created under a temp name and renamed
    /// over the old one, so `latest` always names a whole run. On systems without symlinks,
    /// `out/latest` is a text file holding the run id.
    pub fn mark_latest(&self) -> Result<(), OutputError> {
        let latest = self.out.join("latest");
        let tmp = self.out.join(format!(".latest-{}", std::process::id()));
        let err = |source| OutputError::Write {
            path: latest.clone(),
            source,
        };
        let _ = std::fs::remove_file(&tmp);
        #[cfg(unix)]
        std::os::unix::fs::symlink(&self.run_id, &tmp).map_err(err)?;
        #[cfg(not(unix))]
        std::fs::write(&tmp, &self.run_id).map_err(err)?;
        std::fs::rename(&tmp, &latest).map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_latest_that_is_not_a_symlink_is_refused_before_the_run_and_kept() {
        let out = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("latest"), "notes of mine").unwrap();
        let err = RunDir::create(out.path(), "20261201T000000Z").unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("latest: cannot write: exists and is not the symbolic link"),
            "{message}"
        );
        assert_eq!(
            std::fs::read_to_string(out.path().join("latest")).unwrap(),
            "notes of mine"
        );
        assert!(!out.path().join("20261201T000000Z").exists());
        std::fs::remove_file(out.path().join("latest")).unwrap();
        std::fs::create_dir(out.path().join("latest")).unwrap();
        assert!(RunDir::create(out.path(), "20261201T000000Z").is_err());
    }

    #[test]
    fn second_run_in_the_same_second_gets_a_suffix_and_latest_follows() {
        let out = tempfile::tempdir().unwrap();
        let a = RunDir::create(out.path(), "20261201T000000Z").unwrap();
        let b = RunDir::create(out.path(), "20261201T000000Z").unwrap();
        assert_eq!(a.run_id(), "20261201T000000Z");
        assert_eq!(b.run_id(), "20261201T000000Z-2");
        assert!(out.path().join("20261201T000000Z-2/agencies").is_dir());
        a.mark_latest().unwrap();
        b.mark_latest().unwrap();
        let target = std::fs::read_link(out.path().join("latest")).unwrap();
        assert_eq!(target, PathBuf::from("20261201T000000Z-2"));
    }
}
