//! Which files of the inbox are ready to read. A file is read once its size
//! and modification time have stood still for a while and it is whole; until
//! then it is left out of the rebuild and looked at again, so that a file
//! still being copied never shows up as an error.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::input::discover::InputFile;

/// A file's size and modification time, as the file system reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Observation {
    pub size: u64,
    pub modified: Option<SystemTime>,
}

impl Observation {
    /// The file at `path` as it is now; `None` when it is gone.
    pub fn of(path: &Path) -> Option<Observation> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Observation {
            size: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// How long files must stand still, and how long one that is not whole is
/// waited for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Patience {
    pub settle: Duration,
    pub retry_for: Duration,
}

/// Whether a file can be read in this rebuild.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Readiness {
    Ready,
    /// Its size or modification time changed a moment ago.
    Changing,
    /// It stands still but cannot be read whole yet (a zip without its end
    /// record, an empty file, a file that does not open).
    NotWhole,
}

/// What one look at the inbox found.
#[derive(Clone, Debug, Default)]
pub(crate) struct Look {
    /// The files to read, with how they were when looked at.
    pub ready: BTreeMap<PathBuf, Observation>,
    /// The files left out for now, and why.
    pub waiting: BTreeMap<PathBuf, Readiness>,
    /// When to look again for the files left out.
    pub look_again_at: Option<Instant>,
}

/// What is known of one file between looks.
#[derive(Clone, Debug)]
struct Seen {
    observation: Observation,
    /// When it last changed: its modification time when first seen, else
    /// when a look found it different. `None` is before the watch began.
    changed_at: Option<Instant>,
    /// Whether it was whole when last checked.
    whole: Option<bool>,
}

impl Seen {
    fn first(observation: Observation, now: Instant, now_wall: SystemTime) -> Seen {
        // The modification time says how long the file has stood still; a
        // time in the future (a clock that is ahead on a share) counts as
        // "just now".
        let age = observation
            .modified
            .map(|modified| now_wall.duration_since(modified).unwrap_or_default())
            .unwrap_or_default();
        Seen {
            observation,
            changed_at: now.checked_sub(age),
            whole: None,
        }
    }

    fn since_change(&self, now: Instant) -> Duration {
        self.changed_at
            .map_or(Duration::MAX, |at| now.saturating_duration_since(at))
    }
}

/// The files of the inbox as seen by earlier looks.
#[derive(Debug, Default)]
pub(crate) struct Inbox {
    seen: BTreeMap<PathBuf, Seen>,
}

impl Inbox {
    /// Looks at `files` (the inbox's inputs as discovered now) and sorts
    /// them into ready and waiting.
    pub fn look(&mut self, files: &[InputFile], patience: Patience, now: Instant) -> Look {
        let now_wall = SystemTime::now();
        let mut look = Look::default();
        let mut present = BTreeSet::new();
        for file in files {
            let Some(observation) = Observation::of(&file.path) else {
                continue;
            };
            present.insert(file.path.clone());
            let seen = self.update(&file.path, observation, now, now_wall);
            let readiness = readiness(seen, &file.path, patience, now);
            match readiness {
                Readiness::Ready => {
                    look.ready.insert(file.path.clone(), observation);
                }
                waiting => {
                    look.waiting.insert(file.path.clone(), waiting);
                    let again = look_again_at(seen, waiting, patience, now);
                    look.look_again_at = earliest(look.look_again_at, again);
                }
            }
        }
        self.seen.retain(|path, _| present.contains(path));
        look
    }

    fn update(
        &mut self,
        path: &Path,
        observation: Observation,
        now: Instant,
        now_wall: SystemTime,
    ) -> &mut Seen {
        let seen = self
            .seen
            .entry(path.to_path_buf())
            .or_insert_with(|| Seen::first(observation, now, now_wall));
        if seen.observation != observation {
            *seen = Seen {
                observation,
                changed_at: Some(now),
                whole: None,
            };
        }
        seen
    }

    /// Records that reading `path` found it cut short. Returns whether it
    /// is still within the time it is waited for (else it counts as bad).
    pub fn found_cut_short(&mut self, path: &Path, patience: Patience, now: Instant) -> bool {
        match self.seen.get_mut(path) {
            Some(seen) => {
                seen.whole = Some(false);
                seen.since_change(now) < patience.retry_for
            }
            None => false,
        }
    }

    /// When to look again at a file that reading found cut short.
    pub fn look_again_at(&self, path: &Path, patience: Patience, now: Instant) -> Option<Instant> {
        let seen = self.seen.get(path)?;
        look_again_at(seen, Readiness::NotWhole, patience, now)
    }
}

/// Whether a file can be read now, checking that it is whole once it stands
/// still.
fn readiness(seen: &mut Seen, path: &Path, patience: Patience, now: Instant) -> Readiness {
    let since_change = seen.since_change(now);
    if since_change < patience.settle {
        return Readiness::Changing;
    }
    if seen.whole != Some(true) {
        // A file that was not whole is checked again: a writer may have let
        // go of it without changing its size or time.
        seen.whole = Some(is_whole(path, seen.observation.size));
    }
    match seen.whole {
        Some(false) if since_change < patience.retry_for => Readiness::NotWhole,
        // Past the retry time it is read, and reading says what is wrong.
        _ => Readiness::Ready,
    }
}

fn look_again_at(
    seen: &Seen,
    readiness: Readiness,
    patience: Patience,
    now: Instant,
) -> Option<Instant> {
    let changed_at = seen.changed_at.unwrap_or(now);
    match readiness {
        Readiness::Ready => None,
        Readiness::Changing => changed_at.checked_add(patience.settle),
        // Looked at every `settle` until it is whole or its time is up.
        Readiness::NotWhole => earliest(
            now.checked_add(patience.settle),
            changed_at.checked_add(patience.retry_for),
        ),
    }
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The signature of a zip archive's end of central directory record. A
/// workbook (xlsx, ods) is a zip whose directory is written last, so a copy
/// cut short lacks it.
const ZIP_END_RECORD: [u8; 4] = *b"PK\x05\x06";
const ZIP_LOCAL_HEADER: [u8; 4] = *b"PK\x03\x04";
/// The end record is 22 bytes plus a comment of at most 65,535 bytes.
const ZIP_END_SEARCH: u64 = 22 + 65_535;

/// Whether a file can be read whole now: it opens, it is not empty, and a
/// zip has its end record. Other formats are judged by reading them.
pub(crate) fn is_whole(path: &Path, size: u64) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if size == 0 {
        return false;
    }
    let mut head = [0_u8; 4];
    if file.read_exact(&mut head).is_err() {
        // Shorter than a zip header: not a workbook, so whole as far as this
        // check can tell.
        return true;
    }
    if head != ZIP_LOCAL_HEADER {
        return true;
    }
    has_zip_end_record(&mut file, size)
}

fn has_zip_end_record(file: &mut std::fs::File, size: u64) -> bool {
    let tail_length = size.min(ZIP_END_SEARCH);
    let start = size.saturating_sub(tail_length);
    if file.seek(SeekFrom::Start(start)).is_err() {
        return false;
    }
    let mut tail = Vec::new();
    if file.take(tail_length).read_to_end(&mut tail).is_err() {
        return false;
    }
    tail.windows(ZIP_END_RECORD.len())
        .any(|window| window == ZIP_END_RECORD)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATIENCE: Patience = Patience {
        settle: Duration::from_millis(500),
        retry_for: Duration::from_secs(5),
    };

    fn input(path: &Path) -> InputFile {
        InputFile {
            path: path.to_path_buf(),
            display: path.display().to_string(),
        }
    }

    /// A real zip, as a workbook is: local header first, end record last.
    fn zip_bytes() -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        std::io::Write::write_all(&mut zip, &[b'x'; 4000]).expect("zip data");
        zip.finish().expect("zip end");
        bytes
    }

    #[test]
    fn a_zip_without_its_end_record_is_not_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bytes = zip_bytes();
        let cases: [(&str, &[u8], bool); 5] = [
            ("whole.xlsx", &bytes, true),
            (
                "half.xlsx",
                bytes.get(..bytes.len() / 2).expect("half"),
                false,
            ),
            ("empty.csv", b"", false),
            ("short.csv", b"ab", true),
            ("rates.csv", b"Date,From,To,Rate\n", true),
        ];
        for (name, content, whole) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, content).expect("write");
            assert_eq!(is_whole(&path, content.len() as u64), whole, "{name}");
        }
        assert!(!is_whole(&dir.path().join("gone.csv"), 10), "does not open");
    }

    #[test]
    fn a_file_changed_a_moment_ago_waits_until_it_stands_still() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("rates.csv");
        std::fs::write(&path, "Date,From,To,Rate\n").expect("write");
        let files = [input(&path)];
        let mut inbox = Inbox::default();
        let start = Instant::now();

        let look = inbox.look(&files, PATIENCE, start);
        assert_eq!(look.waiting.get(&path), Some(&Readiness::Changing));
        let again = look.look_again_at.expect("looked at again");
        assert!(again > start && again <= start + PATIENCE.settle + Duration::from_millis(50));

        let later = inbox.look(&files, PATIENCE, start + PATIENCE.settle);
        assert!(later.ready.contains_key(&path), "stood still long enough");
        assert_eq!(later.look_again_at, None);
    }

    #[test]
    fn a_cut_short_workbook_waits_until_its_time_is_up() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("plan.xlsx");
        let bytes = zip_bytes();
        std::fs::write(&path, bytes.get(..100).expect("start")).expect("write");
        let files = [input(&path)];
        let mut inbox = Inbox::default();
        let start = Instant::now();

        inbox.look(&files, PATIENCE, start);
        let settled = inbox.look(&files, PATIENCE, start + PATIENCE.settle);
        assert_eq!(settled.waiting.get(&path), Some(&Readiness::NotWhole));
        assert!(inbox.found_cut_short(&path, PATIENCE, start + PATIENCE.settle));

        let expired = inbox.look(&files, PATIENCE, start + PATIENCE.retry_for);
        assert!(expired.ready.contains_key(&path), "counts as bad now");
        assert!(!inbox.found_cut_short(&path, PATIENCE, start + PATIENCE.retry_for));
    }

    #[test]
    fn a_file_seen_again_with_another_size_starts_waiting_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("rates.csv");
        std::fs::write(&path, "Date,From,To,Rate\n").expect("write");
        let files = [input(&path)];
        let mut inbox = Inbox::default();
        let start = Instant::now();
        inbox.look(&files, PATIENCE, start);
        assert!(
            inbox
                .look(&files, PATIENCE, start + PATIENCE.settle)
                .ready
                .contains_key(&path)
        );

        std::fs::write(&path, "Date,From,To,Rate\n2026-04-30,EUR,NOK,11.5\n").expect("grow");
        let changed = inbox.look(&files, PATIENCE, start + PATIENCE.settle * 2);
        assert_eq!(changed.waiting.get(&path), Some(&Readiness::Changing));
    }

    #[test]
    fn gone_files_are_forgotten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("rates.csv");
        std::fs::write(&path, "x").expect("write");
        let mut inbox = Inbox::default();
        inbox.look(&[input(&path)], PATIENCE, Instant::now());
        std::fs::remove_file(&path).expect("remove");
        let look = inbox.look(&[input(&path)], PATIENCE, Instant::now());
        assert!(look.ready.is_empty() && look.waiting.is_empty());
        assert!(inbox.seen.is_empty());
    }
}
