//! The figures of one unit's report (a municipality or a school): per question and group,
//! the distribution of valid answers, the missing-code shares, the headline indicator (with
//! its significance against each comparison and its trend over the rounds) and, for numeric
//! questions, the mean. Only groups that the file's disclosure-control [`Pattern`] publishes
//! get figures; comparison groups are summed from published municipalities only.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::design::{Interval, Sample};
use super::disclosure::Decision;
use super::pattern::{Pattern, Scope, UnitRef, whole};
use super::significance::{self, Test};
use super::standardise::{self, MAX_BREAKDOWNS, Piece};
use super::tally::{GroupCounts, Level, Part, Selection, Tally};
use crate::survey::{Code, Codebook, Question, QuestionId, Scale};

/// The default privacy threshold: nothing about fewer respondents is published.
pub const DEFAULT_MIN_CELL: u32 = 5;

/// The version of the `--data-out` format.
pub const SUMMARY_VERSION: u32 = 3;

/// A group a unit is compared with: the municipalities it sums (those published for each
/// question).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonGroup {
    /// A short id: `all`, `region`, `municipality` or a custom group's id.
    pub id: String,
    /// Its name as readers see it; `None` for `all`, which templates name in their language.
    pub name: Option<String>,
    /// Indices of its municipalities in the tally.
    pub members: Vec<usize>,
}

/// An earlier round, with its own disclosure-control pattern.
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    pub tally: &'a Tally,
    pub pattern: &'a Pattern,
    pub round: u16,
}

/// Which respondents a set of figures describes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The unit the report is about.
    Unit,
    /// A comparison group, by id.
    Comparison(String),
    /// The unit's respondents with one value of a breakdown.
    Part { breakdown: String, code: Code },
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Group::Unit => f.write_str("unit"),
            Group::Comparison(id) => write!(f, "comparison:{id}"),
            Group::Part { breakdown, code } => write!(f, "{breakdown}:{code}"),
        }
    }
}

impl Serialize for Group {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The published figures of one group for one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Valid answers (for multiple choice: respondents who answered).
    pub n: u32,
    /// Percent of valid answers per category code (option, or bin number), unrounded; empty
    /// when the group has no valid answers. For multiple choice: percent of respondents
    /// ticking each option.
    pub percent: BTreeMap<Code, f64>,
    /// Percent of all non-blank answers per missing code, unrounded; empty when the group has
    /// no answers at all.
    pub missing: BTreeMap<Code, f64>,
    /// The headline indicator in percent, if the question has one and the group valid answers.
    pub indicator: Option<f64>,
    /// The mean value (numeric and index questions with valid answers).
    pub mean: Option<f64>,
    /// The 95 % interval of the indicator in whole percent (design-based; see
    /// [`super::design`]), where the group has one.
    pub interval: Option<Interval>,
}

/// The mark of a figure that is not published. It is the same whatever the reason: were a
/// group withheld for having too few answers told apart from one withheld to protect
/// another, the second would be known to be large and, with whole numbers, the first could
/// be worked out. The reason stays with the analyst (`report validate --audit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withheld;

impl Withheld {
    /// `Some(Withheld)` when `decision` withholds a group, `None` when it publishes it.
    pub fn of(decision: Decision) -> Option<Withheld> {
        (!decision.is_published()).then_some(Withheld)
    }
}

/// A group's figures, or the mark that they are withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    pub group: Group,
    pub figures: Result<Figures, Withheld>,
    /// For a comparison group: how many municipalities it sums for this question.
    pub municipalities: Option<usize>,
    /// For a comparison group: the unit's indicator against it (without the unit).
    pub against: Option<Test>,
    /// For a comparison group the report standardises (report.yaml `standardise:`): its
    /// indicator as if it had the unit's mix, which `against` compares the unit with.
    pub standardised: Option<Standardisation>,
}

impl GroupFigures {
    /// The indicator the unit is compared with: a comparison group's standardised to the
    /// unit's mix where the report standardises it, else the group's own. Every difference
    /// a report prints is the unit's indicator minus this one.
    pub fn compared_indicator(&self) -> Option<f64> {
        match &self.standardised {
            Some(standardised) => Some(standardised.indicator),
            None => self.figures.as_ref().ok()?.indicator,
        }
    }
}

/// A comparison group's indicator as if the group had the unit's mix of pupils over some
/// breakdowns ([`super::standardise`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standardisation {
    /// In percent.
    pub indicator: f64,
    /// The breakdowns (ids) it is adjusted for.
    pub breakdowns: Vec<String>,
}

impl Serialize for GroupFigures {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("GroupFigures", 10)?;
        out.serialize_field("group", &self.group)?;
        let figures = self.figures.as_ref().ok();
        out.serialize_field("withheld", &self.figures.is_err())?;
        out.serialize_field("n", &figures.map(|f| f.n))?;
        out.serialize_field("percent", &figures.map(|f| &f.percent))?;
        out.serialize_field("missing", &figures.map(|f| &f.missing))?;
        out.serialize_field("indicator", &figures.and_then(|f| f.indicator))?;
        out.serialize_field("mean", &figures.and_then(|f| f.mean))?;
        out.serialize_field(
            "ci",
            &figures.and_then(|f| f.interval).map(|i| [i.low, i.high]),
        )?;
        if self.municipalities.is_some() {
            out.serialize_field("municipalities", &self.municipalities)?;
            out.serialize_field("against", &self.against)?;
            out.serialize_field("standardised", &self.standardised)?;
        }
        out.end()
    }
}

/// The unit's indicator in one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundFigure {
    pub round: u16,
    /// `None` where that round's file has no such unit or withholds its figure.
    pub indicator: Option<f64>,
    pub n: Option<u32>,
}

/// The unit's indicator over the rounds, oldest first, ending with this round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub rounds: Vec<RoundFigure>,
    /// This round minus the round before it, in percentage points, where both are published.
    pub change: Option<f64>,
    /// This round against the round before it.
    pub against: Option<Test>,
}

/// One question's figures for every group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionSummary {
    pub id: QuestionId,
    pub theme: String,
    pub groups: Vec<GroupFigures>,
    /// With earlier rounds, the unit's indicator in each.
    pub trend: Option<Trend>,
}

/// What a report is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitInfo {
    pub level: Level,
    pub name: String,
    /// For a school, its municipality.
    pub municipality: Option<String>,
}

/// A comparison group as the introduction describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonInfo {
    pub id: String,
    pub name: Option<String>,
    /// Its municipalities whose number of respondents is published, which it sums.
    pub municipalities: usize,
    /// Its municipalities whose figures are withheld, left out.
    pub excluded: usize,
    /// The respondents of the municipalities it sums.
    pub respondents: u32,
}

/// Respondent counts shown in the report's introduction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondents {
    /// The unit's respondents: at least `min_cell`, as a unit with fewer gets no report.
    pub unit: u32,
    /// The unit's respondents per breakdown value.
    pub groups: Vec<GroupCount>,
}

/// How many respondents a group has, or the mark that it is withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCount {
    pub group: Group,
    pub n: Result<u32, Withheld>,
}

impl Serialize for GroupCount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("GroupCount", 3)?;
        out.serialize_field("group", &self.group)?;
        out.serialize_field("withheld", &self.n.is_err())?;
        out.serialize_field("n", &self.n.as_ref().ok())?;
        out.end()
    }
}

/// Everything the report of one unit shows, already privacy-checked. Its JSON form is
/// `--data-out` (docs/formats.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// [`SUMMARY_VERSION`].
    pub version: u32,
    pub unit: UnitInfo,
    pub survey: String,
    pub round: u16,
    pub min_cell: u32,
    /// The smallest difference, in percentage points, that is marked.
    pub relevant_difference: f64,
    /// The breakdowns (ids) the comparisons are standardised over to the unit's mix; empty
    /// where they are not.
    pub standardise: Vec<String>,
    pub comparisons: Vec<ComparisonInfo>,
    pub respondents: Respondents,
    /// Questions the data have, in codebook order.
    pub questions: Vec<QuestionSummary>,
}

/// A unit whose report would disclose respondents, so it gets none. There is one message
/// for every reason, so a refusal never tells how many respondents the unit has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoReport {
    #[error(
        "{unit} gets no report: its figures are withheld to protect the anonymity of the \
         respondents (figures are published only for groups of at least {min_cell} \
         respondents, and only where no smaller group can be worked out from them)"
    )]
    Withheld { unit: String, min_cell: u32 },
}

/// The data a unit's figures come from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub codebook: &'a Codebook,
    pub tally: &'a Tally,
    pub pattern: &'a Pattern,
    /// Earlier rounds, oldest first.
    pub previous: &'a [Previous<'a>],
    /// The smallest difference, in percentage points, that is marked.
    pub relevant: f64,
    /// The breakdowns (tally axes, at most [`MAX_BREAKDOWNS`]) every comparison group is
    /// standardised over to the unit's mix; empty for none. Needs a pattern that decides
    /// every municipality ([`super::Focus::All`]): a group's figures by a breakdown are summed
    /// from the municipalities that publish them.
    pub standardise: &'a [usize],
}

/// The codebook id of the breakdown that is the tally's axis `axis`.
fn breakdown_id(codebook: &Codebook, tally: &Tally, axis: usize) -> String {
    codebook.background.breakdowns[tally.breakdowns()[axis]]
        .id
        .clone()
}

/// Computes the report figures of `unit`, compared with `comparisons`, publishing what the
/// pattern allows.
pub fn summarise(
    source: Source<'_>,
    unit: UnitRef,
    comparisons: &[ComparisonGroup],
) -> Result<Summary, NoReport> {
    let Source {
        codebook,
        tally,
        pattern,
        ..
    } = source;
    let info = unit_info(tally, unit);
    let (name, min_cell) = (info.name.clone(), pattern.min_cell());
    if !pattern.respondents(whole(unit)).is_published() {
        return Err(NoReport::Withheld {
            unit: name,
            min_cell,
        });
    }
    let home = selection(tally, unit);
    let parts = parts(codebook, tally, pattern);
    let reported = pattern.reported_municipalities();
    let respondents = Respondents {
        unit: tally.respondents(&home),
        groups: parts
            .iter()
            .map(|(group, part)| GroupCount {
                group: group.clone(),
                n: published(pattern.respondents(Scope {
                    unit,
                    part: Some(*part),
                }))
                .map(|()| tally.respondents(&home.narrowed(*part))),
            })
            .collect(),
    };
    let comparison_infos = comparisons
        .iter()
        .map(|c| {
            let summed: Vec<usize> = c
                .members
                .iter()
                .copied()
                .filter(|m| reported.contains(m))
                .collect();
            ComparisonInfo {
                id: c.id.clone(),
                name: c.name.clone(),
                municipalities: summed.len(),
                excluded: c.members.len() - summed.len(),
                respondents: summed
                    .iter()
                    .map(|&m| tally.respondents(&tally.municipality(m)))
                    .sum(),
            }
        })
        .collect();
    let questions = codebook
        .themes
        .iter()
        .flat_map(|theme| theme.questions.iter().map(move |q| (theme, q)))
        .enumerate()
        .filter(|&(index, _)| tally.has_question(index))
        .map(|(index, (theme, question))| {
            let context = QuestionContext {
                source,
                index,
                question,
                scale: Scale::of_question(question, &codebook.missing),
                unit,
                home: &home,
                unit_name: &info,
            };
            context.summary(&theme.id, comparisons, &parts)
        })
        .collect();
    let mut questions: Vec<QuestionSummary> = questions;
    decide(&mut questions, comparisons, source.relevant);
    Ok(Summary {
        version: SUMMARY_VERSION,
        unit: info,
        survey: codebook.survey.clone(),
        round: codebook.round,
        min_cell: pattern.min_cell(),
        relevant_difference: source.relevant,
        standardise: source
            .standardise
            .iter()
            .map(|&axis| breakdown_id(codebook, tally, axis))
            .collect(),
        comparisons: comparison_infos,
        respondents,
        questions,
    })
}

/// Decides every test's significance once all are known: each comparison's tests are one
/// family, and the trends another ([`significance::decide`]).
fn decide(questions: &mut [QuestionSummary], comparisons: &[ComparisonGroup], relevant: f64) {
    for comparison in comparisons {
        let wanted = Group::Comparison(comparison.id.clone());
        let mut family: Vec<&mut Test> = questions
            .iter_mut()
            .flat_map(|q| q.groups.iter_mut())
            .filter(|g| g.group == wanted)
            .filter_map(|g| g.against.as_mut())
            .collect();
        significance::decide(&mut family, relevant);
    }
    let mut trends: Vec<&mut Test> = questions
        .iter_mut()
        .filter_map(|q| q.trend.as_mut()?.against.as_mut())
        .collect();
    significance::decide(&mut trends, relevant);
}

/// A unit's name and level.
fn unit_info(tally: &Tally, unit: UnitRef) -> UnitInfo {
    match unit {
        UnitRef::Municipality(m) => UnitInfo {
            level: Level::Municipality,
            name: tally.municipalities()[m].clone(),
            municipality: None,
        },
        UnitRef::School(s) => {
            let (m, name) = &tally.schools()[s];
            UnitInfo {
                level: Level::School,
                name: name.clone(),
                municipality: Some(tally.municipalities()[*m].clone()),
            }
        }
    }
}

/// The cells of a unit.
fn selection(tally: &Tally, unit: UnitRef) -> Selection {
    match unit {
        UnitRef::Municipality(m) => tally.municipality(m),
        UnitRef::School(s) => tally.unit(tally.unit_of_school(s)),
    }
}

/// The municipality a unit lies in.
fn municipality_of(tally: &Tally, unit: UnitRef) -> usize {
    match unit {
        UnitRef::Municipality(m) => m,
        UnitRef::School(s) => tally.schools()[s].0,
    }
}

/// The breakdown groups of a report, in the pattern's order, with their codes.
fn parts(codebook: &Codebook, tally: &Tally, pattern: &Pattern) -> Vec<(Group, Part)> {
    let breakdowns = &codebook.background.breakdowns;
    pattern
        .parts()
        .iter()
        .map(|&part| {
            let breakdown = &breakdowns[tally.breakdowns()[part.axis]];
            let code = *breakdown
                .values
                .keys()
                .nth(part.slot)
                .expect("a slot of a known value");
            let group = Group::Part {
                breakdown: breakdown.id.clone(),
                code,
            };
            (group, part)
        })
        .collect()
}

/// `Ok` when `decision` publishes a group, else the mark that it is withheld.
fn published(decision: Decision) -> Result<(), Withheld> {
    Withheld::of(decision).map_or(Ok(()), Err)
}

/// What summarising one question needs.
struct QuestionContext<'a> {
    source: Source<'a>,
    index: usize,
    question: &'a Question,
    scale: Scale,
    unit: UnitRef,
    home: &'a Selection,
    unit_name: &'a UnitInfo,
}

impl QuestionContext<'_> {
    fn summary(
        &self,
        theme: &str,
        comparisons: &[ComparisonGroup],
        parts: &[(Group, Part)],
    ) -> QuestionSummary {
        let Source { tally, pattern, .. } = self.source;
        let decision = |part| {
            pattern
                .question(
                    self.index,
                    Scope {
                        unit: self.unit,
                        part,
                    },
                )
                .unwrap_or(Decision::Primary)
        };
        let home_counts = tally.counts(self.index, self.home);
        let home_published = decision(None).is_published();
        // Intervals and tests are of the indicator: without one, no sample is needed.
        let indicator = self.question.indicator.is_some();
        let home_sample = indicator.then(|| self.sample(&home_counts));
        let mut groups = vec![GroupFigures {
            group: Group::Unit,
            figures: published(decision(None))
                .map(|()| self.figures(&home_counts, home_sample.as_ref())),
            municipalities: None,
            against: None,
            standardised: None,
        }];
        let published_municipalities = pattern.published_municipalities(self.index);
        for comparison in comparisons {
            groups.push(
                self.comparison(
                    comparison,
                    &published_municipalities,
                    home_sample
                        .as_ref()
                        .filter(|_| home_published)
                        .map(|sample| (&home_counts, sample)),
                ),
            );
        }
        groups.extend(parts.iter().map(|(group, part)| {
            let narrowed = self.home.narrowed(*part);
            GroupFigures {
                group: group.clone(),
                figures: published(decision(Some(*part))).map(|()| {
                    let counts = tally.counts(self.index, &narrowed);
                    let sample = home_sample.as_ref().map(|home| {
                        home.part(
                            counts.positive,
                            counts.valid,
                            tally.respondents(&narrowed),
                            tally.design_clusters(),
                        )
                    });
                    self.figures(&counts, sample.as_ref())
                }),
                municipalities: None,
                against: None,
                standardised: None,
            }
        }));
        QuestionSummary {
            id: self.question.id.clone(),
            theme: theme.to_owned(),
            groups,
            trend: self.trend(home_published.then_some(&home_counts)),
        }
    }

    /// A comparison group's figures (summed from its published municipalities) and the unit
    /// against it, without the unit where the unit is part of it.
    fn comparison(
        &self,
        comparison: &ComparisonGroup,
        published_municipalities: &[usize],
        home: Option<(&GroupCounts, &Sample)>,
    ) -> GroupFigures {
        let tally = self.source.tally;
        let members: Vec<usize> = comparison
            .members
            .iter()
            .copied()
            .filter(|m| published_municipalities.contains(m))
            .collect();
        let counts = tally.counts_of(self.index, &members);
        let whole = self
            .question
            .indicator
            .is_some()
            .then(|| self.group_sample(&members, None, &counts));
        let compared = home.and_then(|(home, home_sample)| {
            let inside = members.contains(&municipality_of(tally, self.unit));
            let outside = if inside {
                counts.minus(home)
            } else {
                counts.clone()
            };
            let rest = self.group_sample(&members, inside.then_some(self.unit), &outside);
            if let Some(standardised) = whole
                .as_ref()
                .and_then(|whole| self.standardised(&members, home_sample, &rest, whole))
            {
                return Some((standardised.0, Some(standardised.1)));
            }
            let mut test = significance::compare(home_sample, &rest)?;
            // The reader sees the unit beside the whole group, which includes the unit's
            // own answers: unit − group = (1 − w)·(unit − rest), w the unit's part of the
            // group. Relevance is judged on that printed difference.
            let w = if inside && counts.valid > 0 {
                f64::from(home.valid) / f64::from(counts.valid)
            } else {
                0.0
            };
            test.difference *= 1.0 - w;
            test.interval = (test.interval.0 * (1.0 - w), test.interval.1 * (1.0 - w));
            Some((test, None))
        });
        let (against, standardised) = compared.unzip();
        GroupFigures {
            group: Group::Comparison(comparison.id.clone()),
            figures: Ok(self.figures(&counts, whole.as_ref())),
            municipalities: Some(members.len()),
            against,
            standardised: standardised.flatten(),
        }
    }

    /// The unit (with sample `home`) against the group of `members` (`whole`; without the
    /// unit, `rest`) standardised to the unit's mix over the report's standardised
    /// breakdowns, from published figures only ([`super::standardise`]); `None` where the
    /// report does not standardise, or the unit's figures by none of the breakdowns are all
    /// published, or the test is undefined.
    fn standardised(
        &self,
        members: &[usize],
        home: &Sample,
        rest: &Sample,
        whole: &Sample,
    ) -> Option<(Test, Standardisation)> {
        let Source {
            codebook,
            tally,
            pattern,
            standardise: axes,
            ..
        } = self.source;
        if axes.is_empty() {
            return None;
        }
        let published = |unit: UnitRef, axis: usize, slot: usize| {
            pattern
                .question(
                    self.index,
                    Scope {
                        unit,
                        part: Some(Part { axis, slot }),
                    },
                )
                .is_some_and(Decision::is_published)
        };
        // The unit's valid answers by each value, where every value's figure is published.
        let weights: Vec<Option<Vec<u32>>> = axes
            .iter()
            .map(|&axis| {
                (0..tally.axes()[axis] - 1)
                    .map(|slot| {
                        published(self.unit, axis, slot).then(|| {
                            let part = self.home.narrowed(Part { axis, slot });
                            tally.counts(self.index, &part).valid
                        })
                    })
                    .collect()
            })
            .collect();
        let home_municipality = municipality_of(tally, self.unit);
        let home_cells = tally.indicator_by_cell(self.index, self.home);
        let mut pieces = Vec::new();
        for &m in members {
            // Per breakdown and value: whether the municipality publishes its figure.
            let publishes: Vec<Vec<bool>> = axes
                .iter()
                .map(|&axis| {
                    (0..tally.axes()[axis] - 1)
                        .map(|slot| published(UnitRef::Municipality(m), axis, slot))
                        .collect()
                })
                .collect();
            let cells = tally.indicator_by_cell(self.index, &tally.municipality(m));
            for (local, &(positive, valid)) in cells.iter().enumerate() {
                let mut slots = [None; MAX_BREAKDOWNS];
                for (b, &axis) in axes.iter().enumerate() {
                    let slot = tally.slot_of(local, axis);
                    slots[b] = publishes[b]
                        .get(slot)
                        .is_some_and(|&p| p)
                        .then_some(slot as u16);
                }
                let inside = if m == home_municipality {
                    home_cells[local]
                } else {
                    (0, 0)
                };
                for (in_unit, (positive, valid)) in [
                    (true, inside),
                    (false, (positive - inside.0, valid - inside.1)),
                ] {
                    if valid > 0 {
                        pieces.push(Piece {
                            positive,
                            valid,
                            in_unit,
                            in_group: true,
                            slots,
                        });
                    }
                }
            }
        }
        if !members.contains(&home_municipality) {
            pieces.extend(
                home_cells
                    .iter()
                    .filter(|cell| cell.1 > 0)
                    .map(|&(positive, valid)| Piece {
                        positive,
                        valid,
                        in_unit: true,
                        in_group: false,
                        slots: [None; MAX_BREAKDOWNS],
                    }),
            );
        }
        let pupils = tally.respondents(&tally.all());
        let found = standardise::standardise(&pieces, &weights, pupils)?;
        let design = tally.design_clusters();
        let effect = home.design_effect(design).max(whole.design_effect(design));
        let test = significance::compare_standardised(
            home,
            rest,
            found.difference,
            found.variance * effect,
        )?;
        Some((
            test,
            Standardisation {
                indicator: 100.0 * found.group,
                breakdowns: found
                    .breakdowns
                    .iter()
                    .map(|&b| breakdown_id(codebook, tally, axes[b]))
                    .collect(),
            },
        ))
    }

    /// The unit's design-based sample, from its counts `counts`: its schools as clusters (a
    /// municipality), or its pupils (a school, which is one cluster).
    fn sample(&self, counts: &GroupCounts) -> Sample {
        match self.unit {
            UnitRef::Municipality(m) => self.group_sample(&[m], None, counts),
            UnitRef::School(_) => Sample::of_pupils(
                counts.positive,
                counts.valid,
                self.source.tally.respondents(self.home),
            ),
        }
    }

    /// The sample of the respondents of `municipalities` other than `except`'s, whose counts
    /// are `counts`.
    fn group_sample(
        &self,
        municipalities: &[usize],
        except: Option<UnitRef>,
        counts: &GroupCounts,
    ) -> Sample {
        let tally = self.source.tally;
        self.clusters_of(municipalities, except).unwrap_or_else(|| {
            let all: u32 = municipalities
                .iter()
                .map(|&m| tally.respondents(&tally.municipality(m)))
                .sum();
            let unit = except.map_or(0, |unit| tally.respondents(&selection(tally, unit)));
            Sample::of_pupils(counts.positive, counts.valid, all - unit)
        })
    }

    /// The clusters of `municipalities` other than `except`'s, where the data name schools.
    fn clusters_of(&self, municipalities: &[usize], except: Option<UnitRef>) -> Option<Sample> {
        let tally = self.source.tally;
        let clusters = tally.clusters(self.index)?;
        let mut member = vec![false; tally.municipalities().len()];
        for &m in municipalities {
            member[m] = true;
        }
        let excluded = |m: usize, school: Option<usize>| match except {
            None => false,
            Some(UnitRef::Municipality(unit)) => m == unit,
            Some(UnitRef::School(unit)) => school == Some(unit),
        };
        Some(Sample::of_clusters(clusters.filter_map(
            |(m, school, positive, valid, respondents)| {
                (member[m] && !excluded(m, school)).then_some((positive, valid, respondents))
            },
        )))
    }

    /// The unit's indicator in the earlier rounds and this one, where each round publishes
    /// it; and the change against the round before.
    fn trend(&self, home: Option<&GroupCounts>) -> Option<Trend> {
        let previous = self.source.previous;
        if previous.is_empty() || self.question.indicator.is_none() {
            return None;
        }
        let mut rounds: Vec<(u16, Option<GroupCounts>)> = previous
            .iter()
            .map(|p| (p.round, self.in_round(p)))
            .collect();
        rounds.push((self.source.codebook.round, home.cloned()));
        let [.., (_, before), (_, now)] = rounds.as_slice() else {
            return None;
        };
        let against = match (before, now) {
            (Some(before), Some(now)) => {
                // Two rounds are independent samples, each of the unit's pupils.
                let pupils = |c: &GroupCounts| Sample::of_pupils(c.positive, c.valid, c.answered);
                significance::compare(&pupils(now), &pupils(before))
            }
            _ => None,
        };
        let indicator =
            |counts: &GroupCounts| (counts.valid > 0).then(|| share(counts.positive, counts.valid));
        let change = match (before, now) {
            (Some(before), Some(now)) => indicator(now).zip(indicator(before)).map(|(a, b)| a - b),
            _ => None,
        };
        Some(Trend {
            rounds: rounds
                .iter()
                .map(|(round, counts)| RoundFigure {
                    round: *round,
                    indicator: counts.as_ref().and_then(indicator),
                    n: counts.as_ref().map(|c| c.valid),
                })
                .collect(),
            change,
            against,
        })
    }

    /// The unit's counts in an earlier round, where that round has the unit and publishes its
    /// figure.
    fn in_round(&self, round: &Previous<'_>) -> Option<GroupCounts> {
        let tally = round.tally;
        let unit = match (self.unit_name.municipality.as_deref(), self.unit) {
            (None, _) => UnitRef::Municipality(tally.find_municipality(&self.unit_name.name).ok()?),
            (Some(municipality), UnitRef::School(_)) => {
                let m = tally.find_municipality(municipality).ok()?;
                UnitRef::School(tally.find_school(&self.unit_name.name, Some(m)).ok()?)
            }
            (Some(_), UnitRef::Municipality(_)) => return None,
        };
        round
            .pattern
            .question(self.index, whole(unit))
            .filter(|d| d.is_published())?;
        Some(tally.counts(self.index, &selection(tally, unit)))
    }

    /// The figures of a published group, with the interval of its indicator from `sample`.
    fn figures(&self, counts: &GroupCounts, sample: Option<&Sample>) -> Figures {
        let mut figures = figures(counts, &self.scale, self.question);
        if figures.indicator.is_some() {
            figures.interval = sample
                .and_then(|s| s.interval(self.source.tally.design_clusters()))
                .map(Interval::rounded);
        }
        figures
    }
}

/// `count` of `base` in percent.
fn share(count: u32, base: u32) -> f64 {
    f64::from(count) * 100.0 / f64::from(base)
}

/// The figures of a published group.
fn figures(counts: &GroupCounts, scale: &Scale, question: &Question) -> Figures {
    let n = counts.valid;
    let answered = counts.answered;
    let percent = if n == 0 {
        BTreeMap::new()
    } else {
        counts
            .categories
            .iter()
            .enumerate()
            .map(|(slot, &count)| (scale.code(slot), share(count, n)))
            .collect()
    };
    let missing = if answered == 0 {
        BTreeMap::new()
    } else {
        counts
            .missing
            .iter()
            .enumerate()
            .map(|(i, &count)| (scale.code(scale.options() + i), share(count, answered)))
            .collect()
    };
    let mean = (n > 0 && question.kind.has_mean()).then(|| counts.sum / f64::from(n));
    Figures {
        n,
        percent,
        missing,
        indicator: (n > 0 && question.indicator.is_some()).then(|| share(counts.positive, n)),
        mean,
        interval: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::QuestionKind;

    fn question() -> Question {
        Question {
            id: QuestionId("q".into()),
            text: crate::Text::default(),
            indicator: Some("x".into()),
            better: None,
            key: false,
            kind: QuestionKind::Single {
                options: [
                    (Code(1), "a".into()),
                    (Code(2), "b".into()),
                    (Code(3), "c".into()),
                ]
                .into(),
                positive: vec![Code(1), Code(2)],
            },
        }
    }

    fn scale() -> Scale {
        Scale::of_question(&question(), &[(Code(98), "Ved ikke".into())].into())
    }

    #[test]
    fn percentages_use_valid_answers_and_missing_uses_all_answers() {
        // 6 × code 1, 3 × code 2, 1 × code 3, 2 × "ved ikke".
        let counts = GroupCounts {
            categories: vec![6, 3, 1],
            missing: vec![2],
            valid: 10,
            answered: 12,
            positive: 9,
            sum: 0.0,
        };
        let figures = figures(&counts, &scale(), &question());
        assert_eq!(figures.n, 10);
        assert_eq!(figures.percent[&Code(1)], 60.0);
        assert_eq!(figures.percent[&Code(3)], 10.0);
        assert!((figures.missing[&Code(98)] - 200.0 / 12.0).abs() < 1e-12);
        assert_eq!(figures.indicator, Some(90.0));
        assert_eq!(figures.mean, None);
    }

    #[test]
    fn withheld_groups_serialise_as_nulls_with_one_mark() {
        let json = serde_json::to_value(GroupFigures {
            group: Group::Part {
                breakdown: "gender".into(),
                code: Code(2),
            },
            figures: Err(Withheld),
            municipalities: None,
            against: None,
            standardised: None,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"group": "gender:2", "withheld": true, "n": null,
                               "percent": null, "missing": null, "indicator": null, "mean": null,
                               "ci": null})
        );
        // Whatever the reason, the same mark.
        assert_eq!(
            Withheld::of(Decision::Primary),
            Withheld::of(Decision::Secondary)
        );
        assert_eq!(Withheld::of(Decision::Published), None);
    }
}
