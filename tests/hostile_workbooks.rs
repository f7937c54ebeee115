//! Workbooks read through the child process of the built binary: every
//! real file of calamine's test suite, hostile ones included, and hostile
//! files made here. Each must end in a clean read or a clean error, and
//! what the file asks for (memory, time) is paid by the child, if anyone.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rust_decimal_macros::dec;
use spendsheet::input::cells::{
    Cell, CellValue, WorkbookCells, WorkbookError, WorkbookFormat, read_workbook,
    read_workbook_isolated, read_workbook_isolated_within, sniff_workbook_format,
};
use tempfile::TempDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn isolated(path: &Path) -> Result<WorkbookCells, WorkbookError> {
    read_workbook_isolated(Path::new(env!("CARGO_BIN_EXE_spendsheet")), path)
}

fn real_workbooks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real/workbooks")
}

fn cell(row: u32, column: u32, value: CellValue) -> Cell {
    Cell { row, column, value }
}

/// The kind of outcome expected from a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Read,
    Encrypted,
    TooLarge,
    Unreadable,
}

fn outcome_of(result: &Result<WorkbookCells, WorkbookError>) -> Outcome {
    match result {
        Ok(_) => Outcome::Read,
        Err(WorkbookError::Encrypted) => Outcome::Encrypted,
        Err(WorkbookError::TooLarge(_)) => Outcome::TooLarge,
        Err(WorkbookError::Unreadable(_)) => Outcome::Unreadable,
        Err(other) => panic!("unexpected {other:?}"),
    }
}

fn expected_outcome(name: &str) -> Outcome {
    match name {
        "pass_protected.ods" | "pass_protected.xlsb" | "pass_protected.xlsx" => Outcome::Encrypted,
        // 4 rows repeated towards 17 billion cells.
        "issue_594_dos.ods" => Outcome::TooLarge,
        // A FAT chain pointing at sector 0xFFFFFEFF; a text file named .xls.
        "OOM_alloc3.xls" | "too_small.xls" => Outcome::Unreadable,
        // Once made readers allocate or panic; now they read.
        "OOM_alloc2.xls" | "issue_666_panic.xlsb" | "ptgexp-truncated-operand.xls" => Outcome::Read,
        "any_sheets.ods"
        | "any_sheets.xls"
        | "any_sheets.xlsb"
        | "covered.ods"
        | "date_1904.xls"
        | "date_1904.xlsb"
        | "date_1904.xlsx"
        | "date_iso.xlsx"
        | "empty_sheet.xlsx"
        | "errors.xlsx"
        | "formula.issue.xlsx"
        | "has_x000D_.xlsx"
        | "header-row.xlsx"
        | "inlineStr_cdata.xlsx"
        | "malformed_format.xls"
        | "merge_cells.xlsx"
        | "merged_cells.ods"
        | "minimal_package.xlsx"
        | "nonstandard-xml-ns-prefix.xlsx"
        | "number_rows_repeated.ods"
        | "richtext-namespaced.xlsx"
        | "single-empty.ods"
        | "sst_continue.xls"
        | "strict_iso_paths.xlsx"
        | "table-multiple.xlsx"
        | "vba.xlsm"
        | "whitespace_trim.xlsx" => Outcome::Read,
        other => panic!("{other} is new in the real workbooks: give it an expected outcome"),
    }
}

#[test]
fn every_real_workbook_ends_in_its_expected_outcome() {
    let mut paths: Vec<PathBuf> = fs::read_dir(real_workbooks())
        .expect("../shared/data/real/workbooks beside the checkout")
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 36, "only {} real workbooks", paths.len());

    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let result = isolated(&path);
        assert_eq!(
            outcome_of(&result),
            expected_outcome(name),
            "{name}: {result:?}"
        );
        // What crosses the pipe is what an in-process read gives.
        if result.is_ok() {
            assert_eq!(result, read_workbook(&path), "{name}");
        }
    }
}

#[test]
fn dates_and_error_values_survive_the_pipe() {
    let dates = isolated(&real_workbooks().join("date_1904.xls")).expect("reads");
    let first = NaiveDate::from_ymd_opt(2021, 1, 1).expect("date");
    assert_eq!(dates.sheets[0].cells[0], cell(0, 0, CellValue::Date(first)));

    let errors = isolated(&real_workbooks().join("errors.xlsx")).expect("reads");
    assert_eq!(
        errors.sheets[0].cells[4],
        cell(4, 0, CellValue::Error("#REF!".to_string()))
    );
}

// ---------------------------------------------------------------------
// Generated workbooks.
// ---------------------------------------------------------------------

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

fn workbook_xml(calc_pr: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets>{calc_pr}</workbook>"#
    )
}

const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
}

/// Writes a one-sheet xlsx whose worksheet XML (after its root element
/// opens) comes from `write_sheet`.
fn write_xlsx(
    path: &Path,
    calc_pr: &str,
    write_sheet: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) {
    let mut zip = ZipWriter::new(File::create(path).expect("temp file"));
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", PACKAGE_RELS.to_string()),
        ("xl/workbook.xml", workbook_xml(calc_pr)),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.to_string()),
    ];
    for (name, text) in parts {
        zip.start_file(name, deflated()).expect("zip part");
        zip.write_all(text.as_bytes()).expect("zip write");
    }
    zip.start_file("xl/worksheets/sheet1.xml", deflated())
        .expect("zip part");
    zip.write_all(SHEET_START.as_bytes()).expect("zip write");
    write_sheet(&mut zip).expect("sheet XML");
    zip.write_all(b"</worksheet>").expect("zip write");
    zip.finish().expect("zip end");
}

fn write_xlsx_rows(path: &Path, calc_pr: &str, dimension: &str, rows: &str) {
    write_xlsx(path, calc_pr, |sheet| {
        write!(
            sheet,
            r#"<dimension ref="{dimension}"/><sheetData>{rows}</sheetData>"#
        )
    });
}

fn write_zip(path: &Path, parts: &[(&str, &[u8])]) {
    let mut zip = ZipWriter::new(File::create(path).expect("temp file"));
    for (name, bytes) in parts {
        // An OpenDocument mimetype must be stored, first.
        let options = if *name == "mimetype" {
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
        } else {
            deflated()
        };
        zip.start_file(*name, options).expect("zip part");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip end");
}

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

fn write_ods(path: &Path, table_rows: &str) {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Budget">{table_rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    write_zip(
        path,
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("META-INF/manifest.xml", ODS_MANIFEST.as_bytes()),
            ("content.xml", content.as_bytes()),
        ],
    );
}

fn temp_dir() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn only_sheet_cells(result: Result<WorkbookCells, WorkbookError>) -> Vec<Cell> {
    let mut workbook = result.expect("reads");
    assert_eq!(workbook.sheets.len(), 1);
    workbook.sheets.remove(0).cells
}

#[test]
fn a_stray_cell_at_the_last_address_costs_one_cell() {
    let dir = temp_dir();
    let path = dir.path().join("stray.xlsx");
    // A dense reader would allocate 17 billion cells for these two.
    write_xlsx_rows(
        &path,
        "",
        "A1:XFD1048576",
        r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#,
    );
    let expected = vec![
        cell(0, 0, CellValue::Number(dec!(1))),
        cell(1_048_575, 16_383, CellValue::Number(dec!(2))),
    ];
    assert_eq!(only_sheet_cells(read_workbook(&path)), expected);
    assert_eq!(only_sheet_cells(isolated(&path)), expected);
}

#[test]
fn a_workbook_cut_short_is_truncated_so_that_it_is_retried() {
    let dir = temp_dir();
    for name in [
        "date_1904.xlsx",
        "date_1904.xlsb",
        "any_sheets.ods",
        "any_sheets.xls",
    ] {
        let bytes = fs::read(real_workbooks().join(name)).expect("real workbook");
        let half = bytes.get(..bytes.len() / 2).expect("first half");
        let path = dir.path().join(name);
        fs::write(&path, half).expect("write half");
        for result in [read_workbook(&path), isolated(&path)] {
            assert!(
                matches!(result, Err(WorkbookError::Truncated(_))),
                "{name}: {result:?}"
            );
        }
    }
}

#[test]
fn files_that_are_not_workbooks_are_told_apart() {
    let dir = temp_dir();
    // A fixed pseudo-random sequence, so that a failure can be replayed.
    let mut state: u32 = 0x2545_F491;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect();
    let files: [(&str, &[u8]); 5] = [
        ("noise.xlsx", &noise),
        (
            "report.xls",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        ),
        ("export.xls", b"Campaign,Spend\nSpring,120.00\n"),
        ("empty.xlsx", b""),
        ("tiny.xlsx", b"PK"),
    ];
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        assert_eq!(sniff_workbook_format(&path), Ok(None), "{name}");
        assert!(
            matches!(isolated(&path), Err(WorkbookError::Unreadable(_))),
            "{name}"
        );
    }

    let docx = dir.path().join("letter.xlsx");
    write_zip(
        &docx,
        &[
            (
                "[Content_Types].xml",
                br#"<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
            ),
            ("word/document.xml", b"<document/>"),
        ],
    );
    let odt = dir.path().join("letter.ods");
    write_zip(
        &odt,
        &[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ],
    );
    for path in [docx, odt] {
        assert_eq!(sniff_workbook_format(&path), Ok(None), "{}", path.display());
    }
}

#[test]
fn formula_cells_without_a_saved_result_are_flagged() {
    let dir = temp_dir();
    let path = dir.path().join("unsaved.xlsx");
    let rows = concat!(
        r#"<row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f>SUM(C1:C9)</f><v>2.5</v></c>"#,
        r#"<c r="C1" t="str"><f>IF(A1="","","x")</f><v></v></c><c r="D1"><v>7</v></c></row>"#,
        r#"<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">D1*2</f></c></row>"#,
        r#"<row r="3"><c r="A3"><f t="shared" si="0"/></c></row>"#,
    );
    write_xlsx_rows(&path, r#"<calcPr calcId="191029"/>"#, "A1:D3", rows);
    assert_eq!(
        only_sheet_cells(isolated(&path)),
        [
            cell(0, 0, CellValue::FormulaWithoutResult),
            // A saved result is read; an empty text result shows nothing.
            cell(0, 1, CellValue::Number(dec!(2.5))),
            cell(0, 3, CellValue::Number(dec!(7))),
            cell(1, 0, CellValue::FormulaWithoutResult),
            cell(2, 0, CellValue::FormulaWithoutResult),
        ]
    );
}

#[test]
fn placeholder_results_of_writers_that_do_not_calculate_are_flagged() {
    let dir = temp_dir();
    let path = dir.path().join("generated.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_number(0, 0, 1.5).expect("write");
    sheet.write_string(0, 1, "Spring").expect("write");
    sheet.write_formula(0, 2, "=A1*2").expect("write");
    // A result the writer gives on purpose is kept; the placeholder 0 of
    // a formula written without one is not a result.
    sheet
        .write_formula(
            0,
            3,
            rust_xlsxwriter::Formula::new("=A1*3").set_result("4.5"),
        )
        .expect("write");
    workbook.save(&path).expect("save");

    let mut package = zip::ZipArchive::new(File::open(&path).expect("open")).expect("zip");
    let mut workbook_xml = String::new();
    io::Read::read_to_string(
        &mut package.by_name("xl/workbook.xml").expect("workbook part"),
        &mut workbook_xml,
    )
    .expect("read");
    assert!(
        workbook_xml.contains(r#"fullCalcOnLoad="1""#),
        "{workbook_xml}"
    );

    assert_eq!(
        only_sheet_cells(isolated(&path)),
        [
            cell(0, 0, CellValue::Number(dec!(1.5))),
            cell(0, 1, CellValue::Text("Spring".to_string())),
            cell(0, 2, CellValue::FormulaWithoutResult),
            cell(0, 3, CellValue::Number(dec!(4.5))),
        ]
    );
}

#[test]
fn an_ods_formula_without_a_value_is_flagged() {
    let dir = temp_dir();
    let path = dir.path().join("unsaved.ods");
    write_ods(
        &path,
        r#"<table:table-row><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell><table:table-cell table:formula="of:=[.A1]*2"/></table:table-row>"#,
    );
    assert_eq!(sniff_workbook_format(&path), Ok(Some(WorkbookFormat::Ods)));
    assert_eq!(
        only_sheet_cells(isolated(&path)),
        [
            cell(0, 0, CellValue::Number(dec!(3))),
            cell(0, 1, CellValue::FormulaWithoutResult),
        ]
    );
}

/// A zip written byte by byte, so that a part can be a deflate stream made
/// of one compressed segment repeated: gigabytes of XML in a moment.
#[derive(Default)]
struct RawZip {
    bytes: Vec<u8>,
    directory: Vec<u8>,
    entries: u16,
}

/// A part's bytes as stored, with the method, CRC and size of its content.
struct RawPart {
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

impl RawPart {
    fn stored(content: &[u8]) -> RawPart {
        RawPart {
            method: 0,
            data: content.to_vec(),
            crc: crc32fast::hash(content),
            size: u32::try_from(content.len()).expect("small part"),
        }
    }

    /// `prefix`, then `chunk` repeated `times`, then `suffix`, deflated. Each
    /// segment is compressed on its own and ends on a byte boundary, so its
    /// back-references stay inside it and copies of it can follow each other.
    fn repeated(prefix: &[u8], chunk: &[u8], times: u32, suffix: &[u8]) -> RawPart {
        let mut data = deflate_segment(prefix, false);
        let chunk_data = deflate_segment(chunk, false);
        let mut crc = crc32fast::Hasher::new();
        crc.update(prefix);
        let mut chunk_crc = crc32fast::Hasher::new();
        chunk_crc.update(chunk);
        for _ in 0..times {
            data.extend_from_slice(&chunk_data);
            crc.combine(&chunk_crc);
        }
        data.extend_from_slice(&deflate_segment(suffix, true));
        crc.update(suffix);
        let size =
            prefix.len() as u64 + chunk.len() as u64 * u64::from(times) + suffix.len() as u64;
        RawPart {
            method: 8,
            data,
            crc: crc.finalize(),
            size: u32::try_from(size).expect("under 4 GiB"),
        }
    }
}

fn deflate_segment(input: &[u8], last: bool) -> Vec<u8> {
    let mut compress = flate2::Compress::new(flate2::Compression::best(), false);
    let mut output = Vec::with_capacity(input.len() + 1024);
    let flush = if last {
        flate2::FlushCompress::Finish
    } else {
        flate2::FlushCompress::Sync
    };
    compress
        .compress_vec(input, &mut output, flush)
        .expect("deflate");
    assert_eq!(
        compress.total_in(),
        input.len() as u64,
        "whole segment deflated"
    );
    output
}

impl RawZip {
    fn add(&mut self, name: &str, part: &RawPart) {
        let offset = u32::try_from(self.bytes.len()).expect("small zip");
        let name_len = u16::try_from(name.len()).expect("short name");
        let compressed = u32::try_from(part.data.len()).expect("small part");
        // Version 2.0, no flags, the method, and 1980-01-01 00:00.
        let common = |out: &mut Vec<u8>| {
            for field in [20_u16, 0, part.method, 0, 0x21] {
                out.extend_from_slice(&field.to_le_bytes());
            }
            for field in [part.crc, compressed, part.size] {
                out.extend_from_slice(&field.to_le_bytes());
            }
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0_u16.to_le_bytes());
        };

        self.bytes.extend_from_slice(b"PK\x03\x04");
        common(&mut self.bytes);
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.extend_from_slice(&part.data);

        self.directory.extend_from_slice(b"PK\x01\x02");
        self.directory.extend_from_slice(&20_u16.to_le_bytes());
        common(&mut self.directory);
        // No comment, disk 0, no attributes, then the local header's offset.
        for field in [0_u16, 0, 0, 0, 0] {
            self.directory.extend_from_slice(&field.to_le_bytes());
        }
        self.directory.extend_from_slice(&offset.to_le_bytes());
        self.directory.extend_from_slice(name.as_bytes());
        self.entries += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let directory_offset = u32::try_from(self.bytes.len()).expect("small zip");
        let directory_len = u32::try_from(self.directory.len()).expect("small directory");
        self.bytes.append(&mut self.directory);
        self.bytes.extend_from_slice(b"PK\x05\x06");
        for field in [0_u16, 0, self.entries, self.entries] {
            self.bytes.extend_from_slice(&field.to_le_bytes());
        }
        self.bytes.extend_from_slice(&directory_len.to_le_bytes());
        self.bytes
            .extend_from_slice(&directory_offset.to_le_bytes());
        self.bytes.extend_from_slice(&0_u16.to_le_bytes());
        self.bytes
    }
}

/// An xlsx whose one sheet holds `times` MB of the same row.
fn xlsx_bomb(path: &Path, times: u32) {
    let row = "<row><c><v>1</v></c></row>";
    let chunk = row.repeat(1_000_000 / row.len());
    let mut zip = RawZip::default();
    zip.add(
        "[Content_Types].xml",
        &RawPart::stored(CONTENT_TYPES.as_bytes()),
    );
    zip.add("_rels/.rels", &RawPart::stored(PACKAGE_RELS.as_bytes()));
    zip.add(
        "xl/workbook.xml",
        &RawPart::stored(workbook_xml("").as_bytes()),
    );
    zip.add(
        "xl/_rels/workbook.xml.rels",
        &RawPart::stored(WORKBOOK_RELS.as_bytes()),
    );
    let prefix = format!("{SHEET_START}<sheetData>");
    let sheet = RawPart::repeated(
        prefix.as_bytes(),
        chunk.as_bytes(),
        times,
        b"</sheetData></worksheet>",
    );
    zip.add("xl/worksheets/sheet1.xml", &sheet);
    fs::write(path, zip.finish()).expect("write bomb");
}

#[test]
fn a_hand_made_zip_reads_like_any_other() {
    let dir = temp_dir();
    let path = dir.path().join("small.xlsx");
    xlsx_bomb(&path, 1);
    let cells = only_sheet_cells(read_workbook(&path));
    assert_eq!(cells.len(), 38_461);
    assert_eq!(cells[38_460], cell(38_460, 0, CellValue::Number(dec!(1))));
}

#[test]
fn a_zip_bomb_is_refused_before_it_expands() {
    let dir = temp_dir();
    // 200 MB of sheet from about 200 KB, and 1.5 GB from about 1.5 MB.
    let cases = [(200, "as zip bombs do"), (1_500, "allowed for one part")];
    for (megabytes, reason) in cases {
        let path = dir.path().join(format!("bomb-{megabytes}.xlsx"));
        xlsx_bomb(&path, megabytes);
        for result in [read_workbook(&path), isolated(&path)] {
            assert!(
                matches!(&result, Err(WorkbookError::TooLarge(message)) if message.contains(reason)),
                "{megabytes} MB: {result:?}"
            );
        }
    }
}

#[test]
fn ods_repeats_that_span_a_huge_grid_end_in_an_error() {
    let dir = temp_dir();
    let value = |v: u32| {
        format!(
            r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
        )
    };
    // One value far away: 1,048,576 by 16,384 cells of grid.
    let far = dir.path().join("far.ods");
    write_ods(
        &far,
        &format!(
            r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/>{}</table:table-row>"#,
            value(1),
            value(2)
        ),
    );
    // Just under the reader's own limit of 100 million cells: gigabytes of
    // grid, which only the child's memory limit stops.
    let wide = dir.path().join("wide.ods");
    write_ods(
        &wide,
        &format!(
            r#"<table:table-row>{}<table:table-cell table:number-columns-repeated="9998"/>{}</table:table-row><table:table-row table:number-rows-repeated="9997"><table:table-cell table:number-columns-repeated="10000"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="9999"/>{}</table:table-row>"#,
            value(1),
            value(2),
            value(3)
        ),
    );
    for path in [far, wide] {
        let result = isolated(&path);
        assert!(
            matches!(&result, Err(WorkbookError::TooLarge(_))),
            "{}: {result:?}",
            path.display()
        );
    }
}

#[test]
fn a_reader_process_that_cannot_start_is_an_io_error() {
    let result = read_workbook_isolated(
        Path::new("/nonexistent/spendsheet"),
        &real_workbooks().join("date_1904.xlsx"),
    );
    assert!(matches!(result, Err(WorkbookError::Io(_))), "{result:?}");
}

#[test]
fn a_read_past_its_deadline_is_stopped() {
    let result = read_workbook_isolated_within(
        Path::new(env!("CARGO_BIN_EXE_spendsheet")),
        &real_workbooks().join("date_1904.xlsx"),
        Duration::ZERO,
    );
    assert!(
        matches!(&result, Err(WorkbookError::TooLarge(message)) if message.contains("longer than")),
        "{result:?}"
    );
}

#[test]
fn a_missing_file_is_an_io_error() {
    let dir = temp_dir();
    let result = isolated(&dir.path().join("gone.xlsx"));
    assert!(matches!(result, Err(WorkbookError::Io(_))), "{result:?}");
}
