//! A pattern seen from one publication: the decisions a pattern over the union of a round's
//! publications (every breakdown and question of each) makes on the groups of one of them.
//! Every group of a publication — a unit, whole or narrowed to one value of one of its
//! breakdowns — is a group of the union, so its decision is simply looked up.

use super::{Decision, Decisions, Part, Pattern};

impl Pattern {
    /// This pattern's decisions on the groups of a tally of one publication of the same
    /// files at the same level (so with the same units): `axes[i]` is the axis of this
    /// pattern's tally that counts the breakdown of the publication's axis `i` (the same
    /// column, so the same slots), and `questions[q]` the question of this pattern's tally
    /// that is the publication's question `q`.
    pub fn project(&self, axes: &[usize], questions: &[usize]) -> Pattern {
        let parts: Vec<Part> = axes
            .iter()
            .enumerate()
            .flat_map(|(axis, &union_axis)| {
                self.parts
                    .iter()
                    .filter(move |part| part.axis == union_axis)
                    .map(move |part| Part {
                        axis,
                        slot: part.slot,
                    })
            })
            .collect();
        // The position of each of the publication's groups among a union scope's groups:
        // the whole first, then the parts.
        let positions: Vec<usize> = std::iter::once(0)
            .chain(parts.iter().map(|part| {
                let union_part = Part {
                    axis: axes[part.axis],
                    slot: part.slot,
                };
                1 + self
                    .parts
                    .iter()
                    .position(|&p| p == union_part)
                    .expect("the union has every part of a publication")
            }))
            .collect();
        let block = 1 + self.parts.len();
        let pick = |decisions: &[Decision]| -> Vec<Decision> {
            decisions
                .chunks(block)
                .flat_map(|scope| positions.iter().map(|&i| scope[i]))
                .collect()
        };
        let municipalities = self
            .municipalities
            .iter()
            .map(|decisions| Decisions {
                respondents: pick(&decisions.respondents),
                questions: questions
                    .iter()
                    .map(|&q| decisions.questions[q].as_deref().map(pick))
                    .collect(),
            })
            .collect();
        Pattern {
            min_cell: self.min_cell,
            focus: self.focus,
            parts,
            municipalities,
            schools: self.schools.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{Scope, UnitRef, whole};
    use super::*;
    use crate::aggregate::{Level, Tally};
    use crate::survey::{Codebook, Responses};

    /// Gender and grade, two questions.
    const BOTH: &str = r#"
survey: t
title: T
round: 2026
background:
  municipality: kommune
  school: skole
  gender: {column: koen, values: {1: "Dreng", 2: "Pige"}}
  grade: {column: klasse, values: {7: "7.", 8: "8.", 9: "9."}}
missing: {98: "Ved ikke"}
themes:
  - id: a
    title: A
    questions:
      - {id: q1, text: "?", options: {1: "Ja", 2: "Nej"}}
      - {id: q2, text: "?", options: {1: "Ja", 2: "Nej"}}
"#;

    /// Grade, then gender (the union's axes in the other order), and only q2.
    const SWAPPED: &str = r#"
survey: t
title: T
round: 2026
background:
  municipality: kommune
  school: skole
  breakdowns:
    - {id: grade, column: klasse, title: K, values: {7: "7.", 8: "8.", 9: "9."}}
    - {id: gender, column: koen, title: G, values: {1: "Dreng", 2: "Pige"}}
missing: {98: "Ved ikke"}
themes:
  - id: a
    title: A
    questions:
      - {id: q2, text: "?", options: {1: "Ja", 2: "Nej"}}
"#;

    /// Grade only (gender hidden), both questions.
    const GRADE: &str = r#"
survey: t
title: T
round: 2026
background:
  municipality: kommune
  school: skole
  grade: {column: klasse, values: {7: "7.", 8: "8.", 9: "9."}}
missing: {98: "Ved ikke"}
themes:
  - id: a
    title: A
    questions:
      - {id: q1, text: "?", options: {1: "Ja", 2: "Nej"}}
      - {id: q2, text: "?", options: {1: "Ja", 2: "Nej"}}
"#;

    /// `(count, municipality, school, gender, grade)` rows; every pupil answers both
    /// questions. In K: 2 pupils of unknown gender in 7th grade and 5 of unknown gender and
    /// grade. The grade table alone withholds nothing, but with the gender table the three
    /// grades would give the unknown-grade pupils (5) and so, against the unknown gender
    /// (7), the 2 in 7th grade.
    const ROWS: &[(usize, &str, &str, &str, &str)] = &[
        (12, "K", "S1", "1", "7"),
        (12, "K", "S2", "2", "7"),
        (2, "K", "S1", "", "7"),
        (12, "K", "S2", "1", "8"),
        (12, "K", "S1", "2", "8"),
        (8, "K", "S1", "1", "9"),
        (8, "K", "S2", "2", "9"),
        (5, "K", "S2", "", ""),
        (9, "L", "T1", "1", "8"),
        (3, "L", "T1", "2", "9"),
        (9, "L", "T2", "2", "8"),
    ];

    fn tally(codebook: &str, level: Level) -> (Codebook, Tally) {
        let codebook = Codebook::parse(codebook, Path::new("c.yaml")).unwrap();
        let mut csv = String::from("kommune,skole,koen,klasse,q1,q2\n");
        for &(count, municipality, school, gender, grade) in ROWS {
            for i in 0..count {
                let answer = 1 + i % 2;
                csv.push_str(&format!(
                    "{municipality},{school},{gender},{grade},{answer},{answer}\n"
                ));
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(&path, csv).unwrap();
        let (responses, quality) = Responses::read(&[path], &codebook, None).unwrap();
        assert_eq!(quality.errors(), 0);
        let tally = Tally::count(&codebook, &responses, level);
        (codebook, tally)
    }

    /// Every scope of every unit of `tally` with `parts`.
    fn scopes(tally: &Tally, parts: &[Part]) -> Vec<Scope> {
        let units = (0..tally.municipalities().len())
            .map(UnitRef::Municipality)
            .chain((0..tally.schools().len()).map(UnitRef::School));
        units
            .flat_map(|unit| {
                std::iter::once(whole(unit)).chain(parts.iter().map(move |&part| Scope {
                    unit,
                    part: Some(part),
                }))
            })
            .collect()
    }

    /// Asserts that `projected` decides every group of `publication` as `union` decides the
    /// same group.
    fn assert_same_decisions(
        union: &Pattern,
        projected: &Pattern,
        publication: &Tally,
        axes: &[usize],
        questions: &[usize],
    ) {
        for scope in scopes(publication, projected.parts()) {
            let in_union = Scope {
                unit: scope.unit,
                part: scope.part.map(|part| Part {
                    axis: axes[part.axis],
                    slot: part.slot,
                }),
            };
            assert_eq!(
                projected.respondents(scope),
                union.respondents(in_union),
                "{scope:?}"
            );
            for (q, &union_q) in questions.iter().enumerate() {
                assert_eq!(
                    projected.question(q, scope),
                    union.question(union_q, in_union),
                    "q{q} {scope:?}"
                );
            }
        }
    }

    #[test]
    fn projecting_onto_the_same_tally_changes_nothing() {
        for level in [Level::Municipality, Level::School] {
            let (_, tally) = tally(BOTH, level);
            let pattern = Pattern::of(&tally, 5);
            let projected = pattern.project(&[0, 1], &[0, 1]);
            assert_eq!(format!("{projected:?}"), format!("{pattern:?}"));
        }
    }

    #[test]
    fn a_publication_gets_the_union_decisions_on_its_own_groups() {
        for level in [Level::Municipality, Level::School] {
            let (_, union_tally) = tally(BOTH, level);
            let union = Pattern::of(&union_tally, 5);

            // Without gender: the union's grade axis, both questions.
            let (_, grade) = tally(GRADE, level);
            let own = Pattern::of(&grade, 5);
            let projected = union.project(&[1], &[0, 1]);
            assert_eq!(projected.parts(), own.parts());
            assert_same_decisions(&union, &projected, &grade, &[1], &[0, 1]);
            // On its own, the grade table publishes a grade group that, with the gender
            // table, would give the 2 pupils away; the projection withholds it.
            let k = UnitRef::Municipality(0);
            let withheld_now = (0..3).find(|&slot| {
                let scope = Scope {
                    unit: k,
                    part: Some(Part { axis: 0, slot }),
                };
                own.question(0, scope) == Some(Decision::Published)
                    && projected.question(0, scope) == Some(Decision::Secondary)
            });
            assert!(withheld_now.is_some(), "{own:?}\n{projected:?}");

            // The axes in the other order, one question.
            let (_, swapped) = tally(SWAPPED, level);
            let projected = union.project(&[1, 0], &[1]);
            assert_eq!(projected.parts(), Pattern::of(&swapped, 5).parts());
            assert_same_decisions(&union, &projected, &swapped, &[1, 0], &[1]);
        }
    }
}
