//! One rule for matching a name a person wrote — on the command line (`-m`, `--school`,
//! `--only`), in a batch interventions plan, an `invited:` table or a comparison group —
//! against the names in the survey data: the name's [`key`].

use std::collections::BTreeMap;
use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// The key names are matched by: without surrounding spaces, Unicode-normalised (NFC, so a
/// composed "å" and "a" + combining ring are one letter) and lowercased. "silkeborg " and
/// "Silkeborg" name the same municipality; "Silkeborg Kommune" does not.
pub(crate) fn key(name: &str) -> String {
    name.trim().nfc().collect::<String>().to_lowercase()
}

/// Values looked up by the [`key`] of a name, each remembering the name as written for
/// messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ByName<T> {
    entries: BTreeMap<String, (String, T)>,
}

impl<T> Default for ByName<T> {
    fn default() -> Self {
        ByName {
            entries: BTreeMap::new(),
        }
    }
}

impl<T> ByName<T> {
    /// The value of the entry whose name has the key of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&T> {
        self.entries.get(&key(name)).map(|(_, value)| value)
    }

    /// Adds an entry; a later name with the same key replaces an earlier one.
    pub(crate) fn insert(&mut self, name: String, value: T) {
        self.entries.insert(key(&name), (name, value));
    }

    /// The entries (as written) that name none of the `known` municipalities, each with up
    /// to three known names it may be a misspelling of: most likely mistakes, whose unit
    /// would silently miss what the entry says. `place` says where the entries were written.
    pub(crate) fn unknown(&self, known: &[String], place: &'static str) -> Vec<UnknownName> {
        let keys: Vec<String> = known.iter().map(|name| key(name)).collect();
        self.entries
            .iter()
            .filter(|(entry, _)| !keys.contains(entry))
            .map(|(_, (name, _))| UnknownName {
                name: name.clone(),
                place,
                suggestions: crate::suggest::closest(name, known.iter().map(String::as_str))
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            })
            .collect()
    }
}

impl<T> FromIterator<(String, T)> for ByName<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        let mut names = ByName::default();
        for (name, value) in iter {
            names.insert(name, value);
        }
        names
    }
}

/// A municipality name a person wrote that matches none in the data, where it was written
/// ("in the interventions file", "under `invited:`"), and the names it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    pub name: String,
    pub place: &'static str,
    pub suggestions: Vec<String>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` {} is not a municipality in the data{}",
            self.name,
            self.place,
            crate::suggest::did_you_mean(&self.suggestions)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_case_and_composition_do_not_matter() {
        assert_eq!(key(" Silkeborg "), key("silkeborg"));
        assert_eq!(key("Ærø"), key("æRØ"));
        // "å" written as "a" + combining ring.
        assert_eq!(key("Vallensbæk Strand"), key("vallensbæk strand"));
        assert_eq!(key("Åbenrå"), key("A\u{30a}benra\u{30a}"));
        assert_ne!(key("Silkeborg Kommune"), key("Silkeborg"));
    }

    #[test]
    fn unknown_names_come_with_suggestions() {
        let plan: ByName<u32> = [("silkeborg ".to_owned(), 1), ("Arhus".to_owned(), 2)]
            .into_iter()
            .collect();
        let known = ["Silkeborg".to_owned(), "Aarhus".to_owned()];
        assert_eq!(plan.get("Silkeborg"), Some(&1));
        assert_eq!(
            plan.unknown(&known, "in the plan"),
            [UnknownName {
                name: "Arhus".to_owned(),
                place: "in the plan",
                suggestions: vec!["Aarhus".to_owned()],
            }]
        );
    }
}
