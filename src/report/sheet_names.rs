//! Sheet names Excel accepts: at most 31 characters, none of `[]:*?/\`, no
//! apostrophe at either end, unique without regard to case, and not the
//! reserved `History`.

use std::collections::HashSet;

/// Characters Excel forbids in sheet names.
const FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// Excel's limit, counted in UTF-16 units.
const MAX_UTF16: usize = 31;

/// Hands out safe, unique sheet names.
#[derive(Debug, Default)]
pub struct SheetNames {
    /// Lowercased, since Excel compares names without regard to case.
    taken: HashSet<String>,
}

impl SheetNames {
    /// Reserves names the report uses itself, and Excel's `History`.
    pub fn with_reserved(names: &[&str]) -> SheetNames {
        let mut taken: HashSet<String> = names.iter().map(|name| name.to_lowercase()).collect();
        taken.insert("history".to_string());
        SheetNames { taken }
    }

    /// A safe name for `wanted`, unique among those handed out so far.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = safe_name(wanted);
        let mut candidate = base.clone();
        let mut counter = 2_u32;
        while self.taken.contains(&candidate.to_lowercase()) {
            let suffix = format!(" ({counter})");
            candidate = format!(
                "{}{suffix}",
                truncate_utf16(&base, MAX_UTF16.saturating_sub(suffix.len())).trim_end()
            );
            counter = counter.saturating_add(1);
        }
        self.taken.insert(candidate.to_lowercase());
        candidate
    }
}

/// `wanted` with forbidden and control characters replaced, apostrophes
/// trimmed from the ends and cut to 31 UTF-16 units.
fn safe_name(wanted: &str) -> String {
    let replaced: String = wanted
        .chars()
        .map(|c| if FORBIDDEN.contains(&c) { '-' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let trimmed = replaced.trim().trim_matches('\'').trim();
    let cut = truncate_utf16(trimmed, MAX_UTF16);
    let cut = cut.trim().trim_end_matches('\'').trim_end();
    if cut.is_empty() {
        "Campaign".to_string()
    } else {
        cut.to_string()
    }
}

fn truncate_utf16(text: &str, max: usize) -> &str {
    let mut units = 0;
    for (index, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            return text.get(..index).unwrap_or(text);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe() {
        let cases = [
            ("Spring launch", "Spring launch"),
            ("Q1/Q2: push [EU]?", "Q1-Q2- push -EU--"),
            ("'Quoted'", "Quoted"),
            ("  ", "Campaign"),
            ("a\u{7}b", "ab"),
            (
                "A campaign name that is far too long for Excel",
                "A campaign name that is far too",
            ),
            (
                "Vårkampanje – Oslo og omegn 2026 del 2",
                "Vårkampanje – Oslo og omegn 202",
            ),
            (
                "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
                "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
            ),
            ("Ends with quote ' ", "Ends with quote"),
            ("'''", "Campaign"),
            ("[]:*?/\\", "-------"),
            // Cut to 31, the name would end with an apostrophe.
            (
                "A campaign name that is far to' long",
                "A campaign name that is far to",
            ),
        ];
        for (wanted, safe) in cases {
            let name = SheetNames::default().claim(wanted);
            assert_eq!(name, safe, "{wanted}");
            assert!(name.encode_utf16().count() <= 31);
        }
    }

    #[test]
    fn names_are_unique_without_regard_to_case_and_avoid_reserved_ones() {
        let mut names = SheetNames::with_reserved(&["Summary", "Issues"]);
        let claimed: Vec<String> = [
            "Launch",
            "LAUNCH",
            "launch",
            "summary",
            "History",
            "A campaign name that is far too long",
            "A campaign name that is far too long!",
        ]
        .iter()
        .map(|wanted| names.claim(wanted))
        .collect();
        assert_eq!(
            claimed,
            [
                "Launch",
                "LAUNCH (2)",
                "launch (3)",
                "summary (2)",
                "History (2)",
                "A campaign name that is far too",
                "A campaign name that is far (2)"
            ]
        );
    }
}
