//! Languages and translated texts. Every text that comes from a codebook, report.yaml or the
//! catalogue and has translations follows one scheme: a map from language code to text,
//! written in YAML as `{da: "Dreng", en: "Boy"}`, or as a plain string where there is only
//! Danish. The templates' own fixed texts follow the same shape in `lib/i18n.typ`
//! (`(da: (…), en: (…))`). A text without the report's language falls back to Danish.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The language of a document's fixed texts and labels.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish
    #[default]
    Da,
    /// English
    En,
}

impl Lang {
    /// Every language, with its code.
    pub const ALL: &[(Lang, &str)] = &[(Lang::Da, "da"), (Lang::En, "en")];
}

impl std::str::FromStr for Lang {
    type Err = String;

    /// Parses a language code, `da` or `en`.
    fn from_str(code: &str) -> Result<Lang, String> {
        Lang::ALL
            .iter()
            .find(|(_, c)| *c == code)
            .map(|&(lang, _)| lang)
            .ok_or_else(|| format!("`{code}` is not a language: use da or en"))
    }
}

/// A text in Danish, with its English version where one is given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(from = "Written", into = "Written")]
pub struct Text {
    pub da: String,
    pub en: Option<String>,
}

/// How a [`Text`] is written in YAML.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
enum Written {
    /// Danish only.
    Danish(String),
    /// Per language.
    Translated {
        da: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        en: Option<String>,
    },
}

impl From<Written> for Text {
    fn from(written: Written) -> Text {
        match written {
            Written::Danish(da) => Text { da, en: None },
            Written::Translated { da, en } => Text { da, en },
        }
    }
}

impl From<Text> for Written {
    fn from(text: Text) -> Written {
        match text.en {
            None => Written::Danish(text.da),
            Some(en) => Written::Translated {
                da: text.da,
                en: Some(en),
            },
        }
    }
}

impl From<&str> for Text {
    fn from(da: &str) -> Text {
        Text {
            da: da.to_owned(),
            en: None,
        }
    }
}

impl Text {
    /// A text with both languages.
    pub fn new(da: &str, en: &str) -> Text {
        Text {
            da: da.to_owned(),
            en: Some(en.to_owned()),
        }
    }

    /// The text in `lang`, or the Danish text where there is no translation.
    pub fn get(&self, lang: Lang) -> &str {
        self.printed(lang).0
    }

    /// The Danish text, where a document in `lang` prints it for want of a translation: a
    /// screen reader must then be told it is Danish.
    pub fn untranslated(&self, lang: Lang) -> Option<&str> {
        let (text, printed) = self.printed(lang);
        (printed != lang).then_some(text)
    }

    /// What a document in `lang` prints, and the language that is in: the one rule for
    /// falling back to Danish.
    fn printed(&self, lang: Lang) -> (&str, Lang) {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => (en, Lang::En),
            _ => (&self.da, Lang::Da),
        }
    }

    /// True when the Danish text is empty or blank.
    pub fn is_blank(&self) -> bool {
        self.da.trim().is_empty()
    }
}

/// The Danish text (what messages quote).
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.da)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_a_string_or_a_map_of_languages() {
        let plain: Text = serde_yaml::from_str("Dreng").unwrap();
        assert_eq!(plain.get(Lang::En), "Dreng");
        let both: Text = serde_yaml::from_str("{da: Dreng, en: Boy}").unwrap();
        assert_eq!((both.get(Lang::Da), both.get(Lang::En)), ("Dreng", "Boy"));
        assert!(serde_yaml::from_str::<Text>("{en: Boy}").is_err());
        assert_eq!(
            serde_yaml::to_string(&both).unwrap(),
            "da: Dreng\nen: Boy\n"
        );
    }

    #[test]
    fn only_a_text_printed_in_danish_for_want_of_a_translation_is_untranslated() {
        let danish = Text::from("Dreng");
        assert_eq!(danish.untranslated(Lang::En), Some("Dreng"));
        assert_eq!(danish.untranslated(Lang::Da), None);
        assert_eq!(Text::new("Dreng", "Boy").untranslated(Lang::En), None);
    }
}

/// The fact sheet's labels (`fact-themes`, `fact-type` …) in every language, from the file
/// the templates read them from, so the terminal's fact sheet and the PDF's say the same.
static FACT_LABELS: std::sync::LazyLock<
    std::collections::BTreeMap<Lang, std::collections::BTreeMap<String, String>>,
> = std::sync::LazyLock::new(|| {
    serde_yaml::from_str(include_str!("../report-templates/lib/fact-labels.yaml"))
        .expect("the embedded fact-sheet labels are valid (a test reads them)")
});

/// The fact sheet's label `key` (without its `fact-` prefix) in `lang`.
pub fn fact_label(lang: Lang, key: &str) -> &'static str {
    FACT_LABELS
        .get(&lang)
        .and_then(|labels| labels.get(&format!("fact-{key}")))
        .map_or("", String::as_str)
}

#[cfg(test)]
mod fact_label_tests {
    use super::*;

    #[test]
    fn every_language_has_every_fact_sheet_label() {
        let da = &FACT_LABELS[&Lang::Da];
        assert_eq!(fact_label(Lang::Da, "type"), "Indsatstype");
        assert_eq!(fact_label(Lang::En, "type"), "Type");
        for &(lang, _) in Lang::ALL {
            let keys: Vec<&String> = FACT_LABELS[&lang].keys().collect();
            assert_eq!(keys, da.keys().collect::<Vec<_>>(), "{lang:?}");
        }
    }
}
