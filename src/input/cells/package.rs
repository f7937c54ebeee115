//! Telling workbook formats apart by their content, and the checks a file
//! must pass before a reader decompresses or allocates anything for it.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};
use serde::{Deserialize, Serialize};
use zip::ZipArchive;

use super::{WorkbookError, io_error};

/// A workbook format, as told by the content of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkbookFormat {
    /// Office Open XML: .xlsx, .xlsm and their templates.
    Xlsx,
    /// Excel binary workbook: .xlsb.
    Xlsb,
    /// Excel 97-2003 (BIFF5 and BIFF8) in a compound file: .xls.
    Xls,
    /// OpenDocument spreadsheet: .ods.
    Ods,
}

const COMPOUND_FILE_MAGIC: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// A compound file starts with a 512-byte header; its directory entries
/// are 128 bytes each and always start at a multiple of 128 after it.
const COMPOUND_HEADER_LEN: u64 = 512;
const COMPOUND_ENTRY_LEN: usize = 128;

/// The last record of a zip file, which says where its directory is. It is
/// written last, so a file cut short has none.
const END_RECORD_SIGNATURE: [u8; 4] = *b"PK\x05\x06";
const END_RECORD_LEN: usize = 22;
const MAX_ZIP_COMMENT: usize = 65_535;

/// A zip directory this long lists hundreds of thousands of parts; real
/// workbooks have dozens, a few thousand at most.
const MAX_ZIP_DIRECTORY: u64 = 64 << 20;

/// No single part of a workbook may expand beyond this. 5 million filled
/// cells, the most read from one workbook, take about 250 MB of sheet XML.
const MAX_PART_BYTES: u64 = 1 << 30;

/// All parts of a workbook together.
const MAX_PACKAGE_BYTES: u64 = 2 << 30;

/// Sheet XML written by spreadsheet programs compresses 5 to 40 times. A
/// part that expands this much more, and to more than
/// [`SUSPICIOUS_PART_BYTES`], is made of one pattern repeated: a zip bomb.
const SUSPICIOUS_RATIO: u64 = 200;
const SUSPICIOUS_PART_BYTES: u64 = 64 << 20;

/// The small parts read here (mimetype, content types, workbook.xml) are
/// read no further than this.
const MAX_SMALL_PART: u64 = 64 << 20;

const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Tells the format of the workbook at `path` from its content, whatever
/// its name: `None` when it is no workbook this module reads (a text file,
/// a PDF, a Word document, an HTML "xls" export).
///
/// A file that is a workbook but cannot be read gives an error instead:
/// [`WorkbookError::Encrypted`] for a password-protected xlsx or xlsb
/// (which is a compound file, like an xls), and
/// [`WorkbookError::Truncated`] for a zip or compound file cut short, as
/// when it is still being copied.
///
/// ```no_run
/// use std::path::Path;
///
/// use spendsheet::input::cells::{WorkbookFormat, sniff_workbook_format};
///
/// let format = sniff_workbook_format(Path::new("inbox/budget.dat"))?;
/// assert_eq!(format, Some(WorkbookFormat::Xlsx));
/// # Ok::<(), spendsheet::input::cells::WorkbookError>(())
/// ```
pub fn sniff_workbook_format(path: &Path) -> Result<Option<WorkbookFormat>, WorkbookError> {
    let mut file = File::open(path).map_err(io_error)?;
    let mut magic = [0u8; 4];
    if !read_full(&mut file, &mut magic).map_err(io_error)? {
        return Ok(None);
    }
    if magic == COMPOUND_FILE_MAGIC {
        return sniff_compound_file(file);
    }
    if magic == ZIP_MAGIC {
        let mut archive = open_archive(file)?;
        return package_format(&mut archive);
    }
    Ok(None)
}

/// The zip package at `path`, after checking that it is complete and that
/// nothing in it expands out of proportion.
pub(super) fn open_checked_package(
    path: &Path,
) -> Result<ZipArchive<BufReader<File>>, WorkbookError> {
    let archive = open_archive(File::open(path).map_err(io_error)?)?;
    check_expansion(&archive)?;
    Ok(archive)
}

/// Whether an xlsx asks to be recalculated when it is opened
/// (`<calcPr fullCalcOnLoad="1"/>`). Writers that do not calculate set
/// it: rust_xlsxwriter and Python's XlsxWriter then store 0 as the result
/// of every formula, openpyxl none. Excel and LibreOffice drop the flag
/// when they save.
pub(super) fn recalculates_on_load<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
) -> Result<bool, WorkbookError> {
    let index = match find_part(archive, "xl/workbook.xml") {
        Some(index) => Some(index),
        None => main_part(archive)?.and_then(|part| find_part(archive, &part.name)),
    };
    let Some(index) = index else {
        return Ok(false);
    };
    let part = archive.by_index(index).map_err(damaged_zip)?;
    Ok(calc_pr_asks_full_recalculation(BufReader::new(
        part.take(MAX_SMALL_PART),
    )))
}

/// Whether the compound file at `path` looks cut short: it refers to
/// sectors past its end. Only asked about files that failed to read, to
/// tell a copy in progress from a damaged file.
pub(super) fn compound_file_cut_short(path: &Path) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let Ok(len) = file.seek(SeekFrom::End(0)) else {
        return false;
    };
    compound_header_cut_short(&mut file, len).unwrap_or(false)
}

fn sniff_compound_file(mut file: File) -> Result<Option<WorkbookFormat>, WorkbookError> {
    let len = file.seek(SeekFrom::End(0)).map_err(io_error)?;
    file.seek(SeekFrom::Start(COMPOUND_HEADER_LEN))
        .map_err(io_error)?;
    let streams = scan_compound_directory(&mut BufReader::new(&mut file)).map_err(io_error)?;
    if streams.encrypted_package {
        return Err(WorkbookError::Encrypted);
    }
    if streams.workbook {
        return Ok(Some(WorkbookFormat::Xls));
    }
    if compound_header_cut_short(&mut file, len).map_err(io_error)? {
        return Err(WorkbookError::Truncated(
            "the compound file ends before sectors it refers to".to_string(),
        ));
    }
    // Word documents, Outlook messages and the like are compound files too.
    Ok(None)
}

/// The streams that tell what a compound file holds.
#[derive(Debug, Default)]
struct CompoundStreams {
    /// `Workbook` (BIFF8) or `Book` (BIFF5): an xls.
    workbook: bool,
    /// `EncryptedPackage`/`EncryptionInfo`: an xlsx or xlsb protected with
    /// a password, which Office stores as an encrypted compound file.
    encrypted_package: bool,
}

/// Looks at every 128-byte block after the header for a directory entry.
/// Walking the sector chains would be exact, but a damaged chain is what
/// hostile files are made of; a block that reads as a stream entry with one
/// of these names is a directory entry in any real file.
fn scan_compound_directory(reader: &mut impl Read) -> io::Result<CompoundStreams> {
    let mut streams = CompoundStreams::default();
    let mut entry = [0u8; COMPOUND_ENTRY_LEN];
    while read_full(reader, &mut entry)? {
        let Some(name) = stream_entry_name(&entry) else {
            continue;
        };
        if name.eq_ignore_ascii_case("Workbook") || name.eq_ignore_ascii_case("Book") {
            streams.workbook = true;
        }
        if name == "EncryptedPackage" || name == "EncryptionInfo" {
            streams.encrypted_package = true;
        }
    }
    Ok(streams)
}

/// The name of a directory entry of type stream ([MS-CFB] 2.6.1: a UTF-16
/// name of at most 31 units and its terminating zero, its length in bytes
/// at offset 64, the object type at offset 66, 2 for a stream).
fn stream_entry_name(entry: &[u8; COMPOUND_ENTRY_LEN]) -> Option<String> {
    const STREAM: u8 = 2;
    let [.., length_low, length_high, object_type] = *entry.first_chunk::<67>()?;
    if object_type != STREAM {
        return None;
    }
    let length = usize::from(u16::from_le_bytes([length_low, length_high]));
    if !(2..=64).contains(&length) || length % 2 != 0 {
        return None;
    }
    let units = entry
        .get(..length.checked_sub(2)?)?
        .chunks_exact(2)
        .map(|pair| <[u8; 2]>::try_from(pair).ok().map(u16::from_le_bytes))
        .collect::<Option<Vec<u16>>>()?;
    String::from_utf16(&units).ok()
}

/// Whether a compound file of `len` bytes refers to sectors past its end
/// that its FAT is large enough to describe, as a file cut short does. A
/// damaged file refers to sectors no FAT of its size could describe.
fn compound_header_cut_short(file: &mut (impl Read + Seek), len: u64) -> io::Result<bool> {
    const FIRST_SPECIAL_SECTOR: u32 = 0xFFFF_FFFA;
    let mut header = [0u8; COMPOUND_HEADER_LEN as usize];
    file.seek(SeekFrom::Start(0))?;
    if !read_full(file, &mut header)? {
        return Ok(true);
    }
    let sector_len: usize = match le_u16(&header, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Ok(false),
    };
    let sector_size = sector_len as u64;
    // Sector n starts at byte (n + 1) * sector_size.
    let sectors_in_file = len.saturating_sub(sector_size) / sector_size;
    let fat_sectors_declared = u64::from(le_u32(&header, 44).unwrap_or(0));
    let describable = fat_sectors_declared.saturating_mul(sector_size / 4);
    let past_end = |sector: u32| (sectors_in_file..describable).contains(&u64::from(sector));

    let first_directory_sector = le_u32(&header, 48).unwrap_or(FIRST_SPECIAL_SECTOR);
    let fat_sectors: Vec<u32> = (76..header.len())
        .step_by(4)
        .filter_map(|offset| le_u32(&header, offset))
        .filter(|&sector| sector < FIRST_SPECIAL_SECTOR)
        .collect();
    if past_end(first_directory_sector) || fat_sectors.iter().any(|&sector| past_end(sector)) {
        return Ok(true);
    }

    // The chains themselves: a FAT entry pointing past the end.
    let mut fat = vec![0u8; sector_len];
    for sector in fat_sectors {
        let start = u64::from(sector)
            .checked_add(1)
            .and_then(|index| index.checked_mul(sector_size));
        let Some(start) = start.filter(|_| u64::from(sector) < sectors_in_file) else {
            continue;
        };
        file.seek(SeekFrom::Start(start))?;
        if !read_full(file, &mut fat)? {
            return Ok(true);
        }
        let points_past_end = fat
            .chunks_exact(4)
            .filter_map(|entry| <[u8; 4]>::try_from(entry).ok().map(u32::from_le_bytes))
            .any(|next| next < FIRST_SPECIAL_SECTOR && past_end(next));
        if points_past_end {
            return Ok(true);
        }
    }
    Ok(false)
}

fn le_u16(bytes: &[u8], offset: usize) -> Option<u16> {
    Some(u16::from_le_bytes(*bytes.get(offset..)?.first_chunk()?))
}

fn le_u32(bytes: &[u8], offset: usize) -> Option<u32> {
    Some(u32::from_le_bytes(*bytes.get(offset..)?.first_chunk()?))
}

/// Fills `buf` entirely; `false` when the reader ends first.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    match reader.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(err) => Err(err),
    }
}

fn open_archive(mut file: File) -> Result<ZipArchive<BufReader<File>>, WorkbookError> {
    check_zip_directory(&mut file)?;
    file.seek(SeekFrom::Start(0)).map_err(io_error)?;
    ZipArchive::new(BufReader::new(file)).map_err(damaged_zip)
}

/// A zip file has its directory at its end: a file still being copied has
/// none yet, which the folder watcher must retry rather than report.
fn check_zip_directory(file: &mut File) -> Result<(), WorkbookError> {
    let len = file.seek(SeekFrom::End(0)).map_err(io_error)?;
    let tail_len = len.min((END_RECORD_LEN + MAX_ZIP_COMMENT) as u64);
    file.seek(SeekFrom::Start(len.saturating_sub(tail_len)))
        .map_err(io_error)?;
    let mut tail = Vec::new();
    file.by_ref()
        .take(tail_len)
        .read_to_end(&mut tail)
        .map_err(io_error)?;

    let Some(record) = find_end_record(&tail) else {
        return Err(WorkbookError::Truncated(
            "the zip directory that ends every complete workbook is missing".to_string(),
        ));
    };
    // Zip64 files put u32::MAX here and the real size elsewhere.
    let directory_len = le_u32(record, 12).unwrap_or(0);
    if directory_len != u32::MAX && u64::from(directory_len) > MAX_ZIP_DIRECTORY {
        return Err(WorkbookError::TooLarge(format!(
            "its zip directory alone takes {}",
            megabytes(u64::from(directory_len))
        )));
    }
    Ok(())
}

/// The end record nearest the end of the file; a comment may follow it.
fn find_end_record(tail: &[u8]) -> Option<&[u8]> {
    let last_start = tail.len().checked_sub(END_RECORD_LEN)?;
    (0..=last_start)
        .rev()
        .filter_map(|start| tail.get(start..))
        .find(|record| record.starts_with(&END_RECORD_SIGNATURE))
}

/// Refuses packages whose parts would expand out of proportion: the sizes
/// come from the zip directory, and the zip reader stops any part that
/// expands beyond the size it declares.
fn check_expansion<R: Read + Seek>(archive: &ZipArchive<R>) -> Result<(), WorkbookError> {
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_data(index).map_err(damaged_zip)?;
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        let name = entry
            .name()
            .map(|name| name.into_owned())
            .unwrap_or_default();
        if size > MAX_PART_BYTES {
            return Err(WorkbookError::TooLarge(format!(
                "its part {name} would expand to {}, more than the {} allowed for one part",
                megabytes(size),
                megabytes(MAX_PART_BYTES)
            )));
        }
        if size > SUSPICIOUS_PART_BYTES && size / packed > SUSPICIOUS_RATIO {
            return Err(WorkbookError::TooLarge(format!(
                "its part {name} would expand {} times, from {} to {}, as zip bombs do",
                size / packed,
                megabytes(packed),
                megabytes(size)
            )));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_PACKAGE_BYTES {
        return Err(WorkbookError::TooLarge(format!(
            "its parts would expand to {}, more than the {} allowed",
            megabytes(total),
            megabytes(MAX_PACKAGE_BYTES)
        )));
    }
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    // Display only, so the precision of f64 is ample.
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn damaged_zip(err: zip::result::ZipError) -> WorkbookError {
    WorkbookError::Unreadable(format!("its zip structure is damaged: {err}"))
}

/// Which workbook a zip package holds, from the names of its parts, then
/// its mimetype, then its declared content types.
fn package_format<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
) -> Result<Option<WorkbookFormat>, WorkbookError> {
    if find_part(archive, "xl/workbook.xml").is_some() {
        return Ok(Some(WorkbookFormat::Xlsx));
    }
    if find_part(archive, "xl/workbook.bin").is_some() {
        return Ok(Some(WorkbookFormat::Xlsb));
    }
    // An OpenDocument text or presentation also has a content.xml, so the
    // mimetype decides when there is one.
    if let Some(index) = find_part(archive, "mimetype") {
        let mimetype = read_part(archive, index, 256)?;
        let is_spreadsheet = mimetype.trim_ascii().starts_with(ODS_MIMETYPE);
        return Ok(is_spreadsheet.then_some(WorkbookFormat::Ods));
    }
    if find_part(archive, "content.xml").is_some() {
        return Ok(Some(WorkbookFormat::Ods));
    }
    Ok(main_part(archive)?.map(|part| part.format))
}

/// The index of a part, matched as calamine matches it: ignoring case and
/// taking `\` for `/`.
fn find_part<R: Read + Seek>(archive: &ZipArchive<R>, wanted: &str) -> Option<usize> {
    (0..archive.len()).find(|&index| {
        archive
            .by_index_data(index)
            .ok()
            .and_then(|entry| entry.name().ok().map(|name| name.replace('\\', "/")))
            .is_some_and(|name| name.eq_ignore_ascii_case(wanted))
    })
}

fn read_part<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    index: usize,
    limit: u64,
) -> Result<Vec<u8>, WorkbookError> {
    let part = archive.by_index(index).map_err(damaged_zip)?;
    let mut bytes = Vec::new();
    part.take(limit).read_to_end(&mut bytes).map_err(|err| {
        WorkbookError::Unreadable(format!("a part cannot be decompressed: {err}"))
    })?;
    Ok(bytes)
}

/// The main part of an Office Open XML package, for packages that keep it
/// somewhere other than `xl/`.
#[derive(Debug, PartialEq, Eq)]
struct MainPart {
    format: WorkbookFormat,
    name: String,
}

fn main_part<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
) -> Result<Option<MainPart>, WorkbookError> {
    let Some(index) = find_part(archive, "[Content_Types].xml") else {
        return Ok(None);
    };
    let xml = read_part(archive, index, MAX_SMALL_PART)?;
    Ok(main_part_in_content_types(xml.as_slice()))
}

fn main_part_in_content_types(xml: impl BufRead) -> Option<MainPart> {
    let mut reader = XmlReader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(element) | Event::Empty(element))
                if element.local_name().as_ref() == "Override" =>
            {
                let format = attribute(&element, "ContentType")
                    .and_then(|content_type| main_content_type(&content_type));
                if let (Some(format), Some(name)) = (format, attribute(&element, "PartName")) {
                    let name = name.trim_start_matches('/').to_string();
                    return Some(MainPart { format, name });
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
        buf.clear();
    }
}

fn main_content_type(content_type: &str) -> Option<WorkbookFormat> {
    match content_type.trim() {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
        | "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        | "application/vnd.ms-excel.template.macroEnabled.main+xml"
        | "application/vnd.ms-excel.addin.macroEnabled.main+xml" => Some(WorkbookFormat::Xlsx),
        "application/vnd.ms-excel.sheet.binary.macroEnabled.main" => Some(WorkbookFormat::Xlsb),
        _ => None,
    }
}

fn calc_pr_asks_full_recalculation(xml: impl BufRead) -> bool {
    let mut reader = XmlReader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(element) | Event::Empty(element))
                if element.local_name().as_ref() == "calcPr" =>
            {
                return attribute(&element, "fullCalcOnLoad")
                    .is_some_and(|value| matches!(value.trim(), "1" | "true"));
            }
            // A workbook.xml that does not parse is calamine's to report.
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// The raw value of an attribute, matched by local name. The values looked
/// at here (content types, part names, flags) hold no entities.
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.local_name().as_ref() == name)
        .map(|attribute| attribute.value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_calculation_flag_is_read_from_calc_pr() {
        let cases: [(&str, bool); 6] = [
            (
                r#"<workbook><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#,
                true,
            ),
            (
                r#"<x:workbook><x:calcPr fullCalcOnLoad='true'></x:calcPr></x:workbook>"#,
                true,
            ),
            (r#"<workbook><calcPr calcId="191029"/></workbook>"#, false),
            (
                r#"<workbook><!-- <calcPr fullCalcOnLoad="1"/> --></workbook>"#,
                false,
            ),
            (
                r#"<workbook><calcPr fullCalcOnLoad="0"/></workbook>"#,
                false,
            ),
            ("<workbook><calcPr", false),
        ];
        for (xml, expected) in cases {
            assert_eq!(
                calc_pr_asks_full_recalculation(xml.as_bytes()),
                expected,
                "{xml}"
            );
        }
    }

    #[test]
    fn the_main_part_is_found_in_the_content_types() {
        let xml = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/styles.xml"
              ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
            <Override PartName="/workbook.xml"
              ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
        </Types>"#;
        assert_eq!(
            main_part_in_content_types(xml.as_bytes()),
            Some(MainPart {
                format: WorkbookFormat::Xlsx,
                name: "workbook.xml".to_string()
            })
        );
        let docx = r#"<Types><Override PartName="/word/document.xml"
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
        assert_eq!(main_part_in_content_types(docx.as_bytes()), None);
    }

    #[test]
    fn compound_directory_entries_are_recognised_by_name_and_type() {
        fn entry(name: &str, object_type: u8) -> [u8; COMPOUND_ENTRY_LEN] {
            let mut entry = [0u8; COMPOUND_ENTRY_LEN];
            let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
            for (slot, unit) in entry.chunks_exact_mut(2).zip(&units) {
                slot.copy_from_slice(&unit.to_le_bytes());
            }
            let length = u16::try_from(units.len() * 2).expect("short name");
            entry[64..66].copy_from_slice(&length.to_le_bytes());
            entry[66] = object_type;
            entry
        }
        assert_eq!(
            stream_entry_name(&entry("Workbook", 2)).as_deref(),
            Some("Workbook")
        );
        assert_eq!(stream_entry_name(&entry("Workbook", 1)), None);
        assert_eq!(stream_entry_name(&[0u8; COMPOUND_ENTRY_LEN]), None);
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&entry("Root Entry", 5));
        bytes.extend_from_slice(&entry("EncryptionInfo", 2));
        bytes.extend_from_slice(&entry("EncryptedPackage", 2));
        let streams = scan_compound_directory(&mut bytes.as_slice()).expect("in memory");
        assert!(streams.encrypted_package);
        assert!(!streams.workbook);
    }

    #[test]
    fn the_end_record_is_found_before_a_comment() {
        let mut tail = vec![0u8; 10];
        tail.extend_from_slice(&END_RECORD_SIGNATURE);
        tail.extend_from_slice(&[0u8; 18]);
        tail.extend_from_slice(b"a comment");
        assert_eq!(find_end_record(&tail).map(<[u8]>::len), Some(31));
        assert_eq!(find_end_record(&tail[..20]), None);
        assert_eq!(find_end_record(&[]), None);
    }
}
