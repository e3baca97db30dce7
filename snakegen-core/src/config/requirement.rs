//! Version requirements from `[package.metadata.snakegen.libraries]`.
//!
//! Both cargo's and pip's spellings are accepted, because the table lives in
//! a `Cargo.toml` but names Python distributions: a bare `2` or `1.12` (or
//! `^1.12`) is cargo's caret requirement, `*` is anything, and every other
//! clause is a PEP 440 specifier. Clauses are separated by commas. Parsing
//! and matching are delegated to `pep440_rs`, carets being translated to its
//! specifiers first. An installed pre-release is judged by its place in
//! PEP 440's order (`>=2.0` refuses `2.0rc1`, `>=1.0` takes it), as PEP 440
//! allows for pre-releases already installed.

use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifier};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionReq {
    specifiers: Vec<VersionSpecifier>,
}

impl VersionReq {
    pub fn parse(text: &str) -> Result<VersionReq, String> {
        let mut specifiers = Vec::new();
        for clause in text.split(',').map(str::trim) {
            if clause == "*" {
                continue;
            }
            if clause.is_empty() {
                return Err(invalid(text, "a clause is empty"));
            }
            match clause.strip_prefix('^') {
                Some(base) => specifiers.extend(caret(base.trim(), clause)?),
                None if clause.starts_with(|c: char| c.is_ascii_digit()) => {
                    specifiers.extend(caret(clause, clause)?);
                }
                None => specifiers
                    .push(VersionSpecifier::from_str(clause).map_err(|e| invalid(clause, e))?),
            }
        }
        Ok(VersionReq { specifiers })
    }

    /// A version Python reports that is not PEP 440 matches only `*`: there
    /// is nothing to compare it by.
    pub fn matches(&self, version: &str) -> bool {
        self.specifiers.is_empty()
            || Version::from_str(version).is_ok_and(|version| {
                self.specifiers
                    .iter()
                    .all(|specifier| specifier.contains(&version))
            })
    }

    /// Whether a version Python reports can be judged by a requirement
    /// other than `*`.
    pub(crate) fn is_pep440(version: &str) -> bool {
        Version::from_str(version).is_ok()
    }

    /// The requirement in PEP 440's spelling, carets translated (`^1.12` is
    /// `>=1.12, <2`): what pip understands. Empty for `*`.
    pub(crate) fn to_pep440(&self) -> String {
        let specifiers: Vec<String> = self.specifiers.iter().map(ToString::to_string).collect();
        specifiers.join(", ")
    }
}

/// cargo's `^1.2.3` is `>=1.2.3, <2`, and `^0.2` is `>=0.2, <0.3`: the first
/// non-zero number may not change.
fn caret(base: &str, clause: &str) -> Result<[VersionSpecifier; 2], String> {
    // Through `>=` so that pep440_rs refuses what it would refuse there
    // (`1.2.*`, `1.2+local`).
    let lower = VersionSpecifier::from_str(&format!(">={base}")).map_err(|e| invalid(clause, e))?;
    let release = lower.version().release();
    let significant = release
        .iter()
        .position(|&number| number != 0)
        .unwrap_or(release.len() - 1);
    let mut upper = release[..=significant].to_vec();
    let last = upper.last_mut().expect("a version has a release number");
    *last = last.checked_add(1).ok_or_else(|| {
        invalid(
            clause,
            format!("{last} is too large to have a next version"),
        )
    })?;
    let upper = Version::new(upper).with_epoch(lower.version().epoch());
    Ok([lower, VersionSpecifier::less_than_version(upper)])
}

fn invalid(clause: &str, reason: impl std::fmt::Display) -> String {
    format!(
        "`{clause}` is not a version requirement: {reason} (try \"stdlib\", \"2\", \">=1.12\" or \">=1.12, <2\")"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(requirement: &str, version: &str) -> bool {
        VersionReq::parse(requirement).unwrap().matches(version)
    }

    #[test]
    fn cargo_and_pep_440_spellings() {
        assert!(matches(">=1.12", "1.14.0"));
        assert!(!matches(">=1.12", "1.9.1"));
        assert!(matches("2", "2.4.6") && !matches("2", "3.0.0") && !matches("2", "1.26.4"));
        assert!(matches("^0.2", "0.2.9") && !matches("^0.2", "0.3.0"));
        assert!(matches(">=1.12, <2", "1.14.0") && !matches(">=1.12, <2", "2.0"));
        assert!(matches("==1.14.*", "1.14.3") && !matches("==1.14.*", "1.15.0"));
        assert!(matches("~=1.4.2", "1.4.9") && !matches("~=1.4.2", "1.5.0"));
        assert!(matches("==2.4.6", "2.4.6") && matches("!=2.4.6", "2.4.7"));
        assert!(matches("*", "0.0.1"));
        assert!(matches(">=2.4", "2.4.6rc1+local"));
    }

    #[test]
    fn nonsense_is_refused_with_examples() {
        let error = VersionReq::parse(">=one").unwrap_err();
        assert!(
            error.contains("`>=one` is not a version requirement"),
            "{error}"
        );
        assert!(error.contains("\">=1.12, <2\""), "{error}");
        assert!(VersionReq::parse("~=2").is_err());
        let error = VersionReq::parse("1.2, ").unwrap_err();
        assert!(error.contains("a clause is empty"), "{error}");
        assert!(VersionReq::parse("^1.2.*").is_err());
    }

    #[test]
    fn a_pre_release_is_below_its_release() {
        assert!(!matches(">=2.0", "2.0.0rc1"));
        assert!(!matches(">=2.0", "2.0.0.dev1"));
        assert!(matches(">=2.0rc1", "2.0.0rc1"));
        assert!(!matches("2", "2.0.0rc1") && !matches("^1.12", "2.0.0rc1"));
    }

    #[test]
    fn a_post_release_is_not_its_release() {
        assert!(!matches("==1.14", "1.14.0.post1"));
        assert!(matches("==1.14", "1.14.0") && matches("==1.14.*", "1.14.0.post1"));
    }

    #[test]
    fn star_exclusion_and_arbitrary_equality() {
        assert!(!matches("!=1.4.*", "1.4.2") && matches("!=1.4.*", "1.5.0"));
        assert!(matches("===1.0", "1.0") && !matches("===1.0", "1.0.0"));
    }

    #[test]
    fn numbers_beyond_u64_are_refused_not_overflowed() {
        let largest = u64::MAX.to_string();
        assert!(matches(&format!(">={largest}"), &largest));
        let error = VersionReq::parse(&largest).unwrap_err();
        assert!(
            error.contains("too large to have a next version"),
            "{error}"
        );
        let error = VersionReq::parse("99999999999999999999999").unwrap_err();
        assert!(
            error.starts_with("`99999999999999999999999` is not a version requirement"),
            "{error}"
        );
        assert!(VersionReq::parse(">=99999999999999999999999").is_err());
    }

    #[test]
    fn a_version_that_is_not_pep_440_matches_only_star() {
        for version in ["1.2.3-custom", "", "unknown", "not a version \0"] {
            assert!(!VersionReq::is_pep440(version));
            assert!(!matches(">=0", version) && !matches("1", version));
            assert!(matches("*", version));
        }
    }

    #[test]
    fn pep_440_spelling_for_pip() {
        let pep440 = |requirement: &str| VersionReq::parse(requirement).unwrap().to_pep440();
        assert_eq!(pep440("^3"), ">=3, <4");
        assert_eq!(pep440("1.12"), ">=1.12, <2");
        assert_eq!(pep440("^0.2.1"), ">=0.2.1, <0.3");
        assert_eq!(pep440(">=1.12, <2, !=1.14.*"), ">=1.12, <2, !=1.14.*");
        assert_eq!(pep440("^1!2.0"), ">=1!2.0, <1!3");
        assert_eq!(pep440("*"), "");
    }

    #[test]
    fn caret_keeps_the_first_non_zero_number() {
        assert!(matches("^0.3", "0.3.9") && !matches("^0.3", "0.4.0"));
        assert!(!matches("^0.3", "0.3.0rc1") && !matches("^0.3", "0.2.9"));
        assert!(matches("^0.0.3", "0.0.3") && !matches("^0.0.3", "0.0.4"));
        assert!(matches("^1.12", "1.99") && !matches("^1.12", "1.11.9"));
        assert!(matches("2", "2.99") && !matches("2", "3.0"));
        assert!(matches("^0", "0.9") && !matches("^0", "1.0"));
        assert!(matches("^1!2.0", "1!2.5") && !matches("^1!2.0", "1!3.0"));
    }
}
