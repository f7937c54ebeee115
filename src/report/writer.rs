//! Writing cells of the report: text always as text, money in its
//! currency's format, formulas always with their saved result, Excel's
//! limits kept, column widths that fit their content, and a sheet that
//! runs out of rows continued on another.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, Color, ConditionalFormatCell, ConditionalFormatCellRule, Format, FormatAlign,
    FormatBorder, Formula, Url, Worksheet, XlsxError,
};

use crate::issue::{Issue, Place, column_letters};
use crate::money::Currency;

use super::sheet_names::SheetNames;
use super::{ReportError, quote_sheet};

/// Excel's limit on the characters of one cell, counted as Excel counts
/// them: in UTF-16 units, so an emoji counts twice.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Excel's limit on the rows of one sheet.
pub const MAX_ROWS: u32 = 1_048_576;

/// Columns are made at most this wide, in characters; a longer text
/// overflows into the empty cell beside it or is cut at the cell's edge.
const MAX_WIDTH: usize = 60;

/// Columns are made at least this wide, so that a short value never looks
/// squeezed.
const MIN_WIDTH: usize = 8;

/// A4, in Excel's numbering of paper sizes.
const PAPER_A4: u8 = 9;

/// The formats of the report, made once and shared by every sheet.
pub struct Formats {
    title: Format,
    banner: Format,
    label: Format,
    total_label: Format,
    section: Format,
    header: Format,
    number_header: Format,
    note: Format,
    code: Format,
    date: Format,
    detail_date: Format,
    share: Format,
    rate: Format,
    count: Format,
    alarm: Format,
    money: HashMap<(Currency, bool), Format>,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            banner: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0xC0_0000))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            label: Format::new().set_bold(),
            total_label: Format::new().set_bold().set_border_top(FormatBorder::Thin),
            section: Format::new().set_bold().set_font_size(12),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDD_EBF7))
                .set_border_bottom(FormatBorder::Thin),
            number_header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDD_EBF7))
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Right)
                .set_indent(1),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x59_5959)),
            // Centred, so that a code never runs into the amount beside it.
            code: Format::new().set_align(FormatAlign::Center),
            // Numbers and dates keep a little room on their right (`_)`).
            date: Format::new().set_num_format("yyyy-mm-dd_)"),
            detail_date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Left),
            share: Format::new()
                .set_num_format("0.0%_)")
                .set_align(FormatAlign::Right),
            rate: Format::new().set_num_format("0.0000######_)"),
            count: Format::new().set_num_format("0_)"),
            // Excel's own "light red fill with dark red text".
            alarm: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0x9C_0006))
                .set_background_color(Color::RGB(0xFF_C7CE)),
            money: HashMap::new(),
        }
    }

    /// The currency's format, bold with a rule above it on total rows.
    fn money(&mut self, currency: Currency, total: bool) -> &Format {
        self.money.entry((currency, total)).or_insert_with(|| {
            let format = Format::new().set_num_format(money_format(currency));
            if total {
                format.set_bold().set_border_top(FormatBorder::Thin)
            } else {
                format
            }
        })
    }
}

/// Thousands separators, the currency's minor units and its code, and
/// negative amounts in red with a minus: `#,##0.00 "NOK"_);[Red]-#,##0.00
/// "NOK"_)`, `#,##0 "JPY"_);...`. A quoted code reads the same in every
/// spreadsheet program and locale, unlike a currency symbol; `_)` leaves
/// the width of a parenthesis free on the right, so that an amount never
/// runs into the text of the next column.
pub fn money_format(currency: Currency) -> String {
    let places = usize::try_from(currency.minor_units()).unwrap_or(2);
    let digits = if places == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(places))
    };
    format!("{digits} \"{currency}\"_);[Red]-{digits} \"{currency}\"_)")
}

/// What the sheets of one report share while they are written.
pub struct Book {
    pub formats: Formats,
    pub names: SheetNames,
    /// Texts shortened to fit a cell.
    pub warnings: Vec<Issue>,
    /// Rows per sheet: Excel's limit, smaller in tests.
    pub max_rows: u32,
    /// The printed header and footer of every sheet.
    pub print: PrintText,
}

/// A printed page's header and footer, in Excel's codes (`&P` the page
/// number, `&N` the pages, `&A` the sheet's name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrintText {
    pub header: String,
    pub footer: String,
}

/// A table's column headers, and the columns that hold numbers or dates:
/// their headers stand on the right, like their values.
#[derive(Clone, Copy, Debug)]
pub struct Headers<'h> {
    pub names: &'h [&'h str],
    pub numbers: &'h [usize],
}

/// Where a table's rows went: one range of rows on each sheet it fills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub sheet: String,
    /// 0-based, inclusive.
    pub first_row: u32,
    pub last_row: u32,
}

impl Span {
    /// The span's cells in `column` as a formula on sheet `home` names
    /// them: `C15:C20`, or `'Spring (2)'!C3:C9` on another sheet.
    pub fn range(&self, column: u16, home: &str) -> String {
        let letters = column_letters(u32::from(column));
        let top = u64::from(self.first_row) + 1;
        let bottom = u64::from(self.last_row) + 1;
        let range = format!("{letters}{top}:{letters}{bottom}");
        if self.sheet == home {
            range
        } else {
            format!("{}!{range}", quote_sheet(&self.sheet))
        }
    }
}

/// `SUM` over the spans' cells in `column`; `0` when there are none, so
/// that the cell is still a formula.
pub fn sum_formula(spans: &[Span], column: u16, home: &str) -> String {
    if spans.is_empty() {
        return "0".to_string();
    }
    let ranges: Vec<String> = spans.iter().map(|span| span.range(column, home)).collect();
    format!("SUM({})", ranges.join(","))
}

/// A sheet and the sheets it continues on once it is full.
struct Pages {
    first: Worksheet,
    more: Vec<Worksheet>,
    /// 0 for the first sheet, n for `more[n - 1]`.
    current: usize,
}

impl Pages {
    fn current(&mut self) -> &mut Worksheet {
        match self
            .current
            .checked_sub(1)
            .and_then(|index| self.more.get_mut(index))
        {
            Some(sheet) => sheet,
            None => &mut self.first,
        }
    }

    fn all_mut(&mut self) -> impl Iterator<Item = &mut Worksheet> {
        std::iter::once(&mut self.first).chain(self.more.iter_mut())
    }
}

/// Writes the cells of one sheet of the report (and of its continuation
/// sheets), noting how wide each column's content is.
pub struct SheetWriter<'a> {
    book: &'a mut Book,
    pages: Pages,
    /// The widest content of each column so far, in characters.
    widths: Vec<usize>,
    /// Widths set whatever the content, by column.
    fixed: Vec<(u16, f64)>,
    /// The row printed at the top of every page, on every sheet.
    print_header_row: Option<u32>,
}

impl<'a> SheetWriter<'a> {
    /// A writer for a new sheet named `name` (already made safe).
    pub fn new(book: &'a mut Book, name: &str) -> Result<SheetWriter<'a>, ReportError> {
        let mut first = Worksheet::new();
        first.set_name(name)?;
        Ok(SheetWriter {
            book,
            pages: Pages {
                first,
                more: Vec::new(),
                current: 0,
            },
            widths: Vec::new(),
            fixed: Vec::new(),
            print_header_row: None,
        })
    }

    /// The name of the sheet being written.
    pub fn name(&mut self) -> String {
        self.pages.current().name()
    }

    /// The name of the first sheet.
    pub fn first_name(&self) -> String {
        self.pages.first.name()
    }

    /// Goes back to the first sheet, to write what refers to the rows
    /// that followed.
    pub fn back_to_first_page(&mut self) {
        self.pages.current = 0;
    }

    /// Continues on a new sheet named like the first with ` (2)`, ` (3)`…
    pub fn new_page(&mut self) -> Result<(), ReportError> {
        let number = self.pages.more.len().saturating_add(2);
        let name = self
            .book
            .names
            .claim(&format!("{} ({number})", self.pages.first.name()));
        let mut sheet = Worksheet::new();
        sheet.set_name(name)?;
        self.pages.more.push(sheet);
        self.pages.current = self.pages.more.len();
        Ok(())
    }

    /// The sheets written, with their column widths and print setup.
    pub fn finish(mut self) -> Result<Vec<Worksheet>, ReportError> {
        let widths: Vec<f64> = self.widths.iter().map(|w| column_width(*w)).collect();
        let print = self.book.print.clone();
        let header_row = self.print_header_row;
        for sheet in self.pages.all_mut() {
            for (column, width) in widths.iter().enumerate() {
                sheet.set_column_width(column_index(column)?, *width)?;
            }
            for (column, width) in &self.fixed {
                sheet.set_column_width(*column, *width)?;
            }
            set_up_printing(sheet, &print, header_row)?;
        }
        let Pages { first, more, .. } = self.pages;
        Ok(std::iter::once(first).chain(more).collect())
    }

    fn note_width(&mut self, column: u16, chars: usize) {
        let column = usize::from(column);
        if self.widths.len() <= column {
            self.widths.resize(column + 1, 0);
        }
        if let Some(width) = self.widths.get_mut(column) {
            *width = (*width).max(chars);
        }
    }

    /// Text from the inputs or about them: always a string cell, never a
    /// formula, shortened to Excel's limit with a warning.
    pub fn text(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        let shown = self.fit(row, column, text);
        self.note_width(column, display_width(shown));
        self.pages.current().write_string(row, column, shown)?;
        Ok(())
    }

    /// A currency code, centred in its cell.
    pub fn code(&mut self, row: u32, column: u16, currency: Currency) -> Result<(), ReportError> {
        self.note_width(column, 3);
        self.styled(row, column, currency.code(), |f| &f.code)
    }

    /// Sets a column's width whatever its content (for a column whose
    /// every value has the same length, such as a hash).
    pub fn fix_width(&mut self, column: u16, width: f64) {
        self.fixed.push((column, width));
    }

    /// Text that may overflow into the empty cells beside it, so it does
    /// not widen its column (a title block's values, long notes).
    pub fn wide_text(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        let shown = self.fit(row, column, text);
        self.pages.current().write_string(row, column, shown)?;
        Ok(())
    }

    /// A link to cell A1 of another sheet of the report, showing `text`.
    pub fn link(
        &mut self,
        row: u32,
        column: u16,
        text: &str,
        sheet: &str,
    ) -> Result<(), ReportError> {
        let shown = self.fit(row, column, text);
        self.note_width(column, display_width(shown));
        let url = Url::new(format!("internal:{}!A1", quote_sheet(sheet))).set_text(shown);
        self.pages.current().write_url(row, column, url)?;
        Ok(())
    }

    fn styled(
        &mut self,
        row: u32,
        column: u16,
        text: &str,
        style: fn(&Formats) -> &Format,
    ) -> Result<(), ReportError> {
        let shown = self.fit(row, column, text);
        let format = style(&self.book.formats);
        self.pages
            .current()
            .write_string_with_format(row, column, shown, format)?;
        Ok(())
    }

    /// Cuts `text` to Excel's limit per cell, with a warning that says
    /// where; the text itself stays whole in the inputs and in the JSON
    /// summary where it appears there.
    fn fit<'t>(&mut self, row: u32, column: u16, text: &'t str) -> &'t str {
        let shown = truncate_utf16(text, MAX_CELL_CHARS);
        if shown.len() == text.len() {
            return text;
        }
        let sheet = self.pages.current().name();
        let cell = format!(
            "{}{}",
            column_letters(u32::from(column)),
            u64::from(row) + 1
        );
        let place = Place {
            file: String::new(),
            sheet: Some(sheet.clone()),
            row: Some(u64::from(row) + 1),
            column: Some(column_letters(u32::from(column))),
        };
        self.book.warnings.push(Issue::warning(
            place,
            format!(
                "a text of {} characters is shortened to {MAX_CELL_CHARS}, the most a cell holds, in the report's sheet '{sheet}', cell {cell}; the input, and the JSON summary where the text appears there, keep it whole",
                text.encode_utf16().count()
            ),
        ));
        shown
    }

    pub fn title(&mut self, row: u32, text: &str) -> Result<(), ReportError> {
        self.styled(row, 0, text, |f| &f.title)
    }

    /// A message across `columns` columns of `row` in white on red,
    /// tall enough for a few lines.
    pub fn banner(&mut self, row: u32, columns: u16, text: &str) -> Result<(), ReportError> {
        let shown = self.fit(row, 0, text).to_string();
        let last = columns.saturating_sub(1);
        let sheet = self.pages.current();
        if last == 0 {
            sheet.write_string_with_format(row, 0, &shown, &self.book.formats.banner)?;
        } else {
            sheet.merge_range(row, 0, row, last, &shown, &self.book.formats.banner)?;
        }
        sheet.set_row_height(row, 45)?;
        Ok(())
    }

    pub fn label(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        // Bold text is a little wider.
        self.note_width(column, display_width(text).saturating_add(1));
        self.styled(row, column, text, |f| &f.label)
    }

    pub fn total_label(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        self.note_width(column, display_width(text).saturating_add(1));
        self.styled(row, column, text, |f| &f.total_label)
    }

    pub fn section(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        self.styled(row, column, text, |f| &f.section)
    }

    /// A remark in grey italics that does not widen its column.
    pub fn note(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        self.styled(row, column, text, |f| &f.note)
    }

    pub fn headers(&mut self, row: u32, headers: Headers<'_>) -> Result<(), ReportError> {
        self.headers_at(row, 0, headers)
    }

    /// Headers from `first_column` on; room is left for a filter button.
    pub fn headers_at(
        &mut self,
        row: u32,
        first_column: u16,
        headers: Headers<'_>,
    ) -> Result<(), ReportError> {
        for (offset, header) in headers.names.iter().enumerate() {
            let column = first_column.saturating_add(column_index(offset)?);
            self.note_width(column, display_width(header).saturating_add(3));
            if headers.numbers.contains(&offset) {
                self.styled(row, column, header, |f| &f.number_header)?;
            } else {
                self.styled(row, column, header, |f| &f.header)?;
            }
        }
        Ok(())
    }

    pub fn money(
        &mut self,
        row: u32,
        column: u16,
        amount: Decimal,
        currency: Currency,
    ) -> Result<(), ReportError> {
        self.note_width(column, money_width(amount, currency));
        let value = to_f64(amount)?;
        let format = self.book.formats.money(currency, false);
        self.pages
            .current()
            .write_number_with_format(row, column, value, format)?;
        Ok(())
    }

    /// A money formula with its exact result saved, so that a program that
    /// does not recalculate shows the right figure.
    pub fn money_formula(
        &mut self,
        row: u32,
        column: u16,
        formula: &str,
        result: Decimal,
        currency: Currency,
    ) -> Result<(), ReportError> {
        self.formula(row, column, formula, result, currency, false)
    }

    /// A total: a money formula in bold with a rule above it.
    pub fn total_formula(
        &mut self,
        row: u32,
        column: u16,
        formula: &str,
        result: Decimal,
        currency: Currency,
    ) -> Result<(), ReportError> {
        self.formula(row, column, formula, result, currency, true)
    }

    fn formula(
        &mut self,
        row: u32,
        column: u16,
        formula: &str,
        result: Decimal,
        currency: Currency,
        total: bool,
    ) -> Result<(), ReportError> {
        self.note_width(column, money_width(result, currency).saturating_add(1));
        let formula = Formula::new(formula).set_result(result.to_string());
        let format = self.book.formats.money(currency, total);
        self.pages
            .current()
            .write_formula_with_format(row, column, formula, format)?;
        Ok(())
    }

    /// A share formula (shown as a percentage) with its result saved, or
    /// `no_share` when there is nothing to divide by. That text is never
    /// empty: rust_xlsxwriter saves an empty result as 0.
    pub fn share_formula(
        &mut self,
        row: u32,
        column: u16,
        formula: &str,
        share: Option<Decimal>,
        no_share: &str,
    ) -> Result<(), ReportError> {
        let result = match share {
            Some(share) => share.to_string(),
            None => no_share.to_string(),
        };
        self.note_width(column, display_width(no_share).max(8));
        self.pages.current().write_formula_with_format(
            row,
            column,
            Formula::new(formula).set_result(result),
            &self.book.formats.share,
        )?;
        Ok(())
    }

    pub fn rate(&mut self, row: u32, column: u16, rate: Decimal) -> Result<(), ReportError> {
        self.note_width(column, rate.to_string().len().clamp(6, 14));
        let value = to_f64(rate)?;
        self.pages.current().write_number_with_format(
            row,
            column,
            value,
            &self.book.formats.rate,
        )?;
        Ok(())
    }

    pub fn date(&mut self, row: u32, column: u16, date: NaiveDate) -> Result<(), ReportError> {
        self.note_width(column, 10);
        self.pages
            .current()
            .write_date_with_format(row, column, date, &self.book.formats.date)?;
        Ok(())
    }

    /// A date among labelled details, on the left like the text around it.
    pub fn detail_date(
        &mut self,
        row: u32,
        column: u16,
        date: NaiveDate,
    ) -> Result<(), ReportError> {
        self.note_width(column, 10);
        self.pages.current().write_date_with_format(
            row,
            column,
            date,
            &self.book.formats.detail_date,
        )?;
        Ok(())
    }

    pub fn count(&mut self, row: u32, column: u16, count: u64) -> Result<(), ReportError> {
        self.note_width(column, count.to_string().len());
        // Counts of rows are far below 2^53, where doubles stay exact.
        let value = count as f64;
        self.pages.current().write_number_with_format(
            row,
            column,
            value,
            &self.book.formats.count,
        )?;
        Ok(())
    }

    /// Keeps the rows down to `row` in view when scrolling, and prints
    /// `row` at the top of every page.
    pub fn freeze_below(&mut self, row: u32) -> Result<(), ReportError> {
        self.pages.current().set_freeze_panes(row + 1, 0)?;
        Ok(())
    }

    /// Prints `row` at the top of every page of every sheet.
    pub fn repeat_when_printed(&mut self, row: u32) {
        self.print_header_row = Some(row);
    }

    /// An autofilter over a table whose header is `header_row`.
    pub fn filter(
        &mut self,
        header_row: u32,
        last_row: u32,
        last_column: u16,
    ) -> Result<(), ReportError> {
        self.pages
            .current()
            .autofilter(header_row, 0, last_row.max(header_row), last_column)?;
        Ok(())
    }

    /// Shows cells of `column` from `first_row` to `last_row` that are
    /// below zero in red: an overspent budget stands out.
    pub fn alarm_below_zero(
        &mut self,
        column: u16,
        first_row: u32,
        last_row: u32,
    ) -> Result<(), ReportError> {
        if last_row < first_row {
            return Ok(());
        }
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::LessThan(0))
            .set_format(self.book.formats.alarm.clone());
        self.pages
            .current()
            .add_conditional_format(first_row, column, last_row, column, &rule)?;
        Ok(())
    }

    pub fn chart(&mut self, row: u32, column: u16, chart: &Chart) -> Result<(), ReportError> {
        self.pages
            .current()
            .insert_chart_with_offset(row, column, chart, 8, 0)?;
        Ok(())
    }

    /// Colours the sheet's tab red, for a report that is incomplete.
    pub fn red_tab(&mut self) {
        self.pages.current().set_tab_color(Color::RGB(0xC0_0000));
    }

    /// Writes `items` as a list under `headers` from the top of the sheet,
    /// one row each; when the sheet is full the list goes on on a new
    /// sheet under the same headers. Each sheet gets an autofilter and a
    /// frozen header row.
    pub fn list<T>(
        &mut self,
        headers: Headers<'_>,
        items: impl IntoIterator<Item = T>,
        mut write: impl FnMut(&mut Self, u32, T) -> Result<(), ReportError>,
    ) -> Result<(), ReportError> {
        let last_column = column_index(headers.names.len().saturating_sub(1))?;
        self.repeat_when_printed(0);
        self.headers(0, headers)?;
        let mut row = 1;
        for item in items {
            if row >= self.book.max_rows {
                self.close_list(row - 1, last_column)?;
                self.new_page()?;
                self.headers(0, headers)?;
                row = 1;
            }
            write(self, row, item)?;
            row += 1;
        }
        self.close_list(row - 1, last_column)
    }

    fn close_list(&mut self, last_row: u32, last_column: u16) -> Result<(), ReportError> {
        self.filter(0, last_row, last_column)?;
        self.freeze_below(0)
    }

    /// Writes a table from `start_row`: a title, headers, and one row per
    /// item; when the sheet is full the table goes on on a new sheet under
    /// its title and headers again. Returns where its rows went and the
    /// first row after it on the sheet it ended on.
    pub fn table<T>(
        &mut self,
        start_row: u32,
        title: &str,
        headers: Headers<'_>,
        items: impl IntoIterator<Item = T>,
        mut write: impl FnMut(&mut Self, u32, T) -> Result<(), ReportError>,
    ) -> Result<(Vec<Span>, u32), ReportError> {
        let mut spans = Vec::new();
        // The title and headers never stand alone at the foot of a sheet.
        let mut row = if start_row.saturating_add(2) >= self.book.max_rows {
            self.new_page()?;
            self.table_top(0, title, headers)?
        } else {
            self.table_top(start_row, title, headers)?
        };
        let mut first = row;
        for item in items {
            if row >= self.book.max_rows {
                self.close_span(&mut spans, first, row);
                self.new_page()?;
                row = self.table_top(0, &format!("{title} (continued)"), headers)?;
                first = row;
            }
            write(self, row, item)?;
            row += 1;
        }
        self.close_span(&mut spans, first, row);
        Ok((spans, row))
    }

    fn table_top(
        &mut self,
        row: u32,
        title: &str,
        headers: Headers<'_>,
    ) -> Result<u32, ReportError> {
        self.section(row, 0, title)?;
        self.headers(row + 1, headers)?;
        Ok(row + 2)
    }

    fn close_span(&mut self, spans: &mut Vec<Span>, first: u32, end: u32) {
        if end > first {
            spans.push(Span {
                sheet: self.name(),
                first_row: first,
                last_row: end - 1,
            });
        }
    }
}

/// Landscape A4, one page wide and as many long as it takes, with the
/// report's header and footer and, for tables, the header row on every
/// page.
fn set_up_printing(
    sheet: &mut Worksheet,
    print: &PrintText,
    header_row: Option<u32>,
) -> Result<(), ReportError> {
    sheet
        .set_landscape()
        .set_paper_size(PAPER_A4)
        .set_print_fit_to_pages(1, 0)
        .set_header(&print.header)
        .set_footer(&print.footer);
    if let Some(row) = header_row {
        sheet.set_repeat_rows(row, row)?;
    }
    Ok(())
}

/// A column's width in Excel's units (about one digit each) for content
/// of `chars` characters, with a little room on either side.
fn column_width(chars: usize) -> f64 {
    let chars = chars.saturating_add(2).clamp(MIN_WIDTH, MAX_WIDTH);
    // At most 60, so the conversion is exact.
    chars as f64
}

/// How many characters a text takes on screen, capped since no column is
/// made wider than [`MAX_WIDTH`].
fn display_width(text: &str) -> usize {
    text.chars().take(MAX_WIDTH).count()
}

/// The characters of an amount as its format shows it: digits, thousands
/// separators, minor units, sign and code (`-1,234.56 EUR`).
fn money_width(amount: Decimal, currency: Currency) -> usize {
    let digits = amount.abs().trunc().to_string().len();
    let separators = digits.saturating_sub(1) / 3;
    let places = usize::try_from(currency.minor_units()).unwrap_or(2);
    let fraction = if places == 0 { 0 } else { places + 1 };
    let sign = usize::from(amount.is_sign_negative());
    digits + separators + fraction + sign + " EUR".len()
}

/// At most `max` UTF-16 units of `text`, cut between characters.
pub fn truncate_utf16(text: &str, max: usize) -> &str {
    let mut units = 0_usize;
    for (index, c) in text.char_indices() {
        units = units.saturating_add(c.len_utf16());
        if units > max {
            return text.get(..index).unwrap_or(text);
        }
    }
    text
}

pub fn column_index(column: usize) -> Result<u16, ReportError> {
    u16::try_from(column).map_err(|_| ReportError::Workbook(XlsxError::RowColumnLimitError))
}

/// The one place money leaves `Decimal`: a cell holds a double. Amounts are
/// rounded to their minor units before they get here, and the double
/// nearest to such an amount reads back as the same decimal.
fn to_f64(amount: Decimal) -> Result<f64, ReportError> {
    amount
        .to_f64()
        .filter(|value| value.is_finite())
        .ok_or(ReportError::Workbook(XlsxError::ParameterError(format!(
            "{amount} cannot be written as a number"
        ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn currency(code: &str) -> Currency {
        Currency::from_code(code).unwrap_or_else(|| panic!("{code} is a currency"))
    }

    #[test]
    fn money_formats_follow_each_currency_minor_units() {
        let cases = [
            ("EUR", "#,##0.00 \"EUR\"_);[Red]-#,##0.00 \"EUR\"_)"),
            ("JPY", "#,##0 \"JPY\"_);[Red]-#,##0 \"JPY\"_)"),
            ("KWD", "#,##0.000 \"KWD\"_);[Red]-#,##0.000 \"KWD\"_)"),
            ("CLF", "#,##0.0000 \"CLF\"_);[Red]-#,##0.0000 \"CLF\"_)"),
        ];
        for (code, format) in cases {
            assert_eq!(money_format(currency(code)), format, "{code}");
        }
    }

    #[test]
    fn money_widths_count_what_the_format_shows() {
        let cases = [
            ("1234.56", "EUR", "1,234.56 EUR"),
            ("-1234567.5", "EUR", "-1,234,567.50 EUR"),
            ("0", "JPY", "0 JPY"),
            ("999", "KWD", "999.000 KWD"),
        ];
        for (amount, code, shown) in cases {
            let amount: Decimal = amount.parse().expect("decimal");
            assert_eq!(money_width(amount, currency(code)), shown.len(), "{shown}");
        }
    }

    #[test]
    fn texts_are_cut_by_utf16_units_between_characters() {
        assert_eq!(truncate_utf16("abc", 2), "ab");
        assert_eq!(truncate_utf16("abc", 3), "abc");
        // An emoji is two units: it is never cut in half.
        assert_eq!(truncate_utf16("a😀b", 2), "a");
        assert_eq!(truncate_utf16("a😀b", 3), "a😀");
        assert_eq!(truncate_utf16("", 0), "");
    }

    #[test]
    fn spans_name_their_sheet_only_from_another_sheet() {
        let spans = [
            Span {
                sheet: "Spring".to_string(),
                first_row: 14,
                last_row: 19,
            },
            Span {
                sheet: "O'Brien (2)".to_string(),
                first_row: 2,
                last_row: 8,
            },
        ];
        assert_eq!(
            sum_formula(&spans, 2, "Spring"),
            "SUM(C15:C20,'O''Brien (2)'!C3:C9)"
        );
        assert_eq!(sum_formula(&[], 2, "Spring"), "0");
    }

    #[test]
    fn columns_are_neither_squeezed_nor_too_wide() {
        assert_eq!(column_width(1), 8.0);
        assert_eq!(column_width(20), 22.0);
        assert_eq!(column_width(500), 60.0);
    }
}
