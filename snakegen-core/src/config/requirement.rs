//! Version requirements from `[package.metadata.snakegen.libraries]`.
//!
//! Both cargo's and pip's spellings are accepted, because the table lives in
//! a `Cargo.toml` but names Python distributions: a bare `2` or `1.12` (or
//! `^1.12`) is cargo's caret requirement; `>=`, `<=`, `>`, `<`, `==` (with a
//! trailing `.*`), `!=` and `~=` are PEP 440's; `*` is anything. Clauses are
//! separated by commas. Pre-release and local tags are ignored.

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionReq {
    clauses: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Clause {
    Any,
    Compare(Operator, Vec<u64>),
    /// `==1.2.*`: the release starts with these numbers.
    Prefix(Vec<u64>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
}

impl VersionReq {
    pub fn parse(text: &str) -> Result<VersionReq, String> {
        let mut clauses = Vec::new();
        for clause in text.split(',').map(str::trim) {
            clauses.extend(parse_clause(clause)?);
        }
        Ok(VersionReq { clauses })
    }

    pub fn matches(&self, version: &str) -> bool {
        let version = release(version);
        self.clauses.iter().all(|clause| match clause {
            Clause::Any => true,
            Clause::Prefix(prefix) => version.starts_with(prefix),
            Clause::Compare(operator, bound) => {
                let ordering = compare(&version, bound);
                match operator {
                    Operator::Greater => ordering == Ordering::Greater,
                    Operator::GreaterOrEqual => ordering != Ordering::Less,
                    Operator::Less => ordering == Ordering::Less,
                    Operator::LessOrEqual => ordering != Ordering::Greater,
                    Operator::Equal => ordering == Ordering::Equal,
                    Operator::NotEqual => ordering != Ordering::Equal,
                }
            }
        })
    }
}

fn parse_clause(clause: &str) -> Result<Vec<Clause>, String> {
    if clause == "*" {
        return Ok(vec![Clause::Any]);
    }
    let operators = [
        ("~=", None),
        (">=", Some(Operator::GreaterOrEqual)),
        ("<=", Some(Operator::LessOrEqual)),
        ("==", Some(Operator::Equal)),
        ("!=", Some(Operator::NotEqual)),
        (">", Some(Operator::Greater)),
        ("<", Some(Operator::Less)),
        ("^", None),
        ("=", Some(Operator::Equal)),
    ];
    let (symbol, operator, rest) = operators
        .iter()
        .find_map(|(symbol, operator)| {
            clause
                .strip_prefix(symbol)
                .map(|rest| (*symbol, *operator, rest.trim()))
        })
        .unwrap_or(("^", None, clause));
    if let Some(prefix) = rest
        .strip_suffix(".*")
        .filter(|_| operator == Some(Operator::Equal))
    {
        return Ok(vec![Clause::Prefix(numbers(prefix, clause)?)]);
    }
    let bound = numbers(rest, clause)?;
    Ok(match (symbol, operator) {
        (_, Some(operator)) => vec![Clause::Compare(operator, bound)],
        // PEP 440: `~=1.4.2` is `>=1.4.2, ==1.4.*`.
        ("~=", None) if bound.len() >= 2 => vec![
            Clause::Compare(Operator::GreaterOrEqual, bound.clone()),
            Clause::Prefix(bound[..bound.len() - 1].to_vec()),
        ],
        ("~=", None) => {
            return Err(format!(
                "`{clause}` needs at least two numbers, as in `~=1.4`"
            ));
        }
        // cargo: `^1.2.3` is `>=1.2.3, <2`; `^0.2` is `>=0.2, <0.3`.
        _ => {
            let significant = bound
                .iter()
                .position(|&part| part != 0)
                .unwrap_or(bound.len() - 1);
            let mut upper: Vec<u64> = bound[..=significant].to_vec();
            *upper.last_mut().expect("at least one number") += 1;
            vec![
                Clause::Compare(Operator::GreaterOrEqual, bound),
                Clause::Compare(Operator::Less, upper),
            ]
        }
    })
}

fn numbers(text: &str, clause: &str) -> Result<Vec<u64>, String> {
    let parts: Result<Vec<u64>, _> = text.split('.').map(str::parse).collect();
    match parts {
        Ok(parts) if !parts.is_empty() => Ok(parts),
        _ => Err(format!(
            "`{clause}` is not a version requirement (try \"stdlib\", \"2\", \">=1.12\" or \">=1.12, <2\")"
        )),
    }
}

/// The release numbers of an installed version: `2.4.6rc1+local` → 2.4.6.
fn release(version: &str) -> Vec<u64> {
    version
        .split(['+', '-'])
        .next()
        .unwrap_or_default()
        .split('.')
        .map_while(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// Compares release numbers, missing ones counting as zero.
fn compare(left: &[u64], right: &[u64]) -> Ordering {
    let length = left.len().max(right.len());
    let padded = |numbers: &[u64], index: usize| numbers.get(index).copied().unwrap_or(0);
    (0..length)
        .map(|index| padded(left, index).cmp(&padded(right, index)))
        .find(|ordering| *ordering != Ordering::Equal)
        .unwrap_or(Ordering::Equal)
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
        assert!(VersionReq::parse("~=2").is_err());
    }
}
