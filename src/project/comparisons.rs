//! The groups a unit is compared with, in the order the analyst chose: everyone in the file
//! (`all`), the unit's region (`region`, from data/regions.csv), a school's municipality
//! (`municipality`), or a group defined under `comparisons:` in report.yaml.

use std::sync::LazyLock;

use super::{Notice, ProjectError};
use crate::Lang;
use crate::aggregate::{ComparisonGroup, Tally, UnitRef};
use crate::config::CustomComparison;

/// The 98 municipalities and their regions (see the file's header for its sources).
const REGIONS_CSV: &str = include_str!("../../data/regions.csv");

/// (municipality's name folded for comparison, region).
static REGIONS: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
    REGIONS_CSV
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("code,"))
        .filter_map(|line| {
            let mut fields = line.split(',');
            let (_, name, region) = (fields.next()?, fields.next()?, fields.next()?);
            Some((fold(name), region))
        })
        .collect()
});

/// A municipality's name as it is looked up in the official list of regions: its
/// [`crate::names::key`] without "Kommune" (the list's "Nordfyns Kommune" is "Nordfyn" in
/// survey data; [`region_of`] also allows the genitive "s").
fn fold(name: &str) -> String {
    let name = crate::names::key(name);
    let name = name.strip_suffix(" kommune").unwrap_or(&name);
    let name = name.strip_suffix(" regionskommune").unwrap_or(name);
    name.to_owned()
}

/// The region of a municipality, if it is one of the 98.
fn region_of(municipality: &str) -> Option<&'static str> {
    let wanted = fold(municipality);
    REGIONS
        .iter()
        .find(|(name, _)| *name == wanted || format!("{name}s") == wanted)
        .map(|&(_, region)| region)
}

/// How `--compare` and `compare:` name a comparison group: one of the built-in groups, or
/// the id of a group under `comparisons:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ComparisonId<'a> {
    All,
    Region,
    Municipality,
    Custom(&'a str),
}

impl<'a> ComparisonId<'a> {
    const BUILT_IN: [ComparisonId<'static>; 3] = [
        ComparisonId::All,
        ComparisonId::Region,
        ComparisonId::Municipality,
    ];

    fn parse(id: &'a str) -> ComparisonId<'a> {
        Self::BUILT_IN
            .into_iter()
            .find(|built_in| built_in.as_str() == id)
            .unwrap_or(ComparisonId::Custom(id))
    }

    /// The id as it is written and as the template data and tables carry it.
    fn as_str(self) -> &'a str {
        match self {
            ComparisonId::All => "all",
            ComparisonId::Region => "region",
            ComparisonId::Municipality => "municipality",
            ComparisonId::Custom(id) => id,
        }
    }
}

/// The comparison groups of `unit`: `ids` (or the default: `all`, after `municipality` for a
/// school), resolved against the tally's municipalities.
pub(super) fn resolve(
    ids: Option<&[String]>,
    unit: UnitRef,
    tally: &Tally,
    custom: &[CustomComparison],
    lang: Lang,
    notices: &mut Vec<Notice>,
) -> Result<Vec<ComparisonGroup>, ProjectError> {
    let default: &[ComparisonId] = match unit {
        UnitRef::Municipality(_) => &[ComparisonId::All],
        UnitRef::School(_) => &[ComparisonId::Municipality, ComparisonId::All],
    };
    let ids: Vec<ComparisonId> = match ids {
        Some(ids) => ids.iter().map(|id| ComparisonId::parse(id)).collect(),
        None => default.to_vec(),
    };
    let municipality = match unit {
        UnitRef::Municipality(m) => m,
        UnitRef::School(s) => tally.schools()[s].0,
    };
    let names = tally.municipalities();
    ids.into_iter()
        .map(|id| match id {
            ComparisonId::All => Ok(ComparisonGroup {
                id: id.as_str().into(),
                name: None,
                members: (0..names.len()).collect(),
            }),
            ComparisonId::Region => {
                let region =
                    region_of(&names[municipality]).ok_or_else(|| ProjectError::NoRegion {
                        municipality: names[municipality].clone(),
                    })?;
                Ok(ComparisonGroup {
                    id: id.as_str().into(),
                    name: Some(region.to_owned()),
                    members: (0..names.len())
                        .filter(|&m| region_of(&names[m]) == Some(region))
                        .collect(),
                })
            }
            ComparisonId::Municipality => match unit {
                UnitRef::School(_) => Ok(ComparisonGroup {
                    id: id.as_str().into(),
                    name: Some(names[municipality].clone()),
                    members: vec![municipality],
                }),
                UnitRef::Municipality(_) => Err(ProjectError::MunicipalityComparison),
            },
            ComparisonId::Custom(other) => {
                let Some(group) = custom.iter().find(|c| c.id == other) else {
                    let known = ComparisonId::BUILT_IN
                        .into_iter()
                        .map(ComparisonId::as_str)
                        .chain(custom.iter().map(|c| c.id.as_str()));
                    return Err(ProjectError::UnknownComparison {
                        id: other.to_owned(),
                        suggestions: crate::suggest::closest(other, known)
                            .into_iter()
                            .map(str::to_owned)
                            .collect(),
                    });
                };
                let mut members = Vec::new();
                for name in &group.municipalities {
                    match tally.find_municipality(name) {
                        Ok(m) => members.push(m),
                        Err(_) => notices.push(Notice::UnknownComparisonMember {
                            comparison: group.id.clone(),
                            municipality: name.clone(),
                        }),
                    }
                }
                members.sort_unstable();
                members.dedup();
                Ok(ComparisonGroup {
                    id: group.id.clone(),
                    name: Some(group.name.get(lang).to_owned()),
                    members,
                })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_municipality_has_one_of_five_regions() {
        assert_eq!(REGIONS.len(), 98);
        let mut regions: Vec<&str> = REGIONS.iter().map(|&(_, r)| r).collect();
        regions.sort_unstable();
        regions.dedup();
        assert_eq!(regions.len(), 5);
        assert_eq!(region_of("Silkeborg"), Some("Region Midtjylland"));
        assert_eq!(region_of("Nordfyns Kommune"), Some("Region Syddanmark"));
        assert_eq!(
            region_of("bornholms regionskommune"),
            Some("Region Hovedstaden")
        );
        assert_eq!(region_of("Atlantis"), None);
    }
}
