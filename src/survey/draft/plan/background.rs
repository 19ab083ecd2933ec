//! Which columns are background (respondent id, municipality, school, grade, gender): the
//! first whose name means the role, else the first whose SPSS label does, among the columns
//! whose content fits it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Background, Coded, Label, MAX_CODES, Pick, value_labels};
use crate::survey::draft::columns::{Column, Columns};

/// The roles of background columns, with the column names and label words that suggest them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Respondent,
    Municipality,
    School,
    Grade,
    Gender,
}

impl Role {
    /// Column names (normalised by [`normal`]) that mean this role.
    pub(super) fn names(self) -> &'static [&'static str] {
        match self {
            Role::Respondent => &[
                "id",
                "respondent",
                "respondentid",
                "respid",
                "respondentnr",
                "caseid",
                "elevid",
                "elevnr",
                "lobenr",
                "loebenr",
                "lobenummer",
                "loebenummer",
                "idnr",
                "responseid",
                "svarid",
            ],
            Role::Municipality => &[
                "kommune",
                "kommunenavn",
                "komnavn",
                "kommunen",
                "municipality",
            ],
            Role::School => &[
                "skole",
                "skolenavn",
                "skolen",
                "school",
                "schoolname",
                "institution",
                "uddannelsessted",
            ],
            Role::Grade => &["klassetrin", "klasse", "klassetrinnet", "trin", "grade"],
            Role::Gender => &["koen", "kon", "kn", "gender", "sex", "kjoenn", "kjonn"],
        }
    }

    /// Words of a variable label (normalised) that mean this role.
    fn label_words(self) -> &'static [&'static str] {
        match self {
            Role::Respondent => &["respondent", "respondentid", "identification", "identifier"],
            Role::Municipality => &["kommune", "kommunenavn", "municipality"],
            Role::School => &["skole", "skolenavn", "school"],
            Role::Grade => &["klassetrin", "klasse", "grade"],
            Role::Gender => &["koen", "kon", "gender", "sex", "male", "female"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::Respondent => "respondent id",
            Role::Municipality => "municipality",
            Role::School => "school",
            Role::Grade => "grade",
            Role::Gender => "gender",
        }
    }

    /// Whether `column`'s content fits the role; else why not.
    fn fits(self, column: &Column) -> Result<(), String> {
        match self {
            Role::Respondent if !column.unique() => {
                Err("its values repeat, so it is no respondent id".to_owned())
            }
            Role::Grade | Role::Gender if column.text_cells > 0 || column.other_numbers > 0 => {
                Err("it holds other values than whole-number codes".to_owned())
            }
            Role::Grade | Role::Gender if coded_values(column).is_empty() => {
                Err("it holds no codes".to_owned())
            }
            Role::Grade | Role::Gender if coded_values(column).len() >= MAX_CODES => {
                Err(format!("it holds {MAX_CODES} codes or more"))
            }
            _ => Ok(()),
        }
    }
}

/// A name or word as compared: lowercase ASCII letters and digits, Danish letters
/// transliterated (`Køn` → `koen`), everything else left out.
pub(super) fn normal(text: &str) -> String {
    crate::slug::slug(text).replace('-', "")
}

/// Chooses a column for each role: the first whose name means it, else the first whose
/// label does, among the columns whose content fits the role.
pub(super) fn background(columns: &Columns, notes: &mut Vec<String>) -> Background {
    let mut taken = BTreeSet::new();
    let mut pick = |role: Role| -> Option<(Pick, &Column)> {
        let by_name = |c: &&Column| role.names().contains(&normal(&c.name).as_str());
        let by_label = |c: &&Column| {
            c.described.label.as_deref().is_some_and(|label| {
                label
                    .split(|ch: char| !ch.is_alphanumeric())
                    .any(|word| role.label_words().contains(&normal(word).as_str()))
            })
        };
        let free = || {
            columns
                .columns
                .iter()
                .filter(|c| !taken.contains(c.name.as_str()))
        };
        for (how, found) in [
            ("the column name", free().find(by_name)),
            ("the variable label", free().find(by_label)),
        ] {
            let Some(column) = found else { continue };
            if let Err(why) = role.fits(column) {
                notes.push(format!(
                    "column `{}` looks like the {} by {how}, but {why}; it is not used as such",
                    column.name,
                    role.name()
                ));
                continue;
            }
            taken.insert(column.name.as_str());
            let check = format!("guessed from {how}");
            return Some((
                Pick {
                    column: column.name.clone(),
                    check,
                },
                column,
            ));
        }
        None
    };
    let respondent = pick(Role::Respondent).map(|(pick, _)| pick);
    let municipality = pick(Role::Municipality).map(|(pick, column)| named(pick, column));
    let school = pick(Role::School).map(|(pick, column)| named(pick, column));
    let grade = pick(Role::Grade).map(|(pick, column)| coded(pick, column));
    let gender = pick(Role::Gender).map(|(pick, column)| coded(pick, column));
    Background {
        respondent,
        municipality,
        school,
        grade,
        gender,
    }
}

/// A municipality or school column, with what it holds in its check.
fn named(mut pick: Pick, column: &Column) -> Pick {
    let names: Vec<&str> = column.texts.keys().map(String::as_str).collect();
    if column.text_cells == 0 && column.filled > 0 {
        pick.check.push_str(
            "; it holds numbers, and reports name units by what the cells hold: \
             save the names in the column",
        );
    } else if !names.is_empty() {
        let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
        let more = if names.len() > 5 || column.many {
            ", …"
        } else {
            ""
        };
        pick.check.push_str(&format!(
            "; {}{} names: {shown}{more}",
            names.len(),
            if column.many { "+" } else { "" }
        ));
    }
    pick
}

/// A grade or gender column with its codes: those labelled and those found.
fn coded(pick: Pick, column: &Column) -> Coded {
    Coded {
        pick,
        values: coded_values(column).into_iter().collect(),
    }
}

/// The codes found in a column and those its value labels name, with their labels.
fn coded_values(column: &Column) -> BTreeMap<u16, Label> {
    let mut values: BTreeMap<u16, Label> = column.codes.keys().map(|&c| (c, None)).collect();
    for (code, label) in value_labels(column) {
        values.insert(code, Some(label));
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_in_plain_letters() {
        assert_eq!(normal("Køn"), "koen");
        assert_eq!(normal("Kommune_navn"), "kommunenavn");
        assert_eq!(normal("CASEID"), "caseid");
    }
}
