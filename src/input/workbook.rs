//! Campaign workbooks: the `Campaigns`, `Budget`, `Spend` and `Ad campaigns`
//! sheets, found by name in English or Norwegian, read into records.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::input::amount::{CurrencyMark, DecimalMark, parse_text_amount};
use crate::input::cells::{CellValue, SheetCells, WorkbookCells};
use crate::input::date::{DateOrder, parse_text_date};
use crate::input::table::{ColumnSpec, Header, SheetRows, normalize_name};
use crate::issue::{Issues, Place, column_letters};
use crate::money::Currency;

/// How text amounts and text dates are read (from the configuration).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextForms {
    pub decimal_mark: Option<DecimalMark>,
    pub date_order: Option<DateOrder>,
}

/// The four kinds of sheet a campaign workbook may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SheetKind {
    Campaigns,
    Budget,
    Spend,
    AdCampaigns,
}

const SHEET_NAMES: [(SheetKind, &[&str]); 4] = [
    (
        SheetKind::Campaigns,
        &["Campaigns", "Campaign", "Kampanjer", "Kampanje"],
    ),
    (
        SheetKind::Budget,
        &["Budget", "Budget items", "Budsjett", "Kampanjebudsjett"],
    ),
    (
        SheetKind::Spend,
        &[
            "Spend",
            "Spend items",
            "Expenses",
            "Utgifter",
            "Kampanjeutgifter",
            "Kampanjeforbruk",
        ],
    ),
    (
        SheetKind::AdCampaigns,
        &["Ad campaigns", "Ad campaign links", "Annonsekampanjer"],
    ),
];

/// The kind of a sheet from its name, case-insensitively, ignoring
/// surrounding spaces.
pub fn sheet_kind(name: &str) -> Option<SheetKind> {
    let name = normalize_name(name);
    SHEET_NAMES
        .iter()
        .find(|(_, names)| names.iter().any(|known| normalize_name(known) == name))
        .map(|(kind, _)| *kind)
}

/// Whether a workbook holds at least one campaign sheet.
pub fn is_campaign_workbook(cells: &WorkbookCells) -> bool {
    cells
        .sheets
        .iter()
        .any(|sheet| sheet_kind(&sheet.name).is_some())
}

/// A campaign as a `Campaigns` row defines it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignRecord {
    pub name: String,
    pub currency: Option<Currency>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub owner: Option<String>,
    pub notes: Option<String>,
    pub place: Place,
}

/// Whether an item belongs to the budget or the spend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Budget,
    Spend,
}

impl ItemKind {
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Budget => "budget",
            ItemKind::Spend => "spend",
        }
    }
}

/// A currency mark written in a text amount, and the cell it was in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedCurrency {
    pub mark: CurrencyMark,
    pub text: String,
    pub place: Place,
}

/// A `Budget` or `Spend` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRecord {
    pub kind: ItemKind,
    pub campaign: String,
    /// The Campaign cell, or the row when the workbook's one campaign was
    /// taken.
    pub campaign_place: Place,
    pub name: String,
    pub description: String,
    pub unit_price: Decimal,
    pub quantity: Decimal,
    pub currency: Option<Currency>,
    pub currency_mark: Option<MarkedCurrency>,
    pub date: Option<NaiveDate>,
    /// The row: file, sheet and 1-based row.
    pub place: Place,
}

/// A `Total`, `Totalt`, `Sum` or `Subtotal` row: a figure to check, not an
/// item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlTotal {
    pub kind: ItemKind,
    pub campaign: String,
    pub amount: Decimal,
    pub currency: Option<Currency>,
    pub date: Option<NaiveDate>,
    pub place: Place,
}

/// An `Ad campaigns` row linking an ad campaign to a campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRecord {
    pub campaign: String,
    pub campaign_place: Place,
    pub platform: Option<String>,
    pub ad_campaign: Option<String>,
    pub ad_campaign_id: Option<String>,
    pub place: Place,
}

/// Everything a campaign workbook holds, in sheet and row order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CampaignWorkbook {
    pub campaigns: Vec<CampaignRecord>,
    pub items: Vec<ItemRecord>,
    pub control_totals: Vec<ControlTotal>,
    pub links: Vec<LinkRecord>,
    pub rows_read: u64,
    pub rows_used: u64,
}

const CAMPAIGN_COLUMNS: [ColumnSpec; 6] = [
    ColumnSpec {
        name: "Campaign",
        aliases: &["Name", "Campaign name", "Kampanjenavn", "Kampanje"],
    },
    ColumnSpec {
        name: "Currency",
        aliases: &["Valuta", "Kampanjevaluta"],
    },
    ColumnSpec {
        name: "Start",
        aliases: &["Start date", "Startdato"],
    },
    ColumnSpec {
        name: "End",
        aliases: &["End date", "Sluttdato"],
    },
    ColumnSpec {
        name: "Owner",
        aliases: &["Eier"],
    },
    ColumnSpec {
        name: "Notes",
        aliases: &["Notater"],
    },
];

const ITEM_COLUMNS: [ColumnSpec; 7] = [
    ColumnSpec {
        name: "Campaign",
        aliases: &["Campaign name", "Kampanje", "Kampanjenavn"],
    },
    ColumnSpec {
        name: "Name",
        aliases: &["Item", "Navn"],
    },
    ColumnSpec {
        name: "Description",
        aliases: &["Beskrivelse"],
    },
    ColumnSpec {
        name: "Unit price",
        aliases: &["Amount", "Price", "Enhetspris", "Belop", "Beløp"],
    },
    ColumnSpec {
        name: "Quantity",
        aliases: &["Qty", "Antall"],
    },
    ColumnSpec {
        name: "Currency",
        aliases: &["Valuta"],
    },
    ColumnSpec {
        name: "Date",
        aliases: &["Dato"],
    },
];

const LINK_COLUMNS: [ColumnSpec; 4] = [
    ColumnSpec {
        name: "Campaign",
        aliases: &["Campaign name", "Kampanje", "Kampanjenavn"],
    },
    ColumnSpec {
        name: "Platform",
        aliases: &["Plattform"],
    },
    ColumnSpec {
        name: "Ad campaign",
        aliases: &["Ad campaign name", "Annonsekampanje"],
    },
    ColumnSpec {
        name: "Ad campaign ID",
        aliases: &["Ad campaign id", "Annonsekampanje-ID"],
    },
];

/// Names that make a row a control total rather than an item.
const CONTROL_TOTAL_NAMES: [&str; 4] = ["total", "totalt", "sum", "subtotal"];

/// Reads the campaign sheets of a workbook. Problems go to `issues`; rows
/// with errors are left out of the result.
pub fn read_campaign_workbook(
    file: &str,
    cells: &WorkbookCells,
    forms: TextForms,
    issues: &mut Issues,
) -> CampaignWorkbook {
    let mut reader = WorkbookReader {
        file,
        forms,
        issues,
        named_campaigns: Vec::new(),
        out: CampaignWorkbook::default(),
    };
    let mut sheets: Vec<(SheetKind, &SheetCells)> = cells
        .sheets
        .iter()
        .filter_map(|sheet| sheet_kind(&sheet.name).map(|kind| (kind, sheet)))
        .collect();
    // Campaigns first: whether the workbook defines exactly one campaign
    // decides if item rows may leave out the Campaign column.
    sheets.sort_by_key(|(kind, _)| *kind != SheetKind::Campaigns);
    for (kind, sheet) in sheets {
        reader.read_sheet(kind, sheet);
    }
    reader.out
}

struct WorkbookReader<'a> {
    file: &'a str,
    forms: TextForms,
    issues: &'a mut Issues,
    /// Every name in a Campaigns row, also of rows with errors.
    named_campaigns: Vec<String>,
    out: CampaignWorkbook,
}

/// One data row: its 0-based row and the cells under each spec's column.
struct Row<'c> {
    row: u32,
    values: Vec<Option<(u32, &'c CellValue)>>,
}

impl Row<'_> {
    fn is_blank(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }
}

impl WorkbookReader<'_> {
    fn read_sheet(&mut self, kind: SheetKind, sheet: &SheetCells) {
        if sheet.cells.is_empty() {
            return;
        }
        let specs: &[ColumnSpec] = match kind {
            SheetKind::Campaigns => &CAMPAIGN_COLUMNS,
            SheetKind::Budget | SheetKind::Spend => &ITEM_COLUMNS,
            SheetKind::AdCampaigns => &LINK_COLUMNS,
        };
        let rows = SheetRows::new(sheet);
        let Some(header) = rows.find_header(specs, |columns| has_required(kind, columns)) else {
            self.missing_header(kind, sheet);
            return;
        };
        self.report_duplicates(sheet, specs, &header);

        for (row, cells) in rows.rows_below(header.row) {
            let values = (0..specs.len())
                .map(|spec| {
                    let column = header.column(spec)?;
                    cells.get(&column).map(|value| (column, *value))
                })
                .collect();
            let row = Row { row, values };
            if row.is_blank() {
                continue;
            }
            self.out.rows_read += 1;
            let used = match kind {
                SheetKind::Campaigns => self.campaign_row(sheet, &row),
                SheetKind::Budget => self.item_row(ItemKind::Budget, sheet, &header, &row),
                SheetKind::Spend => self.item_row(ItemKind::Spend, sheet, &header, &row),
                SheetKind::AdCampaigns => self.link_row(sheet, &header, &row),
            };
            if used {
                self.out.rows_used += 1;
            }
        }
    }

    fn missing_header(&mut self, kind: SheetKind, sheet: &SheetCells) {
        let expected = match kind {
            SheetKind::Campaigns => "a Campaign column (or Name, Campaign name, Kampanjenavn)",
            SheetKind::Budget | SheetKind::Spend => {
                "the columns Name (or Item, Navn) and Unit price (or Amount, Price, Enhetspris, Beløp)"
            }
            SheetKind::AdCampaigns => {
                "the columns Campaign and Ad campaign or Ad campaign ID (or Annonsekampanje)"
            }
        };
        self.issues.error(
            Place::file(self.file).with_sheet(&sheet.name),
            format!("no header row found in the first 20 rows: expected a row with {expected}"),
        );
    }

    fn report_duplicates(&mut self, sheet: &SheetCells, specs: &[ColumnSpec], header: &Header) {
        for (spec, column) in &header.duplicates {
            let Some(spec_name) = specs.get(*spec).map(|spec| spec.name) else {
                continue;
            };
            let first = header.column(*spec).map(column_letters).unwrap_or_default();
            self.issues.warning(
                Place::cell(self.file, &sheet.name, header.row, *column),
                format!("a second {spec_name} column; only the first one (column {first}) is read"),
            );
        }
    }

    fn place(&self, sheet: &SheetCells, row: u32, column: u32) -> Place {
        Place::cell(self.file, &sheet.name, row, column)
    }

    fn row_place(&self, sheet: &SheetCells, row: u32) -> Place {
        Place::file(self.file)
            .with_sheet(&sheet.name)
            .with_row(u64::from(row) + 1)
    }

    /// Reads one optional cell through `read`, reporting a failure at the
    /// cell. `Ok(None)` when the cell is empty.
    fn field<T>(
        &mut self,
        sheet: &SheetCells,
        row: &Row<'_>,
        spec: usize,
        label: &str,
        read: impl FnOnce(&CellValue) -> Result<T, String>,
    ) -> Result<Option<T>, ()> {
        let Some((column, value)) = row.values.get(spec).copied().flatten() else {
            return Ok(None);
        };
        match read(value) {
            Ok(found) => Ok(Some(found)),
            Err(message) => {
                let place = self.place(sheet, row.row, column);
                self.issues.error(place, format!("{label}: {message}"));
                Err(())
            }
        }
    }

    fn text_field(
        &mut self,
        sheet: &SheetCells,
        row: &Row<'_>,
        spec: usize,
        label: &str,
    ) -> Result<Option<String>, ()> {
        let text = self.field(sheet, row, spec, label, cell_text)?;
        Ok(text.filter(|text| !text.is_empty()))
    }

    fn campaign_row(&mut self, sheet: &SheetCells, row: &Row<'_>) -> bool {
        let forms = self.forms;
        let name = self.text_field(sheet, row, 0, "Campaign");
        if let Ok(Some(name)) = &name
            && !self.named_campaigns.contains(name)
        {
            self.named_campaigns.push(name.clone());
        }
        let currency = self.field(sheet, row, 1, "Currency", cell_currency);
        let start = self.field(sheet, row, 2, "Start", |value| cell_date(value, forms));
        let end = self.field(sheet, row, 3, "End", |value| cell_date(value, forms));
        let owner = self.text_field(sheet, row, 4, "Owner");
        let notes = self.text_field(sheet, row, 5, "Notes");
        let (Ok(name), Ok(currency), Ok(start), Ok(end), Ok(owner), Ok(notes)) =
            (name, currency, start, end, owner, notes)
        else {
            return false;
        };
        let place = self.row_place(sheet, row.row);
        let Some(name) = name else {
            self.issues.error(
                place,
                "the Campaign name is empty: every campaign row needs a name",
            );
            return false;
        };
        if let (Some(start), Some(end)) = (start, end)
            && start > end
        {
            self.issues.error(
                place,
                format!("campaign '{name}' starts on {start}, after it ends on {end}"),
            );
            return false;
        }
        self.out.campaigns.push(CampaignRecord {
            name,
            currency,
            start,
            end,
            owner,
            notes,
            place,
        });
        true
    }

    /// The workbook's single campaign, when it defines exactly one.
    fn only_campaign(&self) -> Option<String> {
        match self.named_campaigns.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        }
    }

    fn item_campaign(
        &mut self,
        sheet: &SheetCells,
        header: &Header,
        row: &Row<'_>,
    ) -> Result<(String, Place), ()> {
        let named = self.text_field(sheet, row, 0, "Campaign")?;
        let cell_place = match header.column(0) {
            Some(column) => self.place(sheet, row.row, column),
            None => self.row_place(sheet, row.row),
        };
        if let Some(name) = named {
            return Ok((name, cell_place));
        }
        if let Some(name) = self.only_campaign() {
            return Ok((name, cell_place));
        }
        let why = if header.column(0).is_some() {
            "the Campaign cell is empty"
        } else {
            "there is no Campaign column"
        };
        self.issues.error(
            cell_place,
            format!("{why}: name the campaign of each row (it may be left out only in a workbook that defines exactly one campaign)"),
        );
        Err(())
    }

    fn item_row(
        &mut self,
        kind: ItemKind,
        sheet: &SheetCells,
        header: &Header,
        row: &Row<'_>,
    ) -> bool {
        let forms = self.forms;
        let campaign = self.item_campaign(sheet, header, row);
        let name = self.text_field(sheet, row, 1, "Name");
        let description = self.text_field(sheet, row, 2, "Description");
        let price = self.field(sheet, row, 3, "Unit price", |value| {
            cell_amount(value, forms)
        });
        let quantity = self.field(sheet, row, 4, "Quantity", |value| {
            cell_quantity(value, forms)
        });
        let currency = self.field(sheet, row, 5, "Currency", cell_currency);
        let date = self.field(sheet, row, 6, "Date", |value| cell_date(value, forms));
        let (
            Ok((campaign, campaign_place)),
            Ok(name),
            Ok(description),
            Ok(price),
            Ok(quantity),
            Ok(currency),
            Ok(date),
        ) = (campaign, name, description, price, quantity, currency, date)
        else {
            return false;
        };
        let place = self.row_place(sheet, row.row);
        let Some(name) = name else {
            self.issues.error(
                place,
                "the Name is empty: every budget and spend row needs a name",
            );
            return false;
        };
        let is_control_total =
            CONTROL_TOTAL_NAMES.contains(&normalize_name(name.trim_end_matches(':')).as_str());
        let Some((unit_price, mark)) = price else {
            if is_control_total {
                return false;
            }
            let place = match header.column(3) {
                Some(column) => self.place(sheet, row.row, column),
                None => place,
            };
            self.issues.error(
                place,
                format!("Unit price: '{name}' has no unit price; fill in an amount"),
            );
            return false;
        };
        let quantity = quantity.unwrap_or(Decimal::ONE);
        let Some(amount) = quantity.checked_mul(unit_price) else {
            self.issues.error(
                place,
                format!("{quantity} x {unit_price} is too large to compute"),
            );
            return false;
        };
        if is_control_total {
            let total = ControlTotal {
                kind,
                campaign,
                amount,
                currency,
                date,
                place,
            };
            self.out.control_totals.push(total);
            return true;
        }
        let currency_mark = mark.map(|(mark, text)| MarkedCurrency {
            mark,
            text,
            place: header.column(3).map_or_else(
                || place.clone(),
                |column| self.place(sheet, row.row, column),
            ),
        });
        self.out.items.push(ItemRecord {
            kind,
            campaign,
            campaign_place,
            name,
            description: description.unwrap_or_default(),
            unit_price,
            quantity,
            currency,
            currency_mark,
            date,
            place,
        });
        true
    }

    fn link_row(&mut self, sheet: &SheetCells, header: &Header, row: &Row<'_>) -> bool {
        let campaign = self.text_field(sheet, row, 0, "Campaign");
        let platform = self.text_field(sheet, row, 1, "Platform");
        let ad_campaign = self.text_field(sheet, row, 2, "Ad campaign");
        let ad_campaign_id = self.text_field(sheet, row, 3, "Ad campaign ID");
        let (Ok(campaign), Ok(platform), Ok(ad_campaign), Ok(ad_campaign_id)) =
            (campaign, platform, ad_campaign, ad_campaign_id)
        else {
            return false;
        };
        let place = self.row_place(sheet, row.row);
        let Some(campaign) = campaign else {
            self.issues.error(
                place,
                "the Campaign is empty: name the campaign the ad campaign belongs to",
            );
            return false;
        };
        if ad_campaign.is_none() && ad_campaign_id.is_none() {
            self.issues.error(place, format!("the link to campaign '{campaign}' names no ad campaign: fill in Ad campaign or Ad campaign ID"));
            return false;
        }
        let campaign_place = header.column(0).map_or_else(
            || place.clone(),
            |column| self.place(sheet, row.row, column),
        );
        self.out.links.push(LinkRecord {
            campaign,
            campaign_place,
            platform,
            ad_campaign,
            ad_campaign_id,
            place,
        });
        true
    }
}

fn has_required(kind: SheetKind, columns: &[Option<u32>]) -> bool {
    let has = |spec: usize| columns.get(spec).copied().flatten().is_some();
    match kind {
        SheetKind::Campaigns => has(0),
        SheetKind::Budget | SheetKind::Spend => has(1) && has(3),
        SheetKind::AdCampaigns => has(0) && (has(2) || has(3)),
    }
}

const NO_RESULT: &str = "the formula has no saved result (the file was written by a program that does not calculate); open it in a spreadsheet program such as Excel or LibreOffice and save it, so that its results are stored";

fn cell_problem(value: &CellValue) -> Option<String> {
    match value {
        CellValue::Error(error) => Some(format!(
            "the cell holds the error value {error}; correct the formula or value"
        )),
        CellValue::FormulaWithoutResult => Some(NO_RESULT.to_string()),
        _ => None,
    }
}

/// A cell as text: text trimmed, numbers and dates as they read.
pub fn cell_text(value: &CellValue) -> Result<String, String> {
    if let Some(problem) = cell_problem(value) {
        return Err(problem);
    }
    Ok(match value {
        CellValue::Text(text) => text.trim().to_string(),
        CellValue::Number(number) => number.normalize().to_string(),
        CellValue::Bool(flag) => if *flag { "TRUE" } else { "FALSE" }.to_string(),
        CellValue::Date(date) => date.to_string(),
        CellValue::Error(_) | CellValue::FormulaWithoutResult => String::new(),
    })
}

/// A money cell: a number, or a text amount with the currency mark it
/// carries and the text it was read from.
pub fn cell_amount(
    value: &CellValue,
    forms: TextForms,
) -> Result<(Decimal, Option<(CurrencyMark, String)>), String> {
    if let Some(problem) = cell_problem(value) {
        return Err(problem);
    }
    match value {
        CellValue::Number(number) => Ok((*number, None)),
        CellValue::Text(text) => {
            let amount =
                parse_text_amount(text, forms.decimal_mark).map_err(|err| err.to_string())?;
            Ok((
                amount.value,
                amount.currency.map(|mark| (mark, text.trim().to_string())),
            ))
        }
        CellValue::Date(date) => Err(format!("found the date {date}, expected an amount")),
        CellValue::Bool(flag) => Err(format!(
            "found the truth value {}, expected an amount",
            if *flag { "TRUE" } else { "FALSE" }
        )),
        CellValue::Error(_) | CellValue::FormulaWithoutResult => Err(NO_RESULT.to_string()),
    }
}

fn cell_quantity(value: &CellValue, forms: TextForms) -> Result<Decimal, String> {
    match cell_amount(value, forms)? {
        (quantity, None) => Ok(quantity),
        (_, Some((_, text))) => Err(format!(
            "'{text}' is not a quantity: expected a plain number such as 3 or 2.5"
        )),
    }
}

/// A date cell, or a text date in ISO form (other forms with `date_order`).
pub fn cell_date(value: &CellValue, forms: TextForms) -> Result<NaiveDate, String> {
    if let Some(problem) = cell_problem(value) {
        return Err(problem);
    }
    match value {
        CellValue::Date(date) => Ok(*date),
        CellValue::Text(text) => {
            parse_text_date(text, forms.date_order).map_err(|err| err.to_string())
        }
        CellValue::Number(number) => Err(format!(
            "found the number {number}, expected a date: format the cell as a date or write it as 2026-03-01"
        )),
        CellValue::Bool(_) | CellValue::Error(_) | CellValue::FormulaWithoutResult => {
            Err("expected a date such as 2026-03-01".to_string())
        }
    }
}

/// A currency cell: an ISO 4217 code.
pub fn cell_currency(value: &CellValue) -> Result<Currency, String> {
    let text = cell_text(value)?;
    Currency::from_code(&text).ok_or_else(|| {
        format!(
            "'{text}' is not an ISO 4217 currency code; expected a code such as EUR, NOK or USD"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::cells::Cell;
    use rust_decimal_macros::dec;

    fn text(value: &str) -> CellValue {
        CellValue::Text(value.to_string())
    }

    fn num(value: Decimal) -> CellValue {
        CellValue::Number(value)
    }

    fn sheet(name: &str, rows: Vec<Vec<CellValue>>) -> SheetCells {
        let mut cells = Vec::new();
        for (row, values) in rows.into_iter().enumerate() {
            for (column, value) in values.into_iter().enumerate() {
                if value != text("") {
                    cells.push(Cell {
                        row: row as u32,
                        column: column as u32,
                        value,
                    });
                }
            }
        }
        SheetCells {
            name: name.to_string(),
            cells,
            merged: Vec::new(),
        }
    }

    fn read(sheets: Vec<SheetCells>) -> (CampaignWorkbook, Issues) {
        let mut issues = Issues::default();
        let book = read_campaign_workbook(
            "plan.xlsx",
            &WorkbookCells { sheets },
            TextForms::default(),
            &mut issues,
        );
        (book, issues)
    }

    fn messages(issues: &Issues) -> Vec<String> {
        issues.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn sheet_names_match_english_and_norwegian_aliases() {
        let cases = [
            ("Campaigns", Some(SheetKind::Campaigns)),
            (" kampanjer ", Some(SheetKind::Campaigns)),
            ("BUDGET", Some(SheetKind::Budget)),
            ("Budsjett", Some(SheetKind::Budget)),
            ("Expenses", Some(SheetKind::Spend)),
            ("Kampanjeforbruk", Some(SheetKind::Spend)),
            ("Ad campaign links", Some(SheetKind::AdCampaigns)),
            ("Sheet1", None),
            ("Budget 2026", None),
        ];
        for (name, kind) in cases {
            assert_eq!(sheet_kind(name), kind, "{name}");
        }
    }

    #[test]
    fn norwegian_workbook_with_title_rows_blank_rows_and_one_campaign() {
        let campaigns = sheet(
            "Kampanjer",
            vec![
                vec![text("Kampanjeplan 2026")],
                vec![],
                vec![
                    text("Kampanjenavn"),
                    text("Valuta"),
                    text("Startdato"),
                    text("Sluttdato"),
                    text("Eier"),
                ],
                vec![
                    text(" Sommersalg "),
                    text("nok"),
                    text("2026-06-01"),
                    text("2026-08-31"),
                    text("Kari"),
                ],
            ],
        );
        let budget = sheet(
            "Budsjett",
            vec![
                vec![
                    text("Navn"),
                    text("Beskrivelse"),
                    text("Enhetspris"),
                    text("Antall"),
                    text("Dato"),
                ],
                vec![text("Plakater"), text("A3"), num(dec!(12.5)), num(dec!(4))],
                vec![],
                vec![text("Radio"), text(""), text("kr 1 234,50")],
                vec![text("Totalt"), text(""), num(dec!(1284.50))],
            ],
        );
        let (book, issues) = read(vec![budget, campaigns]);
        assert!(issues.is_empty(), "{:?}", messages(&issues));
        assert_eq!(book.campaigns.len(), 1);
        let campaign = &book.campaigns[0];
        assert_eq!(campaign.name, "Sommersalg");
        assert_eq!(
            campaign.currency.map(|c| c.code().to_string()),
            Some("NOK".into())
        );
        assert_eq!(campaign.start, NaiveDate::from_ymd_opt(2026, 6, 1));
        assert_eq!(campaign.owner.as_deref(), Some("Kari"));
        assert_eq!(campaign.place.row, Some(4));

        let items: Vec<_> = book
            .items
            .iter()
            .map(|i| {
                (
                    i.campaign.as_str(),
                    i.name.as_str(),
                    i.unit_price,
                    i.quantity,
                )
            })
            .collect();
        assert_eq!(
            items,
            [
                ("Sommersalg", "Plakater", dec!(12.5), dec!(4)),
                ("Sommersalg", "Radio", dec!(1234.50), dec!(1))
            ]
        );
        assert_eq!(
            book.items[1]
                .currency_mark
                .as_ref()
                .map(|m| m.mark.written.as_str()),
            Some("kr")
        );
        assert_eq!(book.control_totals.len(), 1);
        assert_eq!(book.control_totals[0].amount, dec!(1284.50));
        assert_eq!(book.control_totals[0].place.row, Some(5));
        assert_eq!((book.rows_read, book.rows_used), (4, 4));
    }

    #[test]
    fn bad_cells_are_errors_with_their_cell() {
        let campaigns = sheet(
            "Campaigns",
            vec![
                vec![
                    text("Campaign"),
                    text("Currency"),
                    text("Start"),
                    text("End"),
                ],
                vec![text("A"), text("Euro")],
                vec![
                    text("B"),
                    text("EUR"),
                    text("2026-05-01"),
                    text("2026-04-01"),
                ],
                vec![text("C"), text("EUR")],
            ],
        );
        let spend = sheet(
            "Spend",
            vec![
                vec![
                    text("Campaign"),
                    text("Name"),
                    text("Unit price"),
                    text("Quantity"),
                    text("Date"),
                ],
                vec![text("C"), text("Print"), text("12,5O")],
                vec![text("C"), text("Print"), CellValue::Error("#REF!".into())],
                vec![text("C"), text("Print"), CellValue::FormulaWithoutResult],
                vec![text("C"), text("Print"), num(dec!(1)), text("two")],
                vec![
                    text("C"),
                    text("Print"),
                    num(dec!(1)),
                    num(dec!(1)),
                    text("01.03.2026"),
                ],
                vec![
                    text("C"),
                    text("Print"),
                    CellValue::Date(NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")),
                ],
                vec![text(""), text("Print"), num(dec!(1))],
                vec![text("C"), text(""), num(dec!(1))],
                vec![text("C"), text("Print")],
                vec![text("C"), text("Good"), num(dec!(5))],
            ],
        );
        let (book, issues) = read(vec![campaigns, spend]);
        let found: Vec<_> = issues
            .iter()
            .map(|i| {
                (
                    i.place.sheet.clone().unwrap_or_default(),
                    i.place.row,
                    i.place.column.clone(),
                )
            })
            .collect();
        let expected = [
            ("Campaigns", Some(2), Some("B")),
            ("Campaigns", Some(3), None),
            ("Spend", Some(2), Some("C")),
            ("Spend", Some(3), Some("C")),
            ("Spend", Some(4), Some("C")),
            ("Spend", Some(5), Some("D")),
            ("Spend", Some(6), Some("E")),
            ("Spend", Some(7), Some("C")),
            ("Spend", Some(8), Some("A")),
            ("Spend", Some(9), None),
            ("Spend", Some(10), Some("C")),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(s, r, c)| (s.to_string(), *r, c.map(str::to_string)))
            .collect();
        assert_eq!(found, expected, "{:?}", messages(&issues));
        assert!(issues.iter().all(|issue| issue.is_error()));
        assert_eq!(book.items.len(), 1);
        assert_eq!(book.campaigns.len(), 1);
        let all = messages(&issues).join("\n");
        for needle in [
            "'Euro' is not an ISO 4217 currency code",
            "#REF!",
            "open it in a spreadsheet program",
            "starts on 2026-05-01, after it ends on 2026-04-01",
            "the Campaign cell is empty",
        ] {
            assert!(all.contains(needle), "missing {needle:?} in\n{all}");
        }
    }

    #[test]
    fn a_sheet_without_its_headers_is_an_error() {
        let budget = sheet(
            "Budget",
            vec![
                vec![text("Item"), text("Cost")],
                vec![text("Print"), num(dec!(5))],
            ],
        );
        let (book, issues) = read(vec![budget]);
        assert_eq!(book, CampaignWorkbook::default());
        assert_eq!(
            messages(&issues),
            [
                "error: plan.xlsx, sheet 'Budget': no header row found in the first 20 rows: expected a row with the columns Name (or Item, Navn) and Unit price (or Amount, Price, Enhetspris, Beløp)"
            ]
        );
    }

    #[test]
    fn links_need_a_campaign_and_an_ad_campaign() {
        let links = sheet(
            "Ad campaigns",
            vec![
                vec![
                    text("Campaign"),
                    text("Platform"),
                    text("Ad campaign"),
                    text("Ad campaign ID"),
                ],
                vec![text("Launch"), text("google-ads"), text("Launch | Search")],
                vec![text("Launch"), text(""), text(""), num(dec!(123456))],
                vec![text("Launch"), text("meta-ads")],
            ],
        );
        let (book, issues) = read(vec![links]);
        assert_eq!(book.links.len(), 2);
        assert_eq!(book.links[1].ad_campaign_id.as_deref(), Some("123456"));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues.iter().next().and_then(|i| i.place.row), Some(4));
    }
}
