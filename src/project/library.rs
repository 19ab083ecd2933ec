//! The library as inspiration: for each codebook theme where the unit does worse than its
//! main comparison, the catalogue's interventions on the catalogue themes the codebook theme
//! names (`library:`), whose target ages fit the survey's. Only suggested, never appended:
//! the analyst chooses, and the report says that no link between the survey's themes and the
//! interventions' effect is documented.

use crate::aggregate::Differences;
use crate::catalogue::Catalogue;
use crate::catalogue::model::{GradeRange, Intervention};
use crate::catalogue::search::fits_ages;
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

/// The respondents' ages: the codebook's `ages`, else the usual ages of its grades.
pub fn survey_ages(codebook: &Codebook) -> Option<(u8, u8)> {
    codebook.ages.or_else(|| {
        let (from, to) = codebook.grades()?;
        let ages = GradeRange { from, to }.usual_ages();
        Some((ages.from, ages.to))
    })
}

/// Whether an intervention is for the survey's respondents: by grades where both state them
/// (7.–9. klasse is not 4.–6. klasse, though some pupils' ages overlap), else by ages; with
/// neither known about the survey, every intervention fits.
fn fits(i: &Intervention, grades: Option<(u8, u8)>, ages: Option<(u8, u8)>) -> bool {
    match (grades, i.target.grades, ages) {
        (Some((from, to)), Some(stated), _) => stated.from <= to && from <= stated.to,
        (_, _, Some((from, to))) => fits_ages(i, from, to),
        (_, _, None) => true,
    }
}

/// The suggestions for the themes of `differences`' concerns, in codebook order; themes
/// without related interventions are left out. Interventions sharing more of the theme's
/// catalogue themes come first, then by name.
pub fn suggestions<'a>(
    codebook: &'a Codebook,
    differences: &Differences,
    catalogue: &'a Catalogue,
) -> Vec<Suggestion<'a>> {
    let ages = survey_ages(codebook);
    let grades = codebook.grades();
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
                .filter(|i| fits(i, grades, ages))
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
