//! Finding the input files: folders are expanded to the files directly in
//! them, names that are never inputs (lock files, partial downloads,
//! hidden files) are left out, and the rest are taken in name order.

use std::fmt;
use std::path::{Path, PathBuf};

/// A file to read, with the name it goes by in messages and the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as the user gave it (a folder's files joined to the
    /// folder), with `/` separators.
    pub display: String,
}

/// An input path that does not exist or cannot be listed.
#[derive(Debug)]
pub struct DiscoverError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for DiscoverError {}

/// Whether a file name is one that is never an input: hidden files, Office
/// and LibreOffice lock files, and files still being downloaded or saved.
pub fn is_ignored_name(name: &str) -> bool {
    const SUFFIXES: [&str; 4] = [".tmp", ".part", ".crdownload", ".swp"];
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || (name.starts_with(".~lock.") && name.ends_with('#'))
        || SUFFIXES.iter().any(|suffix| lower.ends_with(suffix))
}

/// The files named by `paths`: files as they are, folders as the files
/// directly inside them (not sub-folders). Ignored names are dropped, a
/// file named twice is read once, and all are sorted by file name.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<InputFile>, DiscoverError> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|err| DiscoverError {
            path: path.clone(),
            message: describe_io_error(&err),
        })?;
        if metadata.is_dir() {
            files.extend(folder_files(path)?);
        } else if !file_name(path).is_some_and(is_ignored_name) {
            files.push(input_file(path.clone()));
        }
    }
    files.sort_by(|a, b| {
        let key = |file: &InputFile| {
            file_name(&file.path)
                .map(str::to_string)
                .unwrap_or_default()
        };
        key(a).cmp(&key(b)).then_with(|| a.display.cmp(&b.display))
    });
    files.dedup_by(|a, b| same_file(&a.path, &b.path));
    Ok(files)
}

fn folder_files(folder: &Path) -> Result<Vec<InputFile>, DiscoverError> {
    let entries = std::fs::read_dir(folder).map_err(|err| DiscoverError {
        path: folder.to_path_buf(),
        message: describe_io_error(&err),
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| DiscoverError {
            path: folder.to_path_buf(),
            message: describe_io_error(&err),
        })?;
        let path = entry.path();
        let is_file = std::fs::metadata(&path)
            .map(|m| m.is_file())
            .unwrap_or(false);
        let ignored = file_name(&path).is_none_or(is_ignored_name);
        if is_file && !ignored {
            files.push(input_file(path));
        }
    }
    Ok(files)
}

fn input_file(path: PathBuf) -> InputFile {
    let display = path.to_string_lossy().replace('\\', "/");
    let display = display
        .strip_prefix("./")
        .map(str::to_string)
        .unwrap_or(display);
    InputFile { path, display }
}

fn file_name(path: &Path) -> Option<&str> {
    path.file_name().and_then(|name| name.to_str())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// An I/O error in plain words.
pub fn describe_io_error(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_partial_downloads_and_hidden_files_are_ignored() {
        let ignored = [
            ".DS_Store",
            ".hidden.xlsx",
            "~$plan.xlsx",
            ".~lock.plan.xlsx#",
            "export.csv.tmp",
            "export.csv.part",
            "export.csv.crdownload",
            "export.CSV.CRDOWNLOAD",
            ".plan.xlsx.swp",
            "notes.swp",
        ];
        for name in ignored {
            assert!(is_ignored_name(name), "{name} should be ignored");
        }
        for name in [
            "plan.xlsx",
            "export (1).csv",
            "tmp.csv",
            "~plan.xlsx",
            "partners.csv",
        ] {
            assert!(!is_ignored_name(name), "{name} should be read");
        }
    }

    #[test]
    fn folders_give_their_files_in_name_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["b.xlsx", "a.csv", "~$b.xlsx", ".hidden", "c.txt.part"] {
            std::fs::write(dir.path().join(name), b"x").expect("write");
        }
        std::fs::create_dir(dir.path().join("sub")).expect("sub folder");
        std::fs::write(dir.path().join("sub").join("0.csv"), b"x").expect("write");

        let files = discover(&[dir.path().to_path_buf(), dir.path().join("a.csv")]).expect("found");
        let names: Vec<_> = files.iter().filter_map(|f| file_name(&f.path)).collect();
        assert_eq!(names, ["a.csv", "b.xlsx"]);
    }

    #[test]
    fn a_missing_input_is_an_error_naming_it() {
        let err = discover(&[PathBuf::from("no/such/folder")]).expect_err("missing");
        assert_eq!(err.to_string(), "no/such/folder: no such file or folder");
    }
}
