package dev.ragmesh.examples;

import com.google.protobuf.ByteString;
import dev.ragmesh.rag.v1.AskRequest;
import dev.ragmesh.rag.v1.AskResponse;
import dev.ragmesh.rag.v1.Citation;
import dev.ragmesh.rag.v1.Document;
import dev.ragmesh.rag.v1.IngestDocumentRequest;
import dev.ragmesh.rag.v1.IngestResult;
import dev.ragmesh.rag.v1.RagServiceGrpc;
import dev.ragmesh.rag.v1.RetrievalOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Logs in to Keycloak (when configured), ingests a document and asks a question through Envoy
 * with the generated Java stubs (clients/java/gen), then prints the answer and its citations.
 *
 * <pre>
 * mvn -q package &amp;&amp; java -cp "target/classes:target/lib/*" dev.ragmesh.examples.AskExample \
 *     --address 127.0.0.1:10000 --file ../corpus/retrieval.md --question "How are rankings fused?"
 * </pre>
 *
 * <p>Environment: RAGMESH_ADDRESS (Envoy, default 127.0.0.1:10000); RAGMESH_KEYCLOAK_URL turns on
 * login (password grant, client ragmesh-cli) with RAGMESH_KEYCLOAK_REALM (ragmesh),
 * RAGMESH_USER (bob) and RAGMESH_PASSWORD or RAGMESH_DEMO_PASSWORD (ragmesh-demo).
 */
public final class AskExample {
  // Used when no --file is given, so that a bare run shows the whole round trip.
  private static final String SAMPLE_TEXT =
      "# Traffic in ragmesh\n\n"
          + "Envoy balances every call across the replicas of a service with least-request\n"
          + "load balancing, using weights that the control plane computes from observed latency.\n"
          + "A slow replica gets a smaller weight, never zero, so it is still sampled.";
  private static final String SAMPLE_QUESTION = "How does Envoy balance calls across replicas?";
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private AskExample() {}

  public static void main(String[] args) {
    try {
      run(parse(args));
    } catch (StatusRuntimeException e) {
      System.err.printf("error: %s: %s%n", e.getStatus().getCode(), e.getStatus().getDescription());
      System.exit(1);
    } catch (IOException | IllegalArgumentException e) {
      System.err.printf("error: %s%n", e.getMessage());
      System.exit(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    options.put("address", env("RAGMESH_ADDRESS", "127.0.0.1:10000"));
    options.put("file", "");
    options.put("id", "example-java");
    options.put("content-type", "");
    options.put("groups", "");
    options.put("question", SAMPLE_QUESTION);
    options.put("top-k", "5");
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].replaceFirst("^--?", "");
      if (!options.containsKey(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: AskExample [--address H:P] [--file PATH] [--id ID] [--content-type T]"
                + " [--groups G1,G2] [--question Q] [--top-k N]; bad argument: " + args[i]);
      }
      options.put(name, args[i + 1]);
    }
    return options;
  }

  private static void run(Map<String, String> options) throws IOException, InterruptedException {
    String file = options.get("file");
    byte[] content =
        file.isEmpty() ? SAMPLE_TEXT.getBytes(StandardCharsets.UTF_8) : Files.readAllBytes(Path.of(file));
    String contentType =
        options.get("content-type").isEmpty() ? guessContentType(file) : options.get("content-type");
    String question = options.get("question");

    String token = login();
    ManagedChannel channel = ManagedChannelBuilder.forTarget(options.get("address")).usePlaintext().build();
    try {
      RagServiceGrpc.RagServiceBlockingStub stub = RagServiceGrpc.newBlockingStub(channel);
      if (!token.isEmpty()) {
        // Every call carries the caller's token; Envoy and the services verify it.
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      }
      Document.Builder document =
          Document.newBuilder()
              .setId(options.get("id"))
              .setSource(file)
              .setContentType(contentType)
              .setContent(ByteString.copyFrom(content));
      if (!options.get("groups").isEmpty()) {
        document.addAllAccessGroups(Arrays.asList(options.get("groups").split(",")));
      }
      IngestResult result =
          stub.withDeadlineAfter(120, TimeUnit.SECONDS)
              .ingestDocument(IngestDocumentRequest.newBuilder().setDocument(document).build())
              .getResult();
      String state = result.getUnchanged() ? "unchanged" : result.getChunkCount() + " chunks";
      System.out.printf("ingested %s: %s%n", result.getDocumentId(), state);

      AskResponse answer =
          stub.withDeadlineAfter(60, TimeUnit.SECONDS)
              .ask(
                  AskRequest.newBuilder()
                      .setQuestion(question)
                      .setRetrieval(
                          RetrievalOptions.newBuilder().setTopK(Integer.parseInt(options.get("top-k"))))
                      .build());
      System.out.printf("Q: %s%nA: %s%n", question, answer.getAnswer());
      for (Citation c : answer.getCitationsList()) {
        System.out.printf(
            Locale.ROOT,
            "  [%d] %s %s score=%.3f: %s%n",
            c.getMarker(),
            c.getDocumentId(),
            c.getChunkId(),
            c.getScore(),
            oneLine(c.getSnippet()));
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A Keycloak access token, or "" when RAGMESH_KEYCLOAK_URL is not set (a mesh without auth). */
  private static String login() throws IOException, InterruptedException {
    String base = env("RAGMESH_KEYCLOAK_URL", "");
    if (base.isEmpty()) {
      return "";
    }
    String realm = env("RAGMESH_KEYCLOAK_REALM", "ragmesh");
    String username = env("RAGMESH_USER", "bob");
    String password = env("RAGMESH_PASSWORD", env("RAGMESH_DEMO_PASSWORD", "ragmesh-demo"));
    String endpoint =
        base.replaceAll("/+$", "")
            + "/realms/"
            + URLEncoder.encode(realm, StandardCharsets.UTF_8)
            + "/protocol/openid-connect/token";
    Map<String, String> form =
        Map.of("grant_type", "password", "client_id", "ragmesh-cli", "username", username, "password", password);
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    // The token is a JWT (base64url and dots): no JSON library needed to pick it out.
    Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
    if (response.statusCode() != 200 || !token.find()) {
      throw new IOException(
          "keycloak login: " + endpoint + ": HTTP " + response.statusCode() + ": " + response.body());
    }
    System.out.printf("logged in as %s%n", username);
    return token.group(1);
  }

  private static String guessContentType(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
      return "text/markdown";
    }
    if (lower.endsWith(".html") || lower.endsWith(".htm")) {
      return "text/html";
    }
    if (lower.endsWith(".pdf")) {
      return "application/pdf";
    }
    return "text/plain";
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static String oneLine(String text) {
    String flat = text.trim().replaceAll("\\s+", " ");
    return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
  }
}
