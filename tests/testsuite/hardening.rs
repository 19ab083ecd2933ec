//! Hostile but realistic inputs, names and interruptions: each gives a clean error or a
//! correct result, never a panic, a lost or overwritten file or a silent mix-up.

use std::path::{Path, PathBuf};

use crate::support::{
    DATE, build, flat, pages, read_json, repo, repo_path, report, stderr, stdout,
};

fn sample() -> String {
    std::fs::read_to_string(repo_path("examples/udskoling-2026-sample.csv")).unwrap()
}

/// The sample with every `from` municipality renamed `to`.
fn renamed(dir: &Path, renames: &[(&str, &str)]) -> PathBuf {
    let mut text = sample();
    for (from, to) in renames {
        text = text.replace(&format!(",{from},"), &format!(",{to},"));
    }
    let path = dir.join("survey.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The first `rows` respondents of the sample (repeated as needed), with fresh ids.
fn rows(dir: &Path, rows: usize) -> PathBuf {
    let text = sample();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let body: Vec<&str> = lines.collect();
    let mut out = String::from(header);
    out.push('\n');
    for i in 0..rows {
        let line = body[i % body.len()];
        let rest = line.split_once(',').unwrap().1;
        out.push_str(&format!("r{i},{rest}\n"));
    }
    let path = dir.join(format!("rows-{rows}.csv"));
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn no_rows_and_multiples_of_4096_rows_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let empty = rows(dir.path(), 0);
    let assert = report(&repo())
        .args(["validate", "--survey"])
        .arg(&empty)
        .assert()
        .code(1);
    assert!(stdout(&assert).contains("the survey data have no respondents"));
    let out = dir.path().join("r.pdf");
    let assert = build(&out, &["--survey", empty.to_str().unwrap()]).code(2);
    assert!(
        stderr(&assert).contains("no respondents"),
        "{}",
        stderr(&assert)
    );
    assert!(!out.exists());

    for count in [4096, 8192] {
        let survey = rows(dir.path(), count);
        let assert = report(&repo())
            .args(["validate", "--survey"])
            .arg(&survey)
            .assert()
            .success();
        assert!(
            stdout(&assert).contains(&format!("Respondents: {count}")),
            "{}",
            stdout(&assert)
        );
    }
}

#[test]
fn names_that_slug_alike_get_their_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let survey = renamed(
        dir.path(),
        &[
            ("Odder", "SILKEBORG!"),
            ("Favrskov", "Αθήνα"),
            ("Syddjurs", "Ηράκλειο"),
        ],
    );
    let out = dir.path().join("out");
    let summary = dir.path().join("summary.json");
    report(&repo())
        .args(["batch", "--date", DATE, "--survey"])
        .arg(&survey)
        .arg("--out-dir")
        .arg(&out)
        .arg("--summary")
        .arg(&summary)
        .assert()
        .success();
    let summary = read_json(&summary);
    let files: Vec<(String, String)> = summary
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["municipality"].as_str().unwrap().to_owned(),
                o["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut distinct: Vec<&String> = files.iter().map(|(_, file)| file).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 6, "{files:?}");
    for (name, file) in &files {
        assert!(!file.contains("--"), "{file}");
        let text = flat(&pages(&out.join(file))[0]);
        assert!(
            text.contains(name.as_str()),
            "{file} is not {name}'s report"
        );
    }
}

#[test]
fn text_no_font_can_draw_is_named_with_its_file_before_typst() {
    let dir = tempfile::tempdir().unwrap();
    let survey = renamed(dir.path(), &[("Odder", "北京")]);
    let out = dir.path().join("out");
    let assert = report(&repo())
        .args([
            "batch",
            "--date",
            DATE,
            "--only",
            "北京,Samsø",
            "--keep-going",
            "--survey",
        ])
        .arg(&survey)
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .code(1);
    let message = stderr(&assert);
    assert!(
        message.contains(&format!(
            "the survey data ({}): `unit.name` has characters the report's fonts cannot draw: `北` (U+5317), `京` (U+4EAC)",
            survey.display()
        )),
        "{message}"
    );
    assert!(!message.contains(".typ"), "{message}");
    assert!(out.join("basisrapport-samsoe-2026.pdf").exists());

    let codebook = dir.path().join("codebook.yaml");
    let text = std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml")).unwrap();
    std::fs::write(
        &codebook,
        text.replacen("\"Rigtig godt\"", "\"😀 Rigtig godt\"", 1),
    )
    .unwrap();
    let pdf = dir.path().join("r.pdf");
    let assert = build(&pdf, &["--codebook", codebook.to_str().unwrap()]).code(2);
    let message = stderr(&assert);
    assert!(
        message.contains(&format!(
            "{}: `themes[trivsel].questions[q01].categories[0]` has characters the report's fonts cannot draw: `😀` (U+1F600)",
            codebook.display()
        )),
        "{message}"
    );
    assert!(!pdf.exists());

    // A fact sheet: `catalogue check` names it too.
    let catalogue = dir.path().join("catalogue");
    std::fs::create_dir_all(catalogue.join("interventions")).unwrap();
    std::fs::copy(
        repo_path("catalogue/themes.yaml"),
        catalogue.join("themes.yaml"),
    )
    .unwrap();
    let sheet = catalogue.join("interventions/x-it.yaml");
    let text = std::fs::read_to_string(repo_path("catalogue/interventions/x-it.yaml")).unwrap();
    std::fs::write(&sheet, text.replacen("name: ", "name: 🚭 ", 1)).unwrap();
    let assert = report(&repo())
        .args(["catalogue", "check"])
        .arg(&catalogue)
        .assert()
        .code(1);
    let out = stdout(&assert);
    assert!(
        out.contains(&format!(
            "{}: `interventions[x-it].name` has characters the report's fonts cannot draw: `🚭` (U+1F6AD)",
            sheet.display()
        )),
        "{out}"
    );
}

#[test]
fn a_municipality_is_found_by_its_exact_name_first() {
    let dir = tempfile::tempdir().unwrap();
    // "silkeborg" (Odder's pupils) beside "Silkeborg".
    let survey = renamed(dir.path(), &[("Odder", "silkeborg")]);
    let survey = survey.to_str().unwrap();
    let exact = crate::support::figures(
        &dir.path().join("a.pdf"),
        &["--survey", survey, "--municipality", "silkeborg"],
    );
    assert_eq!(exact["unit"]["name"], "silkeborg");
    assert_eq!(exact["respondents"]["unit"], 380);
    let other = crate::support::figures(
        &dir.path().join("b.pdf"),
        &["--survey", survey, "--municipality", "Silkeborg"],
    );
    assert_eq!(other["respondents"]["unit"], 1608);
    let out = dir.path().join("c.pdf");
    let assert = build(&out, &["--survey", survey, "--municipality", "SILKEBORG"]).code(2);
    let message = stderr(&assert);
    assert!(
        message.contains("Silkeborg") && message.contains("silkeborg"),
        "{message}"
    );
    assert!(!out.exists());
    let assert = report(&repo())
        .args(["validate", "--survey", survey])
        .assert()
        .success();
    assert!(
        stdout(&assert).contains("column `kommune`: municipality names that differ only in case count as different municipalities: `Silkeborg`, `silkeborg`"),
        "{}",
        stdout(&assert)
    );
}

#[test]
fn names_in_nfc_and_nfd_are_one_municipality() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample();
    // Samsø's pupils renamed "Ålborg": half typed in NFC (one character Å), half in NFD
    // (A and a combining ring).
    let mut flip = false;
    let text: String = text
        .lines()
        .map(|line| {
            if line.contains(",Samsø,") {
                flip = !flip;
                let name = if flip { "A\u{30A}lborg" } else { "\u{C5}lborg" };
                return line.replace(",Samsø,", &format!(",{name},"));
            }
            line.to_owned()
        })
        .map(|line| line + "\n")
        .collect();
    let survey = dir.path().join("survey.csv");
    std::fs::write(&survey, text).unwrap();
    let figures = crate::support::figures(
        &dir.path().join("r.pdf"),
        &[
            "--survey",
            survey.to_str().unwrap(),
            "--municipality",
            "A\u{30A}lborg",
        ],
    );
    assert_eq!(figures["respondents"]["unit"], 137);
    assert_eq!(figures["unit"]["name"], "\u{C5}lborg");
}

#[test]
fn an_output_never_replaces_an_input_another_output_or_a_non_file() {
    let dir = tempfile::tempdir().unwrap();
    let survey = dir.path().join("survey.csv");
    std::fs::write(&survey, sample()).unwrap();
    let codebook = dir.path().join("codebook.yaml");
    std::fs::copy(repo_path("examples/udskoling.codebook.yaml"), &codebook).unwrap();
    let common = [
        "--survey",
        survey.to_str().unwrap(),
        "--codebook",
        codebook.to_str().unwrap(),
    ];
    let before = (
        std::fs::read(&survey).unwrap(),
        std::fs::read(&codebook).unwrap(),
    );
    for (output, data_out) in [
        (&survey, None),
        (&dir.path().join("r.pdf"), Some(&codebook)),
    ] {
        let mut args = common.to_vec();
        if let Some(data_out) = data_out {
            args.extend(["--data-out", data_out.to_str().unwrap()]);
        }
        let assert = build(output, &args).code(2);
        assert!(
            stderr(&assert).contains("is one of the job's inputs"),
            "{}",
            stderr(&assert)
        );
    }
    assert_eq!(
        before,
        (
            std::fs::read(&survey).unwrap(),
            std::fs::read(&codebook).unwrap()
        )
    );

    // The same file for the PDF and the figures, by two spellings.
    let twice = dir.path().join("x");
    let other_spelling = dir.path().join(".").join("x");
    let mut args = common.to_vec();
    args.extend(["--data-out", other_spelling.to_str().unwrap()]);
    let assert = build(&twice, &args).code(2);
    assert!(
        stderr(&assert).contains("two outputs"),
        "{}",
        stderr(&assert)
    );
    assert!(!twice.exists());

    // A symlink and a device are left alone.
    #[cfg(unix)]
    {
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for output in [link.as_path(), Path::new("/dev/null")] {
            let assert = build(output, &common).code(2);
            assert!(
                stderr(&assert).contains("is not a regular file"),
                "{}",
                stderr(&assert)
            );
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert!(link.is_symlink());
    }

    // A figures file that cannot be written: no PDF either.
    let pdf = dir.path().join("alone.pdf");
    let mut args = common.to_vec();
    let missing = dir.path().join("no-such-dir").join("figures.json");
    args.extend(["--data-out", missing.to_str().unwrap()]);
    build(&pdf, &args).code(2);
    assert!(!pdf.exists(), "the PDF was left behind");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn batch(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    report(&repo())
        .args(["batch", "--date", DATE, "--jobs", "1", "--out-dir"])
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn a_second_batch_into_the_same_directory_stops_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(".report-batch.lock"))
        .unwrap();
    lock.lock().unwrap();
    let assert = batch(&out, &["--only", "Samsø"]).code(2);
    assert!(
        stderr(&assert).contains("another `report batch` is writing"),
        "{}",
        stderr(&assert)
    );
    assert!(!out.join("basisrapport-samsoe-2026.pdf").exists());
    lock.unlock().unwrap();
    batch(&out, &["--only", "Samsø"]).success();
    assert!(out.join("basisrapport-samsoe-2026.pdf").exists());
}

#[test]
fn a_damaged_report_is_rendered_again_and_an_interrupted_batch_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // Interrupted: killed once its first report is recorded in the manifest.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("report"))
        .current_dir(repo())
        .args([
            "batch",
            "--quiet",
            "--date",
            DATE,
            "--jobs",
            "1",
            "--out-dir",
        ])
        .arg(&out)
        .spawn()
        .unwrap();
    let manifest = out.join(".report-manifest.json");
    loop {
        let recorded = std::fs::read(&manifest)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|m| m["reports"].as_object().is_some_and(|r| !r.is_empty()));
        if recorded || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().ok();
    child.wait().unwrap();

    let summary = dir.path().join("summary.json");
    batch(&out, &["--summary", summary.to_str().unwrap()]).success();
    let statuses = |summary: &serde_json::Value| -> Vec<String> {
        summary
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["status"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = statuses(&read_json(&summary));
    assert_eq!(first.len(), 6);
    assert!(first.iter().any(|s| s == "unchanged"), "{first:?}");
    assert!(first.iter().all(|s| s == "unchanged" || s == "written"));

    // A report cut short is not "unchanged".
    let odder = out.join("basisrapport-odder-2026.pdf");
    let bytes = std::fs::read(&odder).unwrap();
    std::fs::write(&odder, &bytes[..bytes.len() / 2]).unwrap();
    batch(&out, &["--summary", summary.to_str().unwrap()]).success();
    let second = read_json(&summary);
    for outcome in second.as_array().unwrap() {
        let expected = if outcome["municipality"] == "Odder" {
            "written"
        } else {
            "unchanged"
        };
        assert_eq!(outcome["status"], expected, "{outcome}");
    }
    assert_eq!(std::fs::read(&odder).unwrap(), bytes);
}

#[test]
fn old_mac_line_ends_give_the_right_line() {
    let dir = tempfile::tempdir().unwrap();
    let text: Vec<String> = sample().lines().take(20).map(str::to_owned).collect();
    let mut text = text.join("\r");
    // Line 7 gets a code the codebook does not know in its first answer column.
    let mut lines: Vec<String> = text.split('\r').map(str::to_owned).collect();
    let mut cells: Vec<&str> = lines[6].split(',').collect();
    cells[5] = "7";
    lines[6] = cells.join(",");
    text = lines.join("\r");
    let survey = dir.path().join("mac.csv");
    std::fs::write(&survey, text).unwrap();
    let assert = report(&repo())
        .args(["validate", "--survey"])
        .arg(&survey)
        .assert()
        .code(1);
    assert!(
        stdout(&assert).contains("`7` on line 7"),
        "{}",
        stdout(&assert)
    );
}

#[test]
fn yaml_with_several_documents_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("report.yaml");
    std::fs::write(&config, "municipality: Odder\n---\nmunicipality: Samsø\n").unwrap();
    let assert = report(&repo())
        .args(["--config"])
        .arg(&config)
        .args(["build", "-o"])
        .arg(dir.path().join("r.pdf"))
        .assert()
        .code(2);
    let message = stderr(&assert);
    assert!(
        message.contains(&format!("{}:2:1", config.display())),
        "{message}"
    );

    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, "default: [x-it]\n---\nOdder: [pals]\n").unwrap();
    let assert = batch(
        &dir.path().join("out"),
        &["--interventions", plan.to_str().unwrap()],
    )
    .code(2);
    let message = stderr(&assert);
    assert!(
        message.contains(&format!("{}:2:1", plan.display())),
        "{message}"
    );
}

#[test]
fn every_message_names_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let codebook = dir.path().join("codebook.yaml");
    std::fs::write(&codebook, "- a\n- b\n").unwrap();
    let assert = report(&repo())
        .args(["validate", "--codebook"])
        .arg(&codebook)
        .assert()
        .code(2);
    let message = stderr(&assert);
    assert!(
        message.contains(&format!("{}:1:1", codebook.display())),
        "{message}"
    );
    assert!(!message.contains("RawCodebook"), "{message}");

    // More municipalities than can be counted.
    let header = sample().lines().next().unwrap().to_owned();
    let first = sample().lines().nth(1).unwrap().to_owned();
    let mut cells: Vec<String> = first.split(',').map(str::to_owned).collect();
    let mut text = header + "\n";
    for i in 0..=usize::from(u16::MAX) {
        cells[0] = format!("r{i}");
        cells[1] = format!("Kommune {i}");
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    let survey = dir.path().join("many.csv");
    std::fs::write(&survey, text).unwrap();
    let assert = report(&repo())
        .args(["validate", "--survey"])
        .arg(&survey)
        .assert()
        .code(2);
    let message = stderr(&assert);
    assert!(
        message.contains(&format!("{}", survey.display())) && message.contains("more than 65535"),
        "{message}"
    );
}

#[test]
fn a_long_bad_cell_is_quoted_short() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<String> = sample().lines().take(10).map(str::to_owned).collect();
    let mut cells: Vec<String> = lines[3].split(',').map(str::to_owned).collect();
    cells[5] = "x".repeat(50_000);
    lines[3] = cells.join(",");
    let survey = dir.path().join("long.csv");
    std::fs::write(&survey, lines.join("\n") + "\n").unwrap();
    let assert = report(&repo())
        .args(["validate", "--survey"])
        .arg(&survey)
        .assert()
        .code(1);
    let out = stdout(&assert);
    assert!(out.contains("on line 4"), "{out}");
    assert!(out.len() < 20_000, "the cell was quoted in full");
}

#[cfg(target_os = "linux")]
#[test]
fn endless_inputs_are_refused() {
    let assert = report(&repo())
        .args(["validate", "--survey", "/dev/zero"])
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("/dev/zero"), "{}", stderr(&assert));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("report.yaml");
    std::fs::write(
        &config,
        format!(
            "survey: {}\ncodebook: {}\ninvited: /dev/zero\n",
            repo_path("examples/udskoling-2026-sample.csv").display(),
            repo_path("examples/udskoling.codebook.yaml").display()
        ),
    )
    .unwrap();
    let assert = report(&repo())
        .arg("--config")
        .arg(&config)
        .args(["build", "-m", "Odder", "-o"])
        .arg(dir.path().join("r.pdf"))
        .assert()
        .code(2);
    assert!(stderr(&assert).contains("/dev/zero"), "{}", stderr(&assert));
}

#[test]
fn many_duplicate_ids_and_aliases_are_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // 10,000 questions, each id twice.
    let mut codebook = String::from(
        "survey: s\ntitle: S\nround: 2026\nbackground:\n  municipality: kommune\n  grade: {column: klassetrin, values: {7: '7'}}\n  gender: {column: koen, values: {1: D}}\nthemes:\n  - id: t\n    title: T\n    questions:\n",
    );
    for i in 0..10_000 {
        codebook.push_str(&format!(
            "      - {{id: q{}, text: Q, options: {{1: Ja, 2: Nej}}}}\n",
            i % 5_000
        ));
    }
    let path = dir.path().join("codebook.yaml");
    std::fs::write(&path, codebook).unwrap();
    let assert = report(&repo())
        .args(["validate", "--codebook"])
        .arg(&path)
        .assert()
        .code(2);
    let message = stderr(&assert);
    assert!(message.contains("`q0`"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");

    // A theme taxonomy of 10,000 YAML aliases of one theme.
    let catalogue = dir.path().join("catalogue");
    std::fs::create_dir_all(catalogue.join("interventions")).unwrap();
    let mut themes = String::from("- &t {id: trivsel, da: Trivsel, en: Well-being}\n");
    themes.push_str(&"- *t\n".repeat(10_000));
    std::fs::write(catalogue.join("themes.yaml"), themes).unwrap();
    let assert = report(&repo())
        .args(["catalogue", "check"])
        .arg(&catalogue)
        .assert()
        .code(1);
    let out = stdout(&assert) + &stderr(&assert);
    assert!(
        out.contains("theme `trivsel` is defined twice"),
        "{}",
        &out[..out.len().min(2000)]
    );
}

#[test]
fn a_codebook_none_of_whose_questions_is_in_the_data_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml")).unwrap();
    let codebook = dir.path().join("other.codebook.yaml");
    std::fs::write(
        &codebook,
        text.replace("- id: q", "- id: x").replace("who5", "xwho5"),
    )
    .unwrap();
    let pdf = dir.path().join("r.pdf");
    let assert = build(&pdf, &["--codebook", codebook.to_str().unwrap()]).code(2);
    let message = stderr(&assert);
    assert!(
        message.contains(
            "none of the codebook's 61 questions is a column of the survey data (no `x01`, …)"
        ),
        "{message}"
    );
    assert!(!pdf.exists());
}

/// A PNG chunk: length, type, data and CRC-32.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = !0u32;
    for &byte in kind.iter().chain(data) {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&(!crc).to_be_bytes());
    chunk
}

/// A PNG that says it is `width` × `height` pixels, with no image data to speak of.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00]));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

#[test]
fn a_huge_or_corrupt_logo_is_refused_before_typst() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "huge.png",
            png_header(60_000, 60_000),
            "is 60000 × 60000 pixels; a logo may have at most 4096 on a side",
        ),
        ("broken.png", png_header(100, 100), "cannot be read"),
        (
            "text.png",
            b"hello".to_vec(),
            "not a PNG, JPEG or SVG image",
        ),
        (
            "broken.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><g>".to_vec(),
            "cannot be read as SVG",
        ),
    ];
    for (name, bytes, expected) in cases {
        let logo = dir.path().join(name);
        std::fs::write(&logo, bytes).unwrap();
        let config = dir.path().join("report.yaml");
        std::fs::write(
            &config,
            format!(
                "survey: {}\ncodebook: {}\nmunicipality: Samsø\nbranding:\n  logo: {name}\n",
                repo_path("examples/udskoling-2026-sample.csv").display(),
                repo_path("examples/udskoling.codebook.yaml").display()
            ),
        )
        .unwrap();
        let pdf = dir.path().join("r.pdf");
        let assert = report(&repo())
            .arg("--config")
            .arg(&config)
            .args(["build", "-o"])
            .arg(&pdf)
            .assert()
            .code(2);
        let message = stderr(&assert);
        assert!(
            message.contains(&format!("logo {}: {expected}", logo.display())),
            "{name}: {message}"
        );
        assert!(!pdf.exists());
    }
}

#[test]
fn a_question_with_many_answers_keeps_every_answer_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo_path("examples/udskoling.codebook.yaml")).unwrap();
    let options: Vec<String> = (1..=20)
        .map(|i| format!("{i}: \"Svarmulighed {i}\""))
        .collect();
    let wide = text.replacen(
        "options: {1: {da: \"Rigtig godt\", en: \"Very good\"}, 2: {da: \"Godt\", en: \"Good\"}, 3: {da: \"Hverken godt eller dårligt\", en: \"Neither good nor bad\"}, 4: {da: \"Dårligt\", en: \"Bad\"}, 5: {da: \"Rigtig dårligt\", en: \"Very bad\"}}",
        &format!("options: {{{}}}", options.join(", ")),
        1,
    );
    assert_ne!(wide, text);
    let codebook = dir.path().join("wide.yaml");
    std::fs::write(&codebook, wide).unwrap();
    let pdf = dir.path().join("r.pdf");
    build(&pdf, &["--codebook", codebook.to_str().unwrap()]).success();
    let pages = pages(&pdf);
    let page = crate::support::page_with(&pages, "q01 Hvordan har du det for det meste?").unwrap();
    let text = flat(&pages[page]);
    for expected in (1..=20).map(|i| format!("Svarmulighed {i} ")).chain([
        "Silkeborg".into(),
        "Alle kommuner".into(),
        "9. klasse".into(),
    ]) {
        assert!(
            text.contains(&expected),
            "no `{expected}` on page {}: {text}",
            page + 1
        );
    }
}

#[test]
fn a_damaged_spreadsheet_is_a_clean_error() {
    // Found by fuzzing: calamine panics while reading it.
    let damaged = repo_path("tests/fuzz/regressions/calamine-panic.xlsx");
    let assert = report(&repo())
        .args(["validate", "--survey"])
        .arg(&damaged)
        .assert()
        .code(2);
    let message = stderr(&assert);
    assert!(message.contains("the file is damaged"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn a_missing_input_names_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.csv");
    let assert = report(&repo())
        .args(["validate", "--survey", missing.to_str().unwrap()])
        .assert()
        .code(2);
    let text = stderr(&assert);
    assert!(text.contains("missing.csv"), "{text}");
    assert_eq!(text.matches("os error 2").count(), 1, "{text}");
}
