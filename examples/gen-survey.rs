//! Generates a synthetic, respondent-level national dataset for the example survey
//! (`examples/udskoling.codebook.yaml`): all 98 Danish municipalities, ~100,000 pupils in
//! 7.–9. grade, with plausible correlations, municipality differences and missing answers.
//!
//! ```text
//! cargo run --release --example gen-survey -- --out national.csv
//! cargo run --release --example gen-survey -- --out big.csv --scale 10
//! cargo run --release --example gen-survey -- --out sample.csv --only Silkeborg,Samsø
//! ```
//!
//! The output is deterministic: every municipality draws from its own seeded generator, so a
//! subset (`--only`) holds exactly the same rows as the national file for those municipalities.
//! The data are invented; no real pupil's answers are in them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail, ensure};
use clap::Parser;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use report::survey::Codebook;

/// Generate synthetic survey data for the example codebook.
#[derive(Parser)]
struct Args {
    /// Where to write the CSV
    #[arg(long)]
    out: PathBuf,
    /// The codebook the data follow
    #[arg(long, default_value = "examples/udskoling.codebook.yaml")]
    codebook: PathBuf,
    /// Seed of the random generators
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Multiply every municipality's number of respondents (10 gives ~1M rows)
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Only these municipalities (comma-separated names)
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// How much schools differ: the standard deviation of a school's shift of each trait (0:
    /// pupils as alike across schools as within them)
    #[arg(long, default_value_t = SCHOOL_SPREAD)]
    school_spread: f64,
}

/// Kommunekode, name and approximate population (thousands, rounded; for sizing only).
const MUNICIPALITIES: &[(u16, &str, u32)] = &[
    (101, "København", 660),
    (147, "Frederiksberg", 104),
    (151, "Ballerup", 49),
    (153, "Brøndby", 35),
    (155, "Dragør", 14),
    (157, "Gentofte", 75),
    (159, "Gladsaxe", 70),
    (161, "Glostrup", 23),
    (163, "Herlev", 29),
    (165, "Albertslund", 28),
    (167, "Hvidovre", 54),
    (169, "Høje-Taastrup", 56),
    (173, "Lyngby-Taarbæk", 56),
    (175, "Rødovre", 41),
    (183, "Ishøj", 23),
    (185, "Tårnby", 43),
    (187, "Vallensbæk", 17),
    (190, "Furesø", 41),
    (201, "Allerød", 26),
    (210, "Fredensborg", 41),
    (217, "Helsingør", 64),
    (219, "Hillerød", 52),
    (223, "Hørsholm", 25),
    (230, "Rudersdal", 57),
    (240, "Egedal", 44),
    (250, "Frederikssund", 46),
    (253, "Greve", 51),
    (259, "Køge", 62),
    (260, "Halsnæs", 31),
    (265, "Roskilde", 90),
    (269, "Solrød", 23),
    (270, "Gribskov", 41),
    (306, "Odsherred", 33),
    (316, "Holbæk", 72),
    (320, "Faxe", 37),
    (326, "Kalundborg", 49),
    (329, "Ringsted", 35),
    (330, "Slagelse", 80),
    (336, "Stevns", 23),
    (340, "Sorø", 30),
    (350, "Lejre", 28),
    (360, "Lolland", 40),
    (370, "Næstved", 84),
    (376, "Guldborgsund", 60),
    (390, "Vordingborg", 45),
    (400, "Bornholm", 39),
    (410, "Middelfart", 39),
    (420, "Assens", 41),
    (430, "Faaborg-Midtfyn", 52),
    (440, "Kerteminde", 24),
    (450, "Nyborg", 32),
    (461, "Odense", 207),
    (479, "Svendborg", 59),
    (480, "Nordfyn", 29),
    (482, "Langeland", 12),
    (492, "Ærø", 6),
    (510, "Haderslev", 55),
    (530, "Billund", 27),
    (540, "Sønderborg", 74),
    (550, "Tønder", 37),
    (561, "Esbjerg", 115),
    (563, "Fanø", 4),
    (573, "Varde", 50),
    (575, "Vejen", 43),
    (580, "Aabenraa", 58),
    (607, "Fredericia", 52),
    (615, "Horsens", 93),
    (621, "Kolding", 94),
    (630, "Vejle", 120),
    (657, "Herning", 89),
    (661, "Holstebro", 59),
    (665, "Lemvig", 20),
    (671, "Struer", 21),
    (706, "Syddjurs", 43),
    (707, "Norddjurs", 37),
    (710, "Favrskov", 49),
    (727, "Odder", 23),
    (730, "Randers", 99),
    (740, "Silkeborg", 97),
    (741, "Samsø", 4),
    (746, "Skanderborg", 64),
    (751, "Aarhus", 361),
    (756, "Ikast-Brande", 42),
    (760, "Ringkøbing-Skjern", 56),
    (766, "Hedensted", 47),
    (773, "Morsø", 20),
    (779, "Skive", 46),
    (787, "Thisted", 43),
    (791, "Viborg", 98),
    (810, "Brønderslev", 36),
    (813, "Frederikshavn", 59),
    (820, "Vesthimmerland", 36),
    (825, "Læsø", 2),
    (840, "Rebild", 30),
    (846, "Mariagerfjord", 41),
    (849, "Jammerbugt", 38),
    (851, "Aalborg", 221),
    (860, "Hjørring", 64),
];

/// Respondents per 1,000 inhabitants (7.–9. grade, ~55 % taking part) and the floor for
/// the smallest municipalities.
const RESPONDENTS_PER_THOUSAND: f64 = 17.0;
const MIN_RESPONDENTS: f64 = 150.0;

/// The latent traits answers depend on.
#[derive(Clone, Copy)]
enum Factor {
    /// Well-being and mental health.
    Wellbeing,
    /// Belonging, friends, school climate.
    Social,
    /// Smoking, alcohol, truancy.
    Risk,
    /// Sleep, activity, diet.
    Habits,
    /// Relations with parents.
    Family,
}

/// How one question's answers arise: its factor, whether a higher trait moves answers toward
/// the first option (`+1`) or the last (`-1`), and the answer shares of an average pupil.
struct Spec {
    id: &'static str,
    factor: Factor,
    sign: f64,
    base: &'static [f64],
}

macro_rules! specs {
    ($($id:literal $factor:ident $sign:literal [$($p:literal),+];)+) => {
        &[$(Spec { id: $id, factor: Factor::$factor, sign: $sign, base: &[$($p),+] }),+]
    };
}

const SPECS: &[Spec] = specs! {
    "q01" Wellbeing 1.0 [0.33, 0.42, 0.15, 0.07, 0.03];
    "q02" Wellbeing 1.0 [0.25, 0.38, 0.22, 0.10, 0.05];
    "q03" Wellbeing 1.0 [0.27, 0.36, 0.20, 0.11, 0.06];
    "q04" Wellbeing 1.0 [0.15, 0.45, 0.28, 0.09, 0.03];
    "q05" Wellbeing 1.0 [0.35, 0.45, 0.17, 0.03];
    "q06" Social 1.0 [0.20, 0.55, 0.18, 0.07];
    "q07" Social 1.0 [0.28, 0.40, 0.20, 0.08, 0.04];
    "q08" Social 1.0 [0.40, 0.38, 0.15, 0.05, 0.02];
    "q09" Social -1.0 [0.08, 0.22, 0.40, 0.22, 0.08];
    "q10" Wellbeing -1.0 [0.10, 0.22, 0.38, 0.20, 0.10];
    "q11" Risk -1.0 [0.55, 0.22, 0.16, 0.05, 0.02];
    "q12" Social 1.0 [0.18, 0.40, 0.27, 0.10, 0.05];
    "q13" Social -1.0 [0.04, 0.10, 0.38, 0.48];
    "q14" Social 1.0 [0.30, 0.40, 0.18, 0.08, 0.04];
    "q15" Social 1.0 [0.18, 0.35, 0.30, 0.12, 0.05];
    "q16" Social 1.0 [0.35, 0.38, 0.15, 0.08, 0.04];
    "q17" Social -1.0 [0.05, 0.08, 0.35, 0.52];
    "q18" Social -1.0 [0.04, 0.07, 0.22, 0.35, 0.32];
    "q19" Social -1.0 [0.08, 0.25, 0.35, 0.32];
    "q20" Social -1.0 [0.78, 0.14, 0.04, 0.02, 0.02];
    "q21" Risk -1.0 [0.85, 0.11, 0.02, 0.01, 0.01];
    "q22" Social -1.0 [0.82, 0.12, 0.03, 0.02, 0.01];
    "q23" Social -1.0 [0.85, 0.11, 0.04];
    "q24" Family 1.0 [0.35, 0.40, 0.17, 0.08];
    "q25" Wellbeing -1.0 [0.08, 0.12, 0.15, 0.25, 0.40];
    "q26" Wellbeing -1.0 [0.07, 0.11, 0.15, 0.27, 0.40];
    "q27" Wellbeing -1.0 [0.05, 0.15, 0.35, 0.30, 0.15];
    "q28" Wellbeing -1.0 [0.06, 0.10, 0.14, 0.30, 0.40];
    "q29" Wellbeing 1.0 [0.86, 0.06, 0.08];
    "q30" Wellbeing 1.0 [0.20, 0.32, 0.25, 0.14, 0.09];
    "q31" Habits -1.0 [0.10, 0.13, 0.14, 0.23, 0.40];
    "q32" Habits 1.0 [0.06, 0.30, 0.38, 0.18, 0.08];
    "q33" Habits 1.0 [0.06, 0.30, 0.35, 0.20, 0.09];
    "q34" Habits -1.0 [0.20, 0.22, 0.30, 0.28];
    "q35" Habits -1.0 [0.12, 0.25, 0.33, 0.15, 0.15];
    "q36" Habits -1.0 [0.12, 0.10, 0.33, 0.28, 0.17];
    "q37" Habits 1.0 [0.18, 0.45, 0.15, 0.18, 0.04];
    "q38" Habits 1.0 [0.25, 0.32, 0.25, 0.11, 0.07];
    "q39" Habits 1.0 [0.60, 0.15, 0.10, 0.15];
    "q40" Habits 1.0 [0.18, 0.30, 0.18, 0.24, 0.10];
    "q41" Habits -1.0 [0.04, 0.08, 0.10, 0.28, 0.50];
    "q42" Family 1.0 [0.60, 0.28, 0.08, 0.04];
    "q43" Risk -1.0 [0.80, 0.12, 0.04, 0.02, 0.02];
    "q44" Risk -1.0 [0.82, 0.08, 0.05, 0.02, 0.03];
    "q45" Risk -1.0 [0.68, 0.18, 0.08, 0.03, 0.03];
    "q46" Risk -1.0 [0.62, 0.33, 0.05];
    "q47" Risk -1.0 [0.45, 0.20, 0.35];
    "q48" Risk -1.0 [0.82, 0.09, 0.06, 0.03];
    "q49" Risk -1.0 [0.75, 0.13, 0.09, 0.03];
    "q50" Family 1.0 [0.55, 0.28, 0.10, 0.05, 0.02];
    "q51" Habits 1.0 [0.30, 0.40, 0.22, 0.08];
    "q52" Habits 1.0 [0.05, 0.20, 0.35, 0.22, 0.18];
    "q53" Wellbeing -1.0 [0.10, 0.22, 0.35, 0.22, 0.11];
    "q54" Risk 1.0 [0.30, 0.70];
    "q55" Family 1.0 [0.40, 0.37, 0.16, 0.07];
    "q56" Family 1.0 [0.30, 0.37, 0.22, 0.11];
    "q57" Family 1.0 [0.40, 0.38, 0.14, 0.05, 0.03];
    "q58" Family -1.0 [0.05, 0.20, 0.30, 0.35, 0.10];
};

/// How strongly a trait moves answers (on the logit scale).
const LOADING: f64 = 1.1;

/// Shares of "Ved ikke" (98) and "Ønsker ikke at svare" (99) for questions that deviate from
/// the defaults.
fn missing_rates(id: &str) -> (f64, f64) {
    match id {
        "q24" | "q50" => (0.04, 0.005),
        "q55" | "q56" => (0.03, 0.01),
        "q29" => (0.01, 0.03),
        "q43" | "q44" | "q45" | "q46" | "q47" | "q48" | "q49" => (0.01, 0.015),
        "q54" => (0.0, 0.005),
        _ => (0.015, 0.005),
    }
}

/// A municipality's shifts of the five traits, drawn once per municipality.
struct Local {
    traits: [f64; 5],
}

/// How much schools differ by default (the standard deviation of a school's shift of each
/// trait, on the traits' scale): pupils of one school are more alike than pupils in general,
/// as in real surveys. 0.4 gives intra-school correlations of 0.022–0.034 on the national
/// file's indicators (one-way ANOVA estimate over its 666 schools).
pub const SCHOOL_SPREAD: f64 = 0.4;

/// Each school's shifts of the five traits, drawn from a generator of their own, so the
/// pupils' backgrounds and schools are the same draws with or without them.
fn school_shifts(seed: u64, code: u16, schools: usize, spread: f64) -> Vec<[f64; 5]> {
    let mut rng = ChaCha8Rng::seed_from_u64(
        seed ^ u64::from(code).wrapping_mul(0xD1B5_4A32_D192_ED03) ^ 0x5C40_0150,
    );
    (0..schools)
        .map(|_| std::array::from_fn(|_| normal(&mut rng) * spread))
        .collect()
}

fn main() -> Result<()> {
    let args = Args::parse();
    let codebook = Codebook::load(&args.codebook)?;
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let settings = Settings {
        seed: args.seed,
        school_spread: args.school_spread,
        scale: args.scale,
        only: args.only,
    };
    let (rows, municipalities) = generate(&codebook, &settings, file)?;
    eprintln!(
        "wrote {} ({rows} respondents in {municipalities} municipalities)",
        args.out.display()
    );
    Ok(())
}

/// What to generate.
pub struct Settings {
    pub seed: u64,
    /// The standard deviation of a school's shift of each trait ([`SCHOOL_SPREAD`]).
    pub school_spread: f64,
    /// Multiplies every municipality's number of respondents.
    pub scale: f64,
    /// Only these municipalities (all when empty).
    pub only: Vec<String>,
}

/// Writes the synthetic survey as CSV to `out`; returns the number of rows and municipalities.
pub fn generate(
    codebook: &Codebook,
    settings: &Settings,
    out: impl Write,
) -> Result<(usize, usize)> {
    let questions: Vec<Generator> = codebook
        .questions()
        .map(Generator::for_question)
        .collect::<Result<_>>()?;

    let selected: Vec<&(u16, &str, u32)> = if settings.only.is_empty() {
        MUNICIPALITIES.iter().collect()
    } else {
        let by_name: BTreeMap<String, &(u16, &str, u32)> = MUNICIPALITIES
            .iter()
            .map(|m| (m.1.to_lowercase(), m))
            .collect();
        settings
            .only
            .iter()
            .map(|name| {
                by_name
                    .get(&name.trim().to_lowercase())
                    .copied()
                    .with_context(|| format!("unknown municipality `{name}`"))
            })
            .collect::<Result<_>>()?
    };
    if settings.scale <= 0.0 {
        bail!("--scale must be positive");
    }

    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    let background = &codebook.background;
    let school = background.school.as_deref().unwrap_or("skole");
    let respondent = background.respondent.as_deref().unwrap_or("id");
    let column = |id: &str| {
        background
            .breakdowns
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.column.as_str())
            .with_context(|| format!("the codebook has no `{id}` breakdown"))
    };
    write!(
        out,
        "{respondent},{},{school},{},{}",
        background.municipality,
        column("grade")?,
        column("gender")?
    )?;
    for column in codebook
        .questions()
        .flat_map(report::survey::Question::columns)
    {
        write!(out, ",{column}")?;
    }
    writeln!(out)?;

    let mut rows = 0usize;
    for &&(code, name, population) in &selected {
        let mut rng = ChaCha8Rng::seed_from_u64(
            settings.seed ^ u64::from(code).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        let local = Local {
            traits: std::array::from_fn(|_| normal(&mut rng) * 0.13),
        };
        let expected = (f64::from(population) * RESPONDENTS_PER_THOUSAND).max(MIN_RESPONDENTS)
            * settings.scale;
        let count = (expected * (0.9 + 0.2 * rng.random::<f64>())).round() as usize;
        let schools = (count / 140).max(1);
        let shifts = school_shifts(settings.seed, code, schools, settings.school_spread);
        for n in 0..count {
            let mut pupil = Pupil::draw(&mut rng, &local);
            let school = rng.random_range(1..=schools);
            for (trait_, shift) in pupil.traits.iter_mut().zip(shifts[school - 1]) {
                *trait_ += shift;
            }
            write!(
                out,
                "{code:04}-{:06},{name},Skole {school:02},{},{}",
                n + 1,
                pupil.grade.map_or(String::new(), |g| g.to_string()),
                pupil.gender.map_or(String::new(), |g| g.to_string()),
            )?;
            // Some pupils stop answering part-way through the questionnaire.
            let stop = if rng.random::<f64>() < 0.04 {
                rng.random_range(15..questions.len())
            } else {
                questions.len()
            };
            for (q, generator) in questions.iter().enumerate() {
                let skipped = q >= stop || rng.random::<f64>() < 0.008;
                generator.write(&mut out, &mut rng, &pupil, skipped)?;
            }
            out.write_all(b"\n")?;
            rows += 1;
        }
    }
    out.flush()?;
    Ok((rows, selected.len()))
}

/// How the answers to one codebook question are drawn.
enum Generator {
    /// A single-choice question from its spec.
    Single {
        spec: &'static Spec,
        thresholds: Vec<f64>,
    },
    /// Leisure activities: one 0/1 column per option.
    Activities { options: usize },
    /// Hours of sleep before a school day.
    Sleep,
    /// The five WHO-5 items, each scored 0–5.
    Who5 { items: usize, thresholds: Vec<f64> },
}

/// Shares of WHO-5 item scores 0, 1, …, 5 for an average pupil.
const WHO5_BASE: &[f64] = &[0.03, 0.07, 0.14, 0.22, 0.34, 0.20];

/// Tick rates of the leisure activities for an average pupil, and whether the habits trait
/// (activity) raises them.
const ACTIVITIES: &[(f64, bool)] = &[
    (0.55, true),
    (0.18, false),
    (0.06, false),
    (0.10, false),
    (0.12, false),
    (0.10, false),
];

impl Generator {
    fn for_question(question: &report::survey::Question) -> Result<Generator> {
        use report::survey::QuestionKind;
        let id = question.id.0.as_str();
        match (&question.kind, id) {
            (QuestionKind::Single { options, .. }, _) => {
                let spec = SPECS
                    .iter()
                    .find(|s| s.id == id)
                    .with_context(|| format!("no generator spec for question {id}"))?;
                ensure!(
                    spec.base.len() == options.len(),
                    "spec of {id} has {} shares for {} options",
                    spec.base.len(),
                    options.len()
                );
                Ok(Generator::Single {
                    spec,
                    thresholds: cumulative_logits(spec.base),
                })
            }
            (QuestionKind::Multiple { options, .. }, "q51b")
                if options.len() == ACTIVITIES.len() =>
            {
                Ok(Generator::Activities {
                    options: options.len(),
                })
            }
            (QuestionKind::Numeric { .. }, "q34b") => Ok(Generator::Sleep),
            (QuestionKind::Index { items, scores, .. }, "who5")
                if scores.len() == WHO5_BASE.len() =>
            {
                Ok(Generator::Who5 {
                    items: items.len(),
                    thresholds: cumulative_logits(WHO5_BASE),
                })
            }
            _ => bail!("no generator for question {id}"),
        }
    }

    /// Writes this question's cells (each preceded by a comma) for one pupil.
    fn write(
        &self,
        out: &mut impl Write,
        rng: &mut ChaCha8Rng,
        pupil: &Pupil,
        skipped: bool,
    ) -> Result<()> {
        let columns = match self {
            Generator::Single { .. } | Generator::Sleep => 1,
            Generator::Activities { options } => *options,
            Generator::Who5 { items, .. } => *items,
        };
        if skipped {
            out.write_all(",".repeat(columns).as_bytes())?;
            return Ok(());
        }
        match self {
            Generator::Single { spec, thresholds } => {
                let (dont_know, refuse) = missing_rates(spec.id);
                let u = rng.random::<f64>();
                if u < dont_know {
                    out.write_all(b",98")?;
                } else if u < dont_know + refuse {
                    out.write_all(b",99")?;
                } else {
                    let trait_value = pupil.traits[spec.factor as usize];
                    let option = draw_option(rng, thresholds, LOADING * spec.sign * trait_value);
                    write!(out, ",{}", option + 1)?;
                }
            }
            Generator::Activities { .. } => {
                for &(base, active) in ACTIVITIES {
                    let shift = if active {
                        pupil.traits[Factor::Habits as usize]
                    } else {
                        0.0
                    };
                    let logit = (base / (1.0 - base)).ln() + 0.9 * shift;
                    let ticked = rng.random::<f64>() < 1.0 / (1.0 + (-logit).exp());
                    write!(out, ",{}", u8::from(ticked))?;
                }
            }
            Generator::Sleep => {
                let u = rng.random::<f64>();
                if u < 0.03 {
                    out.write_all(b",98")?;
                } else {
                    let grade = f64::from(pupil.grade.unwrap_or(8)) - 8.0;
                    let hours = 8.1 - 0.35 * grade
                        + 0.35 * pupil.traits[Factor::Habits as usize]
                        + 0.8 * normal(rng);
                    // Pupils answer in half hours.
                    write!(out, ",{}", ((hours * 2.0).round() / 2.0).clamp(4.0, 12.0))?;
                }
            }
            Generator::Who5 { items, thresholds } => {
                for _ in 0..*items {
                    if rng.random::<f64>() < 0.01 {
                        out.write_all(b",98")?;
                        continue;
                    }
                    let trait_value = pupil.traits[Factor::Wellbeing as usize];
                    // Higher well-being moves scores toward the last (highest) option.
                    let option = draw_option(rng, thresholds, -LOADING * trait_value);
                    write!(out, ",{option}")?;
                }
            }
        }
        Ok(())
    }
}

/// One pupil's background and traits.
struct Pupil {
    grade: Option<u8>,
    gender: Option<u8>,
    traits: [f64; 5],
}

impl Pupil {
    fn draw(rng: &mut ChaCha8Rng, local: &Local) -> Pupil {
        let grade = match rng.random::<f64>() {
            u if u < 0.003 => None,
            u if u < 0.34 => Some(7),
            u if u < 0.67 => Some(8),
            _ => Some(9),
        };
        let gender = match rng.random::<f64>() {
            u if u < 0.005 => None,
            u if u < 0.495 => Some(1),
            u if u < 0.985 => Some(2),
            _ => Some(3),
        };
        // Correlated traits from independent normals.
        let z: [f64; 5] = std::array::from_fn(|_| normal(rng));
        let mut traits = [
            z[0],
            0.5 * z[0] + 0.87 * z[1],
            -0.3 * z[0] + 0.95 * z[2],
            0.45 * z[0] + 0.89 * z[3],
            0.4 * z[0] + 0.3 * z[1] + 0.87 * z[4],
        ];
        let shifts: [f64; 5] = match gender {
            Some(1) => [0.15, 0.0, 0.05, 0.12, 0.05],
            Some(2) => [-0.35, 0.05, -0.05, -0.1, 0.0],
            Some(_) => [-0.8, -0.5, 0.1, -0.3, -0.4],
            None => [-0.2, -0.2, 0.2, -0.1, -0.1],
        };
        let by_grade: [f64; 5] = match grade {
            Some(7) => [0.1, 0.0, -0.45, 0.1, 0.1],
            Some(9) => [-0.1, 0.0, 0.45, -0.1, -0.1],
            _ => [0.0; 5],
        };
        for i in 0..5 {
            traits[i] += shifts[i] + by_grade[i] + local.traits[i];
        }
        Pupil {
            grade,
            gender,
            traits,
        }
    }
}

/// The logits of the cumulative shares of `base` (the last one, 1, is left out).
fn cumulative_logits(base: &[f64]) -> Vec<f64> {
    let total: f64 = base.iter().sum();
    let mut cumulative = 0.0;
    base[..base.len() - 1]
        .iter()
        .map(|p| {
            cumulative += p / total;
            (cumulative / (1.0 - cumulative)).ln()
        })
        .collect()
}

/// Draws an option index from an ordinal logit model shifted by `shift`.
fn draw_option(rng: &mut ChaCha8Rng, thresholds: &[f64], shift: f64) -> usize {
    let u = rng.random::<f64>();
    thresholds
        .iter()
        .position(|&c| u < 1.0 / (1.0 + (-(c + shift)).exp()))
        .unwrap_or(thresholds.len())
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}
