//! Building the columns while rows stream in from a [`source`](super::source): the header of
//! each file says where the needed columns are, each row is decoded into them, and
//! everything odd is recorded in the quality report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use csv::ByteRecord;

use super::super::codebook::{Codebook, Question};
use super::super::quality::{Example, Quality, Severity};
use super::super::scale::{BLANK, Scale};
use super::super::source::{Position, Sink, text, unit_name};
use super::decode::{At, Decoder, Layout, decode_slot};
use super::{Answers, NO_SCHOOL, Responses, ResponsesError, School, quoted};

/// How many rows are staged before single-choice answers are copied into their columns.
const STAGED_ROWS: usize = 4096;

/// Accumulates columns while rows stream in, recording problems as it goes.
pub(super) struct TableBuilder<'a> {
    codebook: &'a Codebook,
    decoders: Vec<Decoder<'a>>,
    /// The columns each question reads, by name.
    columns: Vec<Vec<String>>,
    layout: Option<Layout>,
    rows: usize,
    municipality_index: HashMap<String, u16>,
    school_index: HashMap<(u16, String), u32>,
    /// The columns so far; municipalities and schools in the order first seen until
    /// `finish` sorts them.
    table: Responses,
    /// Single-choice answers of the latest rows, row by row, until they are copied into their
    /// columns: writing a byte into each of 70 columns per row misses the cache every time,
    /// copying a block of rows column by column does not.
    staged: Vec<u8>,
    /// The questions whose answers are staged, in staging (codebook) order.
    staged_questions: Vec<usize>,
    /// The 64-bit hash and position of every respondent id, sorted at the end to find
    /// duplicates (16 bytes an id; faster than a hash set for millions of rows).
    respondent_ids: Vec<(u64, usize, Position)>,
    /// The file and respondent-id column of each header read, for messages.
    id_columns: Vec<(PathBuf, String)>,
    /// The file and column where more municipalities or schools appeared than fit.
    too_many_units: Option<(PathBuf, String)>,
    quality: Quality,
}

impl<'a> TableBuilder<'a> {
    pub(super) fn new(codebook: &'a Codebook) -> TableBuilder<'a> {
        let decoders: Vec<Decoder> = codebook
            .questions()
            .map(|q| Decoder::new(q, codebook))
            .collect();
        let breakdowns = &codebook.background.breakdowns;
        TableBuilder {
            codebook,
            columns: codebook.questions().map(Question::columns).collect(),
            table: Responses {
                municipalities: Vec::new(),
                municipality: Vec::new(),
                schools: Vec::new(),
                school: Vec::new(),
                breakdowns: vec![Vec::new(); breakdowns.len()],
                breakdown_scales: breakdowns.iter().map(Scale::of_breakdown).collect(),
                answers: (0..decoders.len()).map(|_| None).collect(),
                respondent_ids: Vec::new(),
            },
            decoders,
            layout: None,
            rows: 0,
            municipality_index: HashMap::new(),
            school_index: HashMap::new(),
            staged: Vec::new(),
            staged_questions: Vec::new(),
            respondent_ids: Vec::new(),
            id_columns: Vec::new(),
            too_many_units: None,
            quality: Quality::default(),
        }
    }

    /// Rows read so far.
    pub(super) fn rows(&self) -> usize {
        self.rows
    }

    pub(super) fn quality(&mut self) -> &mut Quality {
        &mut self.quality
    }

    /// Checks what can only be checked at the end (duplicate ids, no respondents), and sorts
    /// the municipality and school dictionaries so results do not depend on row order.
    pub(super) fn finish(mut self) -> Result<(Responses, Quality), ResponsesError> {
        self.flush_staged();
        if let Some((path, column)) = self.too_many_units.take() {
            return Err(ResponsesError::TooManyUnits { path, column });
        }
        self.report_duplicate_ids();
        self.table.respondent_ids = self.respondent_ids.iter().map(|&(hash, ..)| hash).collect();
        self.table.respondent_ids.dedup();
        if self.table.answers.iter().all(Option::is_none)
            && let Some(first) = self.codebook.questions().next()
        {
            let message = format!(
                "none of the codebook's {} questions is a column of the survey data (no `{}`, …); is it the codebook of this survey?",
                self.codebook.questions().count(),
                first.id
            );
            self.whole_data_error(message);
        }
        if self.rows == 0 {
            self.whole_data_error("the survey data have no respondents".to_owned());
        }
        self.sort_units();
        self.warn_about_names_alike();
        self.warn_about_id_like_units();
        Ok((self.table, self.quality))
    }

    fn report_duplicate_ids(&mut self) {
        self.respondent_ids.sort_unstable();
        for pair in self.respondent_ids.windows(2) {
            let ((hash, first_file, first), (next_hash, file, position)) = (pair[0], pair[1]);
            if hash == next_hash {
                let (path, column) = &self.id_columns[file];
                let earlier = if first_file == file {
                    first.to_string()
                } else {
                    format!("{first} of {}", self.id_columns[first_file].0.display())
                };
                self.quality.push(
                    Severity::Error,
                    path,
                    Some(column),
                    "respondent ids that occur more than once",
                    Some((position, Example::Note(format!("same id as {earlier}")))),
                );
            }
        }
    }

    /// Sorts municipalities by name and schools by municipality and name, renumbering rows.
    /// An error about the data as a whole, reported on the first file.
    fn whole_data_error(&mut self, message: String) {
        if let Some(source) = self.quality.sources.first() {
            let path = source.path.clone();
            self.quality
                .push(Severity::Error, &path, None, message, None);
        }
    }

    /// Warns about municipality names that differ only in letter case ("Silkeborg" and
    /// "SILKEBORG"): they are reported as different municipalities, which is seldom meant.
    fn warn_about_names_alike(&mut self) {
        let mut by_lower: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for name in &self.table.municipalities {
            by_lower.entry(name.to_lowercase()).or_default().push(name);
        }
        let Some(source) = self.quality.sources.first() else {
            return;
        };
        let path = source.path.clone();
        let column = self.codebook.background.municipality.clone();
        for names in by_lower.values().filter(|names| names.len() > 1) {
            self.quality.push(
                Severity::Warning,
                &path,
                Some(&column),
                format!(
                    "municipality names that differ only in case count as different municipalities: {}",
                    quoted(names)
                ),
                None,
            );
        }
    }

    /// Warns when the municipality or school column has nearly as many values as there are
    /// rows: it is most likely a respondent id or a wrong column, and every unit's figures
    /// would be withheld.
    fn warn_about_id_like_units(&mut self) {
        let Some(source) = self.quality.sources.first() else {
            return;
        };
        let path = source.path.clone();
        let background = &self.codebook.background;
        let columns = [
            (
                "municipalities",
                Some(&background.municipality),
                self.table.municipalities.len(),
            ),
            (
                "schools",
                background.school.as_ref(),
                self.table.schools.len(),
            ),
        ];
        for (what, column, units) in columns {
            let Some(column) = column else { continue };
            if self.rows < ID_LIKE_MIN_ROWS || units * 2 <= self.rows {
                continue;
            }
            self.quality.push(
                Severity::Warning,
                &path,
                Some(column),
                format!(
                    "{units} different {what} in {} rows ({:.1} respondents each): is it an id column? Nearly every figure of such small units is withheld",
                    self.rows,
                    self.rows as f64 / units as f64
                ),
                None,
            );
        }
    }

    fn sort_units(&mut self) {
        let table = &mut self.table;
        let order = sorted_order(&table.municipalities);
        let renumber = inverse(&order);
        table.municipalities = order
            .iter()
            .map(|&old| std::mem::take(&mut table.municipalities[old]))
            .collect();
        for index in &mut table.municipality {
            // At most u16::MAX + 1 names were accepted.
            *index = renumber[usize::from(*index)] as u16;
        }
        for school in &mut table.schools {
            school.municipality = renumber[usize::from(school.municipality)] as u16;
        }
        let order = sorted_order(&table.schools);
        let renumber = inverse(&order);
        table.schools = order
            .iter()
            .map(|&old| std::mem::replace(&mut table.schools[old], School::EMPTY))
            .collect();
        for index in &mut table.school {
            if *index != NO_SCHOOL {
                *index = renumber[*index as usize] as u32;
            }
        }
    }
}

impl School {
    const EMPTY: School = School {
        municipality: 0,
        name: String::new(),
    };
}

/// The indices of `items` in sorted order.
fn sorted_order<T: Ord>(items: &[T]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[a].cmp(&items[b]));
    order
}

/// For each old index, its position in `order`.
fn inverse(order: &[usize]) -> Vec<usize> {
    let mut position = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        position[old] = new;
    }
    position
}

/// Below this many rows, few respondents per municipality or school is no sign of an id column.
const ID_LIKE_MIN_ROWS: usize = 20;

impl Sink for TableBuilder<'_> {
    fn header(&mut self, path: &Path, header: &ByteRecord) -> Result<(), ResponsesError> {
        // Rows of an earlier file go into their columns before this file adds columns.
        self.flush_staged();
        let names: Vec<String> = header
            .iter()
            .map(|c| text(c.trim_ascii()).into_owned())
            .collect();
        let index = column_index(path, &names)?;
        let background = &self.codebook.background;
        let required: Vec<&String> = std::iter::once(&background.municipality)
            .chain(background.breakdowns.iter().map(|b| &b.column))
            .collect();
        let missing: Vec<String> = required
            .iter()
            .filter(|name| !index.contains_key(name.as_str()))
            .map(|name| (*name).clone())
            .collect();
        if !missing.is_empty() {
            return Err(ResponsesError::MissingColumns {
                path: path.to_owned(),
                columns: missing,
            });
        }
        let school = background
            .school
            .as_deref()
            .and_then(|column| index.get(column).copied());
        if let (Some(column), None) = (&background.school, school) {
            self.quality.push(
                Severity::Warning,
                path,
                None,
                format!("no school column `{column}`; its rows have no school, so they are in no school report"),
                None,
            );
        }
        let questions = self.question_columns(path, &index);
        self.warn_about_unknown_columns(path, &names, &index);

        let id_column = background.respondent.clone().unwrap_or_default();
        self.id_columns.push((path.to_owned(), id_column));
        self.staged_questions = (0..self.table.answers.len())
            .filter(|&q| matches!(self.table.answers[q], Some(Answers::Coded(_))))
            .collect();
        self.layout = Some(Layout {
            path: path.to_owned(),
            municipality: index[background.municipality.as_str()],
            school,
            breakdowns: background
                .breakdowns
                .iter()
                .map(|b| index[b.column.as_str()])
                .collect(),
            respondent: background
                .respondent
                .as_deref()
                .and_then(|c| index.get(c).copied()),
            questions,
            names,
        });
        Ok(())
    }

    fn row(&mut self, position: Position, record: &ByteRecord) {
        // The layout is taken out while the row is decoded, so decoding can update `self`.
        let layout = self.layout.take().expect("rows come after the header");
        self.decode_row(&layout, position, record);
        self.layout = Some(layout);
    }

    fn warning(&mut self, path: &Path, message: String) {
        self.quality
            .push(Severity::Warning, path, None, message, None);
    }
}

/// Each named column's position; an empty name is no column, a repeated one an error.
fn column_index<'n>(
    path: &Path,
    names: &'n [String],
) -> Result<HashMap<&'n str, usize>, ResponsesError> {
    let mut index = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if index.insert(name.as_str(), i).is_some() {
            return Err(ResponsesError::DuplicateColumn {
                path: path.to_owned(),
                column: name.clone(),
            });
        }
    }
    Ok(index)
}

impl TableBuilder<'_> {
    /// Where each question's columns are in this file; questions first seen here get blank
    /// answers for the earlier files' rows, and questions the file lacks are warned about.
    fn question_columns(
        &mut self,
        path: &Path,
        index: &HashMap<&str, usize>,
    ) -> Vec<Option<Vec<usize>>> {
        let questions: Vec<Option<Vec<usize>>> = self
            .columns
            .iter()
            .map(|columns| {
                columns
                    .iter()
                    .map(|c| index.get(c.as_str()).copied())
                    .collect()
            })
            .collect();
        for (q, question) in self.codebook.questions().enumerate() {
            match (&questions[q], &mut self.table.answers[q]) {
                (Some(columns), answers @ None) => {
                    // First seen in this file: earlier files' rows did not answer it.
                    *answers = Some(self.decoders[q].blank(self.rows, columns.len()));
                    if self.rows > 0 {
                        self.quality.push(
                            Severity::Warning,
                            path,
                            None,
                            format!("question `{}` is only in some files; rows of the others count as not answered", question.id),
                            None,
                        );
                    }
                }
                (None, _) => {
                    let missing: Vec<&str> = self.columns[q]
                        .iter()
                        .filter(|c| !index.contains_key(c.as_str()))
                        .map(String::as_str)
                        .collect();
                    self.quality.push(
                        Severity::Warning,
                        path,
                        None,
                        format!(
                            "question `{}` is not in the file (no column {}); it is left out",
                            question.id,
                            quoted(&missing)
                        ),
                        None,
                    );
                }
                _ => {}
            }
        }
        questions
    }

    /// Warns about each column the codebook does not name.
    fn warn_about_unknown_columns(
        &mut self,
        path: &Path,
        names: &[String],
        index: &HashMap<&str, usize>,
    ) {
        let background = &self.codebook.background;
        let known: HashSet<&str> = self
            .columns
            .iter()
            .flatten()
            .map(String::as_str)
            .chain(std::iter::once(background.municipality.as_str()))
            .chain(background.breakdowns.iter().map(|b| b.column.as_str()))
            .chain(background.respondent.as_deref())
            .chain(background.school.as_deref())
            .collect();
        for name in names
            .iter()
            .filter(|n| index.contains_key(n.as_str()) && !known.contains(n.as_str()))
        {
            self.quality.push(
                Severity::Warning,
                path,
                Some(name),
                "column not in the codebook (ignored)",
                None,
            );
        }
    }

    fn decode_row(&mut self, layout: &Layout, position: Position, record: &ByteRecord) {
        if !self.row_fits(layout, position, record) {
            return;
        }
        let at = At {
            layout,
            record,
            position,
        };
        self.decode_background(at);
        let mut answered = false;
        for q in 0..self.table.answers.len() {
            let answers = &mut self.table.answers[q];
            match &layout.questions[q] {
                Some(columns) => {
                    answered |= self.decoders[q].decode(
                        &mut self.quality,
                        at,
                        columns,
                        answers,
                        &mut self.staged,
                    );
                }
                None => match answers {
                    Some(Answers::Coded(_)) => self.staged.push(BLANK),
                    Some(answers) => answers.push_blank(),
                    None => {}
                },
            }
        }
        if !answered {
            self.quality.push(
                Severity::Warning,
                &layout.path,
                None,
                "respondents without any answer (they count as respondents)",
                Some((position, Example::At)),
            );
        }
        self.rows += 1;
        if self.staged.len() >= STAGED_ROWS * self.staged_questions.len() {
            self.flush_staged();
        }
    }

    /// False (with the reason recorded) for a row to leave out: an empty row (a warning) or
    /// one with another number of fields than the header (an error).
    fn row_fits(&mut self, layout: &Layout, position: Position, record: &ByteRecord) -> bool {
        let municipality_cell = record.get(layout.municipality).unwrap_or(b"").trim_ascii();
        // Only a row without a municipality can be an empty row; most rows skip the check.
        if municipality_cell.is_empty() && record.iter().all(|cell| cell.trim_ascii().is_empty()) {
            self.quality.push(
                Severity::Warning,
                &layout.path,
                None,
                "empty rows (ignored)",
                Some((position, Example::At)),
            );
            return false;
        }
        let width = layout.names.len();
        let too_few = record.len() < width;
        if too_few
            || record
                .iter()
                .skip(width)
                .any(|cell| !cell.trim_ascii().is_empty())
        {
            let side = if too_few { "fewer" } else { "more" };
            self.quality.push(
                Severity::Error,
                &layout.path,
                None,
                format!("rows with {side} fields than the header's {width}"),
                Some((position, Example::Note(format!("{} fields", record.len())))),
            );
            return false;
        }
        true
    }

    /// The row's municipality, school, respondent id and breakdown values.
    fn decode_background(&mut self, at: At) {
        let layout = at.layout;
        let name = unit_name(at.cell(layout.municipality));
        if name.is_empty() {
            self.quality.push(
                Severity::Error,
                &layout.path,
                Some(&layout.names[layout.municipality]),
                "rows without a municipality",
                Some((at.position, Example::At)),
            );
        }
        if let Some(column) = layout.respondent {
            let id = at.cell(column);
            if !id.is_empty() {
                let mut hasher = DefaultHasher::new();
                id.hash(&mut hasher);
                let file = self.id_columns.len() - 1;
                self.respondent_ids
                    .push((hasher.finish(), file, at.position));
            }
        }
        for (b, &column) in layout.breakdowns.iter().enumerate() {
            let slot = decode_slot(
                &mut self.quality,
                at,
                column,
                &self.table.breakdown_scales[b],
            );
            self.table.breakdowns[b].push(slot);
        }
        let municipality = self.municipality(name, layout, layout.municipality);
        self.table.municipality.push(municipality);
        let school = match layout.school {
            Some(column) => {
                let school = unit_name(at.cell(column));
                if school.is_empty() {
                    NO_SCHOOL
                } else {
                    self.school(municipality, school, layout, column)
                }
            }
            None => NO_SCHOOL,
        };
        self.table.school.push(school);
    }

    /// The index of municipality `name`, added if new.
    fn municipality(&mut self, name: String, layout: &Layout, column: usize) -> u16 {
        if let Some(&index) = self.municipality_index.get(&name) {
            return index;
        }
        let index = u16::try_from(self.table.municipalities.len()).unwrap_or_else(|_| {
            self.too_many(layout, column);
            0
        });
        self.municipality_index.insert(name.clone(), index);
        self.table.municipalities.push(name);
        index
    }

    /// The index of school `name` in `municipality`, added if new.
    fn school(&mut self, municipality: u16, name: String, layout: &Layout, column: usize) -> u32 {
        let key = (municipality, name);
        if let Some(&index) = self.school_index.get(&key) {
            return index;
        }
        let index = u32::try_from(self.table.schools.len())
            .ok()
            .filter(|&i| i < u32::from(u16::MAX))
            .unwrap_or_else(|| {
                self.too_many(layout, column);
                0
            });
        self.table.schools.push(School {
            municipality,
            name: key.1.clone(),
        });
        self.school_index.insert(key, index);
        index
    }

    fn too_many(&mut self, layout: &Layout, column: usize) {
        self.too_many_units
            .get_or_insert_with(|| (layout.path.clone(), layout.names[column].clone()));
    }

    /// Copies the staged single-choice answers into their columns.
    fn flush_staged(&mut self) {
        let width = self.staged_questions.len();
        if width > 0 && !self.staged.is_empty() {
            let rows = self.staged.len() / width;
            for (offset, &q) in self.staged_questions.iter().enumerate() {
                if let Some(Answers::Coded(slots)) = &mut self.table.answers[q] {
                    slots.extend(self.staged.iter().skip(offset).step_by(width).take(rows));
                }
            }
        }
        self.staged.clear();
    }
}
