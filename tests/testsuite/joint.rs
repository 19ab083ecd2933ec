//! Every publication of a round together, and trends only of other pupils: one survey file
//! published under two codebooks (one that hides gender) is protected as one system when
//! report.yaml declares both; an undeclared codebook, two codebooks that read a column
//! differently and an "earlier round" that is the same pupils are refused before anything
//! is written.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{DATE, read_json, report, stderr, stdout};

/// Codebook A: gender and grade, one question.
const A: &str = r#"survey: trivsel
title: Trivsel
round: 2026
background:
  respondent: id
  municipality: kommune
  gender: {column: koen, values: {1: "Dreng", 2: "Pige"}}
  grade: {column: klassetrin, values: {7: "7. klasse", 8: "8. klasse", 9: "9. klasse"}}
missing: {98: "Ved ikke"}
themes:
  - id: trivsel
    title: Trivsel
    questions:
      - {id: q01, text: "Hvordan har du det?", options: {1: "Godt", 2: "Skidt"}, positive: [1], indicator: "har det godt"}
"#;

/// Codebook B: the same survey without gender.
const B: &str = r#"survey: trivsel
title: Trivsel efter klassetrin
round: 2026
background:
  respondent: id
  municipality: kommune
  grade: {column: klassetrin, values: {7: "7. klasse", 8: "8. klasse", 9: "9. klasse"}}
missing: {98: "Ved ikke"}
themes:
  - id: trivsel
    title: Trivsel
    questions:
      - {id: q01, text: "Hvordan har du det for det meste?", options: {1: "Godt", 2: "Skidt"}, positive: [1], indicator: "har det godt"}
"#;

/// `(count, gender, grade)`: 2 pupils of unknown gender in 7th grade, 5 of unknown gender
/// and grade. A alone publishes both genders (the 7 of unknown gender) and withholds a
/// grade, or the grades would give the 5 of unknown grade and so the 2; B alone publishes
/// every grade. Together they give the 2 away.
const ROWS: &[(usize, &str, &str)] = &[
    (12, "1", "7"),
    (12, "2", "7"),
    (2, "", "7"),
    (12, "1", "8"),
    (12, "2", "8"),
    (8, "1", "9"),
    (8, "2", "9"),
    (5, "", ""),
];

const GENDERS: [&str; 3] = ["1", "2", ""];
const GRADES: [&str; 4] = ["7", "8", "9", ""];

/// A project in a temporary directory: both codebooks, the survey (ids `elev-0001`, …) and
/// report.yaml with `extra` lines.
fn project(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.codebook.yaml"), A).unwrap();
    std::fs::write(dir.path().join("b.codebook.yaml"), B).unwrap();
    let mut csv = String::from("id,kommune,koen,klassetrin,q01\n");
    let mut id = 0;
    for &(count, gender, grade) in ROWS {
        for _ in 0..count {
            id += 1;
            let answer = 1 + id % 2;
            csv.push_str(&format!("elev-{id:04},Kommune,{gender},{grade},{answer}\n"));
        }
    }
    std::fs::write(dir.path().join("survey.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("report.yaml"),
        format!("survey: survey.csv\nmunicipality: Kommune\n{extra}"),
    )
    .unwrap();
    dir
}

/// `report build --codebook CODEBOOK ARGS…` in `dir`, writing `NAME.pdf` and `NAME.json`.
fn build(dir: &Path, codebook: &str, name: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    report(dir)
        .args(["build", "--date", DATE, "--codebook", codebook, "-o"])
        .arg(format!("{name}.pdf"))
        .arg("--data-out")
        .arg(format!("{name}.json"))
        .args(args)
        .assert()
}

/// The figures of a successful build.
fn figures(dir: &Path, codebook: &str, name: &str, args: &[&str]) -> Value {
    build(dir, codebook, name, args).success();
    read_json(&dir.join(format!("{name}.json")))
}

/// Every published group of the respondents table and of q01 as the inner cells (gender
/// slot × grade slot) it sums.
fn published(figures: &Value) -> Vec<Vec<usize>> {
    let cells = |group: &str| -> Vec<usize> {
        (0..GENDERS.len() * GRADES.len())
            .filter(|cell| {
                let (gender, grade) = (GENDERS[cell / GRADES.len()], GRADES[cell % GRADES.len()]);
                match group.split_once(':') {
                    None | Some(("comparison", _)) => true,
                    Some(("gender", code)) => gender == code,
                    Some(("grade", code)) => grade == code,
                    Some(other) => panic!("unknown group {other:?}"),
                }
            })
            .collect()
    };
    let mut vectors = vec![cells("unit")];
    let groups = figures["respondents"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .chain(figures["questions"][0]["groups"].as_array().unwrap());
    for group in groups {
        if group["withheld"] == false {
            vectors.push(cells(group["group"].as_str().unwrap()));
        }
    }
    vectors
}

/// The number of pupils in each inner cell.
fn counts() -> Vec<i128> {
    let mut counts = vec![0; GENDERS.len() * GRADES.len()];
    for &(count, gender, grade) in ROWS {
        let g = GENDERS.iter().position(|&x| x == gender).unwrap();
        let k = GRADES.iter().position(|&x| x == grade).unwrap();
        counts[g * GRADES.len() + k] += count as i128;
    }
    counts
}

/// Integer row-echelon elimination: `v` reduced by `basis`.
fn reduce(basis: &[(usize, Vec<i128>)], mut v: Vec<i128>) -> Vec<i128> {
    for (pivot, row) in basis {
        if v[*pivot] != 0 {
            let (a, b) = (row[*pivot], v[*pivot]);
            for (x, r) in v.iter_mut().zip(row) {
                *x = a * *x - b * r;
            }
        }
    }
    v
}

/// Every set of occupied inner cells holding 1 to 4 pupils that the published groups
/// determine, solving all of them together (empty cells are free: an outsider may know
/// them).
fn disclosed(vectors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let counts = counts();
    let occupied: Vec<usize> = (0..counts.len()).filter(|&c| counts[c] > 0).collect();
    let project = |cells: &[usize]| -> Vec<i128> {
        occupied
            .iter()
            .map(|c| i128::from(cells.contains(c)))
            .collect()
    };
    let mut basis: Vec<(usize, Vec<i128>)> = Vec::new();
    for vector in vectors {
        let v = reduce(&basis, project(vector));
        if let Some(pivot) = v.iter().position(|&x| x != 0) {
            basis.push((pivot, v));
        }
    }
    let mut found = Vec::new();
    for subset in 1u32..(1 << occupied.len()) {
        let set: Vec<usize> = (0..occupied.len())
            .filter(|i| subset & (1 << i) != 0)
            .map(|i| occupied[i])
            .collect();
        let total: i128 = set.iter().map(|&c| counts[c]).sum();
        if (1..5).contains(&total) && reduce(&basis, project(&set)).iter().all(|&x| x == 0) {
            found.push(set);
        }
    }
    found
}

/// The withheld status of every group of the respondents table and of q01.
fn statuses(figures: &Value) -> Vec<(String, Value)> {
    let respondents = figures["respondents"]["groups"].as_array().unwrap();
    let question = figures["questions"][0]["groups"].as_array().unwrap();
    respondents
        .iter()
        .map(|g| ("respondents", g))
        .chain(question.iter().map(|g| ("q01", g)))
        .map(|(table, g)| {
            (
                format!("{table} {}", g["group"].as_str().unwrap()),
                g["withheld"].clone(),
            )
        })
        .collect()
}

#[test]
fn two_codebooks_of_one_round_are_protected_together() {
    // Each codebook protected alone: together their figures give the 2 pupils of unknown
    // gender in 7th grade away.
    let alone = project("");
    let a = figures(alone.path(), "a.codebook.yaml", "a", &[]);
    let b = figures(alone.path(), "b.codebook.yaml", "b", &[]);
    assert!(disclosed(&published(&a)).is_empty());
    assert!(disclosed(&published(&b)).is_empty());
    let unknown_in_7th = vec![2 * GRADES.len()];
    let both = [published(&a), published(&b)].concat();
    assert_eq!(disclosed(&both), [unknown_in_7th]);

    // Both declared: whatever both builds publish together discloses nothing, and they
    // decide every group they share alike.
    let dir = project("publications: [a.codebook.yaml, b.codebook.yaml]\n");
    let a_joint = figures(dir.path(), "a.codebook.yaml", "a", &[]);
    let b_joint = figures(dir.path(), "b.codebook.yaml", "b", &[]);
    let both = [published(&a_joint), published(&b_joint)].concat();
    assert_eq!(disclosed(&both), Vec::<Vec<usize>>::new());
    let a_statuses = statuses(&a_joint);
    let shared = statuses(&b_joint);
    for (group, status) in &shared {
        let in_a = a_statuses.iter().find(|(g, _)| g == group).unwrap();
        assert_eq!(&in_a.1, status, "{group}");
    }
    assert!(
        shared.iter().any(|(_, status)| status == true),
        "{shared:?}"
    );
    // A already has every group of B: its own report is unchanged, byte for byte.
    assert_eq!(a_joint, a);
    assert_eq!(
        std::fs::read(dir.path().join("a.pdf")).unwrap(),
        std::fs::read(alone.path().join("a.pdf")).unwrap()
    );

    // The same list as flags gives the same figures, and validate counts the union's
    // decisions on B's groups.
    let flags = [
        "--publication",
        "a.codebook.yaml",
        "--publication",
        "b.codebook.yaml",
    ];
    let dir_flags = project("");
    let b_flags = figures(dir_flags.path(), "b.codebook.yaml", "b", &flags);
    assert_eq!(b_flags, b_joint);
    let validate = report(dir.path())
        .args(["validate", "--codebook", "b.codebook.yaml"])
        .assert()
        .success();
    let out = stdout(&validate);
    assert!(
        out.contains("Publications  ") && out.contains("protects their reports together"),
        "{out}"
    );
    // B's four groups of q01 (the municipality and three grades): one withheld.
    let q01 = format!("  {:<10}{:>10}{:>10}", "q01", 3, 1);
    assert!(out.contains(&q01), "{out}");
}

#[test]
fn without_publications_or_with_only_its_own_the_output_is_unchanged() {
    let alone = project("");
    build(alone.path(), "a.codebook.yaml", "a", &[]).success();
    let declared = project("publications: [a.codebook.yaml]\n");
    build(declared.path(), "a.codebook.yaml", "a", &[]).success();
    for file in ["a.pdf", "a.json"] {
        assert_eq!(
            std::fs::read(alone.path().join(file)).unwrap(),
            std::fs::read(declared.path().join(file)).unwrap(),
            "{file}"
        );
    }
}

/// The outputs a refused build must not have written.
fn outputs(dir: &Path) -> Vec<PathBuf> {
    ["c.pdf", "c.json", "c.xlsx", "out"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.exists())
        .collect()
}

#[test]
fn a_codebook_not_among_the_publications_is_refused_before_any_output() {
    let dir = project("publications: [a.codebook.yaml, b.codebook.yaml]\n");
    std::fs::write(
        dir.path().join("c.codebook.yaml"),
        B.replace("Trivsel efter", "C"),
    )
    .unwrap();
    let refused = build(
        dir.path(),
        "c.codebook.yaml",
        "c",
        &["--tables-out", "c.xlsx"],
    )
    .failure()
    .code(2);
    let message = stderr(&refused);
    assert!(
        message.contains(
            "codebook c.codebook.yaml is not among the publications declared in report.yaml ("
        ) && message.contains("a.codebook.yaml, ")
            && message.contains("add it, so all reports of the round are protected together"),
        "{message}"
    );
    let batch = report(dir.path())
        .args([
            "batch",
            "--date",
            DATE,
            "--codebook",
            "c.codebook.yaml",
            "--out-dir",
            "out",
        ])
        .assert()
        .failure();
    assert!(stderr(&batch).contains("is not among the publications declared"));
    let validate = report(dir.path())
        .args(["validate", "--codebook", "c.codebook.yaml"])
        .assert()
        .failure();
    assert!(stderr(&validate).contains("is not among the publications declared"));
    // Declared by flag, the message says so.
    let flagged = build(
        dir.path(),
        "c.codebook.yaml",
        "c",
        &["--publication", "a.codebook.yaml"],
    )
    .failure();
    assert!(
        stderr(&flagged).contains("declared with --publication (a.codebook.yaml)"),
        "{}",
        stderr(&flagged)
    );
    assert_eq!(outputs(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn conflicting_publications_are_refused_naming_both_files() {
    let cases = [
        (
            B.replace("9: \"9. klasse\"", "10: \"10. klasse\""),
            "column `klassetrin` has the codes 7, 8, 9 in ",
        ),
        (
            B.replace(
                "{1: \"Godt\", 2: \"Skidt\"}",
                "{1: \"Godt\", 2: \"Skidt\", 3: \"Ved ikke\"}",
            ),
            "column `q01` is read as question `q01`, a single choice of 1, 2 in ",
        ),
        (
            B.replace(
                "missing: {98: \"Ved ikke\"}",
                "missing: {98: \"Ved ikke\", 99: \"Vil ikke svare\"}",
            ),
            "has the missing codes 98 but ",
        ),
    ];
    for (c, expected) in cases {
        let dir = project("publications: [a.codebook.yaml, c.codebook.yaml]\n");
        std::fs::write(dir.path().join("c.codebook.yaml"), c).unwrap();
        for codebook in ["a.codebook.yaml", "c.codebook.yaml"] {
            let refused = build(dir.path(), codebook, "c", &[]).failure().code(2);
            let message = stderr(&refused);
            assert!(
                message.contains(expected)
                    && message.contains("a.codebook.yaml")
                    && message.contains("c.codebook.yaml"),
                "{message}"
            );
            assert_eq!(outputs(dir.path()), Vec::<PathBuf>::new());
        }
    }
}

#[test]
fn a_trend_of_the_same_round_is_refused() {
    let dir = project("codebook: a.codebook.yaml\n");
    std::fs::copy(dir.path().join("survey.csv"), dir.path().join("export.csv")).unwrap();
    let refused = build(
        dir.path(),
        "a.codebook.yaml",
        "c",
        &["--previous", "2026=export.csv"],
    )
    .failure()
    .code(2);
    let message = stderr(&refused);
    assert!(
        message.contains(
            "the earlier round export.csv is given as 2026, the round of the survey itself"
        ),
        "{message}"
    );
    assert_eq!(outputs(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_trend_of_the_same_pupils_is_refused_without_their_ids() {
    // An "earlier round" that is an early export of this one: 40 of the pupils, plus 3 others.
    let dir = project("rounds:\n  2024: early.csv\n");
    let survey = std::fs::read_to_string(dir.path().join("survey.csv")).unwrap();
    let mut early: Vec<&str> = survey.lines().take(41).collect();
    early.extend([
        "other-1,Kommune,1,7,1",
        "other-2,Kommune,2,8,2",
        "other-3,Kommune,1,9,1",
    ]);
    std::fs::write(dir.path().join("early.csv"), early.join("\n")).unwrap();
    let refused = build(dir.path(), "a.codebook.yaml", "c", &[])
        .failure()
        .code(2);
    let message = stderr(&refused);
    assert!(
        message.contains("the earlier round ")
            && message.contains(
                "early.csv holds 40 respondent(s) whose id (column `id`) is also in the survey data"
            ),
        "{message}"
    );
    assert!(!message.contains("elev-"), "{message}");
    assert_eq!(outputs(dir.path()), Vec::<PathBuf>::new());

    // Another round's pupils (other ids) make a trend.
    let other = survey.replace("elev-", "2024-");
    std::fs::write(dir.path().join("early.csv"), other).unwrap();
    let data = figures(dir.path(), "a.codebook.yaml", "trend", &[]);
    assert_eq!(data["questions"][0]["trend"]["rounds"][0]["round"], 2024);
}
