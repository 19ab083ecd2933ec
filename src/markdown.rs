//! Provider Markdown → a small, safe document tree that templates render as data.
//!
//! Supported: paragraphs, *emphasis*, **strong**, bullet and numbered lists, http(s)/mailto
//! links, hard line breaks and headings of level 3 or deeper. Everything else (tables, code,
//! HTML, images, block quotes, level 1–2 headings…) is kept as plain text and reported, so
//! `catalogue check` can point editors to it. Nothing in the tree is ever markup: a provider
//! writing `#read("/etc/passwd")` gets exactly those characters on the page.

use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A block of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block {
    Paragraph {
        content: Vec<Inline>,
    },
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Inline {
    Text { text: String },
    Emph { content: Vec<Inline> },
    Strong { content: Vec<Inline> },
    Link { url: String, content: Vec<Inline> },
    Break,
}

/// A construct outside the supported subset, shown as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// What it is, e.g. "table".
    pub construct: String,
    /// 1-based line within the Markdown text.
    pub line: usize,
}

/// Parsed Markdown and what in it fell outside the supported subset.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Markdown {
    pub blocks: Vec<Block>,
    pub unsupported: Vec<Unsupported>,
}

/// Parses Markdown into the supported subset.
pub fn parse(text: &str) -> Markdown {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut converter = Converter {
        events: Parser::new_ext(text, options).into_offset_iter().peekable(),
        text,
        unsupported: Vec::new(),
    };
    let blocks = converter.blocks(None);
    Markdown {
        blocks,
        unsupported: converter.unsupported,
    }
}

struct Converter<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    events: Peekable<I>,
    text: &'a str,
    unsupported: Vec<Unsupported>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Converter<'a, I> {
    fn report(&mut self, construct: impl Into<String>, at: &Range<usize>) {
        let line = self.text[..at.start.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        let found = Unsupported {
            construct: construct.into(),
            line,
        };
        // An HTML element opens and closes on the same line: report it once.
        if !self.unsupported.contains(&found) {
            self.unsupported.push(found);
        }
    }

    /// Blocks until `end` (or the end of the text).
    fn blocks(&mut self, end: Option<TagEnd>) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some((event, range)) = self.events.peek().cloned() {
            if is_inline(&event) {
                // Tight list items hold inline events without a paragraph around them.
                let content = self.inline_run();
                blocks.push(Block::Paragraph { content });
                continue;
            }
            self.events.next();
            match event {
                Event::End(tag) if Some(tag) == end => break,
                Event::Start(Tag::Paragraph) => {
                    let content = self.inlines(TagEnd::Paragraph);
                    blocks.push(Block::Paragraph { content });
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let content = self.inlines(TagEnd::Heading(level));
                    let level = heading_level(level);
                    if level >= 3 {
                        blocks.push(Block::Heading { level, content });
                    } else {
                        self.report(format!("heading of level {level}"), &range);
                        blocks.push(Block::Paragraph { content });
                    }
                }
                Event::Start(Tag::List(start)) => {
                    let mut items = Vec::new();
                    while let Some((event, _)) = self.events.next() {
                        match event {
                            Event::Start(Tag::Item) => items.push(self.blocks(Some(TagEnd::Item))),
                            Event::End(TagEnd::List(_)) => break,
                            _ => {}
                        }
                    }
                    blocks.push(Block::List {
                        ordered: start.is_some(),
                        start: start.unwrap_or(1),
                        items,
                    });
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    self.report("block quote", &range);
                    blocks.extend(self.blocks(Some(TagEnd::BlockQuote(None))));
                }
                Event::Start(tag @ (Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::Table(_))) => {
                    let (construct, end) = match tag {
                        Tag::CodeBlock(_) => ("code block", TagEnd::CodeBlock),
                        Tag::HtmlBlock => ("HTML", TagEnd::HtmlBlock),
                        _ => ("table", TagEnd::Table),
                    };
                    self.report(construct, &range);
                    let text = self.plain_text(end);
                    blocks.push(Block::Paragraph {
                        content: vec![Inline::Text { text }],
                    });
                }
                Event::Rule => self.report("horizontal rule", &range),
                Event::Html(html) => {
                    self.report("HTML", &range);
                    blocks.push(Block::Paragraph {
                        content: vec![text(&html)],
                    });
                }
                Event::Start(other) => {
                    self.report(format!("{other:?}"), &range);
                    let end = other.to_end();
                    let text = self.plain_text(end);
                    blocks.push(Block::Paragraph {
                        content: vec![Inline::Text { text }],
                    });
                }
                _ => {}
            }
        }
        blocks
    }

    /// Inline events directly in a block (a tight list item), up to the next block event.
    fn inline_run(&mut self) -> Vec<Inline> {
        let mut content = Vec::new();
        while let Some((event, _)) = self.events.peek() {
            if !is_inline(event) {
                break;
            }
            let (event, range) = self.events.next().expect("peeked");
            self.inline(event, range, &mut content);
        }
        merge_text(content)
    }

    /// Inlines until `end`.
    fn inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut content = Vec::new();
        while let Some((event, range)) = self.events.next() {
            match event {
                Event::End(tag) if tag == end => break,
                event => self.inline(event, range, &mut content),
            }
        }
        merge_text(content)
    }

    fn inline(&mut self, event: Event<'a>, range: Range<usize>, out: &mut Vec<Inline>) {
        match event {
            Event::Text(t) => out.push(text(&t)),
            Event::SoftBreak => out.push(text(" ")),
            Event::HardBreak => out.push(Inline::Break),
            Event::Start(Tag::Emphasis) => {
                let content = self.inlines(TagEnd::Emphasis);
                out.push(Inline::Emph { content });
            }
            Event::Start(Tag::Strong) => {
                let content = self.inlines(TagEnd::Strong);
                out.push(Inline::Strong { content });
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let content = self.inlines(TagEnd::Link);
                if is_safe_url(&dest_url) {
                    out.push(Inline::Link {
                        url: dest_url.to_string(),
                        content,
                    });
                } else {
                    self.report(format!("link to `{dest_url}`"), &range);
                    out.extend(content);
                }
            }
            Event::Code(code) => {
                self.report("inline code", &range);
                out.push(text(&code));
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                self.report("HTML", &range);
                out.push(text(&html));
            }
            Event::Start(Tag::Image { .. }) => {
                self.report("image", &range);
                out.extend(self.inlines(TagEnd::Image));
            }
            Event::Start(other) => {
                self.report(format!("{other:?}"), &range);
                let end = other.to_end();
                out.extend(self.inlines(end));
            }
            _ => {}
        }
    }

    /// All text up to `end`, with line structure kept, for constructs shown as plain text.
    fn plain_text(&mut self, end: TagEnd) -> String {
        let mut out = String::new();
        let mut depth = 0usize;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::End(tag) if tag == end && depth == 0 => break,
                Event::Start(_) => depth += 1,
                Event::End(TagEnd::TableCell) => {
                    depth = depth.saturating_sub(1);
                    out.push_str(" | ");
                }
                Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                    depth = depth.saturating_sub(1);
                    out.push('\n');
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    out.push_str(&t);
                }
                Event::SoftBreak | Event::HardBreak => out.push('\n'),
                _ => {}
            }
        }
        out.trim_end().to_owned()
    }
}

fn is_inline(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::Start(
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Link { .. }
                    | Tag::Image { .. }
                    | Tag::Strikethrough
            )
    )
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Links may only go to the web or to an e-mail address.
fn is_safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

fn text(text: &str) -> Inline {
    Inline::Text {
        text: text.to_owned(),
    }
}

/// Joins neighbouring text runs so templates get few, long strings.
fn merge_text(content: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(content.len());
    for inline in content {
        match (out.last_mut(), inline) {
            (Some(Inline::Text { text: last }), Inline::Text { text }) => last.push_str(&text),
            (_, inline) => out.push(inline),
        }
    }
    out
}

/// The tree as plain text for a terminal: paragraphs wrapped to `width`, lists with bullets
/// or numbers, links followed by their address.
pub fn to_plain_text(blocks: &[Block], width: usize) -> String {
    let mut out = String::new();
    write_blocks(&mut out, blocks, "", width);
    out.trim_end().to_owned()
}

fn write_blocks(out: &mut String, blocks: &[Block], indent: &str, width: usize) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                let text = inline_text(content);
                let options = textwrap::Options::new(width.max(20))
                    .initial_indent(indent)
                    .subsequent_indent(indent);
                out.push_str(&textwrap::fill(&text, options));
                out.push_str("\n\n");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", start + i as u64)
                    } else {
                        "• ".to_owned()
                    };
                    let mut text = String::new();
                    let inner = " ".repeat(marker.chars().count());
                    write_blocks(&mut text, item, &format!("{indent}{inner}"), width);
                    let text = text.trim_end();
                    let first = format!("{indent}{inner}");
                    out.push_str(indent);
                    out.push_str(&marker);
                    out.push_str(text.strip_prefix(first.as_str()).unwrap_or(text));
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
}

fn inline_text(content: &[Inline]) -> String {
    content
        .iter()
        .map(|inline| match inline {
            Inline::Text { text } => text.clone(),
            Inline::Emph { content } | Inline::Strong { content } => inline_text(content),
            Inline::Link { url, content } => format!("{} <{url}>", inline_text(content)),
            Inline::Break => "\n".to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        text(s)
    }

    #[test]
    fn supported_subset_becomes_a_tree() {
        let md =
            parse("Hej *du* og **I**.\n\n### Mere\n\n- en\n- [to](https://x.dk)\n\n2. a\n3. b\n");
        assert!(md.unsupported.is_empty(), "{:?}", md.unsupported);
        assert_eq!(
            md.blocks,
            vec![
                Block::Paragraph {
                    content: vec![
                        t("Hej "),
                        Inline::Emph {
                            content: vec![t("du")]
                        },
                        t(" og "),
                        Inline::Strong {
                            content: vec![t("I")]
                        },
                        t(".")
                    ]
                },
                Block::Heading {
                    level: 3,
                    content: vec![t("Mere")]
                },
                Block::List {
                    ordered: false,
                    start: 1,
                    items: vec![
                        vec![Block::Paragraph {
                            content: vec![t("en")]
                        }],
                        vec![Block::Paragraph {
                            content: vec![Inline::Link {
                                url: "https://x.dk".into(),
                                content: vec![t("to")]
                            }]
                        }],
                    ]
                },
                Block::List {
                    ordered: true,
                    start: 2,
                    items: vec![
                        vec![Block::Paragraph {
                            content: vec![t("a")]
                        }],
                        vec![Block::Paragraph {
                            content: vec![t("b")]
                        }],
                    ]
                },
            ]
        );
    }

    #[test]
    fn plain_text_wraps_and_marks_lists() {
        let md = parse("Et *langt* afsnit med ord.\n\n- en\n- [to](https://x.dk)\n\n3. tre\n");
        assert_eq!(
            to_plain_text(&md.blocks, 20),
            "Et langt afsnit\nmed ord.\n\n• en\n• to <https://x.dk>\n\n3. tre"
        );
    }

    #[test]
    fn typst_syntax_stays_text() {
        let source = "#read(\"/etc/passwd\") #import \"x\" ] $ \\ @x <y> // z";
        let md = parse(source);
        let Block::Paragraph { content } = &md.blocks[0] else {
            panic!("{:?}", md.blocks)
        };
        // Markdown itself removes the backslash escape before the space only.
        let Inline::Text { text } = &content[0] else {
            panic!("{content:?}")
        };
        assert!(text.starts_with("#read(\"/etc/passwd\") #import"), "{text}");
    }

    #[test]
    fn unsupported_constructs_are_reported_with_lines_and_kept_as_text() {
        let md = parse(
            "# Stor\n\nTekst\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<b>x</b>\n\n[js](javascript:alert(1))\n",
        );
        let found: Vec<(&str, usize)> = md
            .unsupported
            .iter()
            .map(|u| (u.construct.as_str(), u.line))
            .collect();
        assert_eq!(
            found,
            vec![
                ("heading of level 1", 1),
                ("table", 5),
                ("HTML", 9),
                ("link to `javascript:alert(1)`", 11)
            ]
        );
        let json = serde_json::to_string(&md.blocks).unwrap();
        assert!(json.contains("a | b |"), "{json}");
        assert!(!json.contains("javascript"), "{json}");
    }
}
