//! The workbook's own words in each language: sheet names, column titles and the texts of
//! its cells that do not come from the codebook. Kept together, per language, as the
//! templates keep theirs in `lib/i18n.typ`, so a translation is one place to edit; a
//! withheld figure is marked in the words of the PDF.

use crate::Lang;
use crate::aggregate::{Method, Significance};

/// Every fixed text of the workbook in one language.
#[derive(Debug)]
pub(super) struct Words {
    lang: Lang,
    // Sheets.
    pub(super) distributions: &'static str,
    pub(super) indicators: &'static str,
    pub(super) trends: &'static str,
    pub(super) respondents: &'static str,
    pub(super) about: &'static str,
    // Columns.
    pub(super) municipality: &'static str,
    pub(super) school: &'static str,
    pub(super) theme: &'static str,
    pub(super) question_id: &'static str,
    pub(super) question: &'static str,
    pub(super) group_kind: &'static str,
    pub(super) group: &'static str,
    pub(super) group_id: &'static str,
    pub(super) n: &'static str,
    pub(super) answer_code: &'static str,
    pub(super) answer: &'static str,
    pub(super) percent_of: &'static str,
    pub(super) percent: &'static str,
    pub(super) withheld: &'static str,
    pub(super) indicator: &'static str,
    pub(super) share: &'static str,
    pub(super) mean: &'static str,
    pub(super) municipalities: &'static str,
    pub(super) excluded: &'static str,
    pub(super) compared_with: &'static str,
    /// The share the difference is against: the group's own, or its standardised one.
    pub(super) compared_share: &'static str,
    pub(super) difference: &'static str,
    pub(super) significance: &'static str,
    pub(super) test: &'static str,
    pub(super) p_value: &'static str,
    pub(super) round: &'static str,
    pub(super) change: &'static str,
    pub(super) field: &'static str,
    pub(super) value: &'static str,
    // Cells.
    /// Group kind of a comparison group.
    pub(super) comparison: &'static str,
    /// The name of the comparison `all`, which has no name of its own (as in the PDF's tables).
    pub(super) all: &'static str,
    /// Completes an indicator's text: "Andel der …".
    pub(super) share_who: &'static str,
    pub(super) valid_answers: &'static str,
    pub(super) all_answers: &'static str,
    /// The mark of a withheld figure, the same whatever the reason (as in the PDF).
    pub(super) withheld_mark: &'static str,
    /// The reason for a round's figure that is not in the trend.
    pub(super) not_in_round: &'static str,
    // The rows of the about sheet.
    pub(super) survey: &'static str,
    pub(super) date: &'static str,
    pub(super) min_cell: &'static str,
    pub(super) reports: &'static str,
    pub(super) about_percent: &'static str,
    pub(super) about_withheld: &'static str,
    pub(super) about_significance: &'static str,
}

const DA: Words = Words {
    lang: Lang::Da,
    distributions: "Fordelinger",
    indicators: "Nøgletal",
    trends: "Udvikling",
    respondents: "Respondenter",
    about: "Om tabellerne",
    municipality: "Kommune",
    school: "Skole",
    theme: "Tema",
    question_id: "Spørgsmål-id",
    question: "Spørgsmål",
    group_kind: "Gruppetype",
    group: "Gruppe",
    group_id: "Gruppe-id",
    n: "n",
    answer_code: "Svarkode",
    answer: "Svar",
    percent_of: "Procent af",
    percent: "Procent",
    withheld: "Skjult",
    indicator: "Nøgletal",
    share: "Andel",
    mean: "Gennemsnit",
    municipalities: "Kommuner",
    excluded: "Udeladte kommuner",
    compared_with: "Sammenlignet med",
    compared_share: "Sammenligningens andel (justeret, hvis standardiseret)",
    difference: "Forskel (procentpoint)",
    significance: "Signifikans",
    test: "Test",
    p_value: "p-værdi",
    round: "Runde",
    change: "Ændring (procentpoint)",
    field: "Felt",
    value: "Værdi",
    comparison: "Sammenligning",
    all: "Alle kommuner",
    share_who: "Andel der",
    valid_answers: "gyldige svar",
    all_answers: "alle svar",
    withheld_mark: "skjult af hensyn til anonymiteten",
    not_in_round: "ikke offentliggjort i runden",
    survey: "Undersøgelse",
    date: "Dato",
    min_cell: "Mindste antal svar i en gruppe",
    reports: "Rapporter",
    about_percent: "Procent er uafrundede andele af gruppens gyldige svar (»Procent af«: \
                    gyldige svar); svar uden for procentgrundlaget (fx »Ved ikke«) er andele af \
                    alle gruppens svar (»Procent af«: alle svar). n er gruppens gyldige svar.",
    about_withheld: "Af hensyn til anonymiteten vises tal kun for grupper med mindst så mange \
                     svar som »Mindste antal svar i en gruppe«, og kun hvor de ikke gør det \
                     muligt at regne tal for en mindre gruppe ud. Et skjult tal er en tom celle \
                     med »skjult af hensyn til anonymiteten« i kolonnen »Skjult«, uanset \
                     grunden. Det er de samme tal som i rapporten.",
    about_significance: "Signifikans: enhedens nøgletal mod gruppen i »Sammenlignet med« (uden \
                         enhedens egne elever), tosidet på 5 %-niveau; en z-test eller Fishers \
                         eksakte test. På enhedens egen række er det hovedsammenligningen.",
};

const EN: Words = Words {
    lang: Lang::En,
    distributions: "Distributions",
    indicators: "Indicators",
    trends: "Trends",
    respondents: "Respondents",
    about: "About",
    municipality: "Municipality",
    school: "School",
    theme: "Theme",
    question_id: "Question id",
    question: "Question",
    group_kind: "Group kind",
    group: "Group",
    group_id: "Group id",
    n: "n",
    answer_code: "Answer code",
    answer: "Answer",
    percent_of: "Percent of",
    percent: "Percent",
    withheld: "Withheld",
    indicator: "Indicator",
    share: "Share",
    mean: "Mean",
    municipalities: "Municipalities",
    excluded: "Municipalities left out",
    compared_with: "Compared with",
    compared_share: "Share compared with (adjusted, if standardised)",
    difference: "Difference (percentage points)",
    significance: "Significance",
    test: "Test",
    p_value: "p-value",
    round: "Round",
    change: "Change (percentage points)",
    field: "Field",
    value: "Value",
    comparison: "Comparison",
    all: "All municipalities",
    share_who: "Share who",
    valid_answers: "valid answers",
    all_answers: "all answers",
    withheld_mark: "withheld to protect anonymity",
    not_in_round: "not published in that round",
    survey: "Survey",
    date: "Date",
    min_cell: "Fewest answers in a group",
    reports: "Reports",
    about_percent: "Percents are unrounded shares of the group's valid answers (“Percent of”: \
                    valid answers); answers outside the percentage base (e.g. “Don't know”) are \
                    shares of all the group's answers (“Percent of”: all answers). n is the \
                    group's valid answers.",
    about_withheld: "To protect anonymity, figures are shown only for groups with at least as \
                     many answers as “Fewest answers in a group”, and only where no smaller \
                     group's figures can be worked out from them. A withheld figure is an \
                     empty cell with “withheld to protect anonymity” in the column “Withheld”, \
                     whatever the reason. These are the figures of the report.",
    about_significance: "Significance: the unit's indicator against the group in “Compared \
                         with” (without the unit's own pupils), two-sided at the 5 % level; a \
                         z-test or Fisher's exact test. On the unit's own row it is the main \
                         comparison.",
};

impl Words {
    /// The words of `lang`.
    pub(super) fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::Da => &DA,
            Lang::En => &EN,
        }
    }

    /// The outcome of a test, read as the first group against the second.
    pub(super) fn significance(&self, significance: Significance) -> &'static str {
        match (self.lang, significance) {
            (Lang::Da, Significance::Higher) => "tydeligt højere",
            (Lang::Da, Significance::Lower) => "tydeligt lavere",
            (Lang::Da, Significance::None) => "ingen relevant forskel",
            (Lang::Da, Significance::Unclear) => "for få svar til at sige",
            (Lang::En, Significance::Higher) => "clearly higher",
            (Lang::En, Significance::Lower) => "clearly lower",
            (Lang::En, Significance::None) => "no relevant difference",
            (Lang::En, Significance::Unclear) => "too few answers to tell",
        }
    }

    /// The name of a test.
    pub(super) fn method(&self, method: Method) -> &'static str {
        match (self.lang, method) {
            (Lang::Da, Method::Design) => "designbaseret test (skoler som klynger)",
            (Lang::En, Method::Design) => "design-based test (schools as clusters)",
            (Lang::Da, Method::Fisher) => "Fishers eksakte test",
            (Lang::En, Method::Fisher) => "Fisher's exact test",
            (Lang::Da, Method::Standardised) => {
                "designbaseret test mod gruppen justeret til enhedens fordeling"
            }
            (Lang::En, Method::Standardised) => {
                "design-based test against the group adjusted to the unit's mix"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_has_its_own_words_and_one_mark() {
        let (da, en) = (Words::of(Lang::Da), Words::of(Lang::En));
        assert_eq!(
            (da.distributions, en.distributions),
            ("Fordelinger", "Distributions")
        );
        assert_eq!(da.withheld_mark, "skjult af hensyn til anonymiteten");
        assert_eq!(en.withheld_mark, "withheld to protect anonymity");
        assert_eq!(en.significance(Significance::Lower), "clearly lower");
        assert_eq!(da.method(Method::Fisher), "Fishers eksakte test");
    }

    #[test]
    fn sheet_names_are_valid_in_excel() {
        for words in [Words::of(Lang::Da), Words::of(Lang::En)] {
            for name in [
                words.distributions,
                words.indicators,
                words.trends,
                words.respondents,
                words.about,
            ] {
                assert!(name.chars().count() <= 31, "{name}");
                assert!(
                    !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
                    "{name}"
                );
            }
        }
    }
}
