//! Seed files (`roster serve --seed FILE`) and snapshots (`roster export`): the format,
//! applying a file to a store, and writing a store out as one.

pub mod export;
pub mod format;
pub mod load;
pub mod time;

use std::path::Path;

use anyhow::Context;

pub use format::SeedFile;

/// Reads a seed file: YAML (JSON is YAML too, so a `.json` file reads the same).
pub fn read(path: &Path) -> anyhow::Result<SeedFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the seed file {}", path.display()))?;
    parse(&text).map_err(|e| anyhow::anyhow!("the seed file {}: {e}", path.display()))
}

pub fn parse(text: &str) -> Result<SeedFile, String> {
    // The parser's messages name the entry (`Instances[1].Users[3]: ...`) and the line.
    serde_yaml_ng::from_str(text).map_err(|e| e.to_string())
}

pub fn render(file: &SeedFile) -> anyhow::Result<String> {
    serde_yaml_ng::to_string(file).context("writing the seed file")
}
