//! File-system events, taken as hints of when to look at the inbox: the OS
//! watcher or a polling one, debounced, filtered down to changes of files
//! that can be inputs, and gathered into bursts so that a burst of changes
//! gives one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{
    self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, NoCache, RecommendedCache, new_debouncer,
    new_debouncer_opt,
};

use crate::input::discover::is_ignored_name;

/// What reaches the watcher's loop.
#[derive(Debug)]
pub(crate) enum Message {
    /// Files of the inbox changed.
    Changed,
    /// The watcher failed or lost events; a full look follows.
    WatcherFailed(Vec<String>),
    /// Stop after the current write.
    Stop,
}

/// How changes are noticed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detection {
    /// The operating system's events (inotify, FSEvents,
    /// ReadDirectoryChangesW).
    Events,
    /// Listing the folder at this interval, for network shares whose
    /// changes by other machines raise no events.
    Poll(Duration),
}

/// A running watch of the inbox; it is only held, and dropping it ends the
/// watch.
pub(crate) enum FolderWatch {
    Events {
        _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    },
    Poll {
        _debouncer: Debouncer<PollWatcher, NoCache>,
    },
}

/// Starts watching `inbox` (its files, not its sub-folders). Relevant
/// changes are sent as [`Message::Changed`]; `outputs` are paths whose
/// changes are the watcher's own.
pub(crate) fn watch_folder(
    inbox: &Path,
    outputs: Vec<PathBuf>,
    detection: Detection,
    debounce: Duration,
    messages: Sender<Message>,
) -> notify::Result<FolderWatch> {
    let handler = move |result: DebounceEventResult| {
        let message = match result {
            Ok(events) if events.iter().any(|event| is_relevant(event, &outputs)) => {
                Message::Changed
            }
            Ok(_) => return,
            Err(errors) => Message::WatcherFailed(errors.iter().map(ToString::to_string).collect()),
        };
        // The loop has ended when nobody receives: nothing left to tell.
        let _ = messages.send(message);
    };
    match detection {
        Detection::Events => {
            let mut debouncer = new_debouncer(debounce, None, handler)?;
            debouncer.watch(inbox, RecursiveMode::NonRecursive)?;
            Ok(FolderWatch::Events {
                _debouncer: debouncer,
            })
        }
        Detection::Poll(interval) => {
            let config = notify::Config::default().with_poll_interval(interval);
            let mut debouncer = new_debouncer_opt::<_, PollWatcher, NoCache>(
                debounce, None, handler, NoCache, config,
            )?;
            debouncer.watch(inbox, RecursiveMode::NonRecursive)?;
            Ok(FolderWatch::Poll {
                _debouncer: debouncer,
            })
        }
    }
}

/// Whether an event may change the inputs: a file created, written,
/// renamed or deleted, whose name is not one that is never an input.
/// Opening and reading files (the watcher's own reads) are not changes.
fn is_relevant(event: &DebouncedEvent, outputs: &[PathBuf]) -> bool {
    if event.need_rescan() || event.paths.is_empty() {
        return true;
    }
    let changes_content = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    };
    changes_content
        && event.paths.iter().any(|path| {
            let ignored = path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(is_ignored_name);
            !ignored && !outputs.iter().any(|output| path.starts_with(output))
        })
}

/// When the changes noticed so far are due for a look: once the inbox has
/// been quiet for a moment, and at the latest some time after the first of
/// them, so that a file written without pause does not hold back the rest.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Burst {
    first: Option<Instant>,
    last: Option<Instant>,
}

impl Burst {
    pub fn note(&mut self, now: Instant) {
        self.first.get_or_insert(now);
        self.last = Some(now);
    }

    pub fn clear(&mut self) {
        *self = Burst::default();
    }

    /// When the burst is due, `None` when there is none.
    pub fn due_at(&self, quiet: Duration, longest: Duration) -> Option<Instant> {
        let quiet_at = self.last?.checked_add(quiet)?;
        let latest = self.first?.checked_add(longest)?;
        Some(quiet_at.min(latest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{CreateKind, Event, Flag, ModifyKind};

    fn event(kind: EventKind, path: &str) -> DebouncedEvent {
        DebouncedEvent::new(
            Event::new(kind).add_path(PathBuf::from(path)),
            Instant::now(),
        )
    }

    #[test]
    fn only_changes_to_possible_inputs_are_relevant() {
        let outputs = [PathBuf::from("/inbox/reports")];
        let relevant = [
            event(EventKind::Create(CreateKind::File), "/inbox/plan.xlsx"),
            event(EventKind::Modify(ModifyKind::Any), "/inbox/rates.csv"),
            event(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                "/inbox/rates.csv",
            ),
            event(
                EventKind::Remove(notify::event::RemoveKind::File),
                "/inbox/a.csv",
            ),
            DebouncedEvent::new(
                Event::new(EventKind::Other).set_flag(Flag::Rescan),
                Instant::now(),
            ),
        ];
        for event in &relevant {
            assert!(is_relevant(event, &outputs), "{event:?}");
        }
        let irrelevant = [
            event(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                "/inbox/plan.xlsx",
            ),
            event(EventKind::Create(CreateKind::File), "/inbox/~$plan.xlsx"),
            event(
                EventKind::Create(CreateKind::File),
                "/inbox/.~lock.plan.xlsx#",
            ),
            event(
                EventKind::Modify(ModifyKind::Any),
                "/inbox/export.csv.crdownload",
            ),
            event(EventKind::Modify(ModifyKind::Any), "/inbox/reports"),
        ];
        for event in &irrelevant {
            assert!(!is_relevant(event, &outputs), "{event:?}");
        }
    }

    #[test]
    fn a_burst_is_due_when_quiet_or_when_it_has_lasted_too_long() {
        let quiet = Duration::from_millis(500);
        let longest = Duration::from_secs(10);
        let start = Instant::now();
        let mut burst = Burst::default();
        assert_eq!(burst.due_at(quiet, longest), None);

        burst.note(start);
        assert_eq!(burst.due_at(quiet, longest), Some(start + quiet));
        for step in 1..40 {
            burst.note(start + Duration::from_millis(step * 400));
        }
        assert_eq!(burst.due_at(quiet, longest), Some(start + longest));
        burst.clear();
        assert_eq!(burst.due_at(quiet, longest), None);
    }
}
