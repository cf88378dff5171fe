//! `docs/operations.md`, the list of the Connect operations roster serves and of those
//! that answer "not implemented", is rendered from the generated operation table; this
//! test fails when the file differs from what the code serves. `ROSTER_BLESS=1 cargo
//! test -p roster-api --test operations_doc` rewrites it.

use roster_api::Operation;

fn render() -> String {
    let (served, not): (Vec<&Operation>, Vec<&Operation>) =
        Operation::ALL.iter().partition(|o| o.spec().served);
    let mut out = String::new();
    out.push_str("# Connect operations in roster\n\n");
    out.push_str(
        "Generated from the operation table of `crates/api` (the newest botocore Connect \
         model, through `scripts/gen_api.py`); `cargo test -p roster-api --test operations_doc` \
         fails when this file is stale, and `ROSTER_BLESS=1` rewrites it.\n\n",
    );
    out.push_str(&format!(
        "roster serves {} of the model's {} operations. Every other operation answers \
         400 `InvalidRequestException` \"… is not implemented by roster\" and changes \
         nothing.\n\n",
        served.len(),
        Operation::ALL.len()
    ));
    out.push_str("## Served\n\n| operation | method | path |\n| --- | --- | --- |\n");
    for o in &served {
        let s = o.spec();
        out.push_str(&format!("| {} | {} | `{}` |\n", s.name, s.method, s.uri));
    }
    out.push_str("\n## Not implemented\n\n");
    for o in &not {
        out.push_str(&format!("- {}\n", o.spec().name));
    }
    out
}

#[test]
fn the_operations_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/operations.md");
    let want = render();
    if std::env::var_os("ROSTER_BLESS").is_some() {
        std::fs::write(path, &want).expect("write docs/operations.md");
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "docs/operations.md is stale: run `ROSTER_BLESS=1 cargo test -p roster-api --test operations_doc`"
    );
}
