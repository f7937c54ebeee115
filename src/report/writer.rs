//! Writing cells of the report: text always as text, money in its
//! currency's format, formulas always with their saved result, and Excel's
//! limits kept.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Color, Format, FormatBorder, Formula, Worksheet, XlsxError};

use crate::issue::{Issue, Place, column_letters};
use crate::money::Currency;

use super::ReportError;

/// Excel's limit on the characters of one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The formats of the report, made once.
pub struct Formats {
    title: Format,
    banner: Format,
    label: Format,
    section: Format,
    header: Format,
    date: Format,
    share: Format,
    rate: Format,
    count: Format,
    money: RefCell<HashMap<Currency, Format>>,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            banner: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0x9C_0006))
                .set_background_color(Color::RGB(0xFF_C7CE)),
            label: Format::new().set_bold(),
            section: Format::new().set_bold().set_font_size(12),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDD_EBF7))
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            share: Format::new().set_num_format("0.0%"),
            rate: Format::new().set_num_format("0.0000######"),
            count: Format::new().set_num_format("0"),
            money: RefCell::new(HashMap::new()),
        }
    }

    /// Thousands separators, the currency's minor units and its code:
    /// `#,##0.00 "NOK"`, `#,##0 "JPY"`.
    fn money(&self, currency: Currency) -> Format {
        let mut cache = self.money.borrow_mut();
        cache
            .entry(currency)
            .or_insert_with(|| {
                let places = currency.minor_units();
                let digits = if places == 0 {
                    "#,##0".to_string()
                } else {
                    format!("#,##0.{}", "0".repeat(usize::try_from(places).unwrap_or(2)))
                };
                Format::new()
                    .set_num_format(format!("{digits} \"{currency}\";-{digits} \"{currency}\""))
            })
            .clone()
    }
}

/// Writes cells into one sheet, collecting warnings for texts shortened.
pub struct SheetWriter<'a> {
    sheet: &'a mut Worksheet,
    formats: &'a Formats,
    warnings: &'a mut Vec<Issue>,
}

impl<'a> SheetWriter<'a> {
    pub fn new(
        sheet: &'a mut Worksheet,
        formats: &'a Formats,
        warnings: &'a mut Vec<Issue>,
    ) -> SheetWriter<'a> {
        SheetWriter {
            sheet,
            formats,
            warnings,
        }
    }

    pub fn set_widths(&mut self, widths: &[f64]) {
        for (column, width) in widths.iter().enumerate() {
            if let Ok(column) = u16::try_from(column) {
                // Widths are set before any cell, so this cannot fail on
                // anything but a bad column, which the loop rules out.
                let _ = self.sheet.set_column_width(column, *width);
            }
        }
    }

    /// Text from the inputs or about them: always a string cell, never a
    /// formula, shortened to Excel's limit with a warning.
    pub fn text(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        let shown = self.fit(row, column, text);
        self.sheet.write_string(row, column, shown)?;
        Ok(())
    }

    fn styled_text(
        &mut self,
        row: u32,
        column: u16,
        text: &str,
        format: &Format,
    ) -> Result<(), ReportError> {
        let shown = self.fit(row, column, text);
        self.sheet
            .write_string_with_format(row, column, shown, format)?;
        Ok(())
    }

    fn fit<'t>(&mut self, row: u32, column: u16, text: &'t str) -> &'t str {
        let Some((cut, _)) = text.char_indices().nth(MAX_CELL_CHARS) else {
            return text;
        };
        let place = Place {
            file: String::new(),
            sheet: Some(self.sheet.name()),
            row: Some(u64::from(row) + 1),
            column: Some(column_letters(u32::from(column))),
        };
        self.warnings.push(Issue::warning(
            place,
            format!(
                "a text of {} characters was shortened to {MAX_CELL_CHARS}, the most a cell can hold; the JSON summary keeps it whole",
                text.chars().count()
            ),
        ));
        text.get(..cut).unwrap_or(text)
    }

    pub fn title(&mut self, row: u32, text: &str) -> Result<(), ReportError> {
        let format = self.formats.title.clone();
        self.styled_text(row, 0, text, &format)
    }

    pub fn banner(&mut self, row: u32, text: &str) -> Result<(), ReportError> {
        let format = self.formats.banner.clone();
        self.styled_text(row, 0, text, &format)
    }

    pub fn label(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        let format = self.formats.label.clone();
        self.styled_text(row, column, text, &format)
    }

    pub fn section(&mut self, row: u32, column: u16, text: &str) -> Result<(), ReportError> {
        let format = self.formats.section.clone();
        self.styled_text(row, column, text, &format)
    }

    pub fn headers(&mut self, row: u32, headers: &[&str]) -> Result<(), ReportError> {
        let format = self.formats.header.clone();
        for (column, header) in headers.iter().enumerate() {
            self.styled_text(row, column_index(column)?, header, &format)?;
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
        let format = self.formats.money(currency);
        self.sheet
            .write_number_with_format(row, column, to_f64(amount)?, &format)?;
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
        let format = self.formats.money(currency);
        let formula = Formula::new(formula).set_result(result.to_string());
        self.sheet
            .write_formula_with_format(row, column, formula, &format)?;
        Ok(())
    }

    /// `SUM` over `count` rows of `sum_column` from `first_row`; an empty
    /// range sums to a formula of 0 so that the cell is still a formula.
    #[allow(clippy::too_many_arguments)]
    pub fn sum(
        &mut self,
        row: u32,
        column: u16,
        sum_column: u16,
        first_row: u32,
        count: u32,
        result: Decimal,
        currency: Currency,
    ) -> Result<(), ReportError> {
        let formula = if count == 0 {
            "0".to_string()
        } else {
            let letters = column_letters(u32::from(sum_column));
            let top = u64::from(first_row) + 1;
            let bottom = u64::from(first_row) + u64::from(count);
            format!("SUM({letters}{top}:{letters}{bottom})")
        };
        self.money_formula(row, column, &formula, result, currency)
    }

    /// A share formula (shown as a percentage); an empty text result when
    /// there is nothing to divide by.
    pub fn share_formula(
        &mut self,
        row: u32,
        column: u16,
        formula: &str,
        share: Option<Decimal>,
    ) -> Result<(), ReportError> {
        let result = share.map(|share| share.to_string()).unwrap_or_default();
        let format = self.formats.share.clone();
        self.sheet.write_formula_with_format(
            row,
            column,
            Formula::new(formula).set_result(result),
            &format,
        )?;
        Ok(())
    }

    pub fn rate(&mut self, row: u32, column: u16, rate: Decimal) -> Result<(), ReportError> {
        let format = self.formats.rate.clone();
        self.sheet
            .write_number_with_format(row, column, to_f64(rate)?, &format)?;
        Ok(())
    }

    pub fn date(&mut self, row: u32, column: u16, date: NaiveDate) -> Result<(), ReportError> {
        let format = self.formats.date.clone();
        self.sheet
            .write_date_with_format(row, column, date, &format)?;
        Ok(())
    }

    pub fn count(&mut self, row: u32, column: u16, count: u64) -> Result<(), ReportError> {
        let format = self.formats.count.clone();
        // Counts of rows are far below 2^53, where doubles stay exact.
        let value = count as f64;
        self.sheet
            .write_number_with_format(row, column, value, &format)?;
        Ok(())
    }

    /// Keeps the rows down to `header_row` in view when scrolling.
    pub fn freeze_below(&mut self, header_row: u32) -> Result<(), ReportError> {
        self.sheet.set_freeze_panes(header_row + 1, 0)?;
        Ok(())
    }

    /// An autofilter over a long table and its header kept in view.
    pub fn filter_and_freeze(
        &mut self,
        header_row: u32,
        last_row: u32,
        last_column: u16,
    ) -> Result<(), ReportError> {
        self.sheet
            .autofilter(header_row, 0, last_row.max(header_row), last_column)?;
        self.freeze_below(header_row)
    }
}

fn column_index(column: usize) -> Result<u16, ReportError> {
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
