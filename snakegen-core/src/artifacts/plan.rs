//! What changes on disk: desired files against the files snakegen owns
//! there. Files whose bytes are already right are left out, so their mtimes
//! stay and cargo does not rebuild.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    Replace,
    Delete,
}

/// Package-relative path → what happens to it. Unchanged files are absent.
pub type Plan = BTreeMap<String, Action>;

/// `existing` is what snakegen owns on disk now; anything there that
/// `desired` does not produce is stale and goes.
pub(crate) fn plan(
    desired: &BTreeMap<String, String>,
    existing: &BTreeMap<String, String>,
) -> Plan {
    let mut plan = Plan::new();
    for (path, text) in desired {
        match existing.get(path) {
            None => {
                plan.insert(path.clone(), Action::Create);
            }
            Some(old) if old != text => {
                plan.insert(path.clone(), Action::Replace);
            }
            Some(_) => {}
        }
    }
    for path in existing.keys().filter(|path| !desired.contains_key(*path)) {
        plan.insert(path.clone(), Action::Delete);
    }
    plan
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::artifacts) fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect()
    }

    #[test]
    fn plans_create_replace_delete_and_skips_unchanged() {
        let desired = files(&[("a.rs", "same"), ("b.rs", "new"), ("c.rs", "created")]);
        let existing = files(&[("a.rs", "same"), ("b.rs", "old"), ("d.rs", "stale")]);
        let plan = plan(&desired, &existing);
        assert_eq!(
            plan.into_iter().collect::<Vec<_>>(),
            vec![
                ("b.rs".to_owned(), Action::Replace),
                ("c.rs".to_owned(), Action::Create),
                ("d.rs".to_owned(), Action::Delete),
            ]
        );
    }
}
