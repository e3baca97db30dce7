//! Data-driven scanner tests: `tests/scan/<case>.rs` in, `<case>.txt` out:
//! one `line:column path` per usage, then the diagnostics as rendered.
//! `UPDATE_EXPECT=1` rewrites the expectations; review the diff.

use std::collections::BTreeSet;

use snakegen_core::scan::{ScanTarget, scan_source};

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
        libraries: &libraries,
    };
    let file = format!("src/{case}.rs");
    let scan = scan_source(&file, source, &target);
    let mut out = String::new();
    for usage in &scan.usages {
        assert!(
            usage.path.starts_with(&format!("{}.", usage.library)) || usage.path == usage.library
        );
        out.push_str(&format!(
            "{}:{} {}\n",
            usage.location.line, usage.location.column, usage.path
        ));
    }
    for diagnostic in &scan.diagnostics {
        out.push_str(&diagnostic.render(Some(source)));
    }
    out
}

macro_rules! cases {
    ($($case:ident)*) => {
        $(
            #[test]
            fn $case() {
                let source = include_str!(concat!("scan/", stringify!($case), ".rs"));
                let expected = expect_test::expect_file![concat!("scan/", stringify!($case), ".txt")];
                expected.assert_eq(&scan(stringify!($case), source));
            }
        )*
    };
}

cases! {
    block_scopes
    closures_and_items
    doc_and_attributes
    edition_2024
    full_paths
    garbage
    glob_imports
    imported_class
    imports_through_imports
    inline_modules
    macro_tokens
    macros
    not_python
    parse_error
    raw_identifiers
    repeated_usages
    types_and_patterns
    use_groups
    use_renames
}
