use std::path::Path;

use expect_test::expect;

use super::*;

/// What `cargo new app` writes.
const CARGO_NEW_MANIFEST: &str =
    "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n";
const CARGO_NEW_MAIN: &str = "fn main() {\n    println!(\"Hello, world!\");\n}\n";

#[test]
fn init_adds_the_runtime_and_the_table_after_everything_else() {
    let init = init_manifest(CARGO_NEW_MANIFEST, Runtime::Version("0.1.0")).unwrap();
    assert_eq!(init.module, "py");
    assert_eq!(init.build_script, "build.rs");
    expect![[r#"
        [package]
        name = "app"
        version = "0.1.0"
        edition = "2024"

        [dependencies]
        snakegen = "0.1.0"

        [package.metadata.snakegen]
        module = "py"

        [package.metadata.snakegen.libraries]
    "#]]
    .assert_eq(init.text.as_deref().unwrap());
    let again = init_manifest(init.text.as_deref().unwrap(), Runtime::Version("0.1.0")).unwrap();
    assert_eq!(again.text, None, "a second init changes nothing");
}

#[test]
fn init_keeps_comments_a_configured_module_and_a_runtime_already_there() {
    let manifest = "# my app\n[package]\nname = \"app\" # the name\nversion = \"0.1.0\"\nbuild = \"tools/build.rs\"\n\n\
                    [dependencies]\nsnakegen = { version = \"0.1\", features = [] } # pinned\n\n\
                    [package.metadata.snakegen]\nmodule = \"python\"\n";
    let init = init_manifest(manifest, Runtime::Path("../snakegen")).unwrap();
    assert_eq!(init.module, "python");
    assert_eq!(init.build_script, "tools/build.rs");
    assert_eq!(init.text, None);
}

#[test]
fn init_with_a_path_and_no_dependencies_table() {
    let manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n";
    let init = init_manifest(manifest, Runtime::Path("../snakegen/snakegen")).unwrap();
    expect![[r#"
        [package]
        name = "app"
        version = "0.1.0"

        [package.metadata.snakegen]
        module = "py"

        [package.metadata.snakegen.libraries]

        [dependencies]
        snakegen = { path = "../snakegen/snakegen" }
    "#]]
    .assert_eq(init.text.as_deref().unwrap());
}

#[test]
fn init_refuses_what_it_cannot_set_up() {
    let virtual_manifest = "[workspace]\nmembers = [\"a\"]\n";
    let error = init_manifest(virtual_manifest, Runtime::Version("0.1.0")).unwrap_err();
    assert!(error.contains("virtual manifest"), "{error}");
    let no_build = "[package]\nname = \"app\"\nbuild = false\n";
    let error = init_manifest(no_build, Runtime::Version("0.1.0")).unwrap_err();
    assert!(error.contains("`package.build`"), "{error}");
    let error = init_manifest("[package\n", Runtime::Version("0.1.0")).unwrap_err();
    assert!(error.starts_with("cannot be parsed"), "{error}");
}

#[test]
fn add_inserts_sorted_and_keeps_the_rest_as_written() {
    let manifest = "[package]\nname = \"app\"\n\n[package.metadata.snakegen.libraries]\n\
                    # numbers\nmath = \"stdlib\"\nsympy = \">=1.12\" # symbols\n";
    let added = manifest_with_library(manifest, "numpy", ">=2.1").unwrap();
    expect![[r#"
        [package]
        name = "app"

        [package.metadata.snakegen.libraries]
        # numbers
        math = "stdlib"
        numpy = ">=2.1"
        sympy = ">=1.12" # symbols
    "#]]
    .assert_eq(added.as_deref().unwrap());
    let again = manifest_with_library(added.as_deref().unwrap(), "numpy", ">=2.1").unwrap();
    assert_eq!(again, None, "a second add changes nothing");
    let changed = manifest_with_library(manifest, "sympy", ">=1.13")
        .unwrap()
        .unwrap();
    assert!(
        changed.contains("sympy = \">=1.13\" # symbols\n"),
        "{changed}"
    );
}

#[test]
fn add_sets_the_version_of_a_table_and_leaves_its_other_keys() {
    let manifest = "[package]\nname = \"app\"\n\n[package.metadata.snakegen.libraries]\n\
                    numpy = { version = \"1\", include = [\"ndarray\"] }\n";
    let added = manifest_with_library(manifest, "numpy", ">=2.1")
        .unwrap()
        .unwrap();
    assert!(
        added.contains("numpy = { version = \">=2.1\", include = [\"ndarray\"] }"),
        "{added}"
    );
}

#[test]
fn add_appends_to_an_unsorted_list_and_makes_a_missing_table() {
    let manifest = "[package]\nname = \"app\"\n\n[package.metadata.snakegen.libraries]\n\
                    sympy = \"1\"\nmath = \"stdlib\"\n";
    let added = manifest_with_library(manifest, "json", "stdlib")
        .unwrap()
        .unwrap();
    assert!(
        added.ends_with("sympy = \"1\"\nmath = \"stdlib\"\njson = \"stdlib\"\n"),
        "{added}"
    );
    let bare = "[package]\nname = \"app\"\n\n[dependencies]\nsnakegen = \"0.1\"\n";
    let added = manifest_with_library(bare, "math", "stdlib")
        .unwrap()
        .unwrap();
    expect![[r#"
        [package]
        name = "app"

        [dependencies]
        snakegen = "0.1"

        [package.metadata.snakegen.libraries]
        math = "stdlib"
    "#]]
    .assert_eq(&added);
}

#[test]
fn a_new_build_script_adds_the_rpath() {
    expect![[r#"
        fn main() {
            link_libpython();
        }

        /// Links the binary to the libpython the `snakegen` runtime was built
        /// against: without an rpath, the loader may pick the system's.
        fn link_libpython() {
            if let Ok(dir) = std::env::var("DEP_SNAKEGEN_LIBDIR") {
                println!("cargo::rustc-link-arg=-Wl,-rpath,{dir}");
            }
        }
    "#]]
    .assert_eq(&build_script_with_rpath(None).unwrap().unwrap());
}

#[test]
fn an_existing_build_script_calls_the_rpath_first() {
    let existing = "//! Mine.\nuse std::env;\n\nfn main() -> Result<(), String> {\n    \
                    println!(\"cargo::rustc-env=GREETING=hi\");\n    Ok(())\n}";
    let edited = build_script_with_rpath(Some(existing)).unwrap().unwrap();
    expect![[r#"
        //! Mine.
        use std::env;

        fn main() -> Result<(), String> {
            link_libpython();
            println!("cargo::rustc-env=GREETING=hi");
            Ok(())
        }

        /// Links the binary to the libpython the `snakegen` runtime was built
        /// against: without an rpath, the loader may pick the system's.
        fn link_libpython() {
            if let Ok(dir) = std::env::var("DEP_SNAKEGEN_LIBDIR") {
                println!("cargo::rustc-link-arg=-Wl,-rpath,{dir}");
            }
        }
    "#]]
    .assert_eq(&edited);
    assert_eq!(build_script_with_rpath(Some(&edited)).unwrap(), None);
    let readme_style =
        "fn main() {\n    if let Ok(dir) = std::env::var(\"DEP_SNAKEGEN_LIBDIR\") {}\n}\n";
    assert_eq!(build_script_with_rpath(Some(readme_style)).unwrap(), None);
}

#[test]
fn a_build_script_it_cannot_read_is_refused() {
    let no_main = "fn helper() {}\n";
    let error = build_script_with_rpath(Some(no_main)).unwrap_err();
    assert!(error.contains("no `fn main`"), "{error}");
    let taken = "fn main() {}\nfn link_libpython() {}\n";
    let error = build_script_with_rpath(Some(taken)).unwrap_err();
    assert!(error.contains("`fn link_libpython`"), "{error}");
    let broken = "fn main() {\n    let x = ;\n}\n";
    let error = build_script_with_rpath(Some(broken)).unwrap_err();
    assert!(error.starts_with("cannot be parsed at 2:"), "{error}");
}

#[test]
fn the_module_goes_first_after_inner_attributes() {
    let main = crate_root_with_module(CARGO_NEW_MAIN, "py", false).unwrap();
    expect![[r#"
        mod py;

        fn main() {
            println!("Hello, world!");
        }
    "#]]
    .assert_eq(main.as_deref().unwrap());
    assert_eq!(
        crate_root_with_module(main.as_deref().unwrap(), "py", false).unwrap(),
        None
    );
    let lib = "//! My library.\n#![forbid(unsafe_code)]\nuse std::fmt;\n";
    expect![[r#"
        //! My library.
        #![forbid(unsafe_code)]

        pub mod py;
        use std::fmt;
    "#]]
    .assert_eq(&crate_root_with_module(lib, "py", true).unwrap().unwrap());
    assert_eq!(
        crate_root_with_module("", "py", false).unwrap().as_deref(),
        Some("mod py;\n")
    );
    let inline = "mod py {\n}\nfn main() {}\n";
    assert_eq!(crate_root_with_module(inline, "py", false).unwrap(), None);
}

#[test]
fn gitattributes_get_one_line() {
    let line = "src/py/** linguist-generated=true\n";
    assert_eq!(
        gitattributes_with_adapters(None, "py").as_deref(),
        Some(line)
    );
    let existing = "*.png binary";
    assert_eq!(
        gitattributes_with_adapters(Some(existing), "py").unwrap(),
        format!("{existing}\n{line}")
    );
    assert_eq!(gitattributes_with_adapters(Some(line), "py"), None);
}

#[test]
fn the_default_requirement_is_the_installed_major_and_minor() {
    assert_eq!(default_requirement("2.1.3").as_deref(), Some(">=2.1"));
    assert_eq!(default_requirement("1.12").as_deref(), Some(">=1.12"));
    assert_eq!(default_requirement("3").as_deref(), Some(">=3"));
    assert_eq!(default_requirement("2.0.0rc1").as_deref(), Some(">=2.0"));
    assert_eq!(default_requirement("not a version"), None);
}

#[test]
fn relative_paths_for_cargo() {
    let path = |from: &str, to: &str| relative_path(Path::new(from), Path::new(to));
    assert_eq!(
        path("/tmp/app", "/work/snakegen/snakegen"),
        "../../work/snakegen/snakegen"
    );
    assert_eq!(
        path("/work/app", "/work/app/vendor/snakegen"),
        "vendor/snakegen"
    );
    assert_eq!(path("/work/app", "/work/app"), ".");
}

#[test]
fn the_package_name() {
    assert_eq!(package_name(CARGO_NEW_MANIFEST).as_deref(), Some("app"));
    assert_eq!(package_name("[workspace]\n"), None);
}
