// Command ragmesh-example logs in to Keycloak (when configured), ingests a document and asks a
// question through Envoy with the generated Go stubs (clients/go), then prints the answer and
// its citations.
//
//	go run . -address 127.0.0.1:10000 -file ../corpus/retrieval.md -question "How are rankings fused?"
//
// Environment: RAGMESH_ADDRESS (Envoy, default 127.0.0.1:10000); RAGMESH_KEYCLOAK_URL turns on
// login (password grant, client ragmesh-cli) with RAGMESH_KEYCLOAK_REALM (ragmesh),
// RAGMESH_USER (bob) and RAGMESH_PASSWORD or RAGMESH_DEMO_PASSWORD (ragmesh-demo).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	ragv1 "github.com/ragmesh/ragmesh/clients/go/gen/rag/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Used when no -file is given, so that `go run .` shows the whole round trip.
const sampleText = `# Traffic in ragmesh

Envoy balances every call across the replicas of a service with least-request
load balancing, using weights that the control plane computes from observed latency.
A slow replica gets a smaller weight, never zero, so it is still sampled.`

const sampleQuestion = "How does Envoy balance calls across replicas?"

func main() {
	address := flag.String("address", envOr("RAGMESH_ADDRESS", "127.0.0.1:10000"), "Envoy's gRPC listener, host:port")
	file := flag.String("file", "", "document to ingest (default: a built-in sample)")
	id := flag.String("id", "example-go", "document id")
	contentType := flag.String("content-type", "", "MIME type (default: from the file extension)")
	groups := flag.String("groups", "", "comma-separated access groups of the document (default: public)")
	question := flag.String("question", sampleQuestion, "question to ask")
	topK := flag.Int("top-k", 5, "chunks handed to the generator")
	flag.Parse()

	if err := run(*address, *file, *id, *contentType, *groups, *question, int32(*topK)); err != nil {
		if st, ok := status.FromError(err); ok {
			fmt.Fprintf(os.Stderr, "error: %s: %s\n", st.Code(), st.Message())
		} else {
			fmt.Fprintf(os.Stderr, "error: %v\n", err)
		}
		os.Exit(1)
	}
}

func run(address, file, id, contentType, groups, question string, topK int32) error {
	content := []byte(sampleText)
	if file != "" {
		var err error
		if content, err = os.ReadFile(file); err != nil {
			return err
		}
	}
	if contentType == "" {
		contentType = guessContentType(file)
	}

	ctx := context.Background()
	token, err := login(ctx)
	if err != nil {
		return fmt.Errorf("keycloak login: %w", err)
	}
	if token != "" {
		// Every call carries the caller's token; Envoy and the services verify it.
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
	}

	conn, err := grpc.NewClient(address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	client := ragv1.NewRagServiceClient(conn)

	ingestCtx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	doc := &ragv1.Document{Id: id, Source: file, ContentType: contentType, Content: content}
	if groups != "" {
		doc.AccessGroups = strings.Split(groups, ",")
	}
	ingested, err := client.IngestDocument(ingestCtx, &ragv1.IngestDocumentRequest{Document: doc})
	if err != nil {
		return err
	}
	result := ingested.GetResult()
	state := fmt.Sprintf("%d chunks", result.GetChunkCount())
	if result.GetUnchanged() {
		state = "unchanged"
	}
	fmt.Printf("ingested %s: %s\n", result.GetDocumentId(), state)

	askCtx, cancelAsk := context.WithTimeout(ctx, 60*time.Second)
	defer cancelAsk()
	answer, err := client.Ask(askCtx, &ragv1.AskRequest{
		Question:  question,
		Retrieval: &ragv1.RetrievalOptions{TopK: topK},
	})
	if err != nil {
		return err
	}
	fmt.Printf("Q: %s\nA: %s\n", question, answer.GetAnswer())
	for _, c := range answer.GetCitations() {
		fmt.Printf("  [%d] %s %s score=%.3f: %s\n", c.GetMarker(), c.GetDocumentId(), c.GetChunkId(), c.GetScore(), oneLine(c.GetSnippet()))
	}
	return nil
}

// login returns a Keycloak access token for the configured user, or "" when
// RAGMESH_KEYCLOAK_URL is not set (a mesh running without auth).
func login(ctx context.Context) (string, error) {
	base := os.Getenv("RAGMESH_KEYCLOAK_URL")
	if base == "" {
		return "", nil
	}
	realm := envOr("RAGMESH_KEYCLOAK_REALM", "ragmesh")
	username := envOr("RAGMESH_USER", "bob")
	password := envOr("RAGMESH_PASSWORD", envOr("RAGMESH_DEMO_PASSWORD", "ragmesh-demo"))
	endpoint := strings.TrimRight(base, "/") + "/realms/" + url.PathEscape(realm) + "/protocol/openid-connect/token"
	form := url.Values{
		"grant_type": {"password"},
		"client_id":  {"ragmesh-cli"},
		"username":   {username},
		"password":   {password},
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken      string `json:"access_token"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", fmt.Errorf("%s: HTTP %d with an unreadable body: %w", endpoint, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || body.AccessToken == "" {
		return "", fmt.Errorf("%s: HTTP %d: %s %s", endpoint, resp.StatusCode, body.Error, body.ErrorDescription)
	}
	fmt.Printf("logged in as %s\n", username)
	return body.AccessToken, nil
}

func guessContentType(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		return "text/markdown"
	case ".html", ".htm":
		return "text/html"
	case ".pdf":
		return "application/pdf"
	}
	return "text/plain"
}

func envOr(name, fallback string) string {
	if value, ok := os.LookupEnv(name); ok && value != "" {
		return value
	}
	return fallback
}

func oneLine(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > 120 {
		return text[:117] + "..."
	}
	return text
}
