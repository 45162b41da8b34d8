//! The embedded default: the fixture province `fixtures/sulbar` compiled into the binary, so
//! that `pantau demo` works from an installed binary with no source tree beside it.

use include_dir::{include_dir, Dir};
use std::path::{Path, PathBuf};

/// `fixtures/sulbar` as it was when pantau was built.
static BUNDLED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/sulbar");

/// Where the demo's province comes from.
#[derive(Debug)]
pub enum DemoProvince {
    /// The source tree's `fixtures/sulbar` (edits show up without a rebuild).
    SourceTree(PathBuf),
    /// The embedded copy, written out to a temp directory that is removed on drop.
    Extracted(tempfile::TempDir),
}

impl DemoProvince {
    /// The province directory to serve.
    pub fn path(&self) -> &Path {
        match self {
            DemoProvince::SourceTree(p) => p,
            DemoProvince::Extracted(t) => t.path(),
        }
    }
}

/// The source tree's `fixtures/sulbar` when it exists, else the embedded copy written to a temp
/// directory. Errors: the temp directory cannot be written (the error names it).
pub fn bundled_province() -> std::io::Result<DemoProvince> {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/sulbar");
    if source.is_dir() {
        return Ok(DemoProvince::SourceTree(source));
    }
    let tmp = tempfile::Builder::new().prefix("pantau-demo-").tempdir()?;
    extract(&BUNDLED, tmp.path())?;
    Ok(DemoProvince::Extracted(tmp))
}

/// Write `dir` (paths relative to the embedded root) under `to`.
fn extract(dir: &Dir<'_>, to: &Path) -> std::io::Result<()> {
    for file in dir.files() {
        let path = to.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, file.contents())
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    }
    for sub in dir.dirs() {
        extract(sub, to)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_copy_equals_the_source_tree() {
        let tmp = tempfile::tempdir().unwrap();
        extract(&BUNDLED, tmp.path()).unwrap();
        let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/sulbar");
        let mut count = 0;
        let mut stack = vec![source.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&source).unwrap();
                let copy = std::fs::read(tmp.path().join(rel))
                    .unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
                assert_eq!(copy, std::fs::read(&path).unwrap(), "{}", rel.display());
                count += 1;
            }
        }
        assert!(count > 100, "{count} files");
        assert!(tmp
            .path()
            .join("diskominfo.sulbarprov.go.id/index.html")
            .is_file());
        assert!(tmp.path().join("www.sulbarprov.go.id/_redirects").is_file());
    }
}
