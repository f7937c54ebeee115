//! What a build was made from, so that a look which finds the same inbox
//! does not rebuild, and the log can say what changed since the last build.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::inbox::Observation;

/// The inputs of one build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub as_of: Option<NaiveDate>,
    /// The `--config` file, when one was given.
    pub config: Option<Observation>,
    /// The files read, with how they were.
    pub read: BTreeMap<PathBuf, Observation>,
    /// The files left out because they were not ready.
    pub waiting: BTreeSet<PathBuf>,
}

impl Snapshot {
    /// Moves a file from those read to those waiting (reading found it cut
    /// short).
    pub fn set_waiting(&mut self, path: &Path) {
        self.read.remove(path);
        self.waiting.insert(path.to_path_buf());
    }

    /// What changed since `before` (`None` for the first build).
    pub fn changes_since(&self, before: Option<&Snapshot>) -> Changes {
        let empty = Snapshot::default();
        let before = before.unwrap_or(&empty);
        Changes {
            added: names(
                self.read
                    .keys()
                    .filter(|path| !before.read.contains_key(*path)),
            ),
            changed: names(self.read.iter().filter_map(|(path, now)| {
                before
                    .read
                    .get(path)
                    .filter(|then| *then != now)
                    .map(|_| path)
            })),
            removed: names(
                before
                    .read
                    .keys()
                    .filter(|path| !self.read.contains_key(*path) && !self.waiting.contains(*path)),
            ),
            waiting: names(self.waiting.iter()),
        }
    }
}

fn names<'a>(paths: impl Iterator<Item = &'a PathBuf>) -> Vec<String> {
    paths.map(|path| file_name(path)).collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The files that changed between two builds, by file name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Read for the first time.
    pub added: Vec<String>,
    /// Read again: their size or modification time changed.
    pub changed: Vec<String>,
    /// Gone from the inbox: their figures left the report.
    pub removed: Vec<String>,
    /// Still being written, or not whole yet: left out for now.
    pub waiting: Vec<String>,
}

/// How many names a log line shows of each group.
const NAMES_SHOWN: usize = 3;

impl fmt::Display for Changes {
    /// `2 new (a.csv, b.xlsx), 1 removed (old.csv)`; `no file changed`
    /// when nothing did (a new day, a `--config` file edited).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups = [
            ("new", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
            ("waiting", &self.waiting),
        ];
        let mut parts = groups
            .iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(label, names)| format!("{} {label} ({})", names.len(), shortened(names)));
        let Some(first) = parts.next() else {
            return f.write_str("no file changed");
        };
        f.write_str(&first)?;
        for part in parts {
            write!(f, ", {part}")?;
        }
        Ok(())
    }
}

fn shortened(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_SHOWN).map(String::as_str).collect();
    let more = names.len().saturating_sub(NAMES_SHOWN);
    if more == 0 {
        shown.join(", ")
    } else {
        format!("{} and {more} more", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(size: u64) -> Observation {
        Observation {
            size,
            modified: None,
        }
    }

    fn snapshot(read: &[(&str, u64)], waiting: &[&str]) -> Snapshot {
        Snapshot {
            as_of: None,
            config: None,
            read: read
                .iter()
                .map(|(name, size)| (PathBuf::from("inbox").join(name), seen(*size)))
                .collect(),
            waiting: waiting
                .iter()
                .map(|name| PathBuf::from("inbox").join(name))
                .collect(),
        }
    }

    #[test]
    fn changes_name_new_changed_removed_and_waiting_files() {
        let before = snapshot(
            &[("a.csv", 1), ("b.xlsx", 2), ("c.csv", 3), ("d.csv", 4)],
            &[],
        );
        let now = snapshot(&[("a.csv", 1), ("b.xlsx", 5), ("e.csv", 6)], &["d.csv"]);
        let changes = now.changes_since(Some(&before));
        assert_eq!(changes.added, ["e.csv"]);
        assert_eq!(changes.changed, ["b.xlsx"]);
        assert_eq!(
            changes.removed,
            ["c.csv"],
            "a file being replaced is waiting, not removed"
        );
        assert_eq!(changes.waiting, ["d.csv"]);
        assert_eq!(
            changes.to_string(),
            "1 new (e.csv), 1 changed (b.xlsx), 1 removed (c.csv), 1 waiting (d.csv)"
        );
    }

    #[test]
    fn long_lists_are_shortened_and_no_change_is_said() {
        let many: Vec<(String, u64)> = (0..200).map(|i| (format!("{i:03}.csv"), 1)).collect();
        let many: Vec<(&str, u64)> = many.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        let first = snapshot(&many, &[]).changes_since(None);
        assert_eq!(
            first.to_string(),
            "200 new (000.csv, 001.csv, 002.csv and 197 more)"
        );
        let same = snapshot(&[("a.csv", 1)], &[]);
        assert_eq!(
            same.changes_since(Some(&same)).to_string(),
            "no file changed"
        );
    }
}
