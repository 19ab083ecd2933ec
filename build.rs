//! Embeds the bundled intervention catalogue (`catalogue/`) in the binary, so an installed
//! `report` can list and print fact sheets from any directory.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=catalogue");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    let mut code = String::from(
        "/// The bundled catalogue's YAML files: path relative to `catalogue/`, and text.\n\
         pub(super) const FILES: &[(&str, &str)] = &[\n",
    );
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.expect("the bundled catalogue can be walked");
        let path = entry.path();
        let yaml = path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml");
        if !entry.file_type().is_file() || !yaml {
            continue;
        }
        let relative = path.strip_prefix(&root).expect("inside the catalogue");
        let relative = relative.to_string_lossy().replace('\\', "/");
        // The path is resolved when the crate compiles, not here: a target directory shared
        // by several checkouts (a CI cache) must not point into another checkout.
        writeln!(
            code,
            "    ({relative:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/catalogue/\", {relative:?}))),"
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalogue.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
