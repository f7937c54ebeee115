//! The worked examples in shared/examples: inputs made by other programs
//! and the figures the specification says they give. Every field present
//! in `expected.json` must match exactly.

mod common;

use common::*;
use serde_json::Value;

/// Whether `actual` holds everything `expected` has: objects by key,
/// arrays element by element and of the same length.
fn holds(actual: &Value, expected: &Value, path: &str, differences: &mut Vec<String>) {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => {
            for (key, value) in expected {
                match actual.get(key) {
                    Some(found) => holds(found, value, &format!("{path}.{key}"), differences),
                    None => differences.push(format!("{path}.{key} is missing")),
                }
            }
        }
        (Value::Array(actual), Value::Array(expected)) => {
            if actual.len() != expected.len() {
                differences.push(format!(
                    "{path} has {} entries, expected {}",
                    actual.len(),
                    expected.len()
                ));
            }
            for (index, (found, value)) in actual.iter().zip(expected).enumerate() {
                holds(found, value, &format!("{path}[{index}]"), differences);
            }
        }
        _ if actual != expected => {
            differences.push(format!("{path} is {actual}, expected {expected}"))
        }
        _ => {}
    }
}

fn check_example(name: &str) {
    let example = shared().join("examples").join(name);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(example.join("expected.json")).expect("expected.json"),
    )
    .expect("expected.json is JSON");
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = example.join("inputs");
    let output = run(
        dir.path(),
        &[
            "report",
            inputs.to_str().expect("path"),
            "--as-of",
            "2026-04-30",
            "--json",
            "-o",
            "report.xlsx",
        ],
    );
    let summary = json(&output);
    let mut differences = Vec::new();
    holds(&summary, &expected, name, &mut differences);
    assert!(
        differences.is_empty(),
        "{}\n{}",
        differences.join("\n"),
        stderr(&output)
    );
    assert_eq!(summary["complete"], true, "{}", stderr(&output));
    assert_eq!(code(&output), 0);
}

#[test]
fn workbook_example_gives_its_figures() {
    check_example("workbook");
}

#[test]
fn ad_exports_example_gives_its_figures() {
    check_example("ad-exports");
}
