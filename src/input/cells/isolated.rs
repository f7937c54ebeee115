//! Reading a workbook in a child process whose memory, processor time and
//! wall-clock time are bounded, so that a hostile file costs one failed read
//! and never the process that asked for it.
//!
//! The parent runs its own executable with [`ISOLATED_READ_ARG`] and the
//! path; the child lowers its limits, reads, and writes
//! `Result<WorkbookCells, WorkbookError>` as JSON on its stdout.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::panic;
use std::path::Path;
use std::process::{Child, ChildStderr, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::{WorkbookCells, WorkbookError, read_workbook};

/// The first argument that makes the spendsheet executable read one
/// workbook as the child of [`read_workbook_isolated`]; the second is the
/// path. Not meant to be typed by users.
pub const ISOLATED_READ_ARG: &str = "__read-workbook";

/// How long an isolated read may take, from start to answer.
pub const ISOLATED_READ_DEADLINE: Duration = Duration::from_secs(120);

/// The address space the child may use. The largest workbooks accepted (5
/// million filled cells, as an ods grid or as 256 MB of xlsx text) read
/// within 768 MiB; a hostile file costs at most this much, briefly.
pub const ISOLATED_READ_MEMORY_BYTES: u64 = 1 << 30;

/// The processor time the child may use.
pub const ISOLATED_READ_CPU_SECONDS: u64 = 120;

/// The child's answer is never longer than this: 5 million cells and
/// 256 MB of text fit as JSON.
const MAX_ANSWER_BYTES: u64 = 1 << 30;

/// The start of the child's stderr that is kept to explain a crash: the
/// child's panics are silenced, so what remains is what the runtime prints
/// before it aborts.
const MAX_STDERR_BYTES: u64 = 64 << 10;

/// How long a child that has answered may take to exit.
const EXIT_GRACE: Duration = Duration::from_secs(5);

const MEMORY_MESSAGE: &str = "reading it needed more memory than its content justifies";

type ReadResult = Result<WorkbookCells, WorkbookError>;

/// Reads the workbook at `path` in a child process running `exe` (the
/// spendsheet executable, `std::env::current_exe()` in the CLI), with the
/// limits above and [`ISOLATED_READ_DEADLINE`].
///
/// The result is that of [`read_workbook`], or, when the child fails:
/// [`WorkbookError::TooLarge`] when it ran out of memory or time,
/// [`WorkbookError::Unreadable`] when it crashed, and
/// [`WorkbookError::Io`] when it could not be started.
pub fn read_workbook_isolated(exe: &Path, path: &Path) -> ReadResult {
    read_workbook_isolated_within(exe, path, ISOLATED_READ_DEADLINE)
}

/// [`read_workbook_isolated`] with another wall-clock deadline.
pub fn read_workbook_isolated_within(exe: &Path, path: &Path, deadline: Duration) -> ReadResult {
    let started = Instant::now();
    let mut child = spawn_reader(exe, path)?;
    let watchers = match Watchers::start(&mut child) {
        Ok(watchers) => watchers,
        Err(err) => {
            // A thread that did start ends when the child's pipes close.
            let _ = child.kill();
            let _ = child.wait();
            return Err(WorkbookError::Io(format!(
                "the reader process could not be watched: {err}"
            )));
        }
    };

    let waited = watchers.answers.recv_timeout(deadline);
    let timed_out = matches!(waited, Err(RecvTimeoutError::Timeout));
    let answer = waited.ok().flatten();

    let exit_within = if timed_out {
        Duration::ZERO
    } else {
        deadline.saturating_sub(started.elapsed()).max(EXIT_GRACE)
    };
    let exit = wait_or_kill(&mut child, exit_within);
    // Both threads end once the child has: its pipes are closed.
    let _ = watchers.answer_thread.join();
    let stderr = watchers.stderr_thread.join().unwrap_or_default();
    let (status, killed) = exit.map_err(|err| {
        WorkbookError::Io(format!("the reader process could not be waited for: {err}"))
    })?;

    let ending = ChildEnding {
        status,
        killed: killed || timed_out,
        stderr,
    };
    ending.result(answer, deadline)
}

fn spawn_reader(exe: &Path, path: &Path) -> Result<Child, WorkbookError> {
    Command::new(exe)
        .arg(ISOLATED_READ_ARG)
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| {
            WorkbookError::Io(format!(
                "the reader process {} could not be started: {err}",
                exe.display()
            ))
        })
}

/// The threads that read the child's pipes. The answer is parsed as it
/// streams in, on a thread of its own, so that the deadline holds even
/// while the child is silent.
struct Watchers {
    answers: Receiver<Option<Result<ReadResult, String>>>,
    answer_thread: JoinHandle<()>,
    stderr_thread: JoinHandle<String>,
}

impl Watchers {
    fn start(child: &mut Child) -> io::Result<Watchers> {
        let (sender, answers) = mpsc::channel();
        let stdout = child.stdout.take();
        let answer_thread = thread::Builder::new()
            .name("workbook-answer".to_string())
            .spawn(move || {
                let _ = sender.send(stdout.map(read_answer));
            })?;
        let stderr = child.stderr.take();
        let stderr_thread = thread::Builder::new()
            .name("workbook-stderr".to_string())
            .spawn(move || stderr.map(read_stderr).unwrap_or_default())?;
        Ok(Watchers {
            answers,
            answer_thread,
            stderr_thread,
        })
    }
}

/// Reads the workbook at `path` as the child of [`read_workbook_isolated`]
/// and writes the result as JSON to `out`. Returns the exit code for the
/// process: 0 when the answer was written, 1 when it could not be.
///
/// First lowers this process's own limits (address space, processor time,
/// core files) and silences the panic hook: this process is meant to do
/// nothing else.
pub fn serve_isolated_read(path: &Path, out: &mut impl Write) -> i32 {
    lower_resource_limits();
    // A panic is turned into an error in the answer; its message must not
    // also reach the terminal of the parent.
    panic::set_hook(Box::new(|_| {}));

    let result = read_workbook(path);
    let mut out = BufWriter::new(out);
    let written = serde_json::to_writer(&mut out, &result)
        .map_err(io::Error::from)
        .and_then(|()| out.flush());
    match written {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

fn read_answer(stdout: ChildStdout) -> Result<ReadResult, String> {
    let reader = BufReader::new(stdout.take(MAX_ANSWER_BYTES));
    serde_json::from_reader(reader).map_err(|err| err.to_string())
}

/// The start of stderr; the rest is drained so that the child never blocks
/// on a full pipe.
fn read_stderr(mut stderr: ChildStderr) -> String {
    let mut start = Vec::new();
    let _ = stderr
        .by_ref()
        .take(MAX_STDERR_BYTES)
        .read_to_end(&mut start);
    let _ = io::copy(&mut stderr, &mut io::sink());
    String::from_utf8_lossy(&start).into_owned()
}

/// Waits for the child to exit, killing it when it has not within
/// `within`; says whether it was killed.
fn wait_or_kill(child: &mut Child, within: Duration) -> io::Result<(ExitStatus, bool)> {
    let until = Instant::now().checked_add(within);
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status, false));
        }
        if until.is_some_and(|until| Instant::now() >= until) {
            // The child may have exited since: then kill fails harmlessly.
            let _ = child.kill();
            return Ok((child.wait()?, true));
        }
        thread::sleep(pause);
        pause = pause.saturating_mul(2).min(Duration::from_millis(50));
    }
}

/// How the child ended.
struct ChildEnding {
    status: ExitStatus,
    /// Stopped by the parent at the deadline.
    killed: bool,
    stderr: String,
}

impl ChildEnding {
    fn result(&self, answer: Option<Result<ReadResult, String>>, deadline: Duration) -> ReadResult {
        let answer_error = match answer {
            // A complete answer is the read's result, however the child
            // ended after writing it.
            Some(Ok(result)) => return result,
            Some(Err(err)) => Some(err),
            None => None,
        };
        if self.killed {
            return Err(WorkbookError::TooLarge(format!(
                "reading it took longer than {} seconds",
                deadline.as_secs()
            )));
        }
        if let Some(signal) = signal_of(self.status) {
            return Err(self.signal_error(signal));
        }
        if self.stderr.contains("memory allocation of") {
            return Err(WorkbookError::TooLarge(MEMORY_MESSAGE.to_string()));
        }
        let detail = answer_error.map_or_else(String::new, |err| format!(": {err}"));
        Err(WorkbookError::Unreadable(format!(
            "the reader process ended without an answer ({}){detail}",
            self.status
        )))
    }

    fn signal_error(&self, signal: i32) -> WorkbookError {
        if self.stderr.contains("overflowed its stack") {
            return WorkbookError::Unreadable(
                "its content is nested too deeply to read".to_string(),
            );
        }
        match signal {
            // The processor-time limit.
            s if s == signals::XCPU => WorkbookError::TooLarge(format!(
                "reading it needed more than {ISOLATED_READ_CPU_SECONDS} seconds of processor time"
            )),
            // Rust aborts when an allocation fails, which the address-space
            // limit makes happen; the kernel's out-of-memory killer sends
            // SIGKILL.
            s if s == signals::ABORT || s == signals::KILL => {
                WorkbookError::TooLarge(MEMORY_MESSAGE.to_string())
            }
            other => WorkbookError::Unreadable(format!(
                "the reader process crashed on its content (signal {other})"
            )),
        }
    }
}

#[cfg(unix)]
fn signal_of(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_status: ExitStatus) -> Option<i32> {
    None
}

#[cfg(unix)]
mod signals {
    use rustix::process::Signal;

    pub const ABORT: i32 = Signal::ABORT.as_raw();
    pub const KILL: i32 = Signal::KILL.as_raw();
    pub const XCPU: i32 = Signal::XCPU.as_raw();
}

#[cfg(not(unix))]
mod signals {
    pub const ABORT: i32 = -1;
    pub const KILL: i32 = -2;
    pub const XCPU: i32 = -3;
}

#[cfg(unix)]
fn lower_resource_limits() {
    use rustix::process::Resource;

    #[cfg(target_os = "linux")]
    lower_limit(
        Resource::As,
        ISOLATED_READ_MEMORY_BYTES,
        ISOLATED_READ_MEMORY_BYTES,
    );
    // SIGXCPU at the soft limit; SIGKILL at the hard one, should the first
    // be ignored.
    lower_limit(
        Resource::Cpu,
        ISOLATED_READ_CPU_SECONDS,
        ISOLATED_READ_CPU_SECONDS.saturating_add(5),
    );
    // An abort must not write a core file as large as the memory it used.
    lower_limit(Resource::Core, 0, 0);
}

#[cfg(not(unix))]
fn lower_resource_limits() {}

/// Lowers a limit, never raising one that is already lower. A limit that
/// cannot be set leaves the parent's deadline as the bound.
#[cfg(unix)]
fn lower_limit(resource: rustix::process::Resource, soft: u64, hard: u64) {
    use rustix::process::{Rlimit, getrlimit, setrlimit};

    let current = getrlimit(resource);
    let hard = current.maximum.map_or(hard, |maximum| maximum.min(hard));
    let soft = current
        .current
        .map_or(soft, |current| current.min(soft))
        .min(hard);
    let _ = setrlimit(
        resource,
        Rlimit {
            current: Some(soft),
            maximum: Some(hard),
        },
    );
}
