//! Generates the rag.v1 messages and the RagService client from the contracts in protos/.
//! prost needs a protoc: the project's own (tools/protoc, grpcio-tools' embedded protoc with
//! the well-known types; `make setup` installs it) unless PROTOC is set.
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()?;
    if std::env::var_os("PROTOC").is_none() {
        std::env::set_var("PROTOC", repo.join("tools/protoc"));
    }
    let protos = repo.join("protos");
    println!("cargo:rerun-if-changed={}", protos.display());
    tonic_prost_build::configure()
        .build_server(false)
        .compile_protos(&[protos.join("rag/v1/rag.proto")], &[protos])?;
    Ok(())
}
