//! Writers over the same [`Scorecard`](crate::scorecard::Scorecard): one module per format.
//! Writers never compute; everything is sorted before it reaches them, and every file is written
//! atomically (temp file in the same directory, then rename) so a reader or a run cut short never
//! sees half a file.

pub mod json;
pub mod run_dir;
pub mod summary;

/// Errors writing results; each names the path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// A file or directory could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The path.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Serialisation failed.
    #[error("{path}: cannot serialise: {source}")]
    Serialise {
        /// The path.
        path: std::path::PathBuf,
        /// Why.
        source: serde_json::Error,
    },
}
