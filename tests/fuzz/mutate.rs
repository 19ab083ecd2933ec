//! Mutations of seed inputs: byte flips, insertions of tokens that matter to the format,
//! deletions, truncations and repeated or swapped lines, a few at a time.

use proptest::prelude::*;

/// Tokens that mean something to YAML (documents, anchors, tags, flow syntax, odd scalars).
pub(crate) const YAML_TOKENS: &[&str] = &[
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!str ",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "? ",
    "|\n",
    ">-\n",
    "\t",
    "\"",
    "'",
    "#",
    "~",
    "null",
    "true",
    "1e309",
    "-1",
    "99999999999999999999",
    "0x1F",
    ".nan",
    "\u{0}",
    "\u{FEFF}",
    "😀",
    "\r",
    "\r\n",
    "  ",
    "\n  - ",
    "id: ",
    "theme",
    "kind: multiple\n",
    "kind: index\n",
    "options: {}\n",
];

/// Tokens that mean something to CSV (separators, quotes, line ends, codes, encodings).
pub(crate) const CSV_TOKENS: &[&str] = &[
    ",", ";", "\t", "|", "\"", "\"\"", "\n", "\r", "\r\n", "98", "99", "0", "-1", "7.5", "1,5",
    "1e9", "", " ", "\u{FEFF}", "\u{0}", "\u{FFFD}", "æøå", "\u{e6}", "A\u{30A}", "😀", "Odder",
    "Samsø", "kommune", "q01", "who5_1", "\u{85}",
];

/// One change to an input.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Insert { at: usize, token: usize },
    Delete { at: usize, len: usize },
    Truncate { at: usize },
    RepeatLine { line: usize, times: usize },
    SwapLines { a: usize, b: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        3 => (at, any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        4 => (at, any::<usize>()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        2 => (at, 1..64usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        1 => at.prop_map(|at| Mutation::Truncate { at }),
        1 => (any::<usize>(), 1..20usize).prop_map(|(line, times)| Mutation::RepeatLine { line, times }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
    ]
}

fn apply(bytes: &mut Vec<u8>, change: &Mutation, tokens: &[&str]) {
    let position = |at: usize, len: usize| if len == 0 { 0 } else { at % (len + 1) };
    match *change {
        Mutation::Flip { at, byte } => {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = byte;
            }
        }
        Mutation::Insert { at, token } => {
            if tokens.is_empty() {
                return;
            }
            let i = position(at, bytes.len());
            let token = tokens[token % tokens.len()].as_bytes();
            bytes.splice(i..i, token.iter().copied());
        }
        Mutation::Delete { at, len } => {
            let i = position(at, bytes.len());
            let end = (i + len).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Truncate { at } => {
            let i = position(at, bytes.len());
            bytes.truncate(i);
        }
        Mutation::RepeatLine { line, times } | Mutation::SwapLines { a: line, b: times } => {
            let mut lines: Vec<Vec<u8>> =
                bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let n = lines.len();
            let i = line % n;
            if let Mutation::SwapLines { .. } = change {
                lines.swap(i, times % n);
            } else {
                let copy = lines[i].clone();
                for _ in 0..times {
                    lines.insert(i, copy.clone());
                }
            }
            *bytes = lines.join(&b'\n');
        }
    }
}

/// A seed with up to eight mutations applied.
pub(crate) fn mutated(
    seeds: Vec<Vec<u8>>,
    tokens: &'static [&'static str],
) -> impl Strategy<Value = Vec<u8>> {
    assert!(!seeds.is_empty(), "a fuzz target needs seeds");
    (0..seeds.len(), proptest::collection::vec(mutation(), 0..8)).prop_map(
        move |(seed, changes)| {
            let mut bytes = seeds[seed].clone();
            for change in &changes {
                apply(&mut bytes, change, tokens);
            }
            bytes
        },
    )
}
