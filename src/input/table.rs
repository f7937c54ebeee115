//! Tables inside sheets: the header row found by name among the first rows,
//! with aliases, and the data rows below it, read sparsely.

use std::collections::BTreeMap;

use crate::input::cells::{CellValue, SheetCells};

/// How many rows from the top are searched for a header row.
pub const HEADER_SEARCH_ROWS: u32 = 20;

/// Merged ranges larger than this are left as they are: no table has a
/// cell merged over more, and filling one must not cost much memory.
pub const MAX_FILLED_MERGE: u64 = 10_000;

/// A column a table may have: its name and the other names it goes by.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

impl ColumnSpec {
    fn matches(&self, header: &str) -> bool {
        let header = normalize_name(header);
        normalize_name(self.name) == header
            || self
                .aliases
                .iter()
                .any(|alias| normalize_name(alias) == header)
    }
}

/// Names compared case-insensitively, ignoring surrounding spaces and runs
/// of inner whitespace.
pub fn normalize_name(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A found header row: for each spec, the 0-based column holding it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub row: u32,
    pub columns: Vec<Option<u32>>,
    /// Columns whose header matched a spec already taken by a column to the
    /// left: (spec index, column).
    pub duplicates: Vec<(usize, u32)>,
}

impl Header {
    pub fn column(&self, spec: usize) -> Option<u32> {
        self.columns.get(spec).copied().flatten()
    }
}

/// The filled cells of a sheet grouped by row.
pub struct SheetRows<'a> {
    rows: BTreeMap<u32, BTreeMap<u32, &'a CellValue>>,
}

impl<'a> SheetRows<'a> {
    /// The rows of `sheet`. A merged range shows its value in each of its
    /// cells (a campaign name merged down several rows names each of them),
    /// for ranges of up to [`MAX_FILLED_MERGE`] cells.
    pub fn new(sheet: &'a SheetCells) -> SheetRows<'a> {
        let mut rows: BTreeMap<u32, BTreeMap<u32, &CellValue>> = BTreeMap::new();
        for cell in &sheet.cells {
            rows.entry(cell.row)
                .or_default()
                .insert(cell.column, &cell.value);
        }
        for region in &sheet.merged {
            let area = u64::from(
                region
                    .last_row
                    .saturating_sub(region.first_row)
                    .saturating_add(1),
            ) * u64::from(
                region
                    .last_column
                    .saturating_sub(region.first_column)
                    .saturating_add(1),
            );
            if area > MAX_FILLED_MERGE {
                continue;
            }
            let Some(value) = rows
                .get(&region.first_row)
                .and_then(|row| row.get(&region.first_column))
                .copied()
            else {
                continue;
            };
            for row in region.first_row..=region.last_row {
                for column in region.first_column..=region.last_column {
                    rows.entry(row).or_default().entry(column).or_insert(value);
                }
            }
        }
        SheetRows { rows }
    }

    /// The first row among the first [`HEADER_SEARCH_ROWS`] whose cells name
    /// every column `is_complete` asks for.
    pub fn find_header(
        &self,
        specs: &[ColumnSpec],
        is_complete: impl Fn(&[Option<u32>]) -> bool,
    ) -> Option<Header> {
        self.rows
            .range(..HEADER_SEARCH_ROWS)
            .map(|(row, cells)| match_header(*row, cells, specs))
            .find(|header| is_complete(&header.columns))
    }

    /// The rows below `header_row`, each as its filled cells by column.
    pub fn rows_below(
        &self,
        header_row: u32,
    ) -> impl Iterator<Item = (u32, &BTreeMap<u32, &'a CellValue>)> + '_ {
        self.rows
            .range(header_row.saturating_add(1)..)
            .map(|(row, cells)| (*row, cells))
    }
}

fn match_header(row: u32, cells: &BTreeMap<u32, &CellValue>, specs: &[ColumnSpec]) -> Header {
    let mut columns = vec![None; specs.len()];
    let mut duplicates = Vec::new();
    for (column, value) in cells {
        let CellValue::Text(text) = value else {
            continue;
        };
        let Some(index) = specs.iter().position(|spec| spec.matches(text)) else {
            continue;
        };
        match columns.get_mut(index) {
            Some(slot @ None) => *slot = Some(*column),
            Some(Some(_)) => duplicates.push((index, *column)),
            None => {}
        }
    }
    Header {
        row,
        columns,
        duplicates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::cells::Cell;

    const SPECS: [ColumnSpec; 2] = [
        ColumnSpec {
            name: "Name",
            aliases: &["Item", "Navn"],
        },
        ColumnSpec {
            name: "Unit price",
            aliases: &["Amount", "Beløp"],
        },
    ];

    fn sheet(cells: &[(u32, u32, &str)]) -> SheetCells {
        let cells = cells
            .iter()
            .map(|(row, column, text)| Cell {
                row: *row,
                column: *column,
                value: CellValue::Text(text.to_string()),
            })
            .collect();
        SheetCells {
            name: "Budget".into(),
            cells,
            merged: Vec::new(),
        }
    }

    fn both(columns: &[Option<u32>]) -> bool {
        columns.iter().all(Option::is_some)
    }

    #[test]
    fn header_is_the_first_row_naming_the_required_columns() {
        type Case<'a> = (&'a [(u32, u32, &'a str)], Option<(u32, Vec<Option<u32>>)>);
        let cases: [Case<'_>; 6] = [
            (
                &[(0, 0, "Name"), (0, 1, "Unit price")],
                Some((0, vec![Some(0), Some(1)])),
            ),
            (
                &[(0, 0, "Budget 2026"), (2, 1, " ITEM "), (2, 3, "beløp")],
                Some((2, vec![Some(1), Some(3)])),
            ),
            (
                &[(0, 0, "Name"), (1, 0, "Navn"), (1, 1, "Unit  Price")],
                Some((1, vec![Some(0), Some(1)])),
            ),
            (
                &[(19, 0, "Name"), (19, 1, "Amount")],
                Some((19, vec![Some(0), Some(1)])),
            ),
            (&[(20, 0, "Name"), (20, 1, "Amount")], None),
            (&[(0, 0, "Name"), (0, 1, "Price each")], None),
        ];
        for (cells, expected) in cases {
            let sheet = sheet(cells);
            let found = SheetRows::new(&sheet)
                .find_header(&SPECS, both)
                .map(|h| (h.row, h.columns));
            assert_eq!(found, expected, "{cells:?}");
        }
    }

    #[test]
    fn a_second_column_with_the_same_name_is_reported() {
        let sheet = sheet(&[(0, 0, "Name"), (0, 1, "Amount"), (0, 2, "Unit price")]);
        let header = SheetRows::new(&sheet)
            .find_header(&SPECS, both)
            .expect("header");
        assert_eq!(header.duplicates, vec![(1, 2)]);
    }
}
