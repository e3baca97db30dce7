//! `VIRTUAL_ENV` is read once, when the first symbol is used, so it gets a
//! test binary of its own: no other test may touch Python before it.

use std::fs;

use snakegen::dynamic;

#[test]
fn a_virtual_envs_packages_are_importable_and_shadow_the_base_ones() {
    let venv = tempfile::tempdir().unwrap();
    let (major, minor) = snakegen::attach(|py| {
        let version = py.version_info();
        (version.major, version.minor)
    });
    let site_packages = venv
        .path()
        .join("lib")
        .join(format!("python{major}.{minor}"))
        .join("site-packages");
    fs::create_dir_all(site_packages.join("sympy")).unwrap();
    fs::write(
        site_packages.join("sympy").join("__init__.py"),
        "def origin():\n    return 'venv'\n",
    )
    .unwrap();
    // `.pth` files are how editable installs reach `sys.path`.
    let extra = venv.path().join("extra");
    fs::create_dir_all(&extra).unwrap();
    fs::write(
        extra.join("snakegen_pth_probe.py"),
        "def origin():\n    return 'pth'\n",
    )
    .unwrap();
    fs::write(
        site_packages.join("snakegen_probe.pth"),
        format!("{}\n", extra.display()),
    )
    .unwrap();

    // SAFETY: this binary's only test, and nothing else here reads the
    // environment concurrently.
    unsafe { std::env::set_var("VIRTUAL_ENV", venv.path()) };
    // `version_info` above started the interpreter but not snakegen's
    // set-up, which runs before the first module snakegen imports.
    let origin = |module| {
        dynamic::call(module, "origin", ())
            .unwrap()
            .extract::<String>()
            .unwrap()
    };
    assert_eq!(origin("sympy"), "venv");
    assert_eq!(origin("snakegen_pth_probe"), "pth");
    // The base interpreter's sympy is still on the path (the fake one has
    // no metadata), so the venv's did shadow it.
    assert!(
        dynamic::call("importlib.metadata", "version", ("sympy",)).is_ok(),
        "the base interpreter has sympy"
    );
}
