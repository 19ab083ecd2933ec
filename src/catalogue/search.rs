//! Finding interventions: filters on the closed fields, and ranked free-text search that
//! ignores case and accents and tolerates Danish word endings ("mobning" finds "mobberi",
//! "ensom" finds "ensomhed").

use super::Catalogue;
use super::model::{
    DocumentationLevel, GradeRange, Intervention, InterventionType, Setting, ThemeId,
};
use crate::Lang;

/// Conditions an intervention must meet to be listed; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A theme the intervention names, as a main or a secondary theme.
    pub theme: Option<ThemeId>,
    /// An age the target group must include: its stated ages, or the usual ages of pupils in
    /// its stated grades (see [`GradeRange::usual_ages`]).
    pub age: Option<u8>,
    pub kind: Option<InterventionType>,
    pub setting: Option<Setting>,
    pub documentation: Option<DocumentationLevel>,
}

impl Filter {
    /// True when `intervention` meets every condition.
    pub fn matches(&self, intervention: &Intervention) -> bool {
        let i = intervention;
        self.theme
            .as_ref()
            .is_none_or(|t| i.all_themes().any(|own| own == t))
            && self.age.is_none_or(|age| includes_age(i, age))
            && self.kind.is_none_or(|k| i.kinds.contains(&k))
            && self.setting.is_none_or(|s| i.settings.contains(&s))
            && self
                .documentation
                .is_none_or(|d| i.documentation.level == d)
    }
}

/// True when the stated ages include `age`, or the stated grades are those of pupils that age.
fn includes_age(i: &Intervention, age: u8) -> bool {
    let target = &i.target;
    target
        .age
        .into_iter()
        .chain(target.grades.map(GradeRange::usual_ages))
        .any(|range| (range.from..=range.to).contains(&age))
}

/// A search result and how well it matched.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    pub intervention: &'a Intervention,
    pub score: u32,
}

/// How much a match in each field counts.
const WEIGHTS: Weights = Weights {
    name: 8,
    themes: 6,
    summary: 4,
    provider: 3,
    description: 1,
};

struct Weights {
    name: u32,
    themes: u32,
    summary: u32,
    provider: u32,
    description: u32,
}

/// Interventions matching every word of `query`, best first (ties by name).
pub fn search<'a>(catalogue: &'a Catalogue, query: &str) -> Vec<Hit<'a>> {
    let terms: Vec<String> = query.split_whitespace().map(fold).collect();
    if terms.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = catalogue
        .interventions
        .iter()
        .filter_map(|intervention| {
            let fields = Fields::of(intervention, catalogue);
            let mut score = 0;
            for term in &terms {
                let term_score = fields.score(term);
                if term_score == 0 {
                    return None;
                }
                score += term_score;
            }
            Some(Hit {
                intervention,
                score,
            })
        })
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.intervention.name.cmp(&b.intervention.name))
    });
    hits
}

/// The searchable text of an intervention, folded.
struct Fields {
    name: String,
    themes: String,
    summary: String,
    provider: String,
    description: String,
}

impl Fields {
    fn of(i: &Intervention, catalogue: &Catalogue) -> Fields {
        let themes: Vec<String> = i
            .all_themes()
            .flat_map(|t| {
                [
                    t.0.clone(),
                    catalogue.theme_label(t, Lang::Da).to_owned(),
                    catalogue.theme_label(t, Lang::En).to_owned(),
                ]
            })
            .collect();
        Fields {
            name: fold(&i.name),
            themes: fold(&themes.join(" ")),
            summary: fold(&i.summary),
            provider: fold(&format!("{} {}", i.provider.name, i.partners.join(" "))),
            description: fold(&i.description),
        }
    }

    /// The weight of the best field `term` occurs in; a match of the whole term counts
    /// double a match of its stem.
    fn score(&self, term: &str) -> u32 {
        let stem = stem(term);
        [
            (&self.name, WEIGHTS.name),
            (&self.themes, WEIGHTS.themes),
            (&self.summary, WEIGHTS.summary),
            (&self.provider, WEIGHTS.provider),
            (&self.description, WEIGHTS.description),
        ]
        .iter()
        .map(|(text, weight)| {
            if text.contains(term) {
                weight * 2
            } else if stem.len() >= 4 && has_word_starting_with(text, stem) {
                *weight
            } else {
                0
            }
        })
        .max()
        .unwrap_or(0)
    }
}

fn has_word_starting_with(text: &str, prefix: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| word.starts_with(prefix))
}

/// Lowercase without accents; Danish letters spelt out (æ → ae, ø → oe, å → aa), so
/// "aaben" finds "Åben" and "Mobning" finds "mobning".
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'á' | 'à' | 'â' | 'ä' | 'ã' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            c => out.push(c),
        }
    }
    out
}

/// A light Danish stem: the word without a common inflection or derivation ending.
fn stem(word: &str) -> &str {
    const ENDINGS: &[&str] = &[
        "ningerne", "ninger", "ning", "erne", "ende", "else", "heder", "hed", "ene", "er", "en",
        "et", "e",
    ];
    ENDINGS
        .iter()
        .find_map(|ending| {
            word.strip_suffix(ending)
                .filter(|rest| rest.chars().count() >= 4)
        })
        .unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_stems() {
        assert_eq!(
            fold("Åben og Rolig – Ærø Ølstykke Café"),
            "aaben og rolig – aeroe oelstykke cafe"
        );
        assert_eq!(stem("mobning"), "mobning");
        assert_eq!(stem("fællesskaber"), "fællesskab");
        assert_eq!(stem("ensomhed"), "ensom");
        assert_eq!(stem("ensom"), "ensom");
        assert_eq!(stem("alkohol"), "alkohol");
    }

    #[test]
    fn search_ranks_theme_and_name_matches_first() {
        let catalogue = Catalogue::bundled();
        let ids = |query: &str| -> Vec<String> {
            search(&catalogue, query)
                .iter()
                .map(|h| h.intervention.id.0.clone())
                .collect()
        };
        let bullying = ids("mobning");
        assert_eq!(
            bullying.first().map(String::as_str),
            Some("fri-for-mobberi")
        );
        let lonely = ids("ensom");
        assert!(lonely.iter().any(|id| id == "ventilen"), "{lonely:?}");
        assert!(ids("ÅBEN ROLIG").contains(&"aaben-og-rolig-for-unge".to_owned()));
        assert!(ids("zzzz").is_empty());
    }

    #[test]
    fn grades_match_the_usual_ages_of_their_pupils() {
        let mut sheet = Catalogue::bundled().get("x-it").unwrap().clone();
        sheet.target.age = None;
        let ages = |sheet: &Intervention| -> Vec<u8> {
            (0..=30)
                .filter(|&age| {
                    Filter {
                        age: Some(age),
                        ..Filter::default()
                    }
                    .matches(sheet)
                })
                .collect()
        };
        sheet.target.grades = Some(GradeRange { from: 7, to: 9 });
        assert_eq!(ages(&sheet), [13, 14, 15, 16]);
        sheet.target.grades = Some(GradeRange { from: 0, to: 0 });
        assert_eq!(ages(&sheet), [6, 7]);
        sheet.target.grades = None;
        assert!(
            ages(&sheet).is_empty(),
            "no ages and no grades match no age"
        );
    }

    #[test]
    fn filters_combine() {
        let catalogue = Catalogue::bundled();
        let filter = Filter {
            theme: Some(ThemeId("rygning".into())),
            age: Some(14),
            ..Filter::default()
        };
        let ids: Vec<&str> = catalogue
            .interventions
            .iter()
            .filter(|i| filter.matches(i))
            .map(|i| i.id.0.as_str())
            .collect();
        assert!(ids.contains(&"x-it"), "{ids:?}");
        assert!(ids.iter().all(|id| *id != "fri-for-mobberi"));
    }
}
