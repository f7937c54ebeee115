//! Inputs kept between runs, so that the folder watcher does not parse a
//! file again until it changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::Config;
use crate::input::classify::{ReadInput, Readers, hash_file, read_input};
use crate::input::discover::InputFile;

/// A file as it was when it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    size: u64,
    modified: Option<SystemTime>,
}

impl Fingerprint {
    fn of(path: &Path) -> Option<Fingerprint> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Fingerprint {
            size: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// Inputs read in earlier runs, by path. An entry is reused while the
/// file's size and modification time are the same; when they differ but the
/// content hash is the same (a file touched or copied over with itself), the
/// parse is reused too. A change of configuration empties the cache.
#[derive(Debug, Default)]
pub struct InputCache {
    config: Option<Config>,
    entries: HashMap<PathBuf, (Fingerprint, Arc<ReadInput>)>,
}

impl InputCache {
    pub(crate) fn keep_only_for(&mut self, config: &Config) {
        if self.config.as_ref() != Some(config) {
            self.entries.clear();
            self.config = Some(config.clone());
        }
    }

    /// How many inputs are cached.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn read(&mut self, file: &InputFile, readers: &Readers<'_>) -> Arc<ReadInput> {
        let fingerprint = Fingerprint::of(&file.path);
        if let (Some(now), Some((then, read))) = (&fingerprint, self.entries.get(&file.path))
            && now == then
            && read.source.file == file.display
        {
            return Arc::clone(read);
        }
        let cached = self
            .entries
            .get(&file.path)
            .map(|(_, read)| Arc::clone(read));
        let hash = hash_file(&file.path).unwrap_or_default();
        let read = match cached {
            Some(read)
                if !hash.is_empty()
                    && read.source.sha256 == hash
                    && read.source.file == file.display =>
            {
                read
            }
            _ => Arc::new(read_input(file, readers, hash)),
        };
        match fingerprint {
            Some(fingerprint) if !read.not_ready => {
                self.entries
                    .insert(file.path.clone(), (fingerprint, Arc::clone(&read)));
            }
            _ => {
                self.entries.remove(&file.path);
            }
        }
        read
    }

    /// Forgets files that are gone, so that the cache follows the inbox.
    pub fn retain_paths(&mut self, keep: impl Fn(&Path) -> bool) {
        self.entries.retain(|path, _| keep(path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::classify::WorkbookReader;

    const RATES: &str = "Date,From,To,Rate\n2026-04-30,EUR,NOK,11.5\n";

    #[test]
    fn unchanged_inputs_are_not_read_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("rates.csv");
        std::fs::write(&path, RATES).expect("write");
        let file = InputFile {
            path: path.clone(),
            display: "rates.csv".into(),
        };
        let config = Config::default();
        let mut cache = InputCache::default();
        cache.keep_only_for(&config);
        let readers = Readers {
            config: &config,
            profiles: &[],
            workbooks: &WorkbookReader::InProcess,
        };

        let first = cache.read(&file, &readers);
        let again = cache.read(&file, &readers);
        assert!(Arc::ptr_eq(&first, &again), "same size and time: reused");

        std::fs::write(&path, "Date,From,To,Rate\n2026-04-30,EUR,NOK,11.6\n").expect("rewrite");
        let changed = cache.read(&file, &readers);
        assert!(!Arc::ptr_eq(&first, &changed), "new content: read again");
        assert_ne!(first.source.sha256, changed.source.sha256);

        let other = Config {
            max_rate_age_days: 3,
            ..Config::default()
        };
        cache.keep_only_for(&other);
        assert!(cache.is_empty(), "a new configuration empties the cache");
    }
}
