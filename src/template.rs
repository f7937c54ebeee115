//! Blank, documented inputs of each kind: a campaign workbook, a rates
//! file, a configuration and an export profile. The files in `templates/`
//! are exactly what these functions give.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, Format,
    FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::money::Currency;

/// The kinds of template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateKind {
    Campaign,
    Rates,
    Config,
    Profile,
}

impl TemplateKind {
    /// The file name the template is written to by default, and kept under
    /// in `templates/`.
    pub fn file_name(self) -> &'static str {
        match self {
            TemplateKind::Campaign => "campaign.xlsx",
            TemplateKind::Rates => "rates.csv",
            TemplateKind::Config => "spendsheet.toml",
            TemplateKind::Profile => "profile.toml",
        }
    }
}

/// The bytes of a template.
pub fn template(kind: TemplateKind) -> Result<Vec<u8>, XlsxError> {
    match kind {
        TemplateKind::Campaign => campaign_workbook(),
        TemplateKind::Rates => Ok(RATES.as_bytes().to_vec()),
        TemplateKind::Config => Ok(CONFIG.as_bytes().to_vec()),
        TemplateKind::Profile => Ok(PROFILE.as_bytes().to_vec()),
    }
}

/// A rates file in the simple layout: 1 From = Rate To on Date.
const RATES: &str = "Date,From,To,Rate\n";

/// Every key of the configuration, commented out, with what it does.
const CONFIG: &str = include_str!("../templates/spendsheet.toml");

/// An export profile to fill in for another platform.
const PROFILE: &str = include_str!("../templates/profile.toml");

/// Rows of the campaign sheets that get data validation and date formats.
const ROWS: u32 = 1000;

/// A column of a template sheet: its header and what it is for.
struct Column {
    header: &'static str,
    note: &'static str,
    kind: ColumnKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Text,
    Currency,
    Date,
    Number,
    Platform,
}

const fn column(header: &'static str, kind: ColumnKind, note: &'static str) -> Column {
    Column { header, note, kind }
}

const CAMPAIGNS: [Column; 6] = [
    column(
        "Campaign",
        ColumnKind::Text,
        "Required. The campaign's name, its key everywhere: written the same way in every sheet and file (case counts).",
    ),
    column(
        "Currency",
        ColumnKind::Currency,
        "The ISO 4217 code all its figures are shown in (EUR, NOK, USD). Empty: default_currency from spendsheet.toml.",
    ),
    column(
        "Start",
        ColumnKind::Date,
        "First day of the flight, a date. Daily ad budgets are multiplied by the flight's days.",
    ),
    column(
        "End",
        ColumnKind::Date,
        "Last day of the flight, a date (the day included).",
    ),
    column("Owner", ColumnKind::Text, "Who answers for the campaign."),
    column("Notes", ColumnKind::Text, "Anything finance should know."),
];

const ITEMS: [Column; 7] = [
    column(
        "Campaign",
        ColumnKind::Text,
        "The campaign the line belongs to, as named in Campaigns. May be left out in a workbook that defines exactly one campaign.",
    ),
    column(
        "Name",
        ColumnKind::Text,
        "Required. What the line is. A line named Total, Totalt, Sum or Subtotal is a control total: checked against the lines above it, not counted.",
    ),
    column(
        "Description",
        ColumnKind::Text,
        "Free text: supplier, invoice number.",
    ),
    column(
        "Unit price",
        ColumnKind::Number,
        "Required. A number, or text such as 1 234,50 or kr 1 234,50; (120.00) is -120.00.",
    ),
    column(
        "Quantity",
        ColumnKind::Number,
        "How many; empty means 1. The line's amount is quantity x unit price.",
    ),
    column(
        "Currency",
        ColumnKind::Currency,
        "The line's currency when it is not the campaign's; it is converted at the rate of the line's date.",
    ),
    column(
        "Date",
        ColumnKind::Date,
        "The line's date: its exchange rate is that day's. Empty: the report's as-of date.",
    ),
];

const LINKS: [Column; 4] = [
    column(
        "Campaign",
        ColumnKind::Text,
        "Required. The campaign the ad campaign's spend and budget belong to.",
    ),
    column(
        "Platform",
        ColumnKind::Platform,
        "The export profile: google-ads, meta-ads, linkedin-ads, microsoft-ads or tiktok-ads. Empty: any platform.",
    ),
    column(
        "Ad campaign",
        ColumnKind::Text,
        "The ad campaign's name exactly as the platform's export writes it.",
    ),
    column(
        "Ad campaign ID",
        ColumnKind::Text,
        "Or its id, which survives renaming. One of the two is needed.",
    ),
];

const PLATFORMS: [&str; 5] = [
    "google-ads",
    "meta-ads",
    "linkedin-ads",
    "microsoft-ads",
    "tiktok-ads",
];

fn campaign_workbook() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title("spendsheet campaign workbook")
        .set_comment("Fill in the sheets; the Notes sheet explains each column.")
        // A fixed time, so that the template is the same file every time.
        .set_creation_datetime(
            &chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .unwrap_or_default()
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        );
    workbook.set_properties(&properties);

    let currencies = currency_count();
    for (name, columns) in [
        ("Campaigns", &CAMPAIGNS[..]),
        ("Budget", &ITEMS[..]),
        ("Spend", &ITEMS[..]),
        ("Ad campaigns", &LINKS[..]),
    ] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        write_table_sheet(sheet, columns, currencies)?;
    }
    let notes = workbook.add_worksheet();
    notes.set_name("Notes")?;
    write_notes(notes)?;
    workbook.save_to_buffer()
}

fn currency_count() -> u32 {
    u32::try_from(Currency::all().count()).unwrap_or(u32::MAX)
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDD_EBF7))
        .set_border_bottom(FormatBorder::Thin)
}

/// A sheet with its header row, a note on each header, date formats on
/// date columns and lists to choose currencies and platforms from.
fn write_table_sheet(
    sheet: &mut Worksheet,
    columns: &[Column],
    currencies: u32,
) -> Result<(), XlsxError> {
    let header = header_format();
    let dates = Format::new().set_num_format("yyyy-mm-dd");
    for (index, column) in columns.iter().enumerate() {
        let col = u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.write_string_with_format(0, col, column.header, &header)?;
        sheet.set_column_width(
            col,
            if column.kind == ColumnKind::Text {
                28
            } else {
                14
            },
        )?;
        match column.kind {
            ColumnKind::Date => {
                sheet.set_column_format(col, &dates)?;
                sheet.write_string_with_format(0, col, column.header, &header)?;
                let since = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default();
                let rule = DataValidation::new()
                    .allow_date(DataValidationRule::GreaterThan(since))
                    .set_input_message(column.note)?
                    .set_error_style(DataValidationErrorStyle::Warning)
                    .set_error_message("Enter a date such as 2026-03-01.")?;
                sheet.add_data_validation(1, col, ROWS, col, &rule)?;
            }
            ColumnKind::Currency => {
                let range = format!("=Notes!$D$2:$D${}", currencies + 1);
                let rule = DataValidation::new()
                    .allow_list_formula(Formula::new(range))
                    .set_input_message(column.note)?
                    .set_error_message(
                        "Choose an ISO 4217 currency code such as EUR, NOK or USD.",
                    )?;
                sheet.add_data_validation(1, col, ROWS, col, &rule)?;
            }
            ColumnKind::Platform => {
                let rule = DataValidation::new()
                    .allow_list_strings(&PLATFORMS)?
                    .set_input_message(column.note)?
                    .set_error_style(DataValidationErrorStyle::Warning)
                    .set_error_message("A platform is the id of an export profile.")?;
                sheet.add_data_validation(1, col, ROWS, col, &rule)?;
            }
            ColumnKind::Text | ColumnKind::Number => {
                let rule = DataValidation::new()
                    .allow_any_value()
                    .set_input_message(column.note)?;
                sheet.add_data_validation(1, col, ROWS, col, &rule)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The Notes sheet: every column of every sheet and what it means, and the
/// currency codes the Currency columns choose from.
fn write_notes(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    let header = header_format();
    let wrap = Format::new().set_text_wrap();
    for (col, (title, width)) in [
        ("Sheet", 14.0),
        ("Column", 16.0),
        ("What it holds", 90.0),
        ("Currency codes", 16.0),
    ]
    .iter()
    .enumerate()
    {
        let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.write_string_with_format(0, col, *title, &header)?;
        sheet.set_column_width(col, *width)?;
    }
    let mut row = 1;
    for (name, columns) in [
        ("Campaigns", &CAMPAIGNS[..]),
        ("Budget", &ITEMS[..]),
        ("Spend", &ITEMS[..]),
        ("Ad campaigns", &LINKS[..]),
    ] {
        for column in columns {
            sheet.write_string(row, 0, name)?;
            sheet.write_string(row, 1, column.header)?;
            sheet.write_string_with_format(row, 2, column.note, &wrap)?;
            row += 1;
        }
    }
    row += 1;
    let general = [
        "Sheets may be left out: a budget workbook and a separate spend workbook for the same campaigns are normal.",
        "Headers may stand below title rows (within the first 20 rows), in English or Norwegian; blank rows are skipped.",
        "Formulas are read through their saved results: save the workbook in a spreadsheet program before dropping it in.",
        "Drop the filled workbook into the folder spendsheet reads, with the ad exports and rate files; the report shows every line.",
    ];
    for text in general {
        sheet.write_string_with_format(row, 2, text, &wrap)?;
        row += 1;
    }
    for (index, currency) in Currency::all().enumerate() {
        let row = u32::try_from(index)
            .map_err(|_| XlsxError::RowColumnLimitError)?
            .saturating_add(1);
        sheet.write_string(row, 3, currency.code())?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::input::profile::parse_profile;

    #[test]
    fn the_files_in_templates_are_what_the_templates_give() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for kind in [
            TemplateKind::Campaign,
            TemplateKind::Rates,
            TemplateKind::Config,
            TemplateKind::Profile,
        ] {
            let made = template(kind).expect("template");
            let kept = std::fs::read(folder.join(kind.file_name())).expect("template file");
            assert!(
                made == kept,
                "templates/{} differs from `spendsheet template`",
                kind.file_name()
            );
        }
    }

    #[test]
    fn text_templates_are_valid_inputs() {
        let config =
            Config::parse(CONFIG, std::path::Path::new("spendsheet.toml")).expect("config parses");
        assert_eq!(
            config,
            Config {
                file: config.file.clone(),
                ..Config::default()
            }
        );
        let profile = parse_profile(PROFILE, std::path::Path::new("profile.toml"), "template")
            .expect("profile parses");
        assert_eq!(profile.id, "my-platform");
    }
}
