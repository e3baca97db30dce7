//! Data-driven scanner tests: `snakegen-core/tests/scan/<case>.rs` in, `<case>.txt` out:
//! one `line:column path` per usage (with its kind when it is not a plain
//! path), then the diagnostics as rendered.
//! `UPDATE_EXPECT=1` rewrites the expectations; review the diff.

use std::collections::BTreeSet;

use super::{ScanTarget, UsageKind, scan_source};

fn scan(case: &str, source: &str) -> String {
    let libraries: BTreeSet<String> = [
        "fractions",
        "json",
        "math",
        "numpy",
        "statistics",
        "textwrap",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let target = ScanTarget {
        module: "py",
        crate_name: "demo",
        libraries: &libraries,
    };
    let file = format!("src/{case}.rs");
    let scan = scan_source(&file, source, &target);
    let mut out = String::new();
    for usage in &scan.usages {
        assert!(
            usage.path.starts_with(&format!("{}.", usage.library)) || usage.path == usage.library
        );
        let kind = match &usage.kind {
            UsageKind::Path => String::new(),
            UsageKind::Glob { module } => format!(" (if {module} has it)"),
            UsageKind::Dynamic => " (dynamic)".to_owned(),
            UsageKind::DynamicValue => " (dynamic value)".to_owned(),
        };
        let location = &usage.location;
        out.push_str(&format!(
            "{}:{} {}{kind}\n",
            location.line, location.column, usage.path
        ));
    }
    for diagnostic in &scan.diagnostics {
        out.push_str(&diagnostic.render(Some(source), false));
    }
    out
}

macro_rules! cases {
    ($($case:ident)*) => {
        $(
            #[test]
            fn $case() {
                let source = include_str!(concat!("../../tests/scan/", stringify!($case), ".rs"));
                let expected = expect_test::expect_file![concat!("../../tests/scan/", stringify!($case), ".txt")];
                expected.assert_eq(&scan(stringify!($case), source));
            }
        )*
    };
}

cases! {
    async_and_control_flow
    attribute_arguments
    block_scopes
    call_entries
    closures_and_items
    closures_returning_paths
    crate_name_paths
    deep_super
    doc_and_attributes
    doc_tests
    dynamic_calls
    edition_2024
    empty_file
    full_paths
    garbage
    generics_and_qualified
    glob_calls
    glob_imports
    glob_nested
    imported_class
    imports_through_imports
    inline_modules
    keyword_call_macro
    macro_rules_bodies
    macro_tokens
    macros
    not_python
    only_comments
    parse_error
    parse_error_keeps_imports
    raw_identifiers
    reexports
    repeated_usages
    self_in_groups
    statements_in_consts
    trait_impls
    type_aliases
    types_and_patterns
    unconfigured_globs_and_shadows
    unicode_columns
    use_after_usage
    use_groups
    use_renames
}
