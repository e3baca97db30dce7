//! Tokens to text: prettyplease, and the two things it cannot do. It lays
//! out a macro's body as a run of tokens, so each `snakegen::hidden!` body
//! is laid out on its own, as the items it holds; and comments do not
//! survive it, so the `call!` forms are added to its output.

/// The generated file as text (adapter files, and the build script's
/// inlined file).
pub(crate) fn unparse(mut file: syn::File) -> String {
    let mut bodies = Vec::new();
    take_hidden_bodies(&mut file.items, &mut bodies);
    let mut text = String::new();
    put_back_bodies(&prettyplease::unparse(&file), "", &bodies, &mut text);
    with_call_forms(&text)
}

/// `laid_out` indented by `indent` into `text`, each placeholder line
/// replaced by its body, indented as the placeholder was.
fn put_back_bodies(laid_out: &str, indent: &str, bodies: &[String], text: &mut String) {
    for line in laid_out.lines() {
        let trimmed = line.trim_start();
        let body = trimmed
            .strip_prefix(PLACEHOLDER)
            .and_then(|index| index.parse::<usize>().ok());
        if let Some(index) = body {
            let own_indent = format!("{indent}{}", &line[..line.len() - trimmed.len()]);
            put_back_bodies(&bodies[index], &own_indent, bodies, text);
            continue;
        }
        if !line.is_empty() {
            text.push_str(indent);
        }
        text.push_str(line);
        text.push('\n');
    }
}

/// Stands for a `hidden!` body in prettyplease's input: `{PLACEHOLDER}{n}`
/// is the `n`th body. No generated name starts with it.
const PLACEHOLDER: &str = "__snakegen_hidden_body_";

/// Replaces the body of every `snakegen::hidden!` in `items` (and in their
/// modules and impls) by a placeholder, keeping the body laid out as items.
fn take_hidden_bodies(items: &mut [syn::Item], bodies: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Macro(item) => take_body(&mut item.mac, bodies),
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, items)),
                ..
            }) => take_hidden_bodies(items, bodies),
            syn::Item::Impl(item) => {
                for member in &mut item.items {
                    if let syn::ImplItem::Macro(member) = member {
                        take_body(&mut member.mac, bodies);
                    }
                }
            }
            _ => {}
        }
    }
}

fn take_body(mac: &mut syn::Macro, bodies: &mut Vec<String>) {
    let is_hidden = mac.path.segments.len() == 2
        && mac.path.segments[0].ident == "snakegen"
        && mac.path.segments[1].ident == "hidden";
    if !is_hidden {
        return;
    }
    let mut body: syn::File =
        syn::parse2(mac.tokens.clone()).expect("a `hidden!` body is generated items");
    take_hidden_bodies(&mut body.items, bodies);
    let placeholder = quote::format_ident!("{PLACEHOLDER}{}", bodies.len());
    bodies.push(prettyplease::unparse(&body));
    mac.tokens = quote::quote! { #placeholder };
}

/// Appends, to the definition line of each function that leaves out
/// optional positional arguments, their `call!` form as a comment. rustc
/// quotes that line when a call passes Python's arguments to it ("this
/// function takes 0 arguments but 1 argument was supplied ... function
/// defined here"), so the error shows the call that means what Python
/// means, not only its suggestion to drop the argument. Comments do not
/// survive `prettyplease`, so this runs on its output (adapter files, and
/// the build script's inlined file).
fn with_call_forms(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut pending: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(form) = trimmed
            .strip_prefix("///")
            .and_then(|doc| doc.strip_prefix(super::callable::OPTIONAL_POSITIONALS))
        {
            pending = Some(form.trim_matches('`'));
        } else if trimmed.starts_with("pub fn ") {
            // Right after the name: rustc cuts long lines around it.
            if let (Some(form), Some(open)) = (pending.take(), line.find('(')) {
                out.push_str(&line[..=open]);
                out.push_str("/* optional arguments too: ");
                out.push_str(form);
                let rest = &line[open + 1..];
                out.push_str(if rest.starts_with(')') { " */" } else { " */ " });
                out.push_str(rest);
                out.push('\n');
                continue;
            }
        } else if !trimmed.starts_with("///") && !trimmed.starts_with("#[") {
            pending = None;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
