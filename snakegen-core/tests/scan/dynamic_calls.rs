use snakegen::dynamic;

fn main() {
    snakegen::dynamic::call("math", "sqrt", (2.0,));
    dynamic::call("json", "dumps", (1,));
    // Names known only at run time cannot be read.
    let name = "floor";
    dynamic::call("math", name, (1.5,));
    // Not a configured library.
    dynamic::call("os", "getcwd", ());
    dynamic::call("numpy.linalg", "norm", (1,));
}

fn keywords_and_attributes() {
    dynamic::call_with("json", "loads").arg("[1]").call();
    snakegen::dynamic::getattr("math", "pi");
    // `import` names a module, not a symbol.
    dynamic::import("math");
    // Not the dynamic module's.
    other::getattr("math", "tau");
}
