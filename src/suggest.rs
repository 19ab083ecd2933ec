//! "Did you mean …?" suggestions for mistyped ids and names.

/// Up to three candidates that look like `wanted`: close in spelling (ignoring case), or
/// containing it; best first.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|candidate| {
            let lower = candidate.to_lowercase();
            let mut score = strsim::jaro_winkler(&wanted, &lower);
            if lower.contains(&wanted) || wanted.contains(&lower) {
                score = score.max(0.9);
            }
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `; did you mean `a`, `b`?` or the empty string.
pub fn did_you_mean(suggestions: &[impl AsRef<str>]) -> String {
    if suggestions.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = suggestions
        .iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect();
    format!("; did you mean {}?", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_misses_and_substrings() {
        let ids = ["fri-for-mobberi", "pals", "powerkids", "x-it"];
        assert_eq!(closest("fri-for-mobbery", ids), ["fri-for-mobberi"]);
        assert_eq!(closest("mobberi", ids), ["fri-for-mobberi"]);
        assert_eq!(closest("PowerKids", ids), ["powerkids"]);
        assert!(closest("zzzzzz", ids).is_empty());
    }
}
