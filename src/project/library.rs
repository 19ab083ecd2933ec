//! The library as inspiration: for each codebook theme where the unit does worse than its
//! main comparison, the catalogue's interventions on the catalogue themes the codebook theme
//! names (`library:`) as one of their main themes, whose target fits the survey's
//! respondents. Only suggested, never appended: the analyst chooses, and the report says that
//! no link between the survey's themes and the interventions' effect is documented.

use super::Notice;
use crate::Lang;
use crate::aggregate::Differences;
use crate::catalogue::Catalogue;
use crate::catalogue::model::{AgeRange, GradeRange, Intervention};
use crate::survey::{Codebook, Theme};

/// At most this many interventions are suggested per theme, so the list stays a pointer into
/// the library rather than a copy of it.
const PER_THEME: usize = 6;

/// The interventions suggested for one codebook theme.
#[derive(Debug)]
pub struct Suggestion<'a> {
    pub theme: &'a Theme,
    pub interventions: Vec<&'a Intervention>,
}

/// Who a survey's respondents are, as far as its codebook tells: their grades (where the
/// `grade` breakdown's codes are grades) and their ages (`ages:`, else the usual ages of the
/// grades). Worked out once, then asked of every intervention.
#[derive(Debug, Clone, Copy)]
pub(super) struct Respondents {
    grades: Option<(u8, u8)>,
    ages: Option<(u8, u8)>,
}

impl Respondents {
    pub(super) fn of(codebook: &Codebook) -> Respondents {
        let grades = codebook.grades();
        let ages = codebook.ages.or_else(|| {
            let (from, to) = grades?;
            let ages = GradeRange { from, to }.usual_ages();
            Some((ages.from, ages.to))
        });
        Respondents { grades, ages }
    }

    /// Their ages as printed ("13–16 år"); `None` where the codebook tells neither ages nor
    /// grades.
    pub(super) fn ages_label(self, lang: Lang) -> Option<String> {
        self.ages
            .map(|(from, to)| AgeRange { from, to }.label(lang))
    }

    /// Whether an intervention is meant for them: by grades where both state them (7.–9.
    /// klasse is not 4.–6. klasse, though some pupils' ages overlap), else by ages (its
    /// stated ages, or the usual ages of its stated grades). It fits when its target lies
    /// wholly within the respondents' span or covers at least half of it: an intervention
    /// for ages 3–19 is not one for 15–25-year-olds, one for 9. klasse is one for 7.–9.
    /// klasse. With nothing known about the survey, every intervention fits; one that states
    /// neither ages nor grades fits no survey that states them.
    pub(super) fn fit(self, i: &Intervention) -> bool {
        let target = &i.target;
        match (self.grades, target.grades, self.ages) {
            (Some(survey), Some(stated), _) => covers((stated.from, stated.to), survey),
            (_, _, Some(survey)) => target
                .age
                .or_else(|| target.grades.map(GradeRange::usual_ages))
                .is_some_and(|stated| covers((stated.from, stated.to), survey)),
            (_, _, None) => true,
        }
    }

    /// The warning for an appended fact sheet that does not [`Respondents::fit`] them.
    pub(super) fn unfit(self, i: &Intervention) -> Notice {
        let respondents = match self.grades {
            Some((from, to)) => GradeRange { from, to }.label(Lang::En),
            None => self
                .ages_label(Lang::En)
                .unwrap_or_else(|| "of unknown ages".to_owned()),
        };
        Notice::UnfitIntervention {
            name: i.name.clone(),
            target: i
                .target
                .label(Lang::En)
                .unwrap_or_else(|| "no stated ages".to_owned()),
            respondents,
        }
    }
}

/// Whether the span `target` lies within `survey` or covers at least half of it (both ends
/// included).
fn covers(target: (u8, u8), survey: (u8, u8)) -> bool {
    let length = |from: u8, to: u8| i16::from(to) - i16::from(from) + 1;
    let overlap = length(target.0.max(survey.0), target.1.min(survey.1));
    let within = survey.0 <= target.0 && target.1 <= survey.1;
    overlap > 0 && (within || 2 * overlap >= length(survey.0, survey.1))
}

/// The suggestions for the themes of `differences`' concerns, in codebook order; themes
/// without related interventions are left out. Interventions sharing more of the theme's
/// catalogue themes come first, then by name.
pub fn suggestions<'a>(
    codebook: &'a Codebook,
    differences: &Differences,
    catalogue: &'a Catalogue,
) -> Vec<Suggestion<'a>> {
    let respondents = Respondents::of(codebook);
    differences
        .concern_themes(codebook)
        .into_iter()
        .filter_map(|theme| {
            let shared = |i: &Intervention| {
                i.themes
                    .iter()
                    .filter(|t| theme.library.contains(&t.0))
                    .count()
            };
            let mut interventions: Vec<&Intervention> = catalogue
                .interventions
                .iter()
                .filter(|i| shared(i) > 0)
                .filter(|i| respondents.fit(i))
                .collect();
            interventions.sort_by(|a, b| shared(b).cmp(&shared(a)).then(a.name.cmp(&b.name)));
            interventions.truncate(PER_THEME);
            (!interventions.is_empty()).then_some(Suggestion {
                theme,
                interventions,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{covers, suggestions};
    use crate::aggregate::{Difference, Differences, Direction, Significance};
    use crate::catalogue::Catalogue;
    use crate::survey::{Codebook, QuestionId};

    /// A concern on every theme of `codebook`, so the library suggests for all of them.
    fn concerns_everywhere(codebook: &Codebook) -> Differences {
        let concerns = codebook
            .themes
            .iter()
            .map(|theme| Difference {
                question: QuestionId(String::new()),
                theme: theme.id.clone(),
                unit: 60.0,
                comparison: 50.0,
                difference: 10.0,
                significance: Significance::Higher,
                direction: Direction::Worse,
            })
            .collect();
        Differences {
            concerns,
            ..Differences::default()
        }
    }

    #[test]
    fn the_bundled_library_suggests_only_by_main_themes_and_fitting_ages() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = Catalogue::load(&root.join("catalogue")).unwrap();
        // The library holds fewer interventions for 15–25-year-olds than for pupils.
        for (file, themes, too_young) in [
            (
                "udskoling.codebook.yaml",
                5,
                ["fri-for-mobberi", "de-utrolige-aar-foerskole"],
            ),
            (
                "unge.codebook.yaml",
                2,
                ["fri-for-mobberi", "pas-paa-hinanden-paa-nettet"],
            ),
        ] {
            let codebook = Codebook::load(&root.join("examples").join(file)).unwrap();
            let found = suggestions(&codebook, &concerns_everywhere(&codebook), &catalogue);
            assert!(
                found.len() >= themes,
                "{file}: suggestions for {} themes",
                found.len()
            );
            for suggestion in &found {
                for i in &suggestion.interventions {
                    assert!(
                        i.themes
                            .iter()
                            .any(|t| suggestion.theme.library.contains(&t.0)),
                        "{file}: {} suggested for {} by a secondary theme",
                        i.id,
                        suggestion.theme.id
                    );
                    assert!(!too_young.contains(&i.id.0.as_str()), "{file}: {}", i.id);
                }
            }
        }
    }

    #[test]
    fn the_examples_poor_fits_are_gone() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = Catalogue::load(&root.join("catalogue")).unwrap();
        let codebook = Codebook::load(&root.join("examples/udskoling.codebook.yaml")).unwrap();
        let found = suggestions(&codebook, &concerns_everywhere(&codebook), &catalogue);
        let suggested = |theme: &str, id: &str| {
            found
                .iter()
                .any(|s| s.theme.id == theme && s.interventions.iter().any(|i| i.id.0 == id))
        };
        assert!(!suggested("mobning", "uge-sex"));
        assert!(!suggested("venner", "madskoler"));
        assert!(!suggested("skole", "naar-cykelhjelm-ikke-er-nok"));
        assert!(suggested("rygning", "x-it"));
    }

    #[test]
    fn a_target_fits_when_within_or_covering_half_of_the_respondents() {
        // 7.–9. klasse.
        assert!(covers((0, 10), (7, 9)), "all grades include 7.–9.");
        assert!(covers((9, 9), (7, 9)), "9. klasse alone is within 7.–9.");
        assert!(covers((8, 10), (7, 9)), "8.–10. covers two of three grades");
        assert!(
            !covers((4, 7), (7, 9)),
            "one grade of three, reaching beyond"
        );
        assert!(!covers((0, 6), (7, 9)), "no overlap");
        // Ages 15–25 (eleven years).
        assert!(!covers((3, 19), (15, 25)), "five of eleven years");
        assert!(covers((15, 30), (15, 25)));
        assert!(covers((18, 18), (15, 25)));
    }
}
