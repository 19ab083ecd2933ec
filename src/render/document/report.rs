//! Building a report's template data: a [`Summary`]'s figures joined with the codebook's
//! labels in the report's language, with every figure also formatted as printed.

use std::collections::BTreeMap;

use super::{
    BreakdownView, ChangeView, ComparisonView, CountText, DATA_VERSION, DifferenceView,
    DifferencesView, Factsheet, GapView, GroupId, GroupText, GroupView, HeadlinesView, Label,
    LibraryView, Participation, Presentation, QuestionView, ReportData, ReportKind,
    RespondentsView, Role, RoundView, SurveyView, ThemeView, TrendView, UnitView,
};
use crate::aggregate::{Difference, Differences, Direction, Group, GroupFigures, Summary};
use crate::date::ReportDate;
use crate::render::numbers;
use crate::survey::{Code, Codebook, QuestionKind};
use crate::{Lang, Text};

/// What a withheld or missing figure prints as: one mark, whatever the reason a figure is
/// withheld.
const SUPPRESSED: &str = "–";

/// What a report shows besides its figures.
#[derive(Debug, Clone, Default)]
pub struct Additions {
    pub kind: ReportKind,
    /// The unit's significant differences ([`crate::aggregate::differences`]).
    pub differences: Differences,
    /// The library's suggestions for the concerns.
    pub library: LibraryView,
    /// The chosen fact sheets.
    pub interventions: Vec<Factsheet>,
    pub presentation: Presentation,
}

impl ReportData {
    /// Joins a unit's summary with the codebook's labels, the differences, the library's
    /// suggestions and the chosen fact sheets.
    pub fn new(
        codebook: &Codebook,
        summary: &Summary,
        additions: Additions,
        lang: Lang,
        date: ReportDate,
    ) -> ReportData {
        let Additions {
            kind,
            differences,
            library,
            interventions,
            presentation,
        } = additions;
        let labels = Labels {
            codebook,
            summary,
            lang,
        };
        // The summary has the questions the data have, in codebook order.
        let mut figures = summary.questions.iter().peekable();
        let themes: Vec<ThemeView> = codebook
            .themes
            .iter()
            .map(|theme| ThemeView {
                id: theme.id.clone(),
                title: theme.title.get(lang).to_owned(),
                questions: theme
                    .questions
                    .iter()
                    .filter_map(|question| {
                        let figures = figures.next_if(|f| f.id == question.id)?;
                        Some(labels.question(question, figures))
                    })
                    .collect(),
            })
            .filter(|theme| !theme.questions.is_empty())
            .collect();
        let mut untranslated: Vec<String> = codebook
            .texts()
            .into_iter()
            .filter_map(|text| text.untranslated(lang))
            .map(str::to_owned)
            .chain(presentation.untranslated)
            .collect();
        untranslated.sort_unstable();
        untranslated.dedup();
        ReportData {
            version: DATA_VERSION,
            lang,
            untranslated,
            date,
            unit: UnitView {
                level: summary.unit.level,
                name: summary.unit.name.clone(),
                municipality: summary.unit.municipality.clone(),
            },
            survey: SurveyView {
                id: codebook.survey.clone(),
                title: codebook.title.get(lang).to_owned(),
                round: codebook.round,
            },
            min_cell: summary.min_cell,
            relevant_difference: summary.relevant_difference,
            respondents: RespondentsView {
                unit: summary.respondents.unit,
                unit_text: numbers::count(summary.respondents.unit, lang),
            },
            comparisons: summary
                .comparisons
                .iter()
                .map(|c| ComparisonView {
                    id: c.id.clone(),
                    label: c.name.clone(),
                    municipalities: c.municipalities,
                    excluded: c.excluded,
                    respondents_text: numbers::count(c.respondents, lang),
                })
                .collect(),
            breakdowns: codebook
                .background
                .shown()
                .map(|b| BreakdownView {
                    id: b.id.clone(),
                    title: b.title.get(lang).to_owned(),
                    standardised: summary.standardise.contains(&b.id),
                })
                .collect(),
            missing: codebook
                .missing
                .iter()
                .map(|(code, label)| Label {
                    code: *code,
                    label: label.get(lang).to_owned(),
                })
                .collect(),
            participation: labels.participation(presentation.invited),
            branding: presentation.branding.clone(),
            rounds: summary
                .questions
                .iter()
                .find_map(|q| q.trend.as_ref())
                .map(|t| t.rounds.iter().map(|r| r.round).collect())
                .unwrap_or_default(),
            differences: labels.differences(&differences, &themes),
            headlines: labels.headlines(&themes),
            themes,
            interventions,
            kind,
            library,
        }
    }
}

impl GroupId {
    /// A summary's group as readers know it: its role, id, code and its name in `lang` (the
    /// unit's or comparison's name, or the breakdown value's label). Shared by the template
    /// data and the tables, so both name every group alike.
    pub fn of(group: &Group, summary: &Summary, codebook: &Codebook, lang: Lang) -> GroupId {
        match group {
            Group::Unit => GroupId {
                role: Role::Unit,
                id: summary.unit.level.id().to_owned(),
                code: None,
                label: Some(summary.unit.name.clone()),
            },
            Group::Comparison(id) => GroupId {
                role: Role::Comparison,
                id: id.clone(),
                code: None,
                label: summary
                    .comparisons
                    .iter()
                    .find(|c| &c.id == id)
                    .and_then(|c| c.name.clone()),
            },
            Group::Part { breakdown, code } => GroupId {
                role: Role::Breakdown,
                id: breakdown.clone(),
                code: Some(*code),
                label: codebook
                    .background
                    .breakdowns
                    .iter()
                    .find(|b| &b.id == breakdown)
                    .and_then(|b| b.values.get(code))
                    .map(|label| label.get(lang).to_owned()),
            },
        }
    }
}

/// The codebook's labels for a summary's groups and questions, in one language.
struct Labels<'a> {
    codebook: &'a Codebook,
    summary: &'a Summary,
    lang: Lang,
}

impl Labels<'_> {
    /// The differences with their labels and figures as printed, from the report's themes.
    fn differences(&self, differences: &Differences, themes: &[ThemeView]) -> DifferencesView {
        let view = |difference: &Difference| {
            let theme = themes.iter().find(|t| t.id == difference.theme)?;
            let question = theme
                .questions
                .iter()
                .find(|q| q.id == difference.question.0)?;
            Some(DifferenceView {
                question: question.id.clone(),
                theme: theme.title.clone(),
                indicator: question.indicator.clone()?,
                unit_text: numbers::percent_text(difference.unit),
                comparison_text: numbers::percent_text(difference.comparison),
                difference_text: numbers::difference(difference.unit, difference.comparison),
                significance: difference.significance,
                direction: difference.direction,
                trend_text: question.trend.as_ref().map(|trend| {
                    trend
                        .rounds
                        .iter()
                        .map(|r| format!("{}: {}", r.round, r.text))
                        .collect::<Vec<_>>()
                        .join(" · ")
                }),
            })
        };
        let list = |items: &[Difference]| items.iter().filter_map(view).collect();
        DifferencesView {
            against: differences.against.as_ref().and_then(|id| {
                self.summary
                    .comparisons
                    .iter()
                    .find(|c| &c.id == id)
                    .and_then(|c| c.name.clone())
            }),
            tested: differences.tested,
            strengths: list(&differences.strengths),
            concerns: list(&differences.concerns),
            other: list(&differences.other),
            unclear: list(&differences.unclear),
            largest: differences.largest.as_ref().and_then(view),
        }
    }

    /// The clear changes and gaps the summary states, with their labels and figures as
    /// printed.
    fn headlines(&self, themes: &[ThemeView]) -> HeadlinesView {
        let (summary, codebook) = (self.summary, self.codebook);
        let indicator = |question: &crate::survey::QuestionId| {
            themes
                .iter()
                .flat_map(|t| &t.questions)
                .find(|q| q.id == question.0)
                .and_then(|q| q.indicator.clone())
        };
        let changes = crate::aggregate::changes(summary, codebook)
            .into_iter()
            .filter_map(|change| {
                Some(ChangeView {
                    indicator: indicator(&change.question)?,
                    question: change.question.0,
                    previous_round: change.previous_round,
                    previous_text: numbers::percent_text(change.previous),
                    current_text: numbers::percent_text(change.current),
                    change_text: numbers::difference(change.current, change.previous),
                    significance: change.significance,
                    direction: change.direction,
                })
            })
            .collect();
        let gaps = crate::aggregate::gaps(summary)
            .into_iter()
            .filter_map(|gap| {
                let label = |code: Code| {
                    let part = Group::Part {
                        breakdown: gap.breakdown.clone(),
                        code,
                    };
                    GroupId::of(&part, summary, codebook, self.lang).label
                };
                let breakdown = codebook
                    .background
                    .breakdowns
                    .iter()
                    .find(|b| b.id == gap.breakdown)?;
                Some(GapView {
                    indicator: indicator(&gap.question)?,
                    question: gap.question.0.clone(),
                    breakdown_title: breakdown.title.get(self.lang).to_owned(),
                    breakdown: gap.breakdown.clone(),
                    high: gap.high.0,
                    high_label: label(gap.high.0)?,
                    high_text: numbers::percent_text(gap.high.1),
                    low: gap.low.0,
                    low_label: label(gap.low.0)?,
                    low_text: numbers::percent_text(gap.low.1),
                    difference_text: numbers::difference(gap.high.1, gap.low.1),
                })
            })
            .collect();
        HeadlinesView { changes, gaps }
    }

    /// Respondents per group and the response rate, as text.
    fn participation(&self, invited: Option<u32>) -> Participation {
        let (summary, lang) = (self.summary, self.lang);
        let respondents = summary.respondents.unit;
        Participation {
            invited_text: invited.map(|n| numbers::count(n, lang)),
            rate_text: invited
                .filter(|&n| n > 0)
                .map(|n| numbers::percent_text(f64::from(respondents) * 100.0 / f64::from(n))),
            groups: summary
                .respondents
                .groups
                .iter()
                .map(|count| CountText {
                    group: self.group_id(&count.group),
                    text: count
                        .n
                        .map_or_else(|_| SUPPRESSED.to_owned(), |n| numbers::count(n, lang)),
                    withheld: count.n.is_err(),
                })
                .collect(),
        }
    }

    /// A group's role, id and label.
    fn group_id(&self, group: &Group) -> GroupId {
        GroupId::of(group, self.summary, self.codebook, self.lang)
    }

    fn question(
        &self,
        question: &crate::survey::Question,
        figures: &crate::aggregate::QuestionSummary,
    ) -> QuestionView {
        let lang = self.lang;
        let categories: Vec<String> = question
            .categories(lang)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let indicator_of = |wanted: fn(&Group) -> bool| {
            figures
                .groups
                .iter()
                .find(|g| wanted(&g.group))
                .and_then(|g| g.figures.as_ref().ok())
                .and_then(|f| f.indicator)
        };
        let main = figures
            .groups
            .iter()
            .find(|g| matches!(g.group, Group::Comparison(_)));
        let home = indicator_of(|g| matches!(g, Group::Unit));
        let groups: Vec<GroupView> = figures
            .groups
            .iter()
            .map(|group| self.group_figures(group, categories.len(), question.better, home))
            .collect();
        let pair = home.zip(main.and_then(GroupFigures::compared_indicator));
        let difference = pair.map(|(home, main)| home - main);
        let difference_text = pair.map_or_else(
            || SUPPRESSED.to_owned(),
            |(home, main)| numbers::difference(home, main),
        );
        let text = |t: &Text| t.get(lang).to_owned();
        let (unit, items) = match &question.kind {
            QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => (None, Vec::new()),
            QuestionKind::Numeric { unit, .. } => (unit.as_ref().map(text), Vec::new()),
            QuestionKind::Index { items, .. } => {
                (None, items.iter().map(|item| text(&item.text)).collect())
            }
        };
        QuestionView {
            id: question.id.0.clone(),
            text: text(&question.text),
            kind: question.kind.name(),
            missing_column: question.kind.has_missing_codes(),
            mean_column: question.kind.has_mean(),
            indicator: question.indicator.as_ref().map(text),
            better: question.better,
            key: question.key,
            best: question.best_end(),
            direction: main
                .and_then(|g| g.against)
                .and_then(|a| Direction::of(a.significance, question.better)),
            categories,
            unit,
            items,
            groups,
            significance: main.and_then(|g| g.against).map(|a| a.significance),
            difference,
            difference_text,
            trend: figures.trend.as_ref().map(|trend| TrendView {
                rounds: trend
                    .rounds
                    .iter()
                    .map(|r| RoundView {
                        round: r.round,
                        indicator: r.indicator,
                        text: r
                            .indicator
                            .map_or_else(|| SUPPRESSED.to_owned(), numbers::percent_text),
                    })
                    .collect(),
                change: trend.change,
                change_text: match trend.rounds.as_slice() {
                    [.., before, now] => now
                        .indicator
                        .zip(before.indicator)
                        .map(|(now, before)| numbers::difference(now, before)),
                    _ => None,
                }
                .unwrap_or_else(|| SUPPRESSED.to_owned()),
                significance: trend.against.map(|a| a.significance),
                direction: trend
                    .against
                    .and_then(|a| Direction::of(a.significance, question.better)),
            }),
        }
    }

    fn group_figures(
        &self,
        group: &crate::aggregate::GroupFigures,
        categories: usize,
        better: Option<crate::survey::Better>,
        home: Option<f64>,
    ) -> GroupView {
        let lang = self.lang;
        let figures = group.figures.as_ref().ok();
        let comparison = matches!(group.group, Group::Comparison(_));
        let indicator = figures.and_then(|f| f.indicator);
        // For a comparison, the unit's indicator and the one it is compared with (this
        // group's, or its standardised one), where both are published.
        let compared = group.compared_indicator();
        let pair = home.zip(compared).filter(|_| comparison);
        let shares = |values: &BTreeMap<Code, f64>| {
            (!values.is_empty()).then(|| values.values().copied().collect::<Vec<f64>>())
        };
        let percent: Option<Vec<f64>> = figures.and_then(|f| shares(&f.percent));
        let missing: Option<Vec<f64>> = figures.and_then(|f| shares(&f.missing));
        let texts = |values: &Option<Vec<f64>>, count: usize| match values {
            Some(values) => values.iter().map(|&v| numbers::percent(v)).collect(),
            None => vec![SUPPRESSED.to_owned(); count],
        };
        let or_dash = |text: Option<String>| text.unwrap_or_else(|| SUPPRESSED.to_owned());
        let n = or_dash(figures.map(|f| numbers::count(f.n, lang)));
        let text = GroupText {
            n,
            percent: texts(&percent, categories),
            missing: texts(&missing, self.codebook.missing.len()),
            indicator: or_dash(figures.and_then(|f| f.indicator).map(numbers::percent_text)),
            mean: or_dash(
                figures
                    .and_then(|f| f.mean)
                    .map(|m| numbers::decimal(m, lang)),
            ),
            compared: if comparison {
                or_dash(compared.map(numbers::percent_text))
            } else {
                String::new()
            },
            interval: figures
                .and_then(|f| f.interval)
                .map(|i| format!("{}–{}", numbers::percent(i.low), numbers::percent(i.high)))
                .unwrap_or_default(),
            difference: match pair {
                _ if !comparison => String::new(),
                Some((home, group)) => numbers::difference(home, group),
                None => SUPPRESSED.to_owned(),
            },
        };
        GroupView {
            group: self.group_id(&group.group),
            withheld: group.figures.is_err(),
            n: figures.map(|f| f.n),
            percent,
            missing,
            indicator,
            mean: figures.and_then(|f| f.mean),
            standardised: group.standardised.as_ref().map(|s| s.indicator),
            municipalities: group.municipalities,
            against: group.against.map(|a| a.significance),
            direction: group
                .against
                .and_then(|a| Direction::of(a.significance, better)),
            difference: pair.map(|(home, group)| home - group),
            text,
        }
    }
}
