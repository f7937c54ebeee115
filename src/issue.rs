//! Issues found in the inputs: errors and warnings, each with the place it
//! was found (file, sheet, row, column) so that a user can go straight to it.

use std::fmt;

use serde::Serialize;

/// How bad an issue is. Errors keep a file out of the report; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Where something was found. `row` is 1-based as a spreadsheet program
/// shows it (the line number for text files); `column` is a letter such as
/// `C` for workbooks or the header name for text files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Place {
    pub fn file(file: impl Into<String>) -> Place {
        Place {
            file: file.into(),
            ..Place::default()
        }
    }

    pub fn with_sheet(mut self, sheet: impl Into<String>) -> Place {
        self.sheet = Some(sheet.into());
        self
    }

    pub fn with_row(mut self, row: u64) -> Place {
        self.row = Some(row);
        self
    }

    pub fn with_column(mut self, column: impl Into<String>) -> Place {
        self.column = Some(column.into());
        self
    }

    /// The cell at a 0-based row and column of a sheet, written as a
    /// spreadsheet program shows it (row 1, column `A`).
    pub fn cell(file: &str, sheet: &str, row: u32, column: u32) -> Place {
        Place::file(file)
            .with_sheet(sheet)
            .with_row(u64::from(row) + 1)
            .with_column(column_letters(column))
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet '{sheet}'")?;
        }
        match (&self.column, self.row) {
            (Some(column), Some(row)) if self.sheet.is_some() => write!(f, ", cell {column}{row}"),
            (Some(column), Some(row)) => write!(f, ", line {row}, column '{column}'"),
            (None, Some(row)) if self.sheet.is_some() => write!(f, ", row {row}"),
            (None, Some(row)) => write!(f, ", line {row}"),
            (Some(column), None) => write!(f, ", column {column}"),
            (None, None) => Ok(()),
        }
    }
}

/// One problem or remark about the inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub severity: Severity,
    #[serde(flatten)]
    pub place: Place,
    pub message: String,
}

impl Issue {
    pub fn error(place: Place, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            place,
            message: message.into(),
        }
    }

    pub fn warning(place: Place, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Warning,
            place,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.file.is_empty() {
            write!(f, "{}: {}", self.severity, self.message)
        } else {
            write!(f, "{}: {}: {}", self.severity, self.place, self.message)
        }
    }
}

/// The issues of a run, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct Issues {
    list: Vec<Issue>,
}

impl Issues {
    pub fn push(&mut self, issue: Issue) {
        self.list.push(issue);
    }

    pub fn error(&mut self, place: Place, message: impl Into<String>) {
        self.push(Issue::error(place, message));
    }

    pub fn warning(&mut self, place: Place, message: impl Into<String>) {
        self.push(Issue::warning(place, message));
    }

    pub fn extend(&mut self, other: Issues) {
        self.list.extend(other.list);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Issue::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|issue| issue.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.list.len() - self.error_count()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Issue> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn into_vec(self) -> Vec<Issue> {
        self.list
    }
}

impl<'a> IntoIterator for &'a Issues {
    type Item = &'a Issue;
    type IntoIter = std::slice::Iter<'a, Issue>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// The spreadsheet letters of a 0-based column: 0 is `A`, 26 is `AA`.
pub fn column_letters(column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(column) + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheet_naming() {
        let cases = [
            (0, "A"),
            (2, "C"),
            (25, "Z"),
            (26, "AA"),
            (51, "AZ"),
            (52, "BA"),
            (16383, "XFD"),
        ];
        for (column, letters) in cases {
            assert_eq!(column_letters(column), letters, "column {column}");
        }
    }

    #[test]
    fn places_read_like_spreadsheet_references() {
        assert_eq!(
            Place::cell("plan.xlsx", "Budget", 6, 2).to_string(),
            "plan.xlsx, sheet 'Budget', cell C7"
        );
        let line = Place::file("meta.csv")
            .with_row(4)
            .with_column("Amount spent (EUR)");
        assert_eq!(
            line.to_string(),
            "meta.csv, line 4, column 'Amount spent (EUR)'"
        );
        assert_eq!(Place::file("a.csv").to_string(), "a.csv");
    }
}
