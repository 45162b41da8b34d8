//! The table model for the ACT table rules (HTML §4.9.12 "Processing model", simplified to
//! what ACT a25f45 and d0f69e need): rows and cells of an HTML `table` or an ARIA
//! `table`/`grid`/`treegrid`, laid out in slots with `colspan`/`rowspan`.
//!
//! Input → output: the table element → [`TableModel`] (one [`Cell`] per cell with its slot
//! rectangle) → whether a header cell has assigned cells ([`TableModel::header_has_cells`]).

use super::accname::{self, AccName};
use crate::page::AttrValue;
use ego_tree::NodeId;
use scraper::ElementRef;

/// Roles that make an element a table for the table rules.
pub const TABLE_ROLES: &[&str] = &["table", "grid", "treegrid"];
const CELL_ROLES: &[&str] = &["cell", "gridcell", "columnheader", "rowheader"];

/// Upper bounds on spans and rows kept (HTML caps colspan at 1000 and rowspan at 65534).
const MAX_COLSPAN: usize = 1000;
const MAX_ROWS: usize = 5_000;
/// Columns laid out at most; cells starting beyond are left out (memory stays ≤ 5 MB of slots).
const MAX_COLS: usize = 1_000;

/// One cell laid out in the grid.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The cell element.
    pub node: NodeId,
    /// First column (0-based) and width in slots.
    pub x: usize,
    /// Width in slots (≥ 1).
    pub w: usize,
    /// First row (0-based).
    pub y: usize,
    /// Height in slots (≥ 1).
    pub h: usize,
    /// Computed role (`cell`, `gridcell`, `columnheader`, `rowheader`).
    pub role: &'static str,
    /// Ids in the `headers` attribute (empty when absent).
    pub headers: Vec<String>,
}

/// A table laid out in slots.
#[derive(Debug, Clone)]
pub struct TableModel {
    /// The table element.
    pub table: NodeId,
    /// Every cell, in document order.
    pub cells: Vec<Cell>,
}

/// The nearest ancestor of `el` whose computed role is a table role.
pub fn table_of<'a>(acc: &AccName<'_>, el: ElementRef<'a>) -> Option<ElementRef<'a>> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| acc.role(*a).is_some_and(|r| TABLE_ROLES.contains(&r)))
}

fn span(el: ElementRef<'_>, attr: &str, max: usize) -> usize {
    el.value()
        .attr_value(attr)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map(|n| n.clamp(1, max))
        .unwrap_or(1)
}

impl TableModel {
    /// Lay out `table`: rows are descendants with role `row` not inside a nested table; cells
    /// are descendants of a row with a cell role, not inside a nested row or table.
    /// Roles come from the page's memo in `acc`.
    pub fn build(acc: &AccName<'_>, table: ElementRef<'_>) -> TableModel {
        let mut rows: Vec<ElementRef<'_>> = Vec::new();
        collect(acc, table, &mut rows, "row", true, 0);
        rows.truncate(MAX_ROWS);
        let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
        let mut cells = Vec::new();
        for (y, row) in rows.iter().enumerate() {
            let mut row_cells = Vec::new();
            collect(acc, *row, &mut row_cells, "cell", false, 0);
            let mut x = 0;
            for c in row_cells {
                while occupied[y].get(x).copied().unwrap_or(false) {
                    x += 1;
                }
                if x >= MAX_COLS {
                    break;
                }
                let w = span(c, "colspan", MAX_COLSPAN).min(MAX_COLS - x);
                let rowspan = c
                    .value()
                    .attr_value("rowspan")
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1);
                let h = if rowspan == 0 {
                    rows.len() - y
                } else {
                    rowspan.min(rows.len() - y)
                };
                for row_slots in occupied.iter_mut().skip(y).take(h) {
                    if row_slots.len() < x + w {
                        row_slots.resize(x + w, false);
                    }
                    for slot in row_slots.iter_mut().skip(x).take(w) {
                        *slot = true;
                    }
                }
                let headers = c
                    .value()
                    .attr_value("headers")
                    .map(|v| v.split_ascii_whitespace().map(str::to_string).collect())
                    .unwrap_or_default();
                cells.push(Cell {
                    node: c.id(),
                    x,
                    w,
                    y,
                    h: h.max(1),
                    role: acc.role(c).unwrap_or("cell"),
                    headers,
                });
                x += w;
            }
        }
        TableModel {
            table: table.id(),
            cells,
        }
    }

    /// Does the header cell `header` (id attribute `id`) have assigned cells (ACT d0f69e)? A
    /// cell is assigned when its `headers` attribute names the header, or, without `headers`,
    /// when it lies below a column header in one of its columns or right of a row header in
    /// one of its rows (the HTML header scan, without opaque-header blocking).
    pub fn header_has_cells(&self, header: NodeId, id: Option<&str>) -> bool {
        let Some(h) = self.cells.iter().find(|c| c.node == header) else {
            return false;
        };
        self.cells.iter().filter(|c| c.node != header).any(|c| {
            if !c.headers.is_empty() {
                return id.is_some_and(|id| c.headers.iter().any(|x| x == id));
            }
            let cols_overlap = c.x < h.x + h.w && h.x < c.x + c.w;
            let rows_overlap = c.y < h.y + h.h && h.y < c.y + c.h;
            match h.role {
                "columnheader" => cols_overlap && c.y >= h.y + h.h,
                _ => rows_overlap && c.x >= h.x + h.w,
            }
        })
    }
}

/// Collect descendants of `root` with the wanted role kind (`row`, or a cell role), not
/// descending into nested tables (and, for cells, nested rows).
fn collect<'a>(
    acc: &AccName<'_>,
    root: ElementRef<'a>,
    out: &mut Vec<ElementRef<'a>>,
    want: &str,
    rows: bool,
    depth: usize,
) {
    if depth > accname::MAX_DEPTH {
        return;
    }
    for child in root.children().filter_map(ElementRef::wrap) {
        if accname::is_hidden_self(child) && !matches!(child.value().name(), "tr" | "td" | "th") {
            continue;
        }
        let role = acc.role(child);
        if role.is_some_and(|r| TABLE_ROLES.contains(&r)) {
            continue;
        }
        let matches = if rows {
            role == Some(want)
        } else {
            role.is_some_and(|r| CELL_ROLES.contains(&r))
        };
        if matches {
            out.push(child);
            continue;
        }
        if !rows && role == Some("row") {
            continue;
        }
        collect(acc, child, out, want, rows, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Page;

    #[test]
    fn spans_and_assigned_headers() {
        let page = Page::parse(
            url::Url::parse("https://a.example.go.id/").expect("url"),
            200,
            r#"<table id="t"><tr><th id="a">A</th><th id="b">B</th></tr>
            <tr><td colspan="2">x</td></tr><tr><th id="r">R</th><td>y</td></tr></table>
            <table id="u"><tr><th id="c">C</th><th id="d">D</th></tr><tr><td>z</td></tr></table>"#,
        );
        let get = |id: &str| page.element_by_id(id).expect("element");
        let acc = AccName::new(&page);
        let model = TableModel::build(&acc, get("t"));
        assert_eq!(model.cells.len(), 5);
        assert!(model.header_has_cells(get("b").id(), Some("b")));
        assert!(model.header_has_cells(get("r").id(), Some("r")));
        let other = TableModel::build(&acc, get("u"));
        assert!(other.header_has_cells(get("c").id(), Some("c")));
        assert!(!other.header_has_cells(get("d").id(), Some("d")));
    }
}
