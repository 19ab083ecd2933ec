//! The workbook's sheets, each a tidy table of one kind of figure: answer distributions,
//! indicators with their tests, trends over the rounds, respondents, and a sheet saying what
//! the others hold. Every row starts with the unit (municipality, and school in school
//! reports) so that one workbook can hold a whole batch.

use std::collections::BTreeMap;

use rust_xlsxwriter::Workbook;

use super::sheet::{Cell, Column, Kind, Sheet};
use super::words::Words;
use super::{Tables, TablesError};
use crate::Lang;
use crate::aggregate::{Group, GroupFigures, QuestionSummary, Summary, Test, Withheld};
use crate::render::document::{GroupId, Role};
use crate::survey::{Code, Codebook, Question, QuestionId, Scale};

/// A row's cells.
type Row<'a> = Vec<Cell<'a>>;

/// The labels and words the sheets are written with.
pub(super) struct Book<'a> {
    codebook: &'a Codebook,
    lang: Lang,
    words: &'static Words,
    min_cell: u32,
    date: String,
    /// Whether the units are schools: a school column follows the municipality's.
    schools: bool,
    /// Each question of the codebook by id, with its theme's title.
    questions: BTreeMap<&'a QuestionId, (&'a str, &'a Question)>,
}

/// One answer category of a question: an option (or bin), or a missing code.
struct Answer<'a> {
    code: Code,
    label: &'a str,
    /// A missing code ("Ved ikke"), outside the percentage base.
    missing: bool,
}

impl<'a> Book<'a> {
    pub(super) fn new(tables: &Tables<'a>, summaries: &[Summary]) -> Book<'a> {
        let lang = tables.lang;
        let questions = tables
            .codebook
            .themes
            .iter()
            .flat_map(|theme| {
                theme
                    .questions
                    .iter()
                    .map(move |q| (&q.id, (theme.title.get(lang), q)))
            })
            .collect();
        Book {
            codebook: tables.codebook,
            lang,
            words: Words::of(lang),
            min_cell: tables.min_cell,
            date: tables.date.to_string(),
            schools: summaries.iter().any(|s| s.unit.municipality.is_some()),
            questions,
        }
    }

    /// One row per unit, question, group and answer category: n, the percent and its base.
    pub(super) fn distributions(
        &self,
        workbook: &mut Workbook,
        summaries: &[Summary],
    ) -> Result<(), TablesError> {
        let w = self.words;
        let mut columns = self.question_row_columns();
        columns.extend(self.group_columns());
        columns.extend([
            Column::new(w.n, Kind::Count),
            Column::new(w.answer_code, Kind::Code),
            Column::new(w.answer, Kind::Text),
            Column::new(w.percent_of, Kind::Text),
            Column::new(w.percent, Kind::Percent),
            Column::new(w.withheld, Kind::Text),
        ]);
        let mut sheet = Sheet::new(workbook, w.distributions, &columns)?;
        for summary in summaries {
            for (figures, theme, question) in self.questions_of(summary) {
                let answers = self.answers(question);
                for group in &figures.groups {
                    let published = group.figures.as_ref().ok();
                    let group_cells = self.group_cells(summary, &group.group);
                    let mark = self.mark(group.figures.as_ref().err());
                    for answer in &answers {
                        let (shares, base) = if answer.missing {
                            (published.map(|f| &f.missing), w.all_answers)
                        } else {
                            (published.map(|f| &f.percent), w.valid_answers)
                        };
                        let mut row = self.question_row(summary, theme, question);
                        row.extend(group_cells.iter().cloned());
                        row.extend([
                            published.map(|f| f.n).into(),
                            answer.code.0.into(),
                            answer.label.into(),
                            base.into(),
                            shares.and_then(|s| s.get(&answer.code)).copied().into(),
                            mark.clone(),
                        ]);
                        sheet.push(row)?;
                    }
                }
            }
        }
        sheet.finish()
    }

    /// One row per unit, question and group for the questions with an indicator or a mean:
    /// the indicator, the mean and, against the comparisons, the difference and its test.
    pub(super) fn indicators(
        &self,
        workbook: &mut Workbook,
        summaries: &[Summary],
    ) -> Result<(), TablesError> {
        let w = self.words;
        let mut columns = self.question_row_columns();
        columns.push(Column::new(w.indicator, Kind::Text));
        columns.extend(self.group_columns());
        columns.extend([
            Column::new(w.n, Kind::Count),
            Column::new(w.share, Kind::Percent),
            Column::new(w.mean, Kind::Decimal),
            Column::new(w.municipalities, Kind::Count),
            Column::new(w.compared_with, Kind::Text),
            Column::new(w.compared_share, Kind::Percent),
            Column::new(w.difference, Kind::Points),
        ]);
        columns.extend(self.test_columns());
        columns.push(Column::new(w.withheld, Kind::Text));
        let mut sheet = Sheet::new(workbook, w.indicators, &columns)?;
        for summary in summaries {
            for (figures, theme, question) in self.questions_of(summary) {
                let has_mean = question.kind.has_mean();
                if question.indicator.is_none() && !has_mean {
                    continue;
                }
                let unit = figures.groups.iter().find(|g| g.group == Group::Unit);
                let main = figures
                    .groups
                    .iter()
                    .find(|g| matches!(g.group, Group::Comparison(_)));
                for group in &figures.groups {
                    let published = group.figures.as_ref().ok();
                    // The unit is tested against the main comparison, each comparison
                    // against the unit; the breakdown's groups are not tested.
                    let against = match group.group {
                        Group::Unit => main,
                        Group::Comparison(_) => Some(group),
                        Group::Part { .. } => None,
                    };
                    let compared = against.and_then(GroupFigures::compared_indicator);
                    let difference = unit
                        .and_then(|u| u.figures.as_ref().ok()?.indicator)
                        .zip(compared)
                        .map(|(unit, compared)| unit - compared);
                    let test = against.and_then(|other| other.against);
                    let compared_with = against
                        .filter(|_| difference.is_some() || test.is_some())
                        .map(|other| self.group_label(summary, &other.group));
                    let mut row = self.question_row(summary, theme, question);
                    row.push(self.indicator_text(question).into());
                    row.extend(self.group_cells(summary, &group.group));
                    row.extend([
                        published.map(|f| f.n).into(),
                        published.and_then(|f| f.indicator).into(),
                        published.and_then(|f| f.mean).into(),
                        group.municipalities.into(),
                        compared_with.into(),
                        compared.filter(|_| difference.is_some()).into(),
                        difference.into(),
                    ]);
                    row.extend(self.test_cells(test));
                    row.push(self.mark(group.figures.as_ref().err()));
                    sheet.push(row)?;
                }
            }
        }
        sheet.finish()
    }

    /// One row per unit, question with a trend and round: the unit's indicator in each round,
    /// and on this round's row the change since the round before and its test.
    pub(super) fn trends(
        &self,
        workbook: &mut Workbook,
        summaries: &[Summary],
    ) -> Result<(), TablesError> {
        let w = self.words;
        let mut columns = self.question_row_columns();
        columns.extend([
            Column::new(w.indicator, Kind::Text),
            Column::new(w.round, Kind::Code),
            Column::new(w.n, Kind::Count),
            Column::new(w.share, Kind::Percent),
            Column::new(w.change, Kind::Points),
        ]);
        columns.extend(self.test_columns());
        columns.push(Column::new(w.withheld, Kind::Text));
        let mut sheet = Sheet::new(workbook, w.trends, &columns)?;
        for summary in summaries {
            for (figures, theme, question) in self.questions_of(summary) {
                let Some(trend) = &figures.trend else {
                    continue;
                };
                let last = trend.rounds.len().saturating_sub(1);
                for (position, round) in trend.rounds.iter().enumerate() {
                    let now = position == last;
                    let mut row = self.question_row(summary, theme, question);
                    row.extend([
                        self.indicator_text(question).into(),
                        round.round.into(),
                        round.n.into(),
                        round.indicator.into(),
                        trend.change.filter(|_| now).into(),
                    ]);
                    row.extend(self.test_cells(trend.against.filter(|_| now)));
                    row.push(match round.n {
                        None => w.not_in_round.into(),
                        Some(_) => Cell::Empty,
                    });
                    sheet.push(row)?;
                }
            }
        }
        sheet.finish()
    }

    /// One row per unit and group: the unit's respondents, each comparison's (with the
    /// municipalities it sums and leaves out) and each breakdown group's.
    pub(super) fn respondents(
        &self,
        workbook: &mut Workbook,
        summaries: &[Summary],
    ) -> Result<(), TablesError> {
        let w = self.words;
        let mut columns = self.unit_columns();
        columns.extend(self.group_columns());
        columns.extend([
            Column::new(w.n, Kind::Count),
            Column::new(w.municipalities, Kind::Count),
            Column::new(w.excluded, Kind::Count),
            Column::new(w.withheld, Kind::Text),
        ]);
        let mut sheet = Sheet::new(workbook, w.respondents, &columns)?;
        for summary in summaries {
            let row = |group: &Group, cells: [Cell<'a>; 4]| {
                let mut row = self.unit_cells(summary);
                row.extend(self.group_cells(summary, group));
                row.extend(cells);
                row
            };
            sheet.push(row(
                &Group::Unit,
                [
                    summary.respondents.unit.into(),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ],
            ))?;
            for comparison in &summary.comparisons {
                sheet.push(row(
                    &Group::Comparison(comparison.id.clone()),
                    [
                        comparison.respondents.into(),
                        comparison.municipalities.into(),
                        comparison.excluded.into(),
                        Cell::Empty,
                    ],
                ))?;
            }
            for count in &summary.respondents.groups {
                sheet.push(row(
                    &count.group,
                    [
                        count.n.as_ref().ok().copied().into(),
                        Cell::Empty,
                        Cell::Empty,
                        self.mark(count.n.as_ref().err()),
                    ],
                ))?;
            }
        }
        sheet.finish()
    }

    /// What the workbook holds and how to read it.
    pub(super) fn about(
        &self,
        workbook: &mut Workbook,
        summaries: &[Summary],
    ) -> Result<(), TablesError> {
        let w = self.words;
        let columns = [
            Column::new(w.field, Kind::Text),
            Column::new(w.value, Kind::Text),
        ];
        let mut sheet = Sheet::new(workbook, w.about, &columns)?;
        let rows: [(&str, Cell<'_>); 8] = [
            (w.survey, self.codebook.title.get(self.lang).into()),
            (w.round, self.codebook.round.into()),
            (w.date, self.date.as_str().into()),
            (w.min_cell, self.min_cell.into()),
            (w.reports, summaries.len().into()),
            (w.percent, w.about_percent.into()),
            (w.withheld, w.about_withheld.into()),
            (w.significance, w.about_significance.into()),
        ];
        for (field, value) in rows {
            sheet.push(vec![field.into(), value])?;
        }
        sheet.finish()
    }

    /// The unit's columns: its municipality, and its school where the units are schools.
    fn unit_columns(&self) -> Vec<Column> {
        let mut columns = vec![Column::new(self.words.municipality, Kind::Text)];
        if self.schools {
            columns.push(Column::new(self.words.school, Kind::Text));
        }
        columns
    }

    /// The unit's cells.
    fn unit_cells<'s>(&self, summary: &'s Summary) -> Row<'s> {
        let unit = &summary.unit;
        match (&unit.municipality, self.schools) {
            (Some(municipality), _) => {
                vec![municipality.as_str().into(), unit.name.as_str().into()]
            }
            (None, true) => vec![unit.name.as_str().into(), Cell::Empty],
            (None, false) => vec![unit.name.as_str().into()],
        }
    }

    /// The first columns of a row about one question: the unit's, then the question's theme,
    /// id and text.
    fn question_row_columns(&self) -> Vec<Column> {
        let w = self.words;
        let mut columns = self.unit_columns();
        columns.extend([
            Column::new(w.theme, Kind::Text),
            Column::new(w.question_id, Kind::Text),
            Column::new(w.question, Kind::Text),
        ]);
        columns
    }

    /// The first cells of a row about one question, as [`Book::question_row_columns`] names
    /// them.
    fn question_row<'s>(
        &self,
        summary: &'s Summary,
        theme: &'s str,
        question: &'s Question,
    ) -> Row<'s> {
        let mut row = self.unit_cells(summary);
        row.extend([
            theme.into(),
            question.id.0.as_str().into(),
            question.text.get(self.lang).into(),
        ]);
        row
    }

    fn group_columns(&self) -> [Column; 3] {
        let w = self.words;
        [
            Column::new(w.group_kind, Kind::Text),
            Column::new(w.group, Kind::Text),
            Column::new(w.group_id, Kind::Text),
        ]
    }

    /// A group's kind (the unit's level, "comparison" or the breakdown's title), its name and
    /// its key in `--data-out` (`unit`, `comparison:all`, `gender:1`).
    fn group_cells(&self, summary: &Summary, group: &Group) -> [Cell<'a>; 3] {
        let w = self.words;
        let id = GroupId::of(group, summary, self.codebook, self.lang);
        let kind = match id.role {
            Role::Unit if summary.unit.municipality.is_some() => w.school,
            Role::Unit => w.municipality,
            Role::Comparison => w.comparison,
            Role::Breakdown => self
                .codebook
                .background
                .breakdowns
                .iter()
                .find(|b| b.id == id.id)
                .map_or(w.comparison, |b| b.title.get(self.lang)),
        };
        [
            kind.into(),
            id.label.unwrap_or_else(|| w.all.to_owned()).into(),
            group.to_string().into(),
        ]
    }

    /// A group's name as the tables print it.
    fn group_label(&self, summary: &Summary, group: &Group) -> String {
        GroupId::of(group, summary, self.codebook, self.lang)
            .label
            .unwrap_or_else(|| self.words.all.to_owned())
    }

    fn test_columns(&self) -> [Column; 3] {
        let w = self.words;
        [
            Column::new(w.significance, Kind::Text),
            Column::new(w.test, Kind::Text),
            Column::new(w.p_value, Kind::PValue),
        ]
    }

    /// A test's outcome, method and p-value; empty cells without a test.
    fn test_cells(&self, test: Option<Test>) -> [Cell<'a>; 3] {
        let w = self.words;
        match test {
            Some(test) => [
                w.significance(test.significance).into(),
                w.method(test.method).into(),
                test.p_value.into(),
            ],
            None => [Cell::Empty, Cell::Empty, Cell::Empty],
        }
    }

    /// "Andel der …" of a question with an indicator; empty for one with only a mean.
    fn indicator_text(&self, question: &Question) -> Option<String> {
        let indicator = question.indicator.as_ref()?.get(self.lang);
        Some(format!("{} {indicator}", self.words.share_who))
    }

    /// The mark of a withheld figure, as the PDF prints it; empty where it is published.
    fn mark(&self, withheld: Option<&Withheld>) -> Cell<'a> {
        withheld.map(|_| self.words.withheld_mark).into()
    }

    /// A summary's questions with their theme's title and codebook entry.
    fn questions_of<'s>(
        &self,
        summary: &'s Summary,
    ) -> impl Iterator<Item = (&'s QuestionSummary, &'a str, &'a Question)> {
        summary.questions.iter().filter_map(|figures| {
            let &(theme, question) = self.questions.get(&figures.id)?;
            Some((figures, theme, question))
        })
    }

    /// A question's answer categories in the order of its table: the options (or bins),
    /// then the missing codes where its kind has them.
    fn answers(&self, question: &'a Question) -> Vec<Answer<'a>> {
        let scale = Scale::of_question(question, &self.codebook.missing);
        let labels = question.categories(self.lang);
        (0..scale.len())
            .map(|slot| {
                let code = scale.code(slot);
                let missing = slot >= scale.options();
                let label = if missing {
                    self.codebook.missing.get(&code).map(|l| l.get(self.lang))
                } else {
                    labels.get(slot).copied()
                };
                Answer {
                    code,
                    label: label.unwrap_or_default(),
                    missing,
                }
            })
            .collect()
    }
}
