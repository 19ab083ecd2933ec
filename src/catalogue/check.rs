//! The rules a fact sheet must follow beyond its YAML shape: id = file name, known themes,
//! sane ages and grades, a source for every stated documentation level, well-formed URLs and
//! dates, Markdown within the supported subset. Each problem is located by line and column in
//! the file.

use std::collections::BTreeSet;
use std::path::Path;

use super::ThemeDef;
use super::model::{DocumentationLevel, Intervention};
use crate::date::ReportDate;
use crate::finding::{Finding, Location, locate_key, locate_value};
use crate::markdown;

/// The oldest age a target group may name.
pub(super) const MAX_AGE: u8 = 30;

/// The highest school grade (10. klasse).
pub(super) const MAX_GRADE: u8 = 10;

/// Checks one parsed fact sheet; `stem` is its file name without extension and `text` its
/// YAML source (for locating problems).
pub(super) fn check_intervention(
    intervention: &Intervention,
    stem: &str,
    text: &str,
    path: &Path,
    themes: &[ThemeDef],
    findings: &mut Vec<Finding>,
) {
    let mut report = |location: Location, message: String| {
        findings.push(Finding::new(path, location, message));
    };
    let id = &intervention.id.0;
    if !is_slug(id) {
        report(
            locate_key(text, "id"),
            format!("id `{id}` must be lowercase letters a–z, digits and hyphens"),
        );
    }
    if id != stem {
        report(
            locate_key(text, "id"),
            format!("id `{id}` differs from the file name `{stem}`"),
        );
    }
    for (field, value) in [
        ("name", &intervention.name),
        ("summary", &intervention.summary),
        ("description", &intervention.description),
        ("who", &intervention.target.who),
        ("name", &intervention.provider.name),
    ] {
        if value.trim().is_empty() {
            report(locate_key(text, field), format!("`{field}` is empty"));
        }
    }
    if intervention.themes.is_empty() {
        report(locate_key(text, "themes"), "`themes` is empty".into());
    }
    let mut seen = BTreeSet::new();
    for (field, theme) in intervention.themes.iter().map(|t| ("themes", t)).chain(
        intervention
            .secondary_themes
            .iter()
            .map(|t| ("secondary_themes", t)),
    ) {
        if !themes.iter().any(|t| &t.id == theme) {
            report(
                locate_value(text, field, &theme.0),
                format!("unknown theme `{theme}` (see themes.yaml)"),
            );
        } else if !seen.insert(theme) {
            report(
                locate_value(text, field, &theme.0),
                format!("theme `{theme}` is listed twice (a theme is main or secondary, not both)"),
            );
        }
    }
    if intervention.kinds.is_empty() {
        report(locate_key(text, "type"), "`type` is empty".into());
    }
    if let Some(age) = intervention.target.age {
        if age.from > age.to {
            report(
                locate_key(text, "age"),
                format!("age range {}–{} is reversed", age.from, age.to),
            );
        }
        if age.to > MAX_AGE {
            report(
                locate_key(text, "age"),
                format!("age {} is outside 0–{MAX_AGE}", age.to),
            );
        }
    }
    if let Some(grades) = intervention.target.grades {
        if grades.from > grades.to {
            report(
                locate_key(text, "grades"),
                format!("grade range {}–{} is reversed", grades.from, grades.to),
            );
        }
        if grades.to > MAX_GRADE {
            report(
                locate_key(text, "grades"),
                format!("grade {} is outside 0–{MAX_GRADE}", grades.to),
            );
        }
    }
    let documentation = &intervention.documentation;
    match &documentation.source {
        None if documentation.level != DocumentationLevel::NotStated => report(
            locate_value(text, "documentation", "level:"),
            format!(
                "documentation level `{}` names no source: add `source: {{title, url}}` (where \
                 the provider or agency states the level) or use `not-stated`",
                documentation.level.key()
            ),
        ),
        Some(source) if source.title.trim().is_empty() => report(
            locate_value(text, "source", "title"),
            "the documentation source's `title` is empty".into(),
        ),
        _ => {}
    }
    let source_url = documentation.source.iter().filter_map(|s| s.url.as_ref());
    let urls = intervention
        .provider
        .url
        .iter()
        .chain(source_url)
        .chain(intervention.links.iter().map(|link| &link.url));
    for url in urls {
        if !is_web_url(url) {
            report(
                locate_value(text, "url", url),
                format!("`{url}` is not an http(s) URL"),
            );
        }
    }
    if let Some(reviewed) = &intervention.reviewed
        && reviewed.parse::<ReportDate>().is_err()
    {
        report(
            locate_key(text, "reviewed"),
            format!("reviewed date `{reviewed}` is not a date of the form YYYY-MM-DD"),
        );
    }
    let markdown_fields = [
        ("description", Some(&intervention.description)),
        ("recommendations", intervention.recommendations.as_ref()),
    ];
    for (field, value) in markdown_fields {
        let Some(value) = value else { continue };
        let start = locate_key(text, field);
        for unsupported in markdown::parse(value).unsupported {
            // Block scalars (`|`, `>`) start on the line after the key.
            let location = match start.0 {
                Some((line, _)) => Location::at(line + unsupported.line, 1),
                None => start,
            };
            report(
                location,
                format!(
                    "`{field}` uses a {} (not in the supported Markdown subset; it will print as plain text)",
                    unsupported.construct
                ),
            );
        }
    }
}

/// Lowercase ASCII letters, digits and single inner hyphens: what [`slug`] makes.
fn is_slug(id: &str) -> bool {
    !id.is_empty() && crate::slug::slug(id) == id
}

/// `http://` or `https://`, a host with a dot, and no spaces.
fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    !url.chars().any(char::is_whitespace)
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("fri-for-mobberi"));
        assert!(is_slug("x2"));
        for bad in ["", "Fri", "fri_for", "-a", "a-", "a--b", "æble"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://www.sst.dk/da/x?y=1#z"));
        assert!(is_web_url("http://redbarnet.dev9.1508test.dk/"));
        for bad in [
            "www.x.dk",
            "https://",
            "https://localhost",
            "ftp://x.dk",
            "https://x .dk",
            "javascript:alert(1)",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
