//! Logs in to Keycloak (when configured), ingests a document and asks a question through Envoy
//! with tonic stubs generated from protos/ (build.rs), then prints the answer and its citations.
//!
//!     cargo run --release -- --file ../corpus/retrieval.md --question "How are rankings fused?"
//!
//! Environment: RAGMESH_ADDRESS (Envoy, default 127.0.0.1:10000); RAGMESH_KEYCLOAK_URL turns on
//! login (password grant, client ragmesh-cli) with RAGMESH_KEYCLOAK_REALM (ragmesh),
//! RAGMESH_USER (bob) and RAGMESH_PASSWORD or RAGMESH_DEMO_PASSWORD (ragmesh-demo).

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Duration;

use tonic::metadata::MetadataValue;
use tonic::transport::Channel;
use tonic::Request;

pub mod rag {
    pub mod v1 {
        tonic::include_proto!("rag.v1");
    }
}

use rag::v1::rag_service_client::RagServiceClient;
use rag::v1::{AskRequest, Document, IngestDocumentRequest, RetrievalOptions};

// Used when no --file is given, so that a bare run shows the whole round trip.
const SAMPLE_TEXT: &str = "# Traffic in ragmesh

Envoy balances every call across the replicas of a service with least-request
load balancing, using weights that the control plane computes from observed latency.
A slow replica gets a smaller weight, never zero, so it is still sampled.";
const SAMPLE_QUESTION: &str = "How does Envoy balance calls across replicas?";
const USAGE: &str = "usage: ragmesh-example [--address H:P] [--file PATH] [--id ID] \
[--content-type T] [--groups G1,G2] [--question Q] [--top-k N]";

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            match err.downcast_ref::<tonic::Status>() {
                Some(status) => eprintln!("error: {:?}: {}", status.code(), status.message()),
                None => eprintln!("error: {err}"),
            }
            ExitCode::FAILURE
        }
    }
}

fn env_or(name: &str, fallback: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value,
        _ => fallback.to_string(),
    }
}

fn parse_args() -> Result<HashMap<String, String>, BoxError> {
    let mut options: HashMap<String, String> = [
        ("address", env_or("RAGMESH_ADDRESS", "127.0.0.1:10000")),
        ("file", String::new()),
        ("id", "example-rust".to_string()),
        ("content-type", String::new()),
        ("groups", String::new()),
        ("question", SAMPLE_QUESTION.to_string()),
        ("top-k", "5".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let name = pair[0].trim_start_matches('-');
        match (options.contains_key(name), pair.get(1)) {
            (true, Some(value)) => options.insert(name.to_string(), value.clone()),
            _ => return Err(format!("{USAGE}; bad argument: {}", pair[0]).into()),
        };
    }
    Ok(options)
}

fn guess_content_type(path: &str) -> &'static str {
    let lower = path.to_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        "text/markdown"
    } else if lower.ends_with(".html") || lower.ends_with(".htm") {
        "text/html"
    } else if lower.ends_with(".pdf") {
        "application/pdf"
    } else {
        "text/plain"
    }
}

fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 120 {
        flat.chars().take(117).collect::<String>() + "..."
    } else {
        flat
    }
}

/// A Keycloak access token for the configured user, or "" when RAGMESH_KEYCLOAK_URL is not set
/// (a mesh running without auth). Blocking: run it off the async runtime.
fn login() -> Result<String, BoxError> {
    let base = env_or("RAGMESH_KEYCLOAK_URL", "");
    if base.is_empty() {
        return Ok(String::new());
    }
    let realm = env_or("RAGMESH_KEYCLOAK_REALM", "ragmesh");
    let username = env_or("RAGMESH_USER", "bob");
    let password = env_or(
        "RAGMESH_PASSWORD",
        &env_or("RAGMESH_DEMO_PASSWORD", "ragmesh-demo"),
    );
    let endpoint = format!(
        "{}/realms/{realm}/protocol/openid-connect/token",
        base.trim_end_matches('/')
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut response = agent.post(&endpoint).send_form([
        ("grant_type", "password"),
        ("client_id", "ragmesh-cli"),
        ("username", username.as_str()),
        ("password", password.as_str()),
    ])?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string()?;
    // The token is a JWT (base64url and dots): no JSON library needed to pick it out.
    let token = body
        .split("\"access_token\"")
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .unwrap_or_default()
        .to_string();
    if status != 200 || token.is_empty() {
        return Err(format!("keycloak login: {endpoint}: HTTP {status}: {body}").into());
    }
    println!("logged in as {username}");
    Ok(token)
}

fn with_auth<T>(
    message: T,
    authorization: &Option<MetadataValue<tonic::metadata::Ascii>>,
    seconds: u64,
) -> Request<T> {
    let mut request = Request::new(message);
    request.set_timeout(Duration::from_secs(seconds));
    if let Some(value) = authorization {
        // Every call carries the caller's token; Envoy and the services verify it.
        request
            .metadata_mut()
            .insert("authorization", value.clone());
    }
    request
}

async fn run() -> Result<(), BoxError> {
    let options = parse_args()?;
    let file = options["file"].clone();
    let content = if file.is_empty() {
        SAMPLE_TEXT.as_bytes().to_vec()
    } else {
        std::fs::read(&file).map_err(|e| format!("{file}: {e}"))?
    };
    let content_type = match options["content-type"].as_str() {
        "" => guess_content_type(&file).to_string(),
        given => given.to_string(),
    };
    let question = options["question"].clone();
    let top_k: i32 = options["top-k"].parse()?;

    let token = tokio::task::spawn_blocking(login).await??;
    let authorization = if token.is_empty() {
        None
    } else {
        Some(format!("Bearer {token}").parse()?)
    };

    let channel = Channel::from_shared(format!("http://{}", options["address"]))?
        .connect_timeout(Duration::from_secs(10))
        .connect()
        .await
        .map_err(|e| tonic::Status::unavailable(format!("{}: {e}", options["address"])))?;
    let mut client = RagServiceClient::new(channel);

    let groups = &options["groups"];
    let document = Document {
        id: options["id"].clone(),
        source: file.clone(),
        content_type,
        content,
        access_groups: if groups.is_empty() {
            vec![]
        } else {
            groups.split(',').map(str::to_string).collect()
        },
        ..Default::default()
    };
    let ingest = IngestDocumentRequest {
        document: Some(document),
        ..Default::default()
    };
    let response = client
        .ingest_document(with_auth(ingest, &authorization, 120))
        .await?;
    let result = response.into_inner().result.unwrap_or_default();
    let state = if result.unchanged {
        "unchanged".to_string()
    } else {
        format!("{} chunks", result.chunk_count)
    };
    println!("ingested {}: {state}", result.document_id);

    let ask = AskRequest {
        question: question.clone(),
        retrieval: Some(RetrievalOptions {
            top_k,
            ..Default::default()
        }),
        ..Default::default()
    };
    let answer = client
        .ask(with_auth(ask, &authorization, 60))
        .await?
        .into_inner();
    println!("Q: {question}\nA: {}", answer.answer);
    for c in &answer.citations {
        println!(
            "  [{}] {} {} score={:.3}: {}",
            c.marker,
            c.document_id,
            c.chunk_id,
            c.score,
            one_line(&c.snippet)
        );
    }
    Ok(())
}
