//! The intervention fact sheet as catalogue editors write it (one YAML file per intervention).
//!
//! Every field is typed: closed sets are enums, ids are newtypes, unknown fields are errors.
//! The Danish and English labels of the closed sets live here too, so the terminal and the
//! templates show the same words.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The slug that identifies an intervention; equal to its file name without `.yaml`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct InterventionId(#[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))] pub String);

impl fmt::Display for InterventionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// The id of a theme in `catalogue/themes.yaml`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct ThemeId(pub String);

impl fmt::Display for ThemeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// One intervention's fact sheet.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    pub id: InterventionId,
    pub name: String,
    /// One or two sentences shown under the name.
    pub summary: String,
    /// The themes the intervention is mainly about: the library suggests it for these only.
    pub themes: Vec<ThemeId>,
    /// Themes it also touches: shown on its fact sheet and found by search and `--theme`,
    /// but never a reason to suggest it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_themes: Vec<ThemeId>,
    pub target: TargetGroup,
    #[serde(default)]
    pub settings: Vec<Setting>,
    #[serde(rename = "type")]
    pub kinds: Vec<InterventionType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    pub provider: Provider,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    pub documentation: Documentation,
    /// Markdown (the supported subset: paragraphs, emphasis, lists, links, headings level 3+).
    pub description: String,
    /// Markdown: advice for a municipality that wants to use the intervention locally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendations: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// When the catalogue editors last checked the facts (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub reviewed: Option<String>,
    #[serde(default = "danish")]
    pub language: Language,
}

impl Intervention {
    /// Its main themes, then its secondary ones.
    pub fn all_themes(&self) -> impl Iterator<Item = &ThemeId> {
        self.themes.iter().chain(&self.secondary_themes)
    }
}

/// Who the intervention is for.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    /// The ages the provider states; left out where it states none (never converted from
    /// grades).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeRange>,
    /// The school grades the provider states (0 = børnehaveklasse … 10); left out where it
    /// states none. Youth education is not a grade: name it in `who`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grades: Option<GradeRange>,
    pub who: String,
}

impl TargetGroup {
    /// The stated ages ("13–16 år"), else the stated grades ("7.–9. klasse"): grades are never
    /// shown as ages. `None` where the provider states neither.
    pub fn label(&self, lang: crate::Lang) -> Option<String> {
        self.age
            .map(|age| age.label(lang))
            .or_else(|| self.grades.map(|grades| grades.label(lang)))
    }
}

/// Ages in whole years, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    #[schemars(range(max = 30))]
    pub from: u8,
    #[schemars(range(max = 30))]
    pub to: u8,
}

impl AgeRange {
    /// The ages as readers write them, the one form everywhere an age span is printed (fact
    /// sheets, the library list, the terminal): "13–16 år" or "13–16 years".
    pub fn label(self, lang: crate::Lang) -> String {
        let (from, to) = (self.from, self.to);
        let years = crate::fact_label(lang, "years");
        if from == to {
            format!("{from} {years}")
        } else {
            format!("{from}–{to} {years}")
        }
    }
}

/// Danish school grades (klassetrin), both ends included: 0 is børnehaveklasse, 10 is
/// 10. klasse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRange {
    #[schemars(range(max = 10))]
    pub from: u8,
    #[schemars(range(max = 10))]
    pub to: u8,
}

impl GradeRange {
    /// The usual ages of pupils in these grades, for search only (never printed): pupils in
    /// grade g are mostly g + 6 or g + 7 years old, so 7.–9. klasse is 13–16.
    pub fn usual_ages(self) -> AgeRange {
        AgeRange {
            from: self.from.saturating_add(6),
            to: self.to.saturating_add(7),
        }
    }

    /// The grades as readers write them: "7.–9. klasse" or "grades 7–9".
    pub fn label(self, lang: crate::Lang) -> String {
        let (from, to) = (self.from, self.to);
        match (lang, from == to) {
            (crate::Lang::Da, true) => format!("{from}. klasse"),
            (crate::Lang::Da, false) => format!("{from}.–{to}. klasse"),
            (crate::Lang::En, true) => format!("grade {from}"),
            (crate::Lang::En, false) => format!("grades {from}–{to}"),
        }
    }
}

/// How the intervention runs, in the provider's words; every part is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Format {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

/// The organisation behind the intervention; `url` is its own site (pages of others, news
/// articles included, belong under `links`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub name: String,
    pub kind: ProviderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(url)]
    pub url: Option<String>,
}

/// The documentation level as the provider (or the agency describing the intervention)
/// states it, and where it says so.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Documentation {
    pub level: DocumentationLevel,
    /// Where the level is stated; required for every level but `not-stated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The page or publication that states a documentation level: the provider's own
/// evaluation page, the describing agency's page, an evaluation report.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    /// Left out for a publication without a web address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(url)]
    pub url: Option<String>,
}

/// A link to further material.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    #[schemars(url)]
    pub url: String,
}

/// Defines a closed set of catalogue values with their YAML names and Danish and English
/// labels, so the list lives in one place.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $yaml:literal, $da:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            JsonSchema,
        )]
        pub enum $name {
            $(#[serde(rename = $yaml)] $variant,)+
        }

        impl std::str::FromStr for $name {
            type Err = String;

            /// Parses the YAML name.
            fn from_str(key: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.key() == key)
                    .ok_or_else(|| format!("`{key}` is not one of {}", Self::keys().join(", ")))
            }
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// Every value's YAML name, in declaration order.
            pub fn keys() -> Vec<&'static str> {
                Self::ALL.iter().map(|value| value.key()).collect()
            }

            /// The name used in YAML and on the command line.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $yaml,)+ }
            }

            /// The label shown to readers.
            pub fn label(self, lang: crate::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, crate::Lang::Da) => $da,
                      ($name::$variant, crate::Lang::En) => $en,)+
                }
            }
        }
    };
}

labelled_enum! {
    /// Where the intervention takes place.
    Setting {
        Daycare = "daycare", "Dagtilbud", "Daycare";
        School = "school", "Skole", "School";
        Leisure = "leisure", "Fritid", "Leisure";
        HealthVisitor = "health-visitor", "Sundhedspleje", "Health visitor";
        Family = "family", "Familie", "Family";
        Municipality = "municipality", "Kommunale tilbud", "Municipal services";
        Clinic = "clinic", "Behandling og rådgivning", "Treatment and counselling";
        Online = "online", "Online", "Online";
    }
}

labelled_enum! {
    /// The form the intervention takes.
    InterventionType {
        Individual = "individual", "Individuelt forløb", "Individual";
        Group = "group", "Gruppeforløb", "Group";
        Family = "family", "Familieforløb", "Family";
        Class = "class", "Klasse- eller skoleindsats", "Class or school-wide";
        Organisational = "organisational", "Organisatorisk indsats", "Organisational";
        TeachingMaterial = "teaching-material", "Undervisningsmateriale", "Teaching material";
    }
}

labelled_enum! {
    /// What kind of organisation the provider is.
    ProviderKind {
        Ngo = "ngo", "Frivillig organisation eller fond", "NGO or foundation";
        Research = "research", "Forskningsinstitution", "Research institution";
        NationalAgency = "national-agency", "Styrelse", "National agency";
        Ministry = "ministry", "Ministerium", "Ministry";
        Municipality = "municipality", "Kommune", "Municipality";
    }
}

labelled_enum! {
    /// The documentation level the provider states; always shown as self-reported.
    DocumentationLevel {
        EffectRct = "effect-rct", "Effekt vist i randomiseret forsøg", "Effect shown in a randomised trial";
        EffectControlled = "effect-controlled", "Effekt vist med kontrolgruppe", "Effect shown with a control group";
        EffectReported = "effect-reported", "Effekt oplyst, design ikke beskrevet", "Effect reported, design not described";
        BeforeAfter = "before-after", "Før- og eftermålinger uden kontrolgruppe", "Before/after measurements without a control group";
        PromisingPractice = "promising-practice", "Lovende eller erfaringsbaseret praksis", "Promising or experience-based practice";
        NotDocumented = "not-documented", "Ikke dokumenteret", "Not documented";
        NotStated = "not-stated", "Ikke oplyst af udbyderen", "Not stated by the provider";
    }
}

labelled_enum! {
    /// The language the fact sheet is written in.
    Language {
        Da = "da", "Dansk", "Danish";
        En = "en", "Engelsk", "English";
    }
}

/// Fact sheets are Danish unless they say otherwise.
fn danish() -> Language {
    Language::Da
}
