// Logs in to Keycloak (when configured), ingests a document and asks a question through Envoy
// with the generated TypeScript stubs (clients/ts/gen, @grpc/grpc-js), then prints the answer
// and its citations.
//
//   npm run build && node dist/examples/node/src/main.js --address 127.0.0.1:10000 \
//     --file ../corpus/retrieval.md --question "How are rankings fused?"
//
// Environment: RAGMESH_ADDRESS (Envoy, default 127.0.0.1:10000); RAGMESH_KEYCLOAK_URL turns on
// login (password grant, client ragmesh-cli) with RAGMESH_KEYCLOAK_REALM (ragmesh),
// RAGMESH_USER (bob) and RAGMESH_PASSWORD or RAGMESH_DEMO_PASSWORD (ragmesh-demo).
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parseArgs } from "node:util";

import { credentials, Metadata, ServiceError, status } from "@grpc/grpc-js";

import {
  AskRequest,
  AskResponse,
  IngestDocumentRequest,
  IngestDocumentResponse,
  RagServiceClient,
} from "../../../clients/ts/gen/rag/v1/rag";

// Used when no --file is given, so that a bare run shows the whole round trip.
const SAMPLE_TEXT = `# Traffic in ragmesh

Envoy balances every call across the replicas of a service with least-request
load balancing, using weights that the control plane computes from observed latency.
A slow replica gets a smaller weight, never zero, so it is still sampled.`;
const SAMPLE_QUESTION = "How does Envoy balance calls across replicas?";

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value ? value : fallback;
}

function guessContentType(path: string): string {
  const types: Record<string, string> = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
  };
  return types[extname(path).toLowerCase()] ?? "text/plain";
}

function oneLine(text: string): string {
  const flat = text.split(/\s+/).filter(Boolean).join(" ");
  return flat.length > 120 ? flat.slice(0, 117) + "..." : flat;
}

// A Keycloak access token for the configured user, or "" when RAGMESH_KEYCLOAK_URL is not set
// (a mesh running without auth).
async function login(): Promise<string> {
  const base = process.env.RAGMESH_KEYCLOAK_URL;
  if (!base) {
    return "";
  }
  const realm = env("RAGMESH_KEYCLOAK_REALM", "ragmesh");
  const username = env("RAGMESH_USER", "bob");
  const password = env("RAGMESH_PASSWORD", env("RAGMESH_DEMO_PASSWORD", "ragmesh-demo"));
  const endpoint = `${base.replace(/\/+$/, "")}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`;
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", client_id: "ragmesh-cli", username, password }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, string>;
  if (!response.ok || !body.access_token) {
    throw new Error(`keycloak login: ${endpoint}: HTTP ${response.status}: ${body.error ?? ""} ${body.error_description ?? ""}`);
  }
  console.log(`logged in as ${username}`);
  return body.access_token;
}

// grpc-js is callback based; these wrap one unary call each with a deadline.
function call<Req, Res>(
  method: (req: Req, md: Metadata, opts: { deadline: Date }, cb: (err: ServiceError | null, res: Res) => void) => unknown,
  request: Req,
  metadata: Metadata,
  seconds: number,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, metadata, { deadline: new Date(Date.now() + seconds * 1000) }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      address: { type: "string", default: env("RAGMESH_ADDRESS", "127.0.0.1:10000") },
      file: { type: "string", default: "" },
      id: { type: "string", default: "example-node" },
      "content-type": { type: "string", default: "" },
      groups: { type: "string", default: "" },
      question: { type: "string", default: SAMPLE_QUESTION },
      "top-k": { type: "string", default: "5" },
    },
  });
  const file = values.file ?? "";
  const content = file ? readFileSync(file) : Buffer.from(SAMPLE_TEXT);
  const question = values.question ?? SAMPLE_QUESTION;

  const token = await login();
  const metadata = new Metadata();
  if (token) {
    // Every call carries the caller's token; Envoy and the services verify it.
    metadata.set("authorization", `Bearer ${token}`);
  }
  const client = new RagServiceClient(values.address ?? "127.0.0.1:10000", credentials.createInsecure());
  try {
    const ingested = await call<IngestDocumentRequest, IngestDocumentResponse>(
      client.ingestDocument.bind(client),
      IngestDocumentRequest.fromPartial({
        document: {
          id: values.id,
          source: file,
          contentType: values["content-type"] || guessContentType(file),
          content,
          accessGroups: values.groups ? values.groups.split(",") : [],
        },
      }),
      metadata,
      120,
    );
    const result = ingested.result;
    const state = result?.unchanged ? "unchanged" : `${result?.chunkCount ?? 0} chunks`;
    console.log(`ingested ${result?.documentId ?? ""}: ${state}`);

    const answer = await call<AskRequest, AskResponse>(
      client.ask.bind(client),
      AskRequest.fromPartial({ question, retrieval: { topK: Number(values["top-k"]) } }),
      metadata,
      60,
    );
    console.log(`Q: ${question}\nA: ${answer.answer}`);
    for (const c of answer.citations) {
      console.log(`  [${c.marker}] ${c.documentId} ${c.chunkId} score=${c.score.toFixed(3)}: ${oneLine(c.snippet)}`);
    }
  } finally {
    client.close();
  }
}

main().catch((err: unknown) => {
  const grpcError = err as Partial<ServiceError>;
  if (grpcError.code !== undefined && grpcError.details !== undefined) {
    console.error(`error: ${status[grpcError.code]}: ${grpcError.details}`);
  } else {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
});
