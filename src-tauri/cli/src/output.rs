//! Output: JSON for scripts, aligned tables for people.

use comfy_table::{presets, ContentArrangement, Table as Comfy};
use serde::Serialize;
use standin_core::model::{File, Member};
use standin_core::CoreError;

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), CoreError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CoreError::Decode(format!("could not write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// A borderless table with a header row, columns aligned.
pub struct Table(Comfy);

impl Table {
    pub fn new(header: &[&str]) -> Self {
        let mut t = Comfy::new();
        t.load_preset(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header.to_vec());
        Table(t)
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.0.add_row(cells);
    }

    pub fn print(&self) {
        for line in self.0.lines() {
            println!("{}", line.trim_end());
        }
    }
}

pub fn member_status(m: &Member) -> String {
    match (m.archived(), m.inactive()) {
        (true, _) => "archived".into(),
        (_, true) => "inactive".into(),
        _ => "active".into(),
    }
}

pub fn print_files(files: &[File], json: bool) -> Result<(), CoreError> {
    if json {
        return print_json(files);
    }
    let mut t = Table::new(&["TYPE", "NAME", "PERMISSION", "PATH", "ID"]);
    for f in files {
        t.row(vec![
            f.file_type.clone(),
            f.name.clone(),
            f.permission.clone(),
            f.path.clone(),
            f.id.clone(),
        ]);
    }
    t.print();
    eprintln!("{} documents", files.len());
    Ok(())
}
