//! Tables: rows of cells with merged cells flattened, one-column layout tables unwrapped,
//! a table inside a table flattened to text.

use super::Walker;
use crate::import::model::{Block, Format, Kind, Para};
use scraper::ElementRef;

impl Walker<'_> {
    /// A table: rows of cells, merged cells flattened (the cells they cover left empty);
    /// a table of one column (a layout table, a photo above its caption) becomes its
    /// paragraphs; a table inside a table becomes text.
    pub(super) fn table(&mut self, element: ElementRef<'_>, format: &Format, depth: usize) {
        self.flush();
        if self.tables > 0 {
            self.notes
                .push("a table inside a table cell was flattened to text".to_string());
            self.children(*element, format, depth);
            self.flush();
            return;
        }
        self.tables += 1;
        let mut rows: Vec<Vec<Vec<Block>>> = Vec::new();
        // Columns still covered by a cell of an earlier row, and for how many more rows.
        let mut covered: Vec<usize> = Vec::new();
        for row in rows_of(element) {
            let mut cells: Vec<Vec<Block>> = Vec::new();
            let mut column = 0;
            let take_covered =
                |cells: &mut Vec<Vec<Block>>, column: &mut usize, covered: &mut Vec<usize>| {
                    while covered.get(*column).is_some_and(|&n| n > 0) {
                        covered[*column] -= 1;
                        cells.push(Vec::new());
                        *column += 1;
                    }
                };
            for cell in row
                .child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
            {
                take_covered(&mut cells, &mut column, &mut covered);
                self.containers.push(Vec::new());
                let outer = std::mem::replace(&mut self.kind, Kind::Body);
                let para = std::mem::take(&mut self.para);
                self.children(*cell, format, depth);
                self.flush();
                self.para = para;
                self.kind = outer;
                cells.push(self.containers.pop().unwrap_or_default());
                let span = |name: &str| {
                    cell.value()
                        .attr(name)
                        .and_then(|s| s.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 100)
                };
                let (columns, rows_down) = (span("colspan"), span("rowspan"));
                for extra in 0..columns {
                    if covered.len() <= column + extra {
                        covered.resize(column + extra + 1, 0);
                    }
                    covered[column + extra] = rows_down - 1;
                    if extra > 0 {
                        cells.push(Vec::new());
                    }
                }
                column += columns;
            }
            take_covered(&mut cells, &mut column, &mut covered);
            if !cells.is_empty() {
                rows.push(cells);
            }
        }
        self.tables -= 1;
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns <= 1 {
            for block in rows.into_iter().flatten().flatten() {
                self.push(block);
            }
            return;
        }
        let rows = rows
            .into_iter()
            .map(|row| row.into_iter().map(cell_paragraphs).collect())
            .collect();
        self.push(Block::Table(rows));
    }
}

/// The rows of a table (in its `thead`, `tbody`, `tfoot` or directly), not those of
/// tables inside it.
fn rows_of(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut rows = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => {
                rows.extend(child.child_elements().filter(|r| r.value().name() == "tr"))
            }
            _ => {}
        }
    }
    rows
}

/// A cell's blocks as paragraphs (a quotation's paragraphs taken out of it).
fn cell_paragraphs(blocks: Vec<Block>) -> Vec<Para> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Para(para) => out.push(para),
            Block::Quote(inner) => out.extend(cell_paragraphs(inner)),
            Block::Table(rows) => out.extend(rows.into_iter().flatten().flatten()),
        }
    }
    out
}
