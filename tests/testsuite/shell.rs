//! Shell conventions: completion scripts and man pages, generated from the parser itself.

use crate::support::{repo, report};

#[test]
fn completions_are_printed_for_every_supported_shell() {
    for (shell, marker) in [
        ("bash", "_report()"),
        ("zsh", "#compdef report"),
        ("fish", "complete -c report"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let assert = report(&repo())
            .args(["completions", shell])
            .assert()
            .success();
        let script = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for flag in ["--municipality", "--kind", "--tables-out"] {
            // fish names long flags `-l name`.
            let fish = format!("-l {}", &flag[2..]);
            assert!(
                script.contains(flag) || script.contains(&fish),
                "{shell}: `{flag}` does not complete"
            );
        }
    }
    report(&repo())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn the_man_pages_describe_every_command() {
    let assert = report(&repo()).arg("man").assert().success();
    let page = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(page.contains(".TH report 1"), "{page}");
    assert!(page.contains("build"), "{page}");

    let dir = tempfile::tempdir().unwrap();
    report(&repo())
        .args(["man", "--out-dir"])
        .arg(dir.path())
        .assert()
        .success();
    let build = std::fs::read_to_string(dir.path().join("report-build.1")).unwrap();
    assert!(build.contains(".TH report-build 1"), "{build}");
    assert!(build.contains("key\\-figures"), "{build}");
    assert!(dir.path().join("report-catalogue-list.1").exists());
}
