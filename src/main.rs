//! The spendsheet command line.

use std::ffi::OsStr;
use std::path::Path;

use spendsheet::input::cells::{ISOLATED_READ_ARG, serve_isolated_read};

fn main() {
    // The child side of an isolated workbook read: it answers on stdout
    // and does nothing else.
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() == Some(OsStr::new(ISOLATED_READ_ARG)) {
        let code = match args.next() {
            Some(path) => serve_isolated_read(Path::new(&path), &mut std::io::stdout().lock()),
            None => 2,
        };
        std::process::exit(code);
    }
}
