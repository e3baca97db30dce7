//! What a user and an editor see of a diagnostic: rustc's rendering (with
//! and without colour, byte for byte), cargo's JSON messages (parsed with
//! `cargo_metadata`, the types rust-analyzer's flycheck reads), the stream
//! the hand-off continues, `--check`'s drift as messages, and the
//! versioned documents of the subcommands.

mod common;

use std::process::Output;

use cargo_metadata::Message;
use cargo_metadata::diagnostic::DiagnosticLevel;
use common::{Crate, assert_fails, assert_success, fixture_target_dir};
use expect_test::expect;

const MAIN: &str = "mod py;\n\nfn main() {\n    let root = py::math::sqrt(2.0).unwrap();\n    println!(\"{root}\");\n}\n";

fn package() -> Crate {
    Crate::new("messages", "math = \"stdlib\"", &[("src/main.rs", MAIN)])
}

/// The package, generated, then with `sqrt` misspelt `sqr`.
fn misspelt() -> Crate {
    let krate = package();
    assert_success(&krate.snakegen(&[]));
    krate.write("src/main.rs", &MAIN.replace("sqrt", "sqr"));
    krate
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// stderr from the diagnostic on (the statuses before it say what the
/// caches held), escapes shown as `␛`.
fn diagnostic_part(output: &Output) -> String {
    let text = stderr(output);
    let start = text[..text.find("[S0002]").expect("an S0002 diagnostic")]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    text[start..].replace('\x1b', "␛")
}

/// Every line of stdout as one of cargo's messages.
fn messages(output: &Output) -> Vec<Message> {
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
            assert!(value["reason"].is_string(), "no reason: {line}");
            serde_json::from_value(value)
                .unwrap_or_else(|error| panic!("not cargo's shape ({error}): {line}"))
        })
        .collect()
}

fn compiler_messages(messages: &[Message]) -> Vec<&cargo_metadata::diagnostic::Diagnostic> {
    messages
        .iter()
        .filter_map(|message| match message {
            Message::CompilerMessage(message) => Some(&message.message),
            _ => None,
        })
        .collect()
}

#[test]
fn an_unknown_name_renders_as_rustc_does() {
    let krate = misspelt();
    let output = krate.snakegen_with_env(&[], &[("NO_COLOR", "1")]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    expect![[r#"
        error[S0002]: cannot find `sqr` in Python module `math`
         --> src/main.rs:4:26
          |
        4 |     let root = py::math::sqr(2.0).unwrap();
          |                          ^^^
          |
        help: a name with a similar spelling exists in `math`
          |
        4 |     let root = py::math::sqrt(2.0).unwrap();
          |                             +

        error: 1 Python symbol could not be resolved; nothing was written
    "#]]
    .assert_eq(&diagnostic_part(&output));
}

#[test]
fn colour_as_rustc_on_request() {
    let krate = misspelt();
    let coloured = krate.snakegen(&["--color", "always"]);
    expect![[r#"
        ␛[1m␛[91merror[S0002]␛[0m␛[1m: cannot find `sqr` in Python module `math`␛[0m
         ␛[1m␛[94m--> ␛[0msrc/main.rs:4:26
          ␛[1m␛[94m|␛[0m
        ␛[1m␛[94m4␛[0m ␛[1m␛[94m|␛[0m     let root = py::math::sqr(2.0).unwrap();
          ␛[1m␛[94m|␛[0m                          ␛[1m␛[91m^^^␛[0m
          ␛[1m␛[94m|␛[0m
        ␛[1m␛[96mhelp␛[0m: a name with a similar spelling exists in `math`
          ␛[1m␛[94m|␛[0m
        ␛[1m␛[94m4␛[0m ␛[1m␛[94m| ␛[0m    let root = py::math::sqr␛[92mt␛[0m(2.0).unwrap();
          ␛[1m␛[94m|␛[0m                             ␛[92m+␛[0m

        ␛[1;31merror␛[0m␛[1m:␛[0m 1 Python symbol could not be resolved; nothing was written
    "#]]
    .assert_eq(&diagnostic_part(&coloured));
    // cargo passes `term.color` on as CARGO_TERM_COLOR; the flag wins.
    let from_cargo = krate.snakegen_with_env(&[], &[("CARGO_TERM_COLOR", "always")]);
    assert_eq!(diagnostic_part(&from_cargo), diagnostic_part(&coloured));
    let never = krate.snakegen_with_env(&["--color", "never"], &[("CARGO_TERM_COLOR", "always")]);
    assert!(!stderr(&never).contains('\x1b'), "{}", stderr(&never));
    // Not a terminal: no colour unless asked.
    assert!(!stderr(&krate.snakegen(&[])).contains('\x1b'));
}

#[test]
fn a_diagnostic_is_a_compiler_message_in_rustcs_shape() {
    let krate = misspelt();
    let output = krate.snakegen(&["--message-format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("S0002"),
        "the diagnostic went to stdout only: {}",
        stderr(&output)
    );
    let messages = messages(&output);
    let Some(Message::BuildFinished(finished)) = messages.last() else {
        panic!("the stream ends with build-finished");
    };
    assert!(!finished.success);
    let Message::CompilerMessage(message) = &messages[0] else {
        panic!("a compiler-message first");
    };
    assert!(
        message.package_id.repr.contains("messages@0.1.0"),
        "{}",
        message.package_id
    );
    assert_eq!(message.target.name, "messages");
    let diagnostic = &message.message;
    assert_eq!(diagnostic.level, DiagnosticLevel::Error);
    let code = diagnostic.code.as_ref().unwrap();
    assert_eq!(code.code, "S0002");
    assert!(code.explanation.as_ref().unwrap().contains("Python"));
    let span = &diagnostic.spans[0];
    let source = MAIN.replace("sqrt", "sqr");
    assert_eq!(span.file_name, "src/main.rs");
    assert_eq!(
        &source[span.byte_start as usize..span.byte_end as usize],
        "sqr"
    );
    assert_eq!(
        (
            span.line_start,
            span.column_start,
            span.line_end,
            span.column_end
        ),
        (4, 26, 4, 29)
    );
    assert!(span.is_primary);
    assert_eq!(
        span.text[0].text,
        "    let root = py::math::sqr(2.0).unwrap();"
    );
    let help = &diagnostic.children[0];
    assert_eq!(help.level, DiagnosticLevel::Help);
    assert_eq!(help.spans[0].suggested_replacement.as_deref(), Some("sqrt"));
    // `rendered` is what the terminal shows without colour.
    let human = krate.snakegen_with_env(&[], &[("NO_COLOR", "1")]);
    assert_eq!(
        diagnostic
            .rendered
            .as_deref()
            .map(|text| format!("{text}\n")),
        Some(
            diagnostic_part(&human)
                .split("error: ")
                .next()
                .unwrap()
                .to_owned()
        )
    );
}

/// What rust-analyzer runs on save (the README's `overrideCommand`): the
/// prepass's messages, then cargo's own lines untouched, as one stream.
#[test]
fn the_hand_off_continues_one_stream() {
    let krate = package();
    assert_success(&krate.snakegen(&[]));
    // The dependencies, built once for every fixture, and a lock.
    assert_success(&krate.cargo(&["check", "--quiet"], &[]));
    let target = fixture_target_dir().display().to_string();
    let env = [
        ("CARGO", env!("CARGO")),
        ("CARGO_TARGET_DIR", target.as_str()),
    ];
    let args = [
        "--message-format=json",
        "--",
        "check",
        "--message-format=json",
        "--offline",
        "--locked",
    ];
    let output = krate.snakegen_with_env(&args, &env);
    assert_success(&output);
    let clean = messages(&output);
    assert!(
        clean.iter().any(|message| matches!(message, Message::CompilerArtifact(artifact) if artifact.target.name == "messages")),
        "cargo's artifacts pass through"
    );
    let finished: Vec<_> = clean
        .iter()
        .filter(|message| matches!(message, Message::BuildFinished(_)))
        .collect();
    assert_eq!(
        finished.len(),
        1,
        "cargo ends the stream, snakegen does not"
    );

    krate.write("src/main.rs", &MAIN.replace("sqrt", "sqr"));
    let output = krate.snakegen_with_env(&args, &env);
    assert_eq!(output.status.code(), Some(1));
    let broken = messages(&output);
    let diagnostics = compiler_messages(&broken);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code.as_ref().unwrap().code, "S0002");
}

#[test]
fn drift_found_by_check_is_messages() {
    let krate = package();
    assert_success(&krate.snakegen(&[]));
    krate.write(
        "src/py/math.rs",
        &krate
            .read("src/py/math.rs")
            .replacen("pub fn", "pub fn changed_by_hand() {}\npub fn", 1),
    );
    std::fs::remove_file(krate.root().join("src/py/mod.rs")).unwrap();
    let output = krate.snakegen(&["--check", "--message-format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let messages = messages(&output);
    let diagnostics = compiler_messages(&messages);
    let about = |needle: &str| {
        diagnostics
            .iter()
            .find(|diagnostic| diagnostic.message.contains(needle))
            .unwrap_or_else(|| panic!("no message about {needle}: {diagnostics:#?}"))
    };
    let edited = about("src/py/math.rs");
    assert_eq!(edited.code.as_ref().unwrap().code, "S0006");
    let span = &edited.spans[0];
    assert_eq!(span.file_name, "src/py/math.rs");
    assert_eq!(span.text[0].text, "pub fn changed_by_hand() {}");
    assert!(
        edited
            .children
            .iter()
            .any(|child| child.message.contains("+++ b/src/py/math.rs")),
        "the diff is a note"
    );
    let missing = about("src/py/mod.rs");
    assert!(missing.spans.is_empty(), "a missing file has no span");
    assert!(missing.message.contains("is missing"));
}

#[test]
fn subcommand_documents_are_versioned() {
    let krate = package();
    assert_success(&krate.snakegen(&[]));
    for args in [
        &["scan", "--message-format", "json"][..],
        &["status", "--message-format", "json"],
        &["inspect", "math.sqrt", "--message-format", "json"],
        &["doctor", "--message-format", "json"],
        &["ledger", "show", "--message-format", "json"],
        // The old spelling, kept as a hidden alias.
        &["scan", "--format", "json"],
    ] {
        let output = krate.snakegen(args);
        assert_success(&output);
        let document: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|error| panic!("{args:?}: {error}"));
        assert_eq!(document["schema_version"], 1, "{args:?}: {document}");
    }
    let doctor: serde_json::Value = serde_json::from_slice(
        &krate
            .snakegen(&["doctor", "--message-format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(doctor["drifted"], false);
    assert_eq!(doctor["findings"][1]["subject"], "math");
}

#[test]
fn json_is_never_silently_ignored() {
    let krate = package();
    for args in [
        &["prune", "--message-format", "json"][..],
        &["clean", "--message-format", "json"],
        &["ledger", "clear", "--message-format", "json"],
    ] {
        assert_fails(&krate.snakegen(args), 2, "has no JSON output");
    }
}

/// `cargo snakegen` on a terminal (a pseudo-terminal from `script`), in a
/// crate whose library takes a second to import.
fn on_a_terminal(env: &str) -> String {
    let krate = Crate::new(
        "slow",
        "slowlib = \"*\"",
        &[
            (
                "src/main.rs",
                "mod py;\nfn main() { py::slowlib::f().unwrap(); }\n",
            ),
            (
                "python/slowlib/__init__.py",
                "import time\ntime.sleep(1.5)\n\ndef f():\n    pass\n",
            ),
        ],
    );
    let command = format!(
        "env {env} PYTHONPATH={} {} snakegen",
        krate.root().join("python").display(),
        env!("CARGO_BIN_EXE_cargo-snakegen")
    );
    let output = std::process::Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .current_dir(krate.root())
        .output()
        .expect("`script` (util-linux) runs the tool on a pseudo-terminal");
    assert_success(&output);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_slow_import_shows_a_spinner_on_a_terminal() {
    let shown = on_a_terminal("CARGO_TERM_COLOR=auto");
    assert!(
        shown.contains("\x1b[1;36m   Importing\x1b[0m slowlib ⠋ "),
        "{shown:?}"
    );
    // The spinner's line is erased before the next status.
    assert!(
        shown.contains("\r\x1b[2K\x1b[1;32m    Creating"),
        "{shown:?}"
    );
    assert!(
        shown.contains("\x1b[1;32m    Finished\x1b[0m slow: "),
        "{shown:?}"
    );
    // NO_COLOR turns the colours off, not the spinner.
    let plain = on_a_terminal("NO_COLOR=1");
    assert!(plain.contains("   Importing slowlib ⠋ "), "{plain:?}");
    assert!(!plain.contains("\x1b[1;"), "{plain:?}");
    // Not a terminal: no spinner.
    let krate = misspelt();
    assert!(!stderr(&krate.snakegen(&[])).contains("Importing"));
}
