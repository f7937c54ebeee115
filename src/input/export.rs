//! Ad-platform exports: recognised by a profile, read as a stream of rows
//! and summed per ad campaign and day as they are read, so that memory
//! follows the number of ad campaigns and days, never the size of the file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::input::amount::{CurrencyMark, DecimalMark, parse_text_amount};
use crate::input::cells::{Cell, CellValue, SheetCells};
use crate::input::date::{
    DateError, DateOrder, parse_date_range, parse_month_name_date, parse_text_date,
};
use crate::input::profile::{BudgetKind, Column, DateForm, Profile};
use crate::input::table::normalize_name;
use crate::input::text::{
    DELIMITERS, csv_error, csv_reader, detect_delimiter, open_text, split_fields,
};
use crate::issue::{Issue, Issues, Place};
use crate::money::Currency;

/// After this many rows with errors a file is not read further: the file
/// is rejected anyway, and a list of thousands of errors helps no one.
pub const MAX_ROW_ERRORS: usize = 50;

/// How many unknown budget types are warned about in one file; a file with
/// more is not an export of the platform its profile describes.
const MAX_TYPE_WARNINGS: usize = 10;

/// How many rows below the header are looked at to tell the decimal mark.
const DECIMAL_MARK_ROWS: usize = 200;

/// What an export was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recognised<'p> {
    pub profile: &'p Profile,
    /// The 1-based line (or sheet row) of the header.
    pub header_line: u64,
    /// The delimiter of a text file; `None` for a sheet.
    pub delimiter: Option<u8>,
}

/// An export read whole, summed per ad campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdExport {
    /// The file's display name.
    pub file: String,
    /// The id of the profile that read it.
    pub profile: String,
    /// The range in the title lines, else the span of the rows' dates
    /// (their own days and periods); `None` when neither is known (an
    /// `All time` report without dated rows).
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub period_from_title: bool,
    /// The ad campaigns in the order their first row stands in the file.
    pub ad_campaigns: Vec<AdCampaignSpend>,
    /// Rows below the header, footers included, blank rows not.
    pub rows_read: u64,
    /// Rows whose spend or budget was taken.
    pub rows_used: u64,
}

/// One ad campaign of an export with its spend and budget. An ad campaign
/// is told apart by its id where the export has one, else by its name, and
/// by its currency. Negative spend (refunds and credits) is kept as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdCampaignSpend {
    pub id: Option<String>,
    /// The name as written on its latest row (the row with the latest
    /// date, else the last one): a renamed ad campaign goes by its new name.
    pub name: String,
    pub currency: Currency,
    /// Spend per day: a row's own date, or the last day of its own period
    /// (`Reporting starts` .. `Reporting ends`).
    pub dated: BTreeMap<NaiveDate, Decimal>,
    /// Spend of rows with no date or period of their own. They belong to
    /// the export's title-line period and are dated by its end; when the
    /// export has no title-line period, they have no date at all.
    pub undated: Decimal,
    pub has_undated: bool,
    /// The days this ad campaign's spend covers in this file, merged into
    /// ranges: each dated row's day, each row's own period, and for undated
    /// spend the title-line period. Undated spend of an export without a
    /// title-line period covers a time that is not known (an `All time`
    /// report): `has_undated` is then set while `covers` does not say.
    pub covers: Vec<(NaiveDate, NaiveDate)>,
    /// The budget of its latest row that gives one.
    pub budget: Option<AdBudget>,
    /// The line (or sheet row) of its first row, for messages.
    pub first_line: u64,
}

impl AdCampaignSpend {
    /// All its spend in this file: dated and undated.
    pub fn total(&self) -> Option<Decimal> {
        self.dated
            .values()
            .try_fold(self.undated, |sum, amount| sum.checked_add(*amount))
    }
}

/// An ad campaign's budget as an export gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdBudget {
    /// In the ad campaign's currency; never negative.
    pub amount: Decimal,
    pub kind: BudgetKind,
    /// The budget type as written (`Campaign Total`), or the header of a
    /// column whose kind is fixed (`Daily Budget`).
    pub type_text: String,
    /// The date of the row it comes from (its own date, the end of its own
    /// period, else the end of the title-line period).
    pub date: Option<NaiveDate>,
    /// The line (or sheet row) it was read from.
    pub line: u64,
}

/// Which profile recognises a text file from its first lines, and where
/// its header is: the first profile (in the order given) with a header row
/// holding its ad campaign and spend columns among its first
/// `header_within` lines, under the detected delimiter or, failing that,
/// another. `None` when no profile recognises the file.
pub fn recognise<'p>(head_lines: &[String], profiles: &'p [Profile]) -> Option<Recognised<'p>> {
    let split = SplitLines::new(head_lines);
    profiles.iter().find_map(|profile| {
        let (delimiter, index, _) = split.find_header(profile)?;
        Some(Recognised {
            profile,
            header_line: line_number(index),
            delimiter: Some(delimiter),
        })
    })
}

/// A table that names ad campaigns but has no spend column any profile
/// knows (a Google Ads Editor export of settings, say): the first profile
/// whose ad campaign column stands in one of the first lines, with that
/// header as written. For an error that says what is missing.
pub fn ad_campaigns_without_spend<'p>(
    head_lines: &[String],
    profiles: &'p [Profile],
) -> Option<(&'p Profile, String)> {
    let delimiter = detect_delimiter(head_lines);
    profiles.iter().find_map(|profile| {
        let within = usize::try_from(profile.header_within).unwrap_or(usize::MAX);
        let names = profile.columns.names(Column::AdCampaign);
        head_lines.iter().take(within).find_map(|line| {
            let fields = split_fields(line, delimiter);
            let found = fields
                .into_iter()
                .find(|field| names.iter().any(|name| name.matches(field).is_some()))?;
            Some((
                profile,
                found.trim_start_matches('\u{feff}').trim().to_string(),
            ))
        })
    })
}

/// Which profile recognises an export saved as a workbook sheet.
pub fn recognise_cells<'p>(sheet: &SheetCells, profiles: &'p [Profile]) -> Option<Recognised<'p>> {
    let rows = sheet_rows(sheet);
    profiles.iter().find_map(|profile| {
        let (index, _) = sheet_header(&rows, profile)?;
        Some(Recognised {
            profile,
            header_line: sheet_line(rows.get(index)?),
            delimiter: None,
        })
    })
}

/// Reads the export at `path` with `profile`, as a stream. Problems are
/// pushed to `issues`, placed at the line and the header of their column.
/// `platform_currency` is the configuration's account currency for the
/// profile's platform. `None` when the file could not be read to its end
/// (not text, no header, no currency, a record too long, too many bad
/// rows); rows with errors are otherwise left out of the result.
pub fn read_export(
    path: &Path,
    display_name: &str,
    profile: &Profile,
    platform_currency: Option<Currency>,
    issues: &mut Issues,
) -> Option<AdExport> {
    let text = match open_text(path) {
        Ok(text) => text,
        Err(err) => {
            issues.error(Place::file(display_name), err.to_string());
            return None;
        }
    };
    let split = SplitLines::new(&text.head.lines);
    let Some((delimiter, index, header)) = split.find_header(profile) else {
        issues.error(Place::file(display_name), no_header_message(profile));
        return None;
    };

    let titles: Vec<(u64, String)> = text
        .head
        .lines
        .iter()
        .take(index)
        .enumerate()
        .map(|(at, line)| (line_number(at), line.clone()))
        .collect();
    let setup = Setup {
        display: display_name.to_string(),
        sheet: None,
        profile,
        decimal_mark: decimal_mark(
            profile,
            &header,
            delimiter,
            &split.rows_below(delimiter, index),
        ),
        header,
        platform_currency,
    };
    let header_line = line_number(index);
    let mut reading = Reading::start(setup, &titles, header_line, issues)?;

    let reader = csv_reader(text.reader, delimiter);
    read_records(reader, header_line, &mut reading, issues)?;
    Some(reading.finish(issues))
}

/// Feeds the records below the header line to `reading`; `None` when the
/// file cannot be read to its end.
fn read_records<R: std::io::Read>(
    mut reader: csv::Reader<R>,
    header_line: u64,
    reading: &mut Reading<'_>,
    issues: &mut Issues,
) -> Option<()> {
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Some(()),
            Err(err) => {
                issues.error(reading.setup.file_place(), csv_error(&err).to_string());
                return None;
            }
        }
        let line = record.position().map_or(0, |at| at.line());
        if line <= header_line {
            continue;
        }
        let row = csv_row(&record, line, &reading.setup);
        if reading.row(row, issues) == Flow::Stop {
            return None;
        }
    }
}

/// Reads an export saved as a workbook (`.xlsx`) from the filled cells of
/// its sheet, with the same rules as [`read_export`]. Number and date
/// cells are taken as they are; text cells are read as in a text export.
/// Problems are placed at the sheet's cells.
pub fn read_export_cells(
    sheet: &SheetCells,
    display_name: &str,
    profile: &Profile,
    platform_currency: Option<Currency>,
    issues: &mut Issues,
) -> Option<AdExport> {
    let rows = sheet_rows(sheet);
    let Some((index, header)) = sheet_header(&rows, profile) else {
        let place = Place::file(display_name).with_sheet(&sheet.name);
        issues.error(place, no_header_message(profile));
        return None;
    };
    let titles: Vec<(u64, String)> = rows
        .iter()
        .take(index)
        .map(|row| (sheet_line(row), row_text(row)))
        .collect();
    let below = rows.get(index.saturating_add(1)..).unwrap_or_default();
    let texts: Vec<Vec<(usize, String)>> = below
        .iter()
        .take(DECIMAL_MARK_ROWS)
        .map(|row| row_fields(row))
        .collect();
    let header_line = rows.get(index).map_or(0, |row| sheet_line(row));

    let setup = Setup {
        display: display_name.to_string(),
        sheet: Some(sheet.name.clone()),
        profile,
        decimal_mark: decimal_mark(profile, &header, b',', &texts),
        header,
        platform_currency,
    };
    let mut reading = Reading::start(setup, &titles, header_line, issues)?;
    for cells in below {
        let row = cell_row(cells, &reading.setup);
        if reading.row(row, issues) == Flow::Stop {
            return None;
        }
    }
    Some(reading.finish(issues))
}

fn no_header_message(profile: &Profile) -> String {
    let names = |column: Column| {
        profile
            .columns
            .names(column)
            .iter()
            .map(|name| format!("'{}'", name.written))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    format!(
        "no {} header found in the first {} lines: expected a row with the columns {} and {}",
        profile.platform,
        profile.header_within,
        names(Column::AdCampaign),
        names(Column::Spend)
    )
}

/// The 1-based line number of a 0-based line index.
fn line_number(index: usize) -> u64 {
    u64::try_from(index).map_or(u64::MAX, |index| index.saturating_add(1))
}

// ---------------------------------------------------------------------
// Headers

/// Where each column of a profile stands in a header row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct HeaderMap {
    /// Per [`Column`]: the 0-based field index and the header as written.
    columns: [Option<(usize, String)>; 12],
    /// The currency code in the spend header, as in `Amount spent (EUR)`.
    spend_currency: Option<String>,
}

impl HeaderMap {
    fn field(&self, column: Column) -> Option<usize> {
        self.slot(column).map(|(field, _)| *field)
    }

    fn name(&self, column: Column) -> &str {
        self.slot(column).map_or("", |(_, name)| name.as_str())
    }

    fn slot(&self, column: Column) -> Option<&(usize, String)> {
        let index = Column::ALL.iter().position(|known| *known == column)?;
        self.columns.get(index)?.as_ref()
    }

    fn has(&self, column: Column) -> bool {
        self.slot(column).is_some()
    }
}

/// The profile's columns in a row of header fields; `None` unless both the
/// ad campaign and the spend column are there. Each field is taken by the
/// first column whose names it matches, each column by its leftmost field.
fn match_header(fields: &[(usize, String)], profile: &Profile) -> Option<HeaderMap> {
    let mut header = HeaderMap::default();
    for (field, text) in fields {
        for (column, slot) in Column::ALL.iter().zip(header.columns.iter_mut()) {
            let found = profile
                .columns
                .names(*column)
                .iter()
                .find_map(|name| name.matches(text));
            let Some(found) = found else { continue };
            if slot.is_none() {
                *slot = Some((
                    *field,
                    text.trim().trim_start_matches('\u{feff}').to_string(),
                ));
                if *column == Column::Spend {
                    header.spend_currency = found.currency;
                }
            }
            break;
        }
    }
    (header.has(Column::AdCampaign) && header.has(Column::Spend)).then_some(header)
}

/// Whether the file also has what the profile's `[recognise]` asks for.
fn also_fits(profile: &Profile, fields: &[(usize, String)], titles: &[String]) -> bool {
    if profile.also_any_column.is_empty() && profile.also_any_title.is_empty() {
        return true;
    }
    let column = fields.iter().any(|(_, text)| {
        profile
            .also_any_column
            .iter()
            .any(|name| name.matches(text).is_some())
    });
    let title = titles.iter().any(|line| {
        let line = line.trim().trim_start_matches(['\u{feff}', '"']);
        profile
            .also_any_title
            .iter()
            .any(|label| starts_with_ignoring_case(line, label))
    });
    column || title
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The first lines of a text file split into fields under each delimiter.
struct SplitLines<'a> {
    lines: &'a [String],
    /// The detected delimiter first.
    order: [u8; 3],
}

impl<'a> SplitLines<'a> {
    fn new(lines: &'a [String]) -> SplitLines<'a> {
        let detected = detect_delimiter(lines);
        let mut order = DELIMITERS;
        if let Some(at) = order.iter().position(|d| *d == detected) {
            order.swap(0, at);
            // Keep the others in their order of preference.
            if let Some(rest) = order.get_mut(1..) {
                rest.sort_by_key(|d| DELIMITERS.iter().position(|known| known == d));
            }
        }
        SplitLines { lines, order }
    }

    /// The delimiter, line index and columns of the profile's header.
    fn find_header(&self, profile: &Profile) -> Option<(u8, usize, HeaderMap)> {
        let within = usize::try_from(profile.header_within).unwrap_or(usize::MAX);
        self.order.iter().find_map(|delimiter| {
            self.lines
                .iter()
                .take(within)
                .enumerate()
                .find_map(|(index, line)| {
                    let fields = indexed(split_fields(line, *delimiter));
                    let header = match_header(&fields, profile)?;
                    let titles = self.lines.get(..index).unwrap_or_default();
                    also_fits(profile, &fields, titles).then_some((*delimiter, index, header))
                })
        })
    }

    /// The lines below the header, split into fields.
    fn rows_below(&self, delimiter: u8, index: usize) -> Vec<Vec<(usize, String)>> {
        self.lines
            .iter()
            .skip(index.saturating_add(1))
            .take(DECIMAL_MARK_ROWS)
            .map(|line| indexed(split_fields(line, delimiter)))
            .collect()
    }
}

fn indexed(fields: Vec<String>) -> Vec<(usize, String)> {
    fields.into_iter().enumerate().collect()
}

/// The filled cells of a sheet, one slice per row.
fn sheet_rows(sheet: &SheetCells) -> Vec<&[Cell]> {
    sheet.cells.chunk_by(|a, b| a.row == b.row).collect()
}

/// The 1-based row number of a sheet row, as a spreadsheet shows it.
fn sheet_line(row: &[Cell]) -> u64 {
    row.first()
        .map_or(0, |cell| u64::from(cell.row).saturating_add(1))
}

/// The index among `rows` and the columns of the profile's header.
fn sheet_header(rows: &[&[Cell]], profile: &Profile) -> Option<(usize, HeaderMap)> {
    let titles: Vec<String> = rows.iter().map(|row| row_text(row)).collect();
    rows.iter()
        .enumerate()
        .take_while(|(_, row)| {
            row.first()
                .is_some_and(|cell| cell.row < profile.header_within)
        })
        .find_map(|(index, row)| {
            let fields = row_fields(row);
            let header = match_header(&fields, profile)?;
            let above = titles.get(..index).unwrap_or_default();
            also_fits(profile, &fields, above).then_some((index, header))
        })
}

/// A sheet row's cells as text fields by column.
fn row_fields(row: &[Cell]) -> Vec<(usize, String)> {
    row.iter()
        .filter_map(|cell| {
            let column = usize::try_from(cell.column).ok()?;
            Some((column, cell_as_text(&cell.value)?))
        })
        .collect()
}

/// A title row of a sheet as one line of text.
fn row_text(row: &[Cell]) -> String {
    row.iter()
        .filter_map(|cell| cell_as_text(&cell.value))
        .collect::<Vec<_>>()
        .join(", ")
}

fn cell_as_text(value: &CellValue) -> Option<String> {
    match value {
        CellValue::Text(text) => Some(text.clone()),
        CellValue::Number(number) => Some(number.normalize().to_string()),
        CellValue::Date(date) => Some(date.to_string()),
        CellValue::Bool(_) | CellValue::Error(_) | CellValue::FormulaWithoutResult => None,
    }
}

// ---------------------------------------------------------------------
// Number and date forms

/// The decimal mark of a file: the profile's, else the first amount below
/// the header that shows it, else `,` for files separated by `;` (where a
/// decimal comma is the reason for the `;`), else `.`.
fn decimal_mark(
    profile: &Profile,
    header: &HeaderMap,
    delimiter: u8,
    rows: &[Vec<(usize, String)>],
) -> DecimalMark {
    if let Some(mark) = profile.decimal_mark {
        return mark;
    }
    let amount_fields: Vec<usize> = AMOUNT_COLUMNS
        .iter()
        .filter_map(|column| header.field(*column))
        .collect();
    let shown = rows.iter().find_map(|row| {
        row.iter()
            .filter(|(field, _)| amount_fields.contains(field))
            .find_map(|(_, text)| shown_decimal_mark(text))
    });
    if let Some(mark) = shown {
        return mark;
    }
    if delimiter == b';' {
        DecimalMark::Comma
    } else {
        DecimalMark::Period
    }
}

/// The columns that hold amounts.
const AMOUNT_COLUMNS: [Column; 5] = [
    Column::Spend,
    Column::Budget,
    Column::DailyBudget,
    Column::LifetimeBudget,
    Column::MonthlyBudget,
];

/// The decimal mark an amount shows, if it shows one: `1,5` and `1.234,56`
/// show a comma, `1,234,567` a period; `1,234` shows none.
fn shown_decimal_mark(text: &str) -> Option<DecimalMark> {
    let other = |mark: DecimalMark| match mark {
        DecimalMark::Comma => DecimalMark::Period,
        DecimalMark::Period => DecimalMark::Comma,
    };
    // Only amounts count: `12,5O` shows nothing.
    if parse_text_amount(text, Some(DecimalMark::Period)).is_err() {
        return None;
    }
    let comma = text.rfind(',');
    let period = text.rfind('.');
    let (mark, at) = match (comma, period) {
        (Some(c), Some(p)) => {
            return Some(if c > p {
                DecimalMark::Comma
            } else {
                DecimalMark::Period
            });
        }
        (Some(at), None) => (DecimalMark::Comma, at),
        (None, Some(at)) => (DecimalMark::Period, at),
        (None, None) => return None,
    };
    if text.matches(mark.as_char()).count() > 1 {
        return Some(other(mark));
    }
    let digits_after = text
        .get(at.saturating_add(1)..)
        .unwrap_or_default()
        .chars()
        .take_while(char::is_ascii_digit)
        .count();
    let before: String = text
        .get(..at)
        .unwrap_or_default()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    // No one groups thousands after a lone 0: `0.125` is a fraction.
    let could_group = (1..=3).contains(&before.len()) && before != "0";
    match digits_after {
        0 => None,
        3 if could_group => None,
        _ => Some(mark),
    }
}

/// Reads a text date in the profile's forms, tried in order.
fn parse_export_date(text: &str, forms: &[DateForm]) -> Result<NaiveDate, String> {
    let mut no_such_day = None;
    for form in forms {
        let parsed = match form {
            DateForm::Iso => parse_text_date(text, None),
            DateForm::MonthDayYear => parse_text_date(text, Some(DateOrder::MonthDayYear)),
            DateForm::DayMonthYear => parse_text_date(text, Some(DateOrder::DayMonthYear)),
            DateForm::MonthName => parse_month_name_date(text),
        };
        match parsed {
            Ok(date) => return Ok(date),
            Err(err @ DateError::NoSuchDay { .. }) => no_such_day = Some(err),
            Err(_) => {}
        }
    }
    if let Some(err) = no_such_day {
        return Err(err.to_string());
    }
    let examples: Vec<&str> = forms.iter().map(|form| form.example()).collect();
    Err(format!(
        "'{text}' is not a date: expected a date such as {}",
        examples.join(" or ")
    ))
}

// ---------------------------------------------------------------------
// Title lines

/// The period the title lines give: a line that is a date range by itself,
/// a period label (`Report Time: 9/1/2026,9/30/2026`), or a start and an
/// end label (`Report Start: 09/01/2026, Report End: 09/30/2026`). A
/// labelled value that is not a date is an error with the line's number.
fn title_period(
    titles: &[(u64, String)],
    profile: &Profile,
) -> Result<Option<(NaiveDate, NaiveDate)>, (u64, String)> {
    let forms = &profile.date_forms;
    let mut start = None;
    let mut end = None;
    for (line_number, line) in titles {
        let text = line.replace('"', "");
        let text = text.trim().trim_start_matches('\u{feff}');
        let fail = |label: &str, value: &str| {
            (
                *line_number,
                format!(
                    "the title line '{}' has '{value}' after '{label}', which is not a date \
                     such as {}",
                    text,
                    forms.first().map_or("2026-09-01", |form| form.example())
                ),
            )
        };
        if let Some(range) = parse_date_range(text).or_else(|| dashed_range(text, forms)) {
            return Ok(Some(range));
        }
        for label in &profile.period_labels {
            if let Some(rest) = after_label(text, label) {
                return labelled_range(rest, forms)
                    .map(Some)
                    .ok_or_else(|| fail(label, rest));
            }
        }
        for (labels, slot) in [
            (&profile.start_labels, &mut start),
            (&profile.end_labels, &mut end),
        ] {
            for label in labels.iter() {
                if let Some(rest) = after_label(text, label) {
                    *slot = Some(leading_date(rest, forms).ok_or_else(|| fail(label, rest))?);
                }
            }
        }
    }
    Ok(match (start, end) {
        (Some(start), Some(end)) if start <= end => Some((start, end)),
        _ => None,
    })
}

/// The text after `label` in `text`, ignoring ASCII case, without the
/// separators between them (`Report Start:,9/1/2026` when the value stands
/// in a field of its own).
fn after_label<'t>(text: &'t str, label: &str) -> Option<&'t str> {
    let label = label.trim();
    text.char_indices().find_map(|(at, _)| {
        let end = at.checked_add(label.len())?;
        let found = text.get(at..end)?;
        found.eq_ignore_ascii_case(label).then(|| {
            let rest = text.get(end..).unwrap_or_default();
            rest.trim_start_matches([',', ';', '\t', ' ']).trim()
        })
    })
}

/// The date a labelled value starts with: the text up to its first comma,
/// its second (`Sep 1, 2026, Report End: ...`), or all of it.
fn leading_date(text: &str, forms: &[DateForm]) -> Option<NaiveDate> {
    let mut candidates: Vec<&str> = text
        .match_indices(',')
        .take(2)
        .filter_map(|(at, _)| text.get(..at))
        .collect();
    candidates.push(text);
    candidates
        .into_iter()
        .find_map(|candidate| parse_export_date(candidate.trim(), forms).ok())
}

/// Separators of the two ends of a date range.
const RANGE_DASHES: [&str; 4] = [" - ", "\u{2013}", "\u{2014}", " to "];

/// A range whose ends are in the profile's forms, between a dash or `to`:
/// `9/1/2026 - 9/30/2026`.
fn dashed_range(text: &str, forms: &[DateForm]) -> Option<(NaiveDate, NaiveDate)> {
    RANGE_DASHES.iter().find_map(|dash| {
        let (start, end) = text.split_once(dash)?;
        let start = parse_export_date(start.trim(), forms).ok()?;
        let end = parse_export_date(end.trim(), forms).ok()?;
        (start <= end).then_some((start, end))
    })
}

/// The value of a period label: a range with a dash, `to` or a comma
/// between its ends, or a single day.
fn labelled_range(text: &str, forms: &[DateForm]) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(range) = dashed_range(text, forms) {
        return Some(range);
    }
    let by_comma = text.match_indices(',').find_map(|(at, _)| {
        let start = parse_export_date(text.get(..at)?.trim(), forms).ok()?;
        let end = parse_export_date(text.get(at.checked_add(1)?..)?.trim(), forms).ok()?;
        (start <= end).then_some((start, end))
    });
    by_comma.or_else(|| {
        let day = parse_export_date(text, forms).ok()?;
        Some((day, day))
    })
}

// ---------------------------------------------------------------------
// Rows

/// One value of a row, as the export holds it.
#[derive(Clone, Debug, PartialEq)]
enum Value<'a> {
    Empty,
    Text(&'a str),
    Number(Decimal),
    Date(NaiveDate),
    /// A value that cannot be read at all, and why.
    Bad(String),
}

/// A row with the values of the profile's columns.
struct Row<'a> {
    line: u64,
    /// Per [`Column`], in the order of [`Column::ALL`].
    values: [Value<'a>; 12],
    /// The first filled field, for telling footers.
    first: Option<String>,
    /// The sheet column of each value, for placing problems in a sheet.
    cell_columns: [Option<u32>; 12],
}

impl Row<'_> {
    fn value(&self, column: Column) -> &Value<'_> {
        Column::ALL
            .iter()
            .position(|known| *known == column)
            .and_then(|index| self.values.get(index))
            .unwrap_or(&Value::Empty)
    }
}

fn text_value<'a>(text: &'a str, profile: &Profile) -> Value<'a> {
    let text = text.trim();
    if profile.is_empty_value(text) {
        Value::Empty
    } else {
        Value::Text(text)
    }
}

fn csv_row<'r>(record: &'r csv::ByteRecord, line: u64, setup: &Setup<'_>) -> Row<'r> {
    let values = std::array::from_fn(|index| {
        let field = Column::ALL
            .get(index)
            .and_then(|column| setup.header.field(*column))
            .and_then(|field| record.get(field));
        match field.map(std::str::from_utf8) {
            None => Value::Empty,
            Some(Ok(text)) => text_value(text, setup.profile),
            Some(Err(_)) => Value::Bad(
                "the text is not UTF-8; save the export as UTF-8 (or UTF-16) text".to_string(),
            ),
        }
    });
    let first = record
        .iter()
        .map(|field| String::from_utf8_lossy(field))
        .find(|field| !field.trim().is_empty())
        .map(|field| field.trim().to_string());
    Row {
        line,
        values,
        first,
        cell_columns: [None; 12],
    }
}

fn cell_row<'c>(cells: &'c [Cell], setup: &Setup<'_>) -> Row<'c> {
    let cell_at = |index: usize| {
        let column = Column::ALL.get(index)?;
        let field = u32::try_from(setup.header.field(*column)?).ok()?;
        cells.iter().find(|cell| cell.column == field)
    };
    let values = std::array::from_fn(|index| match cell_at(index).map(|cell| &cell.value) {
        None => Value::Empty,
        Some(CellValue::Text(text)) => text_value(text, setup.profile),
        Some(CellValue::Number(number)) => Value::Number(*number),
        Some(CellValue::Date(date)) => Value::Date(*date),
        Some(CellValue::Bool(flag)) => Value::Text(if *flag { "TRUE" } else { "FALSE" }),
        Some(CellValue::Error(error)) => Value::Bad(format!(
            "the cell holds the error value {error}; correct it in the export"
        )),
        Some(CellValue::FormulaWithoutResult) => Value::Bad(
            "the formula has no saved result; open the file in a spreadsheet program and save it"
                .to_string(),
        ),
    });
    let cell_columns = std::array::from_fn(|index| {
        let column = Column::ALL.get(index)?;
        u32::try_from(setup.header.field(*column)?).ok()
    });
    let first = cells
        .iter()
        .filter_map(|cell| cell_as_text(&cell.value))
        .find(|text| !text.trim().is_empty())
        .map(|text| text.trim().to_string());
    Row {
        line: sheet_line(cells),
        values,
        first,
        cell_columns,
    }
}

// ---------------------------------------------------------------------
// Reading

/// What the reading of an export needs to know before its rows.
struct Setup<'p> {
    display: String,
    /// The sheet of an export saved as a workbook.
    sheet: Option<String>,
    profile: &'p Profile,
    header: HeaderMap,
    decimal_mark: DecimalMark,
    platform_currency: Option<Currency>,
}

impl Setup<'_> {
    /// The place of a value: the line and header of a text file, or the
    /// cell of a sheet.
    fn place(&self, row: &Row<'_>, column: Option<Column>) -> Place {
        let file = Place::file(&self.display);
        let Some(sheet) = &self.sheet else {
            let place = file.with_row(row.line);
            return match column {
                Some(column) => place.with_column(self.header.name(column)),
                None => place,
            };
        };
        let row0 = u32::try_from(row.line.saturating_sub(1)).unwrap_or(u32::MAX);
        let cell = column.and_then(|column| {
            let index = Column::ALL.iter().position(|known| *known == column)?;
            row.cell_columns.get(index).copied().flatten()
        });
        match cell {
            Some(cell) => Place::cell(&self.display, sheet, row0, cell),
            None => file.with_sheet(sheet).with_row(row.line),
        }
    }

    fn file_place(&self) -> Place {
        let place = Place::file(&self.display);
        match &self.sheet {
            Some(sheet) => place.with_sheet(sheet),
            None => place,
        }
    }
}

/// A problem with one row, in one of its columns.
struct RowError {
    column: Option<Column>,
    message: String,
}

impl RowError {
    fn at(column: Column, message: impl Into<String>) -> RowError {
        RowError {
            column: Some(column),
            message: message.into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
}

/// How a row is dated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dating {
    Day(NaiveDate),
    /// Its own period, first and last day.
    Period(NaiveDate, NaiveDate),
    Undated,
}

/// An ad campaign's key: its id where there is one, else its name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Id(String, Currency),
    Name(String, Currency),
}

/// The spend of the rows read in one currency, and how many rows.
#[derive(Clone, Copy, Debug, Default)]
struct SpendSum {
    amount: Decimal,
    rows: u64,
}

/// A `Total: Campaigns` footer with the spend it gives.
struct FooterTotal {
    line: u64,
    label: String,
    currency: Option<Currency>,
    amount: Decimal,
}

/// The running sums of an export being read.
struct Reading<'p> {
    setup: Setup<'p>,
    title_period: Option<(NaiveDate, NaiveDate)>,
    header_currency: Option<Currency>,
    fallback_currency: Option<Currency>,
    index: HashMap<Key, usize>,
    ad_campaigns: Vec<AdCampaignSpend>,
    /// For each ad campaign, the date of the row its name was taken from.
    latest: Vec<Option<NaiveDate>>,
    totals: BTreeMap<Currency, SpendSum>,
    /// The first spend-total footer for each currency (or none named):
    /// kept by currency so that a file of footers cannot fill memory.
    footers: BTreeMap<Option<Currency>, FooterTotal>,
    span: Option<(NaiveDate, NaiveDate)>,
    rows_read: u64,
    rows_used: u64,
    errors: usize,
    /// Budget types already warned about, so that each is said once.
    unknown_types: Vec<String>,
}

impl<'p> Reading<'p> {
    /// Checks what the header and title lines say: the currency of the
    /// spend header, that some currency is known, the title period.
    fn start(
        setup: Setup<'p>,
        titles: &[(u64, String)],
        header_line: u64,
        issues: &mut Issues,
    ) -> Option<Reading<'p>> {
        let header_currency = match header_currency(&setup, header_line) {
            Ok(currency) => currency,
            Err(issue) => {
                issues.push(issue);
                return None;
            }
        };
        let fallback_currency = header_currency
            .or(setup.platform_currency)
            .or(setup.profile.currency);
        if fallback_currency.is_none() && !setup.header.has(Column::Currency) {
            issues.error(setup.file_place(), no_currency_message(&setup));
            return None;
        }
        let title_period = match title_period(titles, setup.profile) {
            Ok(period) => period,
            Err((line, message)) => {
                issues.error(setup.file_place().with_row(line), message);
                None
            }
        };
        Some(Reading {
            setup,
            title_period,
            header_currency,
            fallback_currency,
            index: HashMap::new(),
            ad_campaigns: Vec::new(),
            latest: Vec::new(),
            totals: BTreeMap::new(),
            footers: BTreeMap::new(),
            span: None,
            rows_read: 0,
            rows_used: 0,
            errors: 0,
            unknown_types: Vec::new(),
        })
    }

    /// Takes one row below the header.
    fn row(&mut self, row: Row<'_>, issues: &mut Issues) -> Flow {
        let blank = row.first.is_none();
        if blank {
            return Flow::Go;
        }
        self.rows_read = self.rows_read.saturating_add(1);
        if self.is_footer(&row) {
            self.footer(&row, issues);
            return Flow::Go;
        }
        match self.ad_campaign_row(&row, issues) {
            Ok(true) => self.rows_used = self.rows_used.saturating_add(1),
            Ok(false) => {}
            Err(problem) => return self.row_error(&row, problem, issues),
        }
        Flow::Go
    }

    fn row_error(&mut self, row: &Row<'_>, problem: RowError, issues: &mut Issues) -> Flow {
        self.errors = self.errors.saturating_add(1);
        issues.error(self.setup.place(row, problem.column), problem.message);
        if self.errors < MAX_ROW_ERRORS {
            return Flow::Go;
        }
        issues.error(
            self.setup.file_place(),
            format!(
                "{MAX_ROW_ERRORS} rows have errors; the rest of the export is not read. Is \
                 this really a {} export?",
                self.setup.profile.platform
            ),
        );
        Flow::Stop
    }

    fn is_footer(&self, row: &Row<'_>) -> bool {
        let profile = self.setup.profile;
        row.first.as_deref().is_some_and(|first| {
            let first = normalize_name(first);
            profile
                .footer_skip
                .iter()
                .chain(&profile.footer_spend_total)
                .any(|pattern| pattern.matches_normalized(&first))
        })
    }

    /// Keeps the spend of a `Total: Campaigns` footer, to check the rows
    /// against it at the end.
    fn footer(&mut self, row: &Row<'_>, issues: &mut Issues) {
        let profile = self.setup.profile;
        let Some(label) = row.first.clone() else {
            return;
        };
        if !profile.footer_spend_total.iter().any(|p| p.matches(&label)) {
            return;
        }
        let amount = match self.amount(row, Column::Spend) {
            Ok(Some((amount, _))) => amount,
            Ok(None) => return,
            Err(problem) => {
                let message = format!(
                    "{}; the rows are not checked against the footer '{label}'",
                    problem.message
                );
                issues.warning(self.setup.place(row, Some(Column::Spend)), message);
                return;
            }
        };
        let currency = match row.value(Column::Currency) {
            Value::Text(code) => Currency::from_code(code),
            _ => None,
        };
        self.footers.entry(currency).or_insert(FooterTotal {
            line: row.line,
            label,
            currency,
            amount,
        });
    }

    /// Reads a row of an ad campaign; `Ok(true)` when its spend or budget
    /// was taken, `Ok(false)` for a row with neither name nor spend.
    fn ad_campaign_row(&mut self, row: &Row<'_>, issues: &mut Issues) -> Result<bool, RowError> {
        let name = self.text(row, Column::AdCampaign)?;
        let spend = self.amount(row, Column::Spend)?;
        let Some(name) = name else {
            return match spend {
                None => Ok(false),
                Some((amount, _)) => Err(RowError::at(
                    Column::AdCampaign,
                    format!(
                        "the row has a spend of {amount} but no ad campaign name; fill in the \
                         '{}' column",
                        self.setup.header.name(Column::AdCampaign)
                    ),
                )),
            };
        };
        let id = self.text(row, Column::AdCampaignId)?;
        let currency = self.currency(row)?;
        let spend = match spend {
            Some((amount, mark)) => Some(fitting(amount, mark, currency, Column::Spend)?),
            None => None,
        };
        let dating = self.dating(row)?;
        let budget = self.budget(row, currency, issues)?;
        let used = spend.is_some() || budget.is_some();
        let entry = Entry {
            line: row.line,
            name,
            id,
            currency,
            spend,
            dating,
            budget,
        };
        self.add(entry)?;
        Ok(used)
    }

    fn text(&self, row: &Row<'_>, column: Column) -> Result<Option<String>, RowError> {
        match row.value(column) {
            Value::Empty => Ok(None),
            Value::Text(text) => Ok(Some((*text).to_string())),
            Value::Number(number) => Ok(Some(number.normalize().to_string())),
            Value::Date(date) => Ok(Some(date.to_string())),
            Value::Bad(message) => Err(RowError::at(column, message.clone())),
        }
    }

    fn amount(
        &self,
        row: &Row<'_>,
        column: Column,
    ) -> Result<Option<(Decimal, Option<CurrencyMark>)>, RowError> {
        match row.value(column) {
            Value::Empty => Ok(None),
            Value::Number(number) => Ok(Some((*number, None))),
            Value::Text(text) => parse_text_amount(text, Some(self.setup.decimal_mark))
                .map(|amount| Some((amount.value, amount.currency)))
                .map_err(|err| RowError::at(column, err.to_string())),
            Value::Date(date) => Err(RowError::at(
                column,
                format!("found the date {date}, expected an amount"),
            )),
            Value::Bad(message) => Err(RowError::at(column, message.clone())),
        }
    }

    fn date(&self, row: &Row<'_>, column: Column) -> Result<Option<NaiveDate>, RowError> {
        match row.value(column) {
            Value::Empty => Ok(None),
            Value::Date(date) => Ok(Some(*date)),
            Value::Text(text) => parse_export_date(text, &self.setup.profile.date_forms)
                .map(Some)
                .map_err(|message| RowError::at(column, message)),
            Value::Number(number) => Err(RowError::at(
                column,
                format!("found the number {number}, expected a date such as 2026-03-01"),
            )),
            Value::Bad(message) => Err(RowError::at(column, message.clone())),
        }
    }

    /// The row's currency: its currency column, else the spend header's,
    /// the configured account currency, the profile's.
    fn currency(&self, row: &Row<'_>) -> Result<Currency, RowError> {
        let column = Column::Currency;
        let code = match self.text(row, column)? {
            Some(code) => code,
            None => {
                return self
                    .fallback_currency
                    .ok_or_else(|| RowError::at(column, no_currency_message(&self.setup)));
            }
        };
        let currency = Currency::from_code(&code).ok_or_else(|| {
            RowError::at(
                column,
                format!(
                    "'{code}' is not an ISO 4217 currency code; expected a code such as EUR, \
                     USD or NOK"
                ),
            )
        })?;
        match self.header_currency {
            Some(header) if header != currency => Err(RowError::at(
                column,
                format!(
                    "the row is in {currency}, but the header '{}' says {header}",
                    self.setup.header.name(Column::Spend)
                ),
            )),
            _ => Ok(currency),
        }
    }

    /// The row's own date, else its own period, else none.
    fn dating(&self, row: &Row<'_>) -> Result<Dating, RowError> {
        if let Some(day) = self.date(row, Column::Date)? {
            return Ok(Dating::Day(day));
        }
        let start = self.date(row, Column::PeriodStart)?;
        let end = self.date(row, Column::PeriodEnd)?;
        let header = &self.setup.header;
        match (start, end) {
            (None, None) => Ok(Dating::Undated),
            (Some(start), Some(end)) if start <= end => Ok(Dating::Period(start, end)),
            (Some(start), Some(end)) => Err(RowError::at(
                Column::PeriodEnd,
                format!("the row's period ends on {end}, before it starts on {start}"),
            )),
            (Some(start), None) => Err(RowError::at(
                Column::PeriodEnd,
                format!(
                    "the row's period starts on {start} but has no end; fill in '{}'",
                    header.name(Column::PeriodEnd)
                ),
            )),
            (None, Some(end)) => Err(RowError::at(
                Column::PeriodStart,
                format!(
                    "the row's period ends on {end} but has no start; fill in '{}'",
                    header.name(Column::PeriodStart)
                ),
            )),
        }
    }

    /// The row's budget: the budget column with its type, else a column
    /// whose kind is fixed (lifetime before daily before monthly, as a
    /// lifetime budget caps all the others). A budget whose kind is not
    /// known is left out with a warning, once per budget type.
    fn budget(
        &mut self,
        row: &Row<'_>,
        currency: Currency,
        issues: &mut Issues,
    ) -> Result<Option<(Decimal, BudgetKind, String)>, RowError> {
        if let Some((amount, mark)) = self.amount(row, Column::Budget)? {
            let amount = fitting(amount, mark, currency, Column::Budget)?;
            let amount = not_negative(amount, Column::Budget)?;
            let type_text = self.text(row, Column::BudgetType)?;
            let types = &self.setup.profile.budget_types;
            let kind = match &type_text {
                Some(text) => types.kind(text),
                None => types.default,
            };
            let Some(kind) = kind else {
                self.warn_budget_type(row, type_text.as_deref(), issues);
                return Ok(None);
            };
            return Ok(Some((
                amount,
                kind,
                type_text.unwrap_or_else(|| kind.to_string()),
            )));
        }
        let fixed = [
            (Column::LifetimeBudget, BudgetKind::Lifetime),
            (Column::DailyBudget, BudgetKind::Daily),
            (Column::MonthlyBudget, BudgetKind::Monthly),
        ];
        for (column, kind) in fixed {
            if let Some((amount, mark)) = self.amount(row, column)? {
                let amount = not_negative(fitting(amount, mark, currency, column)?, column)?;
                let type_text = self.setup.header.name(column).to_string();
                return Ok(Some((amount, kind, type_text)));
            }
        }
        Ok(None)
    }

    fn warn_budget_type(&mut self, row: &Row<'_>, type_text: Option<&str>, issues: &mut Issues) {
        let said = type_text.unwrap_or("").to_string();
        if self.unknown_types.contains(&said) || self.unknown_types.len() >= MAX_TYPE_WARNINGS {
            return;
        }
        self.unknown_types.push(said);
        let types = &self.setup.profile.budget_types;
        let known: Vec<String> = types
            .daily
            .iter()
            .chain(&types.lifetime)
            .chain(&types.monthly)
            .map(|name| format!("'{name}'"))
            .collect();
        let message = match type_text {
            Some(text) => format!(
                "the budget type '{text}' is not one the {} profile knows ({}); budgets of this \
                 type are left out",
                self.setup.profile.id,
                known.join(", ")
            ),
            None => "the budget has no type, so it is not known whether it is daily or for the \
                     whole campaign; budgets without a type are left out (a profile can set \
                     budget_types.default)"
                .to_string(),
        };
        let column = if type_text.is_some() {
            Column::BudgetType
        } else {
            Column::Budget
        };
        issues.warning(self.setup.place(row, Some(column)), message);
    }

    /// Adds a row to its ad campaign's sums.
    fn add(&mut self, row: Entry) -> Result<(), RowError> {
        let key = match &row.id {
            Some(id) => Key::Id(id.clone(), row.currency),
            None => Key::Name(row.name.clone(), row.currency),
        };
        let index = match self.index.get(&key) {
            Some(index) => *index,
            None => {
                self.ad_campaigns.push(new_ad_campaign(&row));
                self.latest.push(None);
                let index = self.ad_campaigns.len().saturating_sub(1);
                self.index.insert(key, index);
                index
            }
        };
        let date = match row.dating {
            Dating::Day(day) => Some(day),
            Dating::Period(_, end) => Some(end),
            Dating::Undated => self.title_period.map(|(_, end)| end),
        };
        self.widen_span(row.dating);
        if let Some(spend) = row.spend {
            let sum = self.totals.entry(row.currency).or_default();
            sum.amount = sum.amount.checked_add(spend).ok_or_else(too_large)?;
            sum.rows = sum.rows.saturating_add(1);
        }
        let title_period = self.title_period;
        let (Some(ad_campaign), Some(latest)) =
            (self.ad_campaigns.get_mut(index), self.latest.get_mut(index))
        else {
            return Err(too_large());
        };
        ad_campaign.take(row, date, latest, title_period)
    }

    fn widen_span(&mut self, dating: Dating) {
        let (start, end) = match dating {
            Dating::Day(day) => (day, day),
            Dating::Period(start, end) => (start, end),
            Dating::Undated => return,
        };
        self.span = Some(match self.span {
            Some((first, last)) => (first.min(start), last.max(end)),
            None => (start, end),
        });
    }

    /// Checks the footer totals and hands over the sums.
    fn finish(self, issues: &mut Issues) -> AdExport {
        for footer in self.footers.values() {
            self.check_footer(footer, issues);
        }
        let (period, period_from_title) = match self.title_period {
            Some(period) => (Some(period), true),
            None => (self.span, false),
        };
        AdExport {
            file: self.setup.display,
            profile: self.setup.profile.id.clone(),
            period,
            period_from_title,
            ad_campaigns: self.ad_campaigns,
            rows_read: self.rows_read,
            rows_used: self.rows_used,
        }
    }

    /// A footer total that differs from the sum of the rows read is a
    /// warning giving both figures. Platforms add up unrounded amounts and
    /// show each row rounded, so a difference up to half a minor unit per
    /// row is rounding, not a difference.
    fn check_footer(&self, footer: &FooterTotal, issues: &mut Issues) {
        let currency = match footer.currency {
            Some(currency) => currency,
            None => match self.totals.keys().collect::<Vec<_>>().as_slice() {
                [only] => **only,
                _ => return,
            },
        };
        let sum = self.totals.get(&currency).copied().unwrap_or_default();
        let half_unit = Decimal::new(5, currency.minor_units().saturating_add(1));
        let rounding = half_unit.checked_mul(Decimal::from(sum.rows));
        let difference = sum.amount.checked_sub(footer.amount).map(|d| d.abs());
        let within = matches!((difference, rounding), (Some(d), Some(r)) if d <= r);
        if within {
            return;
        }
        let sum = sum.amount;
        let place = match &self.setup.sheet {
            None => Place::file(&self.setup.display)
                .with_row(footer.line)
                .with_column(self.setup.header.name(Column::Spend)),
            Some(sheet) => Place::file(&self.setup.display)
                .with_sheet(sheet)
                .with_row(footer.line),
        };
        issues.warning(
            place,
            format!(
                "the footer '{}' gives a spend of {} {currency}, but the ad campaign rows add up \
                 to {} {currency}; check that the export is complete and was not edited",
                footer.label, footer.amount, sum
            ),
        );
    }
}

/// A row's figures, ready to be added to its ad campaign.
struct Entry {
    line: u64,
    name: String,
    id: Option<String>,
    currency: Currency,
    spend: Option<Decimal>,
    dating: Dating,
    budget: Option<(Decimal, BudgetKind, String)>,
}

fn new_ad_campaign(row: &Entry) -> AdCampaignSpend {
    AdCampaignSpend {
        id: row.id.clone(),
        name: row.name.clone(),
        currency: row.currency,
        dated: BTreeMap::new(),
        undated: Decimal::ZERO,
        has_undated: false,
        covers: Vec::new(),
        budget: None,
        first_line: row.line,
    }
}

impl AdCampaignSpend {
    /// Adds a row dated `date` (its own day or period end, else the title
    /// period's end); `latest` is the date of the row its name was last
    /// taken from.
    fn take(
        &mut self,
        row: Entry,
        date: Option<NaiveDate>,
        latest: &mut Option<NaiveDate>,
        title_period: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<(), RowError> {
        // `None` sorts first, so a dated row is later than an undated one,
        // and of two rows with one date the second is the later.
        if date >= *latest {
            *latest = date;
            self.name = row.name;
        }
        if let Some((amount, kind, type_text)) = row.budget {
            let replaces = self
                .budget
                .as_ref()
                .is_none_or(|budget| date >= budget.date);
            if replaces {
                self.budget = Some(AdBudget {
                    amount,
                    kind,
                    type_text,
                    date,
                    line: row.line,
                });
            }
        }
        let Some(spend) = row.spend else {
            return Ok(());
        };
        match row.dating {
            Dating::Day(day) => self.add_dated(day, spend, (day, day)),
            Dating::Period(start, end) => self.add_dated(end, spend, (start, end)),
            Dating::Undated => {
                self.undated = self.undated.checked_add(spend).ok_or_else(too_large)?;
                self.has_undated = true;
                if let Some(period) = title_period {
                    add_cover(&mut self.covers, period);
                }
                Ok(())
            }
        }
    }

    fn add_dated(
        &mut self,
        day: NaiveDate,
        spend: Decimal,
        cover: (NaiveDate, NaiveDate),
    ) -> Result<(), RowError> {
        let sum = self.dated.get(&day).copied().unwrap_or(Decimal::ZERO);
        self.dated
            .insert(day, sum.checked_add(spend).ok_or_else(too_large)?);
        add_cover(&mut self.covers, cover);
        Ok(())
    }
}

/// Adds a range of days to sorted, merged ranges, merging it with those it
/// overlaps or touches.
fn add_cover(covers: &mut Vec<(NaiveDate, NaiveDate)>, (start, end): (NaiveDate, NaiveDate)) {
    let touches = |(first, last): &(NaiveDate, NaiveDate)| {
        first.pred_opt().unwrap_or(*first) <= end && start <= last.succ_opt().unwrap_or(*last)
    };
    let (mut start, mut end) = (start, end);
    covers.retain(|range| {
        if touches(range) {
            start = start.min(range.0);
            end = end.max(range.1);
            false
        } else {
            true
        }
    });
    let at = covers.partition_point(|(first, _)| *first < start);
    covers.insert(at, (start, end));
}

fn too_large() -> RowError {
    RowError::at(
        Column::Spend,
        "the amounts add up to more than can be held exactly; is this figure right?",
    )
}

/// An amount whose currency mark (`$`, `EUR`) must fit the row's currency.
fn fitting(
    amount: Decimal,
    mark: Option<CurrencyMark>,
    currency: Currency,
    column: Column,
) -> Result<Decimal, RowError> {
    match mark {
        Some(mark) if !mark.fits(currency) => Err(RowError::at(
            column,
            format!(
                "the amount is written with '{}', which is not a mark of {currency}, the \
                 currency of the row",
                mark.written
            ),
        )),
        _ => Ok(amount),
    }
}

fn not_negative(amount: Decimal, column: Column) -> Result<Decimal, RowError> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(RowError::at(
            column,
            format!("the budget is {amount}; a budget cannot be negative"),
        ));
    }
    Ok(amount)
}

/// The currency written in the spend header; an error when it is not an
/// ISO 4217 code.
fn header_currency(setup: &Setup<'_>, header_line: u64) -> Result<Option<Currency>, Issue> {
    let Some(code) = &setup.header.spend_currency else {
        return Ok(None);
    };
    let spend = setup.header.name(Column::Spend);
    match Currency::from_code(code) {
        Some(currency) => Ok(Some(currency)),
        None => {
            let place = match &setup.sheet {
                None => Place::file(&setup.display)
                    .with_row(header_line)
                    .with_column(spend),
                Some(sheet) => Place::file(&setup.display)
                    .with_sheet(sheet)
                    .with_row(header_line),
            };
            Err(Issue::error(
                place,
                format!(
                    "the header '{spend}' names the currency '{code}', which is not an ISO 4217 \
                     currency code"
                ),
            ))
        }
    }
}

fn no_currency_message(setup: &Setup<'_>) -> String {
    let profile = setup.profile;
    let columns: Vec<String> = profile
        .columns
        .names(Column::Currency)
        .iter()
        .map(|name| format!("'{}'", name.written))
        .collect();
    let column = if columns.is_empty() {
        "no currency column".to_string()
    } else {
        format!("no currency column ({})", columns.join(" or "))
    };
    format!(
        "the export does not say its currency: it has {column} and its spend header '{}' names \
         none; set the account currency in spendsheet.toml under [platform_currency], for \
         example {} = \"USD\"",
        setup.header.name(Column::Spend),
        profile.id
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::profile::{built_in_profiles, parse_profile};
    use rust_decimal_macros::dec;

    fn profiles() -> Vec<Profile> {
        built_in_profiles().expect("valid built-in profiles")
    }

    fn profile(id: &str) -> Profile {
        profiles()
            .into_iter()
            .find(|profile| profile.id == id)
            .unwrap_or_else(|| panic!("no profile {id}"))
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("ISO date")
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    /// Reads `text` as a file with the profile `id`: the export and the
    /// issues as text.
    fn read_text(text: &str, id: &str) -> (Option<AdExport>, Vec<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("export.csv");
        std::fs::write(&path, text).expect("write");
        let mut issues = Issues::default();
        let export = read_export(&path, "export.csv", &profile(id), None, &mut issues);
        (
            export,
            issues.iter().map(|issue| issue.to_string()).collect(),
        )
    }

    #[test]
    fn amounts_show_their_decimal_mark_or_not() {
        let cases = [
            ("1,5", Some(DecimalMark::Comma)),
            ("1.234,56", Some(DecimalMark::Comma)),
            ("1 234,5", Some(DecimalMark::Comma)),
            ("12.50", Some(DecimalMark::Period)),
            ("4,838.80", Some(DecimalMark::Period)),
            ("1,234,567", Some(DecimalMark::Period)),
            ("1.234.567", Some(DecimalMark::Comma)),
            ("1,234", None),
            ("1.234", None),
            ("0.125", Some(DecimalMark::Period)),
            ("1234,567", Some(DecimalMark::Comma)),
            ("12", None),
            ("12,5O", None),
            ("< 10%", None),
        ];
        for (text, mark) in cases {
            assert_eq!(shown_decimal_mark(text), mark, "{text}");
        }
    }

    #[test]
    fn dates_are_read_in_the_profile_forms() {
        let us = [DateForm::MonthDayYear, DateForm::MonthName];
        assert_eq!(parse_export_date("9/1/2026", &us), Ok(day("2026-09-01")));
        assert_eq!(parse_export_date("2026-09-01", &us), Ok(day("2026-09-01")));
        assert_eq!(parse_export_date("Sep 1, 2026", &us), Ok(day("2026-09-01")));
        assert_eq!(
            parse_export_date("9/1/2026 12:00:00 AM", &us),
            Ok(day("2026-09-01"))
        );
        let err = parse_export_date("13/1/2026", &us).expect_err("no month 13");
        assert!(err.contains("not a day of the calendar"), "{err}");
        let err = parse_export_date("1.9.2026", &[DateForm::Iso]).expect_err("ISO only");
        assert_eq!(
            err,
            "'1.9.2026' is not a date: expected a date such as 2026-09-01"
        );
    }

    #[test]
    fn title_lines_give_the_period() {
        let numbered = |text: &str| -> Vec<(u64, String)> {
            lines(text)
                .into_iter()
                .enumerate()
                .map(|(index, line)| (line_number(index), line))
                .collect()
        };
        let range = |start: &str, end: &str| Ok(Some((day(start), day(end))));
        type Case<'a> = (
            &'a str,
            &'a str,
            Result<Option<(NaiveDate, NaiveDate)>, u64>,
        );
        let cases: [Case<'_>; 10] = [
            (
                "google-ads",
                "Campaign report\n\"March 27, 2026 - April 23, 2026\"",
                range("2026-03-27", "2026-04-23"),
            ),
            ("google-ads", "Campaign report\nAll time", Ok(None)),
            (
                "google-ads",
                "2026-03-01 - 2026-03-31",
                range("2026-03-01", "2026-03-31"),
            ),
            (
                "linkedin-ads",
                "Report\n\"Report Start: 09/01/2026, Report End: 09/30/2026\"",
                range("2026-09-01", "2026-09-30"),
            ),
            (
                "linkedin-ads",
                "Report Start: Sep 1, 2026, Report End: Sep 30, 2026",
                range("2026-09-01", "2026-09-30"),
            ),
            (
                "linkedin-ads",
                "Report Start:,9/1/2026\nReport End:,9/30/2026",
                range("2026-09-01", "2026-09-30"),
            ),
            (
                "microsoft-ads",
                "\"Report Name: Spend\"\n\"Report Time: 9/1/2026,9/30/2026\"",
                range("2026-09-01", "2026-09-30"),
            ),
            (
                "microsoft-ads",
                "Report Time: 9/1/2026 - 9/30/2026",
                range("2026-09-01", "2026-09-30"),
            ),
            (
                "microsoft-ads",
                "Report Time: 9/5/2026",
                range("2026-09-05", "2026-09-05"),
            ),
            (
                "microsoft-ads",
                "Report Name: x\nReport Time: yesterday",
                Err(2),
            ),
        ];
        for (id, text, expected) in cases {
            let found = title_period(&numbered(text), &profile(id)).map_err(|(line, _)| line);
            assert_eq!(found, expected, "{id}: {text}");
        }
    }

    #[test]
    fn covered_days_merge_when_they_touch_or_overlap() {
        let mut covers = Vec::new();
        let steps = [
            (
                ("2026-03-10", "2026-03-10"),
                vec![("2026-03-10", "2026-03-10")],
            ),
            (
                ("2026-03-01", "2026-03-02"),
                vec![("2026-03-01", "2026-03-02"), ("2026-03-10", "2026-03-10")],
            ),
            (
                ("2026-03-11", "2026-03-12"),
                vec![("2026-03-01", "2026-03-02"), ("2026-03-10", "2026-03-12")],
            ),
            (
                ("2026-03-03", "2026-03-09"),
                vec![("2026-03-01", "2026-03-12")],
            ),
            (
                ("2026-03-05", "2026-03-06"),
                vec![("2026-03-01", "2026-03-12")],
            ),
        ];
        for ((start, end), expected) in steps {
            add_cover(&mut covers, (day(start), day(end)));
            let expected: Vec<(NaiveDate, NaiveDate)> =
                expected.iter().map(|(a, b)| (day(a), day(b))).collect();
            assert_eq!(covers, expected, "after {start}..{end}");
        }
    }

    #[test]
    fn campaign_name_and_spend_alone_are_tiktok_unless_microsoft_shows() {
        let profiles = profiles();
        let cases = [
            ("Campaign name,Spend\nA,1", "tiktok-ads"),
            (
                "Campaign name,Gregorian date,Spend\nA,9/1/2026,1",
                "microsoft-ads",
            ),
            (
                "\"Report Name: x\"\n\nCampaign name,Spend\nA,1",
                "microsoft-ads",
            ),
            ("Campaign name,Cost\nA,1", "tiktok-ads"),
            ("Campaign,Cost\nA,1", "google-ads"),
            ("Campaign Name,Total Spent\nA,1", "linkedin-ads"),
            ("Campaign name,Amount spent (USD)\nA,1", "meta-ads"),
            ("CampaignName,Spend\nA,1", "microsoft-ads"),
        ];
        for (text, id) in cases {
            let found = recognise(&lines(text), &profiles).map(|found| found.profile.id.as_str());
            assert_eq!(found, Some(id), "{text}");
        }
    }

    #[test]
    fn the_header_is_found_under_another_delimiter_when_needed() {
        // Title lines with commas make `,` look like the delimiter.
        let text = "a,b,c\nd,e,f\ng,h,i\nCampaign;Cost\nX;1";
        let profiles = profiles();
        let found = recognise(&lines(text), &profiles).expect("recognised");
        assert_eq!((found.header_line, found.delimiter), (4, Some(b';')));
    }

    #[test]
    fn a_users_profile_comes_first() {
        let mine = parse_profile(
            "id = \"agency\"\nplatform = \"Agency\"\n[columns]\nad_campaign = [\"Campaign\"]\n\
             spend = [\"Cost\"]\n",
            Path::new("agency.toml"),
            "agency.toml",
        )
        .expect("valid");
        let mut all = vec![mine];
        all.extend(profiles());
        let found = recognise(&lines("Campaign,Cost\nA,1"), &all).expect("recognised");
        assert_eq!(found.profile.id, "agency");
    }

    #[test]
    fn a_renamed_ad_campaign_goes_by_its_latest_name() {
        let text = "Day,Campaign,Campaign ID,Currency code,Cost\n\
                    2026-03-02,New name,7,USD,2.00\n\
                    2026-03-01,Old name,7,USD,1.00\n";
        let (export, issues) = read_text(text, "google-ads");
        assert!(issues.is_empty(), "{issues:?}");
        let export = export.expect("read");
        assert_eq!(export.ad_campaigns.len(), 1);
        let ad = &export.ad_campaigns[0];
        assert_eq!(
            (ad.name.as_str(), ad.id.as_deref()),
            ("New name", Some("7"))
        );
        assert_eq!(ad.total(), Some(dec!(3.00)));
    }

    #[test]
    fn an_unknown_budget_type_is_warned_about_once() {
        let text = "Campaign,Currency code,Budget,Budget type,Cost\n\
                    A,USD,10.00,Shared,1.00\n\
                    B,USD,20.00,Shared,2.00\n\
                    C,USD,30.00,Daily,3.00\n";
        let (export, issues) = read_text(text, "google-ads");
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(
            issues[0].starts_with("warning: export.csv, line 2, column 'Budget type'"),
            "{}",
            issues[0]
        );
        assert!(issues[0].contains("'Shared'"), "{}", issues[0]);
        let export = export.expect("read");
        let budgets: Vec<Option<Decimal>> = export
            .ad_campaigns
            .iter()
            .map(|ad| ad.budget.as_ref().map(|budget| budget.amount))
            .collect();
        assert_eq!(budgets, [None, None, Some(dec!(30.00))]);
        assert_eq!(export.rows_used, 3);
    }

    #[test]
    fn row_problems_are_errors_at_their_cells() {
        let text = "Reporting starts,Reporting ends,Campaign name,Ad set budget,\
                    Ad set budget type,Amount spent (USD)\n\
                    2026-03-05,2026-03-01,A,,,1.00\n\
                    2026-03-05,,B,,,1.00\n\
                    ,2026-03-05,C,,,1.00\n\
                    2026-03-01,2026-03-01,D,-5.00,Daily,1.00\n\
                    2026-03-01,2026-03-01,E,,,€1.00\n\
                    2026-03-01,2026-03-01,F,,,$1.00\n\
                    ,,,,,\n\
                    2026-03-01,2026-03-01,,,,\n";
        let (export, issues) = read_text(text, "meta-ads");
        let expected = [
            (
                "line 2, column 'Reporting ends'",
                "ends on 2026-03-01, before it starts",
            ),
            ("line 3, column 'Reporting ends'", "has no end"),
            ("line 4, column 'Reporting starts'", "has no start"),
            ("line 5, column 'Ad set budget'", "cannot be negative"),
            ("line 6, column 'Amount spent (USD)'", "'€'"),
        ];
        assert_eq!(issues.len(), expected.len(), "{issues:?}");
        for (issue, (place, words)) in issues.iter().zip(expected) {
            assert!(issue.contains(place) && issue.contains(words), "{issue}");
        }
        let export = export.expect("read to the end");
        let names: Vec<&str> = export
            .ad_campaigns
            .iter()
            .map(|ad| ad.name.as_str())
            .collect();
        assert_eq!(names, ["F"]);
        assert_eq!(export.rows_read, 7);
    }

    #[test]
    fn a_budget_without_a_type_is_left_out_when_the_kind_is_unknown() {
        let text = "Campaign name,Ad set budget,Amount spent (EUR)\nA,10.00,1.00\nB,20.00,2.00\n";
        let (export, issues) = read_text(text, "meta-ads");
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].contains("has no type"), "{}", issues[0]);
        let export = export.expect("read");
        assert!(export.ad_campaigns.iter().all(|ad| ad.budget.is_none()));
    }

    #[test]
    fn reading_stops_after_too_many_bad_rows() {
        let mut text = String::from("Campaign,Currency code,Cost\n");
        for row in 0..(MAX_ROW_ERRORS + 10) {
            text.push_str(&format!("A{row},USD,lots\n"));
        }
        let (export, issues) = read_text(&text, "google-ads");
        assert!(export.is_none());
        assert_eq!(issues.len(), MAX_ROW_ERRORS + 1);
        let last = issues.last().expect("issues");
        assert!(
            last.contains("Is this really a Google Ads export?"),
            "{last}"
        );
    }

    #[test]
    fn several_currencies_are_summed_apart() {
        let text = "Campaign,Campaign ID,Currency code,Cost\n\
                    A,1,USD,1.00\n\
                    A,1,EUR,2.00\n\
                    A,1,USD,3.00\n\
                    Total: Campaigns,,USD,4.00\n";
        let (export, issues) = read_text(text, "google-ads");
        assert!(issues.is_empty(), "{issues:?}");
        let export = export.expect("read");
        let sums: Vec<(String, Option<Decimal>)> = export
            .ad_campaigns
            .iter()
            .map(|ad| (ad.currency.to_string(), ad.total()))
            .collect();
        assert_eq!(
            sums,
            [
                ("USD".to_string(), Some(dec!(4.00))),
                ("EUR".to_string(), Some(dec!(2.00)))
            ]
        );
    }
}
