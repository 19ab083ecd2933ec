use std::path::Path;

use super::*;

const CODEBOOK: &str = r#"
survey: t
title: T
round: 2026
background:
  respondent: id
  municipality: kommune
  grade: {column: klassetrin, values: {7: "7."}}
  gender: {column: koen, values: {1: "Dreng", 2: "Pige"}}
missing: {98: "Ved ikke"}
themes:
  - id: a
    title: A
    questions:
      - {id: q1, text: "?", options: {1: "Ja", 2: "Nej"}}
"#;

fn codebook(extra: &str) -> Codebook {
    Codebook::parse(&format!("{CODEBOOK}{extra}"), Path::new("c.yaml")).unwrap()
}

fn read_with(
    codebook: &Codebook,
    files: &[(&str, &[u8])],
) -> Result<(Responses, Quality), ResponsesError> {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    Responses::read(&paths, codebook, None)
}

fn read(csv: &str) -> (Responses, Quality) {
    read_with(&codebook(""), &[("s.csv", csv.as_bytes())]).unwrap()
}

fn coded(data: &Responses, question: usize) -> &[u8] {
    match data.answers(question) {
        Some(Answers::Coded(slots)) => slots,
        other => panic!("{other:?}"),
    }
}

fn issues(quality: &Quality) -> Vec<String> {
    quality
        .issues()
        .map(|i| {
            let text = i.to_string();
            // Drop the temporary directory from the path.
            text.replace(&format!("{}/", i.path.parent().unwrap().display()), "")
        })
        .collect()
}

#[test]
fn reads_columns_in_any_order_and_sorts_municipalities() {
    let (data, quality) =
        read("q1,koen,kommune,klassetrin\n2,1,Aarhus,7\n98,,Aabenraa,7\n,2,Aarhus,\n");
    assert_eq!(data.len(), 3);
    assert_eq!(data.municipalities(), ["Aabenraa", "Aarhus"]);
    assert_eq!(data.municipality_column(), [1, 0, 1]);
    assert_eq!(coded(&data, 0), [1, 2, BLANK]);
    assert_eq!(data.breakdown_column(0), [0, BLANK, 1]);
    assert_eq!(data.breakdown_column(1), [0, 0, BLANK]);
    assert_eq!(
        issues(&quality),
        ["warning: s.csv: respondents without any answer (they count as respondents) (1×: line 4)"]
    );
}

#[test]
fn bad_cells_are_grouped_by_column_with_their_lines() {
    let (_, quality) =
        read("kommune,klassetrin,koen,q1\nAarhus,7,1,x\nAarhus,7,1,3\nAarhus,7,1,1.0\n");
    assert_eq!(
        issues(&quality),
        [
            "error: s.csv, column `q1`: codes not in the codebook (allowed: 1, 2, 98) (1×: `3` on line 3)",
            "error: s.csv, column `q1`: values that are not whole-number answer codes (1×: `x` on line 2)",
            "warning: s.csv: respondents without any answer (they count as respondents) (2×: line 2, line 3)",
        ]
    );
}

#[test]
fn short_long_and_empty_rows() {
    let (data, quality) =
        read("kommune,klassetrin,koen,q1,\nA,7,1,1,\nA,7\nA,7,1,1,,5\n,,,,\nA,7,1,1,,,\n");
    assert_eq!(data.len(), 2);
    assert_eq!(
        issues(&quality),
        [
            "error: s.csv: rows with fewer fields than the header's 5 (1×: line 3 (2 fields))",
            "error: s.csv: rows with more fields than the header's 5 (1×: line 4 (6 fields))",
            "warning: s.csv: empty rows (ignored) (1×: line 5)",
        ]
    );
}

#[test]
fn missing_background_columns_are_fatal_and_missing_questions_are_left_out() {
    let error = read_with(&codebook(""), &[("s.csv", b"kommune,q1\nAarhus,1\n")])
        .unwrap_err()
        .to_string();
    assert!(
        error.ends_with("s.csv: the file has no column `koen`, `klassetrin`"),
        "{error}"
    );
    let (data, quality) = read("kommune,koen,klassetrin,extra\nAarhus,1,7,x\n");
    assert!(data.answers(0).is_none());
    let issues = issues(&quality);
    assert!(
        issues.contains(
            &"warning: s.csv: question `q1` is not in the file (no column `q1`); it is left out"
                .to_owned()
        ),
        "{issues:?}"
    );
    assert!(
        issues.contains(
            &"warning: s.csv, column `extra`: column not in the codebook (ignored)".to_owned()
        ),
        "{issues:?}"
    );
}

#[test]
fn duplicate_respondent_ids_are_errors() {
    let (_, quality) = read("id,kommune,koen,klassetrin,q1\n1,A,1,7,1\n2,A,1,7,1\n1,A,1,7,2\n");
    assert_eq!(
        issues(&quality),
        [
            "error: s.csv, column `id`: respondent ids that occur more than once (1×: line 4 (same id as line 2))"
        ]
    );
}

#[test]
fn several_files_are_concatenated_even_if_one_lacks_a_question() {
    let codebook = codebook("      - {id: q2, text: \"?\", options: {1: \"Ja\"}}\n");
    let (data, quality) = read_with(
        &codebook,
        &[
            ("a.csv", b"kommune,koen,klassetrin,q1\nA,1,7,1\n"),
            ("b.csv", b"q2;q1;kommune;koen;klassetrin\n1;2;B;2;7\n"),
        ],
    )
    .unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(coded(&data, 0), [0, 1]);
    assert_eq!(coded(&data, 1), [BLANK, 0]);
    assert_eq!(quality.sources.len(), 2);
    assert_eq!(quality.warnings(), 2, "{:?}", issues(&quality));
}

#[test]
fn encodings_delimiters_and_line_ends_give_the_same_data() {
    let utf8 = "kommune;koen;klassetrin;q1\r\n\"Ærø\";1;7;1\r\nLæsø;2;7;98\r\n";
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(utf8);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(utf8.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in utf8.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let tabbed = utf8.replace(';', "\t");
    for bytes in [utf8.as_bytes(), &cp1252, &bom, &utf16, tabbed.as_bytes()] {
        let (data, quality) = read_with(&codebook(""), &[("s.csv", bytes)]).unwrap();
        assert_eq!(data.municipalities(), ["Læsø", "Ærø"]);
        assert_eq!(coded(&data, 0), [0, 2]);
        assert_eq!(quality.errors(), 0);
    }
}

#[test]
fn multiple_numeric_and_index_questions_are_decoded() {
    let codebook = codebook(
        r#"
      - {id: m, kind: multiple, text: "?", options: {1: "A", 2: "B"}}
      - id: n
        kind: numeric
        text: "?"
        range: {min: 0, max: 24}
        bins: [{below: 7, label: "<7"}, {label: "7+"}]
      - id: w
        kind: index
        text: "?"
        items: [{id: w1, text: "?"}, {id: w2, text: "?"}]
        options: {0: "Aldrig", 1: "Nogle gange", 2: "Altid"}
        multiplier: 25
        bins: [{below: 50, label: "Lav"}, {label: "Høj"}]
"#,
    );
    let csv = "kommune,koen,klassetrin,q1,m_1,m_2,n,w1,w2\n\
                   A,1,7,1,1,0,\"7,5\",2,2\n\
                   A,1,7,1,,,98,1,98\n\
                   A,1,7,1,0,1,3,0,1\n";
    let (data, _) = read_with(&codebook, &[("s.csv", csv.as_bytes())]).unwrap();
    let Some(Answers::Ticks(ticks)) = data.answers(1) else {
        panic!()
    };
    assert_eq!(ticks, &[vec![1, BLANK, 0], vec![0, BLANK, 1]]);
    let Some(Answers::Valued { slots, values }) = data.answers(2) else {
        panic!()
    };
    assert_eq!(slots, &[1, 2, 0]);
    assert_eq!((values[0], values[2]), (7.5, 3.0));
    let Some(Answers::Valued { slots, values }) = data.answers(3) else {
        panic!()
    };
    assert_eq!(slots, &[1, BLANK, 0]);
    assert_eq!((values[0], values[2]), (100.0, 25.0));

    let bad = "kommune,koen,klassetrin,q1,m_1,m_2,n,w1,w2\nA,1,7,1,2,0,25,3,x\n";
    let (_, quality) = read_with(&codebook, &[("s.csv", bad.as_bytes())]).unwrap();
    let issues = issues(&quality);
    assert_eq!(quality.errors(), 4, "{issues:?}");
    assert!(
        issues
            .iter()
            .any(|i| i.contains("column `m_1`: codes not in the codebook (allowed: 0, 1)"))
    );
    assert!(
        issues
            .iter()
            .any(|i| i.contains("column `n`: values outside the valid range 0–24"))
    );
    assert!(
        issues
            .iter()
            .any(|i| i.contains("column `w1`: codes not in the codebook (allowed: 0, 1, 2, 98)"))
    );
}

#[test]
fn respondent_ids_are_kept_as_sorted_hashes_of_the_same_ids_in_any_file() {
    let (first, _) = read("id,kommune,koen,klassetrin,q1\nx7,A,1,7,1\nb2,A,2,7,2\n,A,1,7,1\n");
    let (second, _) = read("kommune,q1,id,koen,klassetrin\nB,1,b2,1,7\nB,1,c3,2,7\n");
    let ids = first.respondent_ids();
    assert_eq!(ids.len(), 2, "an empty id is no id");
    assert!(ids.is_sorted());
    let shared: Vec<&u64> = second
        .respondent_ids()
        .iter()
        .filter(|id| ids.contains(id))
        .collect();
    assert_eq!(shared.len(), 1);
    let (without, _) = read_with(
        &Codebook::parse(
            &CODEBOOK.replace("  respondent: id\n", ""),
            Path::new("c.yaml"),
        )
        .unwrap(),
        &[("s.csv", b"id,kommune,koen,klassetrin,q1\nx7,A,1,7,1\n")],
    )
    .unwrap();
    assert!(without.respondent_ids().is_empty());
}

#[test]
fn a_municipality_column_of_ids_is_warned_about() {
    let rows = |municipality: &dyn Fn(usize) -> String| {
        let mut csv = "id,kommune,klassetrin,koen,q1\n".to_owned();
        for row in 0..40 {
            csv += &format!("{row},{},7,1,1\n", municipality(row));
        }
        csv
    };
    let (_, quality) = read(&rows(&|row| format!("P{row}")));
    assert_eq!(
        issues(&quality),
        [
            "warning: s.csv, column `kommune`: 40 different municipalities in 40 rows (1.0 respondents each): is it an id column? Nearly every figure of such small units is withheld"
        ]
    );
    // Two respondents per municipality on average is no sign of an id.
    let (_, quality) = read(&rows(&|row| format!("K{}", row / 2)));
    assert_eq!(quality.warnings(), 0, "{:?}", issues(&quality));
}
