//! Python functions called by names chosen at run time, and the usage
//! ledger that makes them typed adapters.
//!
//! The tables below are data: which function runs is decided while the
//! program runs (every one, or those named on the command line, as
//! `math.sqrt statistics.mean`), so `cargo snakegen` cannot see them. Run
//! it with the ledger on, then promote what it recorded:
//!
//! ```text
//! SNAKEGEN_LEDGER=1 cargo run -p dynamic      # records .snakegen/ledger/*.jsonl
//! cargo snakegen ledger show                  # what was called by name
//! cargo snakegen ledger promote               # adds it to `include` in Cargo.toml
//! cargo snakegen                              # typed, locked adapters for it
//! ```

mod py;

use snakegen::dynamic;

/// Functions of one number, by module and name.
const UNARY: &[(&str, &str)] = &[("math", "sqrt"), ("math", "floor"), ("math", "log10")];
/// Functions of a list of numbers.
const AGGREGATES: &[(&str, &str)] = &[
    ("statistics", "mean"),
    ("statistics", "median"),
    ("math", "fsum"),
];
/// Module constants.
const CONSTANTS: &[(&str, &str)] = &[("math", "pi"), ("math", "e")];
/// The type `json.loads` makes of decimal numbers.
const PARSE_FLOAT: (&str, &str) = ("decimal", "Decimal");

fn main() -> snakegen::Result<()> {
    let chosen: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |module: &str, name: &str| {
        chosen.is_empty() || chosen.iter().any(|c| *c == format!("{module}.{name}"))
    };
    let data = vec![2.5, 1.0, 4.0, 3.5];
    // A typed adapter, which the scan sees.
    println!("data = {}", py::json::dumps(data.clone())?);

    for &(module, name) in UNARY.iter().filter(|(m, n)| wanted(m, n)) {
        let result = dynamic::call(module, name, (2.0,))?;
        println!("{module}.{name}(2.0) = {result}");
    }
    for &(module, name) in AGGREGATES.iter().filter(|(m, n)| wanted(m, n)) {
        let result = dynamic::call(module, name, (data.clone(),))?;
        println!("{module}.{name}(data) = {result}");
    }
    for &(module, name) in CONSTANTS.iter().filter(|(m, n)| wanted(m, n)) {
        println!("{module}.{name} = {}", dynamic::getattr(module, name)?);
    }
    // Keyword arguments: `call_with` returns the builder.
    let (module, name) = ("json", "loads");
    if wanted(module, name) {
        let parsed = dynamic::call_with(module, name)
            .arg("[1.5, 2]")
            .kwarg(
                "parse_float",
                dynamic::getattr(PARSE_FLOAT.0, PARSE_FLOAT.1)?,
            )
            .call()?;
        println!("{module}.{name}(text, parse_float=Decimal) = {parsed}");
    }
    Ok(())
}
