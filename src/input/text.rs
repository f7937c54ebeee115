//! Text files as streams of UTF-8: the encoding and the delimiter told from
//! the first bytes, binary files refused, and records capped in length so
//! that no line, however long, is read into memory whole.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

/// How many bytes from the start of a file are read to classify it.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The longest record (a line, or several lines inside quotes) that is read;
/// a longer one is [`TextError::RecordTooLong`].
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// The delimiters a table in a text file may use, in order of preference.
pub const DELIMITERS: [u8; 3] = [b',', b'\t', b';'];

/// How many of the first lines are looked at to tell the delimiter.
const DELIMITER_LINES: usize = 50;

/// How a text file is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte order mark. Bytes that are not UTF-8
    /// further on than the first [`SNIFF_BYTES`] are passed on as they are,
    /// for the reader to report where it uses them.
    Utf8 {
        bom: bool,
    },
    /// UTF-16, little-endian (Google Ads' "Excel CSV" and Editor exports).
    Utf16Le {
        bom: bool,
    },
    Utf16Be {
        bom: bool,
    },
    /// A file without a byte order mark whose first bytes are not UTF-8 is
    /// read as Windows-1252, the encoding spreadsheet programs on Windows
    /// save "CSV" in: every byte is a character there, so `é` saved by
    /// Excel reads as `é` instead of failing.
    Windows1252,
}

impl TextEncoding {
    fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 { .. } => encoding_rs::UTF_8,
            TextEncoding::Utf16Le { .. } => UTF_16LE,
            TextEncoding::Utf16Be { .. } => UTF_16BE,
            TextEncoding::Windows1252 => WINDOWS_1252,
        }
    }

    /// The length of the byte order mark the file starts with.
    fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8 { bom: true } => 3,
            TextEncoding::Utf16Le { bom: true } | TextEncoding::Utf16Be { bom: true } => 2,
            _ => 0,
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, bom) = match self {
            TextEncoding::Utf8 { bom } => ("UTF-8", *bom),
            TextEncoding::Utf16Le { bom } => ("UTF-16LE", *bom),
            TextEncoding::Utf16Be { bom } => ("UTF-16BE", *bom),
            TextEncoding::Windows1252 => ("Windows-1252", false),
        };
        f.write_str(name)?;
        if bom {
            f.write_str(" with BOM")?;
        }
        Ok(())
    }
}

/// Why a file cannot be read as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextError {
    /// The file could not be opened or read.
    Io(String),
    /// The file is not text; says what it looks like instead.
    NotText(String),
    /// A record longer than [`MAX_RECORD_BYTES`], starting at `line`.
    RecordTooLong { line: u64, limit: usize },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Io(detail) => write!(f, "cannot read the file: {detail}"),
            TextError::NotText(what) => write!(
                f,
                "this is not a text file ({what}); exports and rates files are read as CSV or \
                 tab-separated text"
            ),
            TextError::RecordTooLong { line, limit } => write!(
                f,
                "line {line} is longer than {} MiB ({limit} bytes), more than any export or \
                 rates file holds; the file is not read further (is it really a CSV file, or \
                 does a quote mark near line {line} lack its closing quote?)",
                limit / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for TextError {}

/// The first lines of a text file, decoded, for telling what kind of file
/// it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextHead {
    pub encoding: TextEncoding,
    /// Whole lines without their line ends (`\r\n`, `\n` or `\r`). A line
    /// cut by the end of the sniffed bytes is left out.
    pub lines: Vec<String>,
    /// Whether the lines are the whole file.
    pub complete: bool,
}

impl TextHead {
    /// The delimiter of the table in these lines (see [`detect_delimiter`]).
    pub fn delimiter(&self) -> u8 {
        detect_delimiter(&self.lines)
    }
}

/// Reads the first [`SNIFF_BYTES`] of the file at `path` as text lines.
pub fn sniff_text(path: &Path) -> Result<TextHead, TextError> {
    let mut file = File::open(path).map_err(io_error)?;
    let (head, complete) = read_head(&mut file)?;
    sniff_text_bytes(&head, complete)
}

/// Reads the first bytes of a file as text lines; `complete` says whether
/// `bytes` is the whole file (else its last line may be cut and is dropped).
///
/// ```
/// use spendsheet::input::text::{sniff_text_bytes, TextEncoding};
///
/// let head = sniff_text_bytes(b"\xEF\xBB\xBFDate,Rate\r\n2026-03-01,1.5\r\n", true)
///     .expect("text");
/// assert_eq!(head.encoding, TextEncoding::Utf8 { bom: true });
/// assert_eq!(head.lines, ["Date,Rate", "2026-03-01,1.5"]);
/// assert!(sniff_text_bytes(b"%PDF-1.7\n", true).is_err());
/// ```
pub fn sniff_text_bytes(bytes: &[u8], complete: bool) -> Result<TextHead, TextError> {
    let encoding = detect_encoding(bytes, complete)?;
    let body = bytes.get(encoding.bom_len()..).unwrap_or_default();
    let (text, _) = encoding.encoding().decode_without_bom_handling(body);
    if let Some(what) = binary_text(&text) {
        return Err(TextError::NotText(what.to_string()));
    }
    Ok(TextHead {
        encoding,
        lines: split_lines(&text, complete),
        complete,
    })
}

/// A decoded text file: its first lines, and a reader of the whole file
/// from its start as UTF-8 (the byte order mark left out).
pub struct TextFile {
    pub head: TextHead,
    pub reader: DecodeReaderBytes<File, Vec<u8>>,
}

/// Opens the file at `path` as text: sniffs its head, then reads it again
/// from the start through a decoder, so that it is read as a stream.
pub fn open_text(path: &Path) -> Result<TextFile, TextError> {
    let mut file = File::open(path).map_err(io_error)?;
    let (bytes, complete) = read_head(&mut file)?;
    let head = sniff_text_bytes(&bytes, complete)?;
    file.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let reader = decode_reader(file, head.encoding);
    Ok(TextFile { head, reader })
}

/// A reader giving the text of `inner`, encoded as `encoding`, as UTF-8
/// without a byte order mark.
pub fn decode_reader<R: Read>(inner: R, encoding: TextEncoding) -> DecodeReaderBytes<R, Vec<u8>> {
    let mut builder = DecodeReaderBytesBuilder::new();
    builder.strip_bom(true);
    match encoding {
        // Passed through unchanged: the reader checks the fields it uses.
        TextEncoding::Utf8 { .. } => builder.utf8_passthru(true),
        other => builder.encoding(Some(other.encoding())),
    };
    builder.build(inner)
}

/// A CSV reader over decoded text: no header row (callers find their own
/// below title lines), rows of any length, fields untrimmed, and every
/// record capped at [`MAX_RECORD_BYTES`].
pub fn csv_reader<R: Read>(text: R, delimiter: u8) -> csv::Reader<RecordLimit<R>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(RecordLimit::new(text, delimiter, MAX_RECORD_BYTES))
}

/// What a CSV error means for a text file: a record that was too long, or
/// a read that failed.
pub fn csv_error(err: &csv::Error) -> TextError {
    if let csv::ErrorKind::Io(io_err) = err.kind() {
        let too_long = io_err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<RecordTooLong>());
        if let Some(RecordTooLong { line, limit }) = too_long {
            return TextError::RecordTooLong {
                line: *line,
                limit: *limit,
            };
        }
        return TextError::Io(io_err.to_string());
    }
    TextError::Io(err.to_string())
}

/// The fields of one line of CSV text with `delimiter`, quotes removed.
///
/// ```
/// use spendsheet::input::text::split_fields;
///
/// assert_eq!(split_fields("a,\"b, c\",d", b','), ["a", "b, c", "d"]);
/// ```
pub fn split_fields(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// The delimiter of a table in `lines`: of `,`, tab and `;`, the one that
/// splits the most lines into the same number of fields (two or more), then
/// the one giving more fields, then the first in [`DELIMITERS`]. Title lines
/// above a table split into one field and so do not count; quoted fields
/// (`"4,838.80"`) are one field. `,` when nothing splits.
///
/// ```
/// use spendsheet::input::text::detect_delimiter;
///
/// let lines = ["Report".to_string(), "Name;Cost".into(), "A;1,50".into()];
/// assert_eq!(detect_delimiter(&lines), b';');
/// ```
pub fn detect_delimiter(lines: &[String]) -> u8 {
    let lines = lines
        .get(..DELIMITER_LINES.min(lines.len()))
        .unwrap_or(lines);
    let mut best = (0, 0, b',');
    for delimiter in DELIMITERS {
        let (agreeing, fields) = agreement(lines, delimiter);
        if (agreeing, fields) > (best.0, best.1) {
            best = (agreeing, fields, delimiter);
        }
    }
    best.2
}

/// How many lines share the most common field count of two or more under
/// `delimiter`, and that count (the larger count when two are as common).
fn agreement(lines: &[String], delimiter: u8) -> (usize, usize) {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for line in lines {
        let fields = split_fields(line, delimiter).len();
        if fields < 2 {
            continue;
        }
        match counts.iter_mut().find(|(count, _)| *count == fields) {
            Some((_, lines)) => *lines = lines.saturating_add(1),
            None => counts.push((fields, 1)),
        }
    }
    counts
        .into_iter()
        .map(|(fields, lines)| (lines, fields))
        .max()
        .unwrap_or((0, 0))
}

/// Reads up to [`SNIFF_BYTES`]; also says whether that is the whole file.
fn read_head(file: &mut File) -> Result<(Vec<u8>, bool), TextError> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let limit = u64::try_from(SNIFF_BYTES).unwrap_or(u64::MAX);
    file.by_ref()
        .take(limit)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    let mut probe = [0_u8; 1];
    let more = file.read(&mut probe).map_err(io_error)?;
    Ok((head, more == 0))
}

fn io_error(err: io::Error) -> TextError {
    TextError::Io(crate::input::discover::describe_io_error(&err))
}

/// The encoding of a file from its first bytes: a byte order mark, else
/// UTF-16 recognised by its zero bytes, else UTF-8 when the bytes are UTF-8,
/// else Windows-1252. Binary files are [`TextError::NotText`].
fn detect_encoding(head: &[u8], complete: bool) -> Result<TextEncoding, TextError> {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok(TextEncoding::Utf8 { bom: true });
    }
    if head.starts_with(b"\xFF\xFE") {
        return Ok(TextEncoding::Utf16Le { bom: true });
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok(TextEncoding::Utf16Be { bom: true });
    }
    if let Some(what) = binary_signature(head) {
        return Err(TextError::NotText(what.to_string()));
    }
    if let Some(utf16) = bomless_utf16(head) {
        return Ok(utf16);
    }
    if head.contains(&0) {
        return Err(TextError::NotText(
            "binary data: it holds zero bytes".into(),
        ));
    }
    if is_utf8(head, complete) {
        Ok(TextEncoding::Utf8 { bom: false })
    } else {
        Ok(TextEncoding::Windows1252)
    }
}

/// Whether `head` is UTF-8, allowing a character cut by the end of the head.
fn is_utf8(head: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        // `error_len` is `None` when the bytes end inside a character.
        Err(err) => !complete && err.error_len().is_none(),
    }
}

/// The kinds of binary file that turn up where text is expected.
const SIGNATURES: [(&[u8], &str); 11] = [
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive, such as an .xlsx workbook"),
    (b"PK\x05\x06", "an empty zip archive"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an old Office document, such as an .xls workbook",
    ),
    (b"\x1F\x8B", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7FELF", "a program"),
];

fn binary_signature(head: &[u8]) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, what)| *what)
}

/// UTF-16 without a byte order mark, recognised by text whose every other
/// byte is zero, as ASCII characters are in UTF-16.
fn bomless_utf16(head: &[u8]) -> Option<TextEncoding> {
    let pairs: Vec<(u8, u8)> = head
        .chunks_exact(2)
        .take(256)
        .map(|pair| match pair {
            [first, second] => (*first, *second),
            _ => (0, 0),
        })
        .collect();
    if pairs.len() < 4 {
        return None;
    }
    let share = |test: fn(&(u8, u8)) -> bool| pairs.iter().filter(|pair| test(pair)).count();
    let little = share(|(low, high)| *high == 0 && *low != 0);
    let big = share(|(high, low)| *high == 0 && *low != 0);
    // Nine in ten: text in a language beyond ASCII has a few other pairs.
    let enough = |count: usize| count.saturating_mul(10) >= pairs.len().saturating_mul(9);
    if enough(little) {
        Some(TextEncoding::Utf16Le { bom: false })
    } else if enough(big) {
        Some(TextEncoding::Utf16Be { bom: false })
    } else {
        None
    }
}

/// Decoded text that is really binary data: a zero character, or control
/// characters in more than one in a hundred characters.
fn binary_text(text: &str) -> Option<&'static str> {
    if text.contains('\0') {
        return Some("binary data: it holds zero characters");
    }
    let total = text.chars().count();
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}' | '\u{1a}'))
        .count();
    (controls > 0 && controls.saturating_mul(100) > total)
        .then_some("binary data: it holds control characters")
}

/// Splits decoded text into lines without their ends (`\r\n`, `\n` or a
/// lone `\r`); when the text is not `complete`, its last, possibly cut,
/// line is dropped.
fn split_lines(text: &str, complete: bool) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    // The piece after the last `\n` is empty for a file ending in a line
    // end, and may be cut short when the head ends mid-file.
    let last_is_partial = !complete || text.ends_with('\n');
    if last_is_partial {
        lines.pop();
    }
    lines
}

/// A record longer than the limit, found by [`RecordLimit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordTooLong {
    /// The 1-based line the record starts on.
    pub line: u64,
    pub limit: usize,
}

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the record at line {} is longer than {} bytes",
            self.line, self.limit
        )
    }
}

impl std::error::Error for RecordTooLong {}

/// Where a reader is in a CSV record, as the csv crate's parser sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: either the first of `""` or the end.
    QuoteInQuoted,
}

/// A reader that fails with [`RecordTooLong`] as soon as one CSV record
/// (a line, or more inside quotes) exceeds the limit, so that a CSV parser
/// reading from it never holds more than that in memory. It follows quoting
/// as the csv crate does, so a quoted field with line breaks is one record
/// and an unclosed quote cannot make the rest of a file one record.
///
/// It also gives every line end (`\r\n`, `\n` or a lone `\r`) as `\n`: the
/// csv crate counts a record after `\r\n` as still on the line before, and
/// the line numbers of messages must be those an editor shows.
pub struct RecordLimit<R> {
    inner: R,
    /// The last byte passed on was a `\r`, given as `\n`: a `\n` right
    /// after it belongs to the same line end.
    after_cr: bool,
    delimiter: u8,
    limit: usize,
    state: Quoting,
    record_bytes: usize,
    line: u64,
    record_line: u64,
    /// Found while passing on the bytes before it; given on the next read.
    pending: Option<RecordTooLong>,
}

impl<R: Read> RecordLimit<R> {
    /// Wraps `inner`, a CSV text with `delimiter`, allowing records of at
    /// most `limit` bytes.
    pub fn new(inner: R, delimiter: u8, limit: usize) -> RecordLimit<R> {
        RecordLimit {
            inner,
            after_cr: false,
            delimiter,
            limit,
            state: Quoting::FieldStart,
            record_bytes: 0,
            line: 1,
            record_line: 1,
            pending: None,
        }
    }

    fn track(&mut self, byte: u8) -> Result<(), RecordTooLong> {
        let ends_line = byte == b'\n';
        self.state = match (self.state, byte) {
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::FieldStart, b'"') | (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (_, byte) if byte == self.delimiter || ends_line => Quoting::FieldStart,
            _ => Quoting::Unquoted,
        };
        if byte == b'\n' {
            self.line = self.line.saturating_add(1);
        }
        if ends_line && self.state == Quoting::FieldStart {
            self.record_bytes = 0;
            self.record_line = self.line;
            return Ok(());
        }
        self.record_bytes = self.record_bytes.saturating_add(1);
        if self.record_bytes > self.limit {
            return Err(RecordTooLong {
                line: self.record_line,
                limit: self.limit,
            });
        }
        Ok(())
    }
}

impl<R: Read> Read for RecordLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(too_long) = self.pending {
            return Err(io::Error::other(too_long));
        }
        loop {
            let read = self.inner.read(buf)?;
            if read == 0 {
                return Ok(0);
            }
            let kept = self.pass_on(buf, read)?;
            // A read of only the `\n` of a `\r\n` gives nothing to pass on,
            // and passing on nothing would mean the end of the input.
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

impl<R: Read> RecordLimit<R> {
    /// Turns the first `read` bytes of `buf` into what is passed on, in
    /// place; returns how many there are.
    fn pass_on(&mut self, buf: &mut [u8], read: usize) -> io::Result<usize> {
        let mut kept = 0;
        for index in 0..read {
            let Some(byte) = buf.get(index).copied() else {
                break;
            };
            let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            if after_cr && byte == b'\n' {
                continue;
            }
            let byte = if byte == b'\r' { b'\n' } else { byte };
            if let Err(too_long) = self.track(byte) {
                // The records before this one are passed on whole first.
                self.pending = Some(too_long);
                return if kept == 0 {
                    Err(io::Error::other(too_long))
                } else {
                    Ok(kept)
                };
            }
            if let Some(slot) = buf.get_mut(kept) {
                *slot = byte;
            }
            kept = kept.saturating_add(1);
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    fn utf16be(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        bytes
    }

    fn decoded(bytes: &[u8]) -> String {
        let head = sniff_text_bytes(bytes, true).expect("text");
        let mut text = String::new();
        decode_reader(bytes, head.encoding)
            .read_to_string(&mut text)
            .expect("decodes");
        text
    }

    #[test]
    fn encodings_are_told_from_the_first_bytes() {
        let text = "Campaign\tCost\r\nKöln – Sommer\t1.50\r\n";
        let mut bom8 = b"\xEF\xBB\xBF".to_vec();
        bom8.extend(text.as_bytes());
        let cases: [(Vec<u8>, TextEncoding); 5] = [
            (text.as_bytes().to_vec(), TextEncoding::Utf8 { bom: false }),
            (bom8, TextEncoding::Utf8 { bom: true }),
            (utf16le(text, true), TextEncoding::Utf16Le { bom: true }),
            (utf16be(text), TextEncoding::Utf16Be { bom: true }),
            (utf16le(text, false), TextEncoding::Utf16Le { bom: false }),
        ];
        for (bytes, encoding) in cases {
            let head = sniff_text_bytes(&bytes, true).expect("text");
            assert_eq!(head.encoding, encoding);
            assert_eq!(
                head.lines,
                ["Campaign\tCost", "Köln – Sommer\t1.50"],
                "{encoding}"
            );
            assert_eq!(head.delimiter(), b'\t');
            assert_eq!(decoded(&bytes), text, "{encoding}");
        }
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        let bytes = b"Campaign,Cost\nCaf\xe9 \x80,1.00\n";
        let head = sniff_text_bytes(bytes, true).expect("text");
        assert_eq!(head.encoding, TextEncoding::Windows1252);
        assert_eq!(head.lines[1], "Café €,1.00");
        assert_eq!(decoded(bytes), "Campaign,Cost\nCafé €,1.00\n");
    }

    #[test]
    fn a_character_cut_by_the_end_of_the_head_is_still_utf8() {
        let mut bytes = b"Name\n".repeat(10);
        bytes.extend("é".as_bytes().get(..1).unwrap_or_default());
        let head = sniff_text_bytes(&bytes, false).expect("text");
        assert_eq!(head.encoding, TextEncoding::Utf8 { bom: false });
        assert_eq!(head.lines.len(), 10);
        let complete = sniff_text_bytes(&bytes, true).expect("text");
        assert_eq!(complete.encoding, TextEncoding::Windows1252);
    }

    #[test]
    fn binary_files_are_not_text() {
        let cases: [&[u8]; 6] = [
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
            b"PK\x03\x04\x14\x00\x06\x00",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00",
            b"Campaign,Cost\nA,1\x00\x00\x00\x07\x01",
            b"\x89PNG\r\n\x1a\n",
            b"\x01\x02\x03\x04\x05abc\x06\x07\x08\x0b\x0e",
        ];
        for bytes in cases {
            let err = sniff_text_bytes(bytes, true).expect_err("binary");
            assert!(matches!(err, TextError::NotText(_)), "{bytes:?}: {err}");
        }
        let err = sniff_text_bytes(b"%PDF-1.4", true).expect_err("pdf");
        assert!(err.to_string().contains("a PDF document"), "{err}");
    }

    #[test]
    fn lines_end_with_lf_or_crlf_and_a_cut_line_is_dropped() {
        let head = sniff_text_bytes(b"a\r\nb\nc", true).expect("text");
        assert_eq!(head.lines, ["a", "b", "c"]);
        let head = sniff_text_bytes(b"a\r\nb\nc", false).expect("text");
        assert_eq!(head.lines, ["a", "b"]);
        let head = sniff_text_bytes(b"a\n\nb\n", true).expect("text");
        assert_eq!(head.lines, ["a", "", "b"]);
        let head = sniff_text_bytes(b"a\rb\r\nc\r", true).expect("text");
        assert_eq!(head.lines, ["a", "b", "c"]);
    }

    #[test]
    fn delimiters_are_detected_below_title_lines() {
        let lines = |text: &str| text.lines().map(str::to_string).collect::<Vec<_>>();
        let cases = [
            (
                "Campaign report\n\"March 27, 2026 - April 23, 2026\"\nCampaign,Cost\n\"Deck, siding\",\"4,838.80\"\n",
                b',',
            ),
            (
                "Campaign\tLabels\tNetworks\nA\t\tGoogle search;Search Partners\n",
                b'\t',
            ),
            ("Kampagne;Kosten;Klicks\nA;1,50;3\nB;12,00;4\n", b';'),
            ("Campaign;Cost\n\"A, B\";\"1.234,56\"\n", b';'),
            ("just one field\n", b','),
            ("", b','),
        ];
        for (text, delimiter) in cases {
            assert_eq!(
                detect_delimiter(&lines(text)) as char,
                delimiter as char,
                "{text}"
            );
        }
    }

    fn read_all(text: &[u8], limit: usize) -> Result<Vec<Vec<String>>, TextError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(RecordLimit::new(text, b',', limit));
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|err| csv_error(&err))?;
            rows.push(record.iter().map(str::to_string).collect());
        }
        Ok(rows)
    }

    #[test]
    fn records_within_the_limit_are_read_whole() {
        let text = b"a,\"two\nlines\",b\r\nccccc,\"x\"\"y\"\n";
        let rows = read_all(text, 16).expect("within limit");
        assert_eq!(rows, [vec!["a", "two\nlines", "b"], vec!["ccccc", "x\"y"]]);
    }

    #[test]
    fn a_record_over_the_limit_names_its_line() {
        let err = read_all(b"a,b\nc,d\n0123456789abc,e\n", 12).expect_err("too long");
        assert_eq!(err, TextError::RecordTooLong { line: 3, limit: 12 });
        let unclosed = b"a,b\n\"open\nquote\nnever\nclosed\n";
        let err = read_all(unclosed, 12).expect_err("too long");
        assert_eq!(err, TextError::RecordTooLong { line: 2, limit: 12 });
    }

    #[test]
    fn line_numbers_count_every_kind_of_line_end() {
        let text = b"a\r\nb\r\n\"two\r\nlines\"\r\nc\rd\ne\r\n";
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(RecordLimit::new(&text[..], b',', 100));
        let mut record = csv::StringRecord::new();
        let mut seen = Vec::new();
        while reader.read_record(&mut record).expect("reads") {
            let line = record.position().map(|p| p.line());
            seen.push((record.get(0).unwrap_or_default().to_string(), line));
        }
        let expected = [
            ("a", 1),
            ("b", 2),
            ("two\nlines", 3),
            ("c", 5),
            ("d", 6),
            ("e", 7),
        ];
        let expected: Vec<(String, Option<u64>)> = expected
            .iter()
            .map(|(field, line)| (field.to_string(), Some(*line)))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_crlf_split_between_reads_is_one_line_end() {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let mut out = String::new();
        RecordLimit::new(OneByte(b"a\r\nb\r\n"), b',', 10)
            .read_to_string(&mut out)
            .expect("reads");
        assert_eq!(out, "a\nb\n");
    }

    #[test]
    fn records_before_a_long_one_are_still_read() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(RecordLimit::new(
                &b"a,b\nc,d\n0123456789abc,e\n"[..],
                b',',
                12,
            ));
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        let err = loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => lines.push(record.position().map(|p| p.line())),
                Ok(false) => panic!("the long record was read"),
                Err(err) => break csv_error(&err),
            }
        };
        assert_eq!(lines, [Some(1), Some(2)]);
        assert_eq!(err, TextError::RecordTooLong { line: 3, limit: 12 });
    }

    #[test]
    fn a_huge_line_is_refused_without_reading_it_whole() {
        struct Endless {
            served: usize,
        }
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                buf.fill(b'x');
                self.served += buf.len();
                Ok(buf.len())
            }
        }
        let mut endless = Endless { served: 0 };
        let mut reader = csv_reader(&mut endless, b',');
        let mut record = csv::ByteRecord::new();
        let err = reader.read_byte_record(&mut record).expect_err("too long");
        assert_eq!(
            csv_error(&err),
            TextError::RecordTooLong {
                line: 1,
                limit: MAX_RECORD_BYTES
            }
        );
        drop(reader);
        assert!(endless.served < 2 * MAX_RECORD_BYTES, "{}", endless.served);
    }
}
