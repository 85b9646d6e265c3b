package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * The gateway: the one service most clients need. It answers questions from
 * the indexed documents (enhance -&gt; retrieve -&gt; optional graph expansion -&gt;
 * generate) and ingests and removes documents (parse -&gt; chunk -&gt; embed -&gt;
 * store). Every call it makes to another service goes through the mesh
 * (Envoy), carrying the caller's token and the remaining deadline.
 * Access control: the caller's identity and groups come from its token, never
 * from a request field. Retrieval only ever sees chunks the caller may read,
 * so answers, citations and counts never reveal other documents; a document
 * the caller may not read answers NOT_FOUND, as if it did not exist.
 * Authentication: every RPC requires a bearer token from the Keycloak realm
 * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Ask, AskStream,
 * GetDocument and ListDocuments need the role `rag-reader`; IngestDocument,
 * BatchIngestDocuments, IngestDocumentStream and DeleteDocument need
 * `rag-writer`. Missing or invalid token: UNAUTHENTICATED; missing role:
 * PERMISSION_DENIED.
 * Every RPC may also fail with UNAVAILABLE when a downstream service cannot be
 * reached (retry with backoff) and DEADLINE_EXCEEDED when the call's deadline
 * expires; set a deadline on every call.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class RagServiceGrpc {

  private RagServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.RagService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AskRequest,
      dev.ragmesh.rag.v1.AskResponse> getAskMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Ask",
      requestType = dev.ragmesh.rag.v1.AskRequest.class,
      responseType = dev.ragmesh.rag.v1.AskResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AskRequest,
      dev.ragmesh.rag.v1.AskResponse> getAskMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AskRequest, dev.ragmesh.rag.v1.AskResponse> getAskMethod;
    if ((getAskMethod = RagServiceGrpc.getAskMethod) == null) {
      synchronized (RagServiceGrpc.class) {
        if ((getAskMethod = RagServiceGrpc.getAskMethod) == null) {
          RagServiceGrpc.getAskMethod = getAskMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.AskRequest, dev.ragmesh.rag.v1.AskResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Ask"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.AskRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.AskResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RagServiceMethodDescriptorSupplier("Ask"))
              .build();
        }
      }
    }
    return getAskMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AskStreamRequest,
      dev.ragmesh.rag.v1.AskStreamResponse> getAskStreamMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "AskStream",
      requestType = dev.ragmesh.rag.v1.AskStreamRequest.class,
      responseType = dev.ragmesh.rag.v1.AskStreamResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AskStreamRequest,
      dev.ragmesh.rag.v1.AskStreamResponse> getAskStreamMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AskStreamRequest, dev.ragmesh.rag.v1.AskStreamResponse> getAskStreamMethod;
    if ((getAskStreamMethod = RagServiceGrpc.getAskStreamMethod) == null) {
      synchronized (RagServiceGrpc.class) {
        if ((getAskStreamMethod = RagServiceGrpc.getAskStreamMethod) == null) {
          RagServiceGrpc.getAskStreamMethod = getAskStreamMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.AskStreamRequest, dev.ragmesh.rag.v1.AskStreamResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "AskStream"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.AskStreamRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.AskStreamResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RagServiceMethodDescriptorSupplier("AskStream"))
              .build();
        }
      }
    }
    return getAskStreamMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IngestDocumentRequest,
      dev.ragmesh.rag.v1.IngestDocumentResponse> getIngestDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "IngestDocument",
      requestType = dev.ragmesh.rag.v1.IngestDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.IngestDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IngestDocumentRequest,
      dev.ragmesh.rag.v1.IngestDocumentResponse> getIngestDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IngestDocumentRequest, dev.ragmesh.rag.v1.IngestDocumentResponse> getIngestDocumentMethod;
    if ((getIngestDocumentMethod = RagServiceGrpc.getIngestDocumentMethod) == null) {
      synchronized (RagServiceGrpc.class) {
        if ((getIngestDocumentMethod = RagServiceGrpc.getIngestDocumentMethod) == null) {
          RagServiceGrpc.getIngestDocumentMethod = getIngestDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.IngestDocumentRequest, dev.ragmesh.rag.v1.IngestDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "IngestDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.IngestDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.IngestDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RagServiceMethodDescriptorSupplier("IngestDocument"))
              .build();
        }
      }
    }
    return getIngestDocumentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.BatchIngestDocumentsRequest,
      dev.ragmesh.rag.v1.BatchIngestDocumentsResponse> getBatchIngestDocumentsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "BatchIngestDocuments",
      requestType = dev.ragmesh.rag.v1.BatchIngestDocumentsRequest.class,
      responseType = dev.ragmesh.rag.v1.BatchIngestDocumentsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.BatchIngestDocumentsRequest,
      dev.ragmesh.rag.v1.BatchIngestDocumentsResponse> getBatchIngestDocumentsMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.BatchIngestDocumentsRequest, dev.ragmesh.rag.v1.BatchIngestDocumentsResponse> getBatchIngestDocumentsMethod;
    if ((getBatchIngestDocumentsMethod = RagServiceGrpc.getBatchIngestDocumentsMethod) == null) {
      synchronized (RagServiceGrpc.class) {
        if ((getBatchIngestDocumentsMethod = RagServiceGrpc.getBatchIngestDocumentsMethod) == null) {
          RagServiceGrpc.getBatchIngestDocumentsMethod = getBatchIngestDocumentsMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.BatchIngestDocumentsRequest, dev.ragmesh.rag.v1.BatchIngestDocumentsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "BatchIngestDocuments"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.BatchIngestDocumentsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.BatchIngestDocumentsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RagServiceMethodDescriptorSupplier("BatchIngestDocuments"))
              .build();
        }
      }
    }
    return getBatchIngestDocumentsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IngestDocumentStreamRequest,
      dev.ragmesh.rag.v1.IngestDocumentStreamResponse> getIngestDocumentStreamMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "IngestDocumentStream",
      requestType = dev.ragmesh.rag.v1.IngestDocumentStreamRequest.class,
      responseType = dev.ragmesh.rag.v1.IngestDocumentStreamResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IngestDocumentStreamRequest,
      dev.ragmesh.rag.v1.IngestDocumentStreamResponse> getIngestDocumentStreamMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IngestDocumentStreamRequest, dev.ragmesh.rag.v1.IngestDocumentStreamResponse> getIngestDocumentStreamMethod;
    if ((getIngestDocumentStreamMethod = RagServiceGrpc.getIngestDocumentStreamMethod) == null) {
      synchronized (RagServiceGrpc.class) {
        if ((getIngestDocumentStreamMethod = RagServiceGrpc.getIngestDocumentStreamMethod) == null) {
          RagServiceGrpc.getIngestDocumentStreamMethod = getIngestDocumentStreamMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.IngestDocumentStreamRequest, dev.ragmesh.rag.v1.IngestDocumentStreamResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "IngestDocumentStream"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.IngestDocumentStreamRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.IngestDocumentStreamResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RagServiceMethodDescriptorSupplier("IngestDocumentStream"))
              .build();
        }
      }
    }
    return getIngestDocumentStreamMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteDocumentRequest,
      dev.ragmesh.rag.v1.DeleteDocumentResponse> getDeleteDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteDocument",
      requestType = dev.ragmesh.rag.v1.DeleteDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.DeleteDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteDocumentRequest,
      dev.ragmesh.rag.v1.DeleteDocumentResponse> getDeleteDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteDocumentRequest, dev.ragmesh.rag.v1.DeleteDocumentResponse> getDeleteDocumentMethod;
    if ((getDeleteDocumentMethod = RagServiceGrpc.getDeleteDocumentMethod) == null) {
      synchronized (RagServiceGrpc.class) {
        if ((getDeleteDocumentMethod = RagServiceGrpc.getDeleteDocumentMethod) == null) {
          RagServiceGrpc.getDeleteDocumentMethod = getDeleteDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.DeleteDocumentRequest, dev.ragmesh.rag.v1.DeleteDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeleteDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeleteDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RagServiceMethodDescriptorSupplier("DeleteDocument"))
              .build();
        }
      }
    }
    return getDeleteDocumentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetDocumentRequest,
      dev.ragmesh.rag.v1.GetDocumentResponse> getGetDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetDocument",
      requestType = dev.ragmesh.rag.v1.GetDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.GetDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetDocumentRequest,
      dev.ragmesh.rag.v1.GetDocumentResponse> getGetDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetDocumentRequest, dev.ragmesh.rag.v1.GetDocumentResponse> getGetDocumentMethod;
    if ((getGetDocumentMethod = RagServiceGrpc.getGetDocumentMethod) == null) {
      synchronized (RagServiceGrpc.class) {
        if ((getGetDocumentMethod = RagServiceGrpc.getGetDocumentMethod) == null) {
          RagServiceGrpc.getGetDocumentMethod = getGetDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetDocumentRequest, dev.ragmesh.rag.v1.GetDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RagServiceMethodDescriptorSupplier("GetDocument"))
              .build();
        }
      }
    }
    return getGetDocumentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListDocumentsRequest,
      dev.ragmesh.rag.v1.ListDocumentsResponse> getListDocumentsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListDocuments",
      requestType = dev.ragmesh.rag.v1.ListDocumentsRequest.class,
      responseType = dev.ragmesh.rag.v1.ListDocumentsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListDocumentsRequest,
      dev.ragmesh.rag.v1.ListDocumentsResponse> getListDocumentsMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListDocumentsRequest, dev.ragmesh.rag.v1.ListDocumentsResponse> getListDocumentsMethod;
    if ((getListDocumentsMethod = RagServiceGrpc.getListDocumentsMethod) == null) {
      synchronized (RagServiceGrpc.class) {
        if ((getListDocumentsMethod = RagServiceGrpc.getListDocumentsMethod) == null) {
          RagServiceGrpc.getListDocumentsMethod = getListDocumentsMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListDocumentsRequest, dev.ragmesh.rag.v1.ListDocumentsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListDocuments"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListDocumentsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListDocumentsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RagServiceMethodDescriptorSupplier("ListDocuments"))
              .build();
        }
      }
    }
    return getListDocumentsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static RagServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RagServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RagServiceStub>() {
        @java.lang.Override
        public RagServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RagServiceStub(channel, callOptions);
        }
      };
    return RagServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static RagServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RagServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RagServiceBlockingV2Stub>() {
        @java.lang.Override
        public RagServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RagServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return RagServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static RagServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RagServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RagServiceBlockingStub>() {
        @java.lang.Override
        public RagServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RagServiceBlockingStub(channel, callOptions);
        }
      };
    return RagServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static RagServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RagServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RagServiceFutureStub>() {
        @java.lang.Override
        public RagServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RagServiceFutureStub(channel, callOptions);
        }
      };
    return RagServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * The gateway: the one service most clients need. It answers questions from
   * the indexed documents (enhance -&gt; retrieve -&gt; optional graph expansion -&gt;
   * generate) and ingests and removes documents (parse -&gt; chunk -&gt; embed -&gt;
   * store). Every call it makes to another service goes through the mesh
   * (Envoy), carrying the caller's token and the remaining deadline.
   * Access control: the caller's identity and groups come from its token, never
   * from a request field. Retrieval only ever sees chunks the caller may read,
   * so answers, citations and counts never reveal other documents; a document
   * the caller may not read answers NOT_FOUND, as if it did not exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Ask, AskStream,
   * GetDocument and ListDocuments need the role `rag-reader`; IngestDocument,
   * BatchIngestDocuments, IngestDocumentStream and DeleteDocument need
   * `rag-writer`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * Every RPC may also fail with UNAVAILABLE when a downstream service cannot be
   * reached (retry with backoff) and DEADLINE_EXCEEDED when the call's deadline
   * expires; set a deadline on every call.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Answers a question from the documents the caller may read, with
     * citations. No side effects: safe to retry.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, or invalid retrieval, enhancement or generation options;
     * NOT_FOUND for an unknown `experiment_id` (reason EXPERIMENT_NOT_FOUND);
     * FAILED_PRECONDITION when a requested generator, HyDE or the graph is not
     * configured (reasons GENERATOR_NOT_CONFIGURED, GRAPH_NOT_CONFIGURED);
     * RESOURCE_EXHAUSTED when the generator is saturated (retry after the
     * RetryInfo delay).
     * </pre>
     */
    default void ask(dev.ragmesh.rag.v1.AskRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AskResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getAskMethod(), responseObserver);
    }

    /**
     * <pre>
     * Answers like Ask, streaming progress: stage events as each stage starts
     * and finishes, then answer text deltas and citations as they are
     * produced, and exactly one summary last. Errors are as in Ask; an error
     * after the first message ends the stream with that status and is not
     * retried by the mesh, so a client that retries must discard what it
     * received.
     * </pre>
     */
    default void askStream(dev.ragmesh.rag.v1.AskStreamRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AskStreamResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getAskStreamMethod(), responseObserver);
    }

    /**
     * <pre>
     * Ingests one document: parses, chunks, embeds and stores it, atomically
     * replacing any previous version with the same id (searches never mix the
     * old and new versions). When the stored version is identical (same
     * content hash, title, source, content type, metadata and access groups)
     * nothing is rewritten and `unchanged` is true, unless `force` is set.
     * Idempotent: safe to retry. Concurrent ingests of one id: the last to
     * commit wins, entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed id, an unsupported
     * content type (reason UNSUPPORTED_CONTENT_TYPE), undecodable content
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED for content over 16 MiB (reason CONTENT_TOO_LARGE;
     * use IngestDocumentStream for up to 64 MiB); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it.
     * </pre>
     */
    default void ingestDocument(dev.ragmesh.rag.v1.IngestDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IngestDocumentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getIngestDocumentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Ingests up to 100 documents, each as IngestDocument would, independently:
     * one document failing does not fail or roll back the others, and each
     * result reports its own outcome. Idempotent: safe to retry, wholly or
     * only the failed items.
     * Errors for the whole call (no document is ingested): INVALID_ARGUMENT
     * for no documents, more than 100, or a document id given twice;
     * RESOURCE_EXHAUSTED for a request over 64 MiB. If the deadline expires,
     * documents already ingested stay ingested.
     * </pre>
     */
    default void batchIngestDocuments(dev.ragmesh.rag.v1.BatchIngestDocumentsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.BatchIngestDocumentsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getBatchIngestDocumentsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Ingests one large document sent in pieces: the first message carries the
     * header (metadata and options), every following message a piece of the
     * content, at most 64 MiB in total. The document is processed once the
     * client closes its side of the stream; cancelling before that stores
     * nothing. Otherwise behaves like IngestDocument. The mesh does not retry
     * client streams; a client may resend the whole stream (idempotent).
     * Errors: as IngestDocument, plus INVALID_ARGUMENT when the first message is
     * not a header, a header is sent twice, or the content length differs from
     * the header's `content_length`; RESOURCE_EXHAUSTED for a piece over 1 MiB
     * or content over 64 MiB (reason CONTENT_TOO_LARGE).
     * </pre>
     */
    default io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IngestDocumentStreamRequest> ingestDocumentStream(
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IngestDocumentStreamResponse> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getIngestDocumentStreamMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes a document everywhere it is indexed (dense and keyword indexes
     * and the knowledge graph). Once the call succeeds, no search returns it.
     * After a failure some indexes may already be cleaned; retrying with
     * `allow_missing` completes the removal.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    default void deleteDocument(dev.ragmesh.rag.v1.DeleteDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteDocumentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteDocumentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns a stored document's metadata (never its content).
     * Errors: NOT_FOUND when no such document exists or the caller may not read
     * it; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    default void getDocument(dev.ragmesh.rag.v1.GetDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetDocumentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetDocumentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the documents the caller may read, sorted by id, one page at a
     * time.
     * Errors: INVALID_ARGUMENT for a negative page size, a malformed or expired
     * page token, a page token used with different filters, or an invalid
     * filter.
     * </pre>
     */
    default void listDocuments(dev.ragmesh.rag.v1.ListDocumentsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListDocumentsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListDocumentsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service RagService.
   * <pre>
   * The gateway: the one service most clients need. It answers questions from
   * the indexed documents (enhance -&gt; retrieve -&gt; optional graph expansion -&gt;
   * generate) and ingests and removes documents (parse -&gt; chunk -&gt; embed -&gt;
   * store). Every call it makes to another service goes through the mesh
   * (Envoy), carrying the caller's token and the remaining deadline.
   * Access control: the caller's identity and groups come from its token, never
   * from a request field. Retrieval only ever sees chunks the caller may read,
   * so answers, citations and counts never reveal other documents; a document
   * the caller may not read answers NOT_FOUND, as if it did not exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Ask, AskStream,
   * GetDocument and ListDocuments need the role `rag-reader`; IngestDocument,
   * BatchIngestDocuments, IngestDocumentStream and DeleteDocument need
   * `rag-writer`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * Every RPC may also fail with UNAVAILABLE when a downstream service cannot be
   * reached (retry with backoff) and DEADLINE_EXCEEDED when the call's deadline
   * expires; set a deadline on every call.
   * </pre>
   */
  public static abstract class RagServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return RagServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service RagService.
   * <pre>
   * The gateway: the one service most clients need. It answers questions from
   * the indexed documents (enhance -&gt; retrieve -&gt; optional graph expansion -&gt;
   * generate) and ingests and removes documents (parse -&gt; chunk -&gt; embed -&gt;
   * store). Every call it makes to another service goes through the mesh
   * (Envoy), carrying the caller's token and the remaining deadline.
   * Access control: the caller's identity and groups come from its token, never
   * from a request field. Retrieval only ever sees chunks the caller may read,
   * so answers, citations and counts never reveal other documents; a document
   * the caller may not read answers NOT_FOUND, as if it did not exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Ask, AskStream,
   * GetDocument and ListDocuments need the role `rag-reader`; IngestDocument,
   * BatchIngestDocuments, IngestDocumentStream and DeleteDocument need
   * `rag-writer`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * Every RPC may also fail with UNAVAILABLE when a downstream service cannot be
   * reached (retry with backoff) and DEADLINE_EXCEEDED when the call's deadline
   * expires; set a deadline on every call.
   * </pre>
   */
  public static final class RagServiceStub
      extends io.grpc.stub.AbstractAsyncStub<RagServiceStub> {
    private RagServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RagServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RagServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Answers a question from the documents the caller may read, with
     * citations. No side effects: safe to retry.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, or invalid retrieval, enhancement or generation options;
     * NOT_FOUND for an unknown `experiment_id` (reason EXPERIMENT_NOT_FOUND);
     * FAILED_PRECONDITION when a requested generator, HyDE or the graph is not
     * configured (reasons GENERATOR_NOT_CONFIGURED, GRAPH_NOT_CONFIGURED);
     * RESOURCE_EXHAUSTED when the generator is saturated (retry after the
     * RetryInfo delay).
     * </pre>
     */
    public void ask(dev.ragmesh.rag.v1.AskRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AskResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getAskMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Answers like Ask, streaming progress: stage events as each stage starts
     * and finishes, then answer text deltas and citations as they are
     * produced, and exactly one summary last. Errors are as in Ask; an error
     * after the first message ends the stream with that status and is not
     * retried by the mesh, so a client that retries must discard what it
     * received.
     * </pre>
     */
    public void askStream(dev.ragmesh.rag.v1.AskStreamRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AskStreamResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getAskStreamMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Ingests one document: parses, chunks, embeds and stores it, atomically
     * replacing any previous version with the same id (searches never mix the
     * old and new versions). When the stored version is identical (same
     * content hash, title, source, content type, metadata and access groups)
     * nothing is rewritten and `unchanged` is true, unless `force` is set.
     * Idempotent: safe to retry. Concurrent ingests of one id: the last to
     * commit wins, entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed id, an unsupported
     * content type (reason UNSUPPORTED_CONTENT_TYPE), undecodable content
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED for content over 16 MiB (reason CONTENT_TOO_LARGE;
     * use IngestDocumentStream for up to 64 MiB); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it.
     * </pre>
     */
    public void ingestDocument(dev.ragmesh.rag.v1.IngestDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IngestDocumentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getIngestDocumentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Ingests up to 100 documents, each as IngestDocument would, independently:
     * one document failing does not fail or roll back the others, and each
     * result reports its own outcome. Idempotent: safe to retry, wholly or
     * only the failed items.
     * Errors for the whole call (no document is ingested): INVALID_ARGUMENT
     * for no documents, more than 100, or a document id given twice;
     * RESOURCE_EXHAUSTED for a request over 64 MiB. If the deadline expires,
     * documents already ingested stay ingested.
     * </pre>
     */
    public void batchIngestDocuments(dev.ragmesh.rag.v1.BatchIngestDocumentsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.BatchIngestDocumentsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getBatchIngestDocumentsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Ingests one large document sent in pieces: the first message carries the
     * header (metadata and options), every following message a piece of the
     * content, at most 64 MiB in total. The document is processed once the
     * client closes its side of the stream; cancelling before that stores
     * nothing. Otherwise behaves like IngestDocument. The mesh does not retry
     * client streams; a client may resend the whole stream (idempotent).
     * Errors: as IngestDocument, plus INVALID_ARGUMENT when the first message is
     * not a header, a header is sent twice, or the content length differs from
     * the header's `content_length`; RESOURCE_EXHAUSTED for a piece over 1 MiB
     * or content over 64 MiB (reason CONTENT_TOO_LARGE).
     * </pre>
     */
    public io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IngestDocumentStreamRequest> ingestDocumentStream(
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IngestDocumentStreamResponse> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncClientStreamingCall(
          getChannel().newCall(getIngestDocumentStreamMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * Deletes a document everywhere it is indexed (dense and keyword indexes
     * and the knowledge graph). Once the call succeeds, no search returns it.
     * After a failure some indexes may already be cleaned; retrying with
     * `allow_missing` completes the removal.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public void deleteDocument(dev.ragmesh.rag.v1.DeleteDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteDocumentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteDocumentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns a stored document's metadata (never its content).
     * Errors: NOT_FOUND when no such document exists or the caller may not read
     * it; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public void getDocument(dev.ragmesh.rag.v1.GetDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetDocumentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetDocumentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists the documents the caller may read, sorted by id, one page at a
     * time.
     * Errors: INVALID_ARGUMENT for a negative page size, a malformed or expired
     * page token, a page token used with different filters, or an invalid
     * filter.
     * </pre>
     */
    public void listDocuments(dev.ragmesh.rag.v1.ListDocumentsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListDocumentsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListDocumentsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service RagService.
   * <pre>
   * The gateway: the one service most clients need. It answers questions from
   * the indexed documents (enhance -&gt; retrieve -&gt; optional graph expansion -&gt;
   * generate) and ingests and removes documents (parse -&gt; chunk -&gt; embed -&gt;
   * store). Every call it makes to another service goes through the mesh
   * (Envoy), carrying the caller's token and the remaining deadline.
   * Access control: the caller's identity and groups come from its token, never
   * from a request field. Retrieval only ever sees chunks the caller may read,
   * so answers, citations and counts never reveal other documents; a document
   * the caller may not read answers NOT_FOUND, as if it did not exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Ask, AskStream,
   * GetDocument and ListDocuments need the role `rag-reader`; IngestDocument,
   * BatchIngestDocuments, IngestDocumentStream and DeleteDocument need
   * `rag-writer`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * Every RPC may also fail with UNAVAILABLE when a downstream service cannot be
   * reached (retry with backoff) and DEADLINE_EXCEEDED when the call's deadline
   * expires; set a deadline on every call.
   * </pre>
   */
  public static final class RagServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<RagServiceBlockingV2Stub> {
    private RagServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RagServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RagServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Answers a question from the documents the caller may read, with
     * citations. No side effects: safe to retry.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, or invalid retrieval, enhancement or generation options;
     * NOT_FOUND for an unknown `experiment_id` (reason EXPERIMENT_NOT_FOUND);
     * FAILED_PRECONDITION when a requested generator, HyDE or the graph is not
     * configured (reasons GENERATOR_NOT_CONFIGURED, GRAPH_NOT_CONFIGURED);
     * RESOURCE_EXHAUSTED when the generator is saturated (retry after the
     * RetryInfo delay).
     * </pre>
     */
    public dev.ragmesh.rag.v1.AskResponse ask(dev.ragmesh.rag.v1.AskRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getAskMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Answers like Ask, streaming progress: stage events as each stage starts
     * and finishes, then answer text deltas and citations as they are
     * produced, and exactly one summary last. Errors are as in Ask; an error
     * after the first message ends the stream with that status and is not
     * retried by the mesh, so a client that retries must discard what it
     * received.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.ragmesh.rag.v1.AskStreamResponse>
        askStream(dev.ragmesh.rag.v1.AskStreamRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getAskStreamMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Ingests one document: parses, chunks, embeds and stores it, atomically
     * replacing any previous version with the same id (searches never mix the
     * old and new versions). When the stored version is identical (same
     * content hash, title, source, content type, metadata and access groups)
     * nothing is rewritten and `unchanged` is true, unless `force` is set.
     * Idempotent: safe to retry. Concurrent ingests of one id: the last to
     * commit wins, entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed id, an unsupported
     * content type (reason UNSUPPORTED_CONTENT_TYPE), undecodable content
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED for content over 16 MiB (reason CONTENT_TOO_LARGE;
     * use IngestDocumentStream for up to 64 MiB); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it.
     * </pre>
     */
    public dev.ragmesh.rag.v1.IngestDocumentResponse ingestDocument(dev.ragmesh.rag.v1.IngestDocumentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getIngestDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Ingests up to 100 documents, each as IngestDocument would, independently:
     * one document failing does not fail or roll back the others, and each
     * result reports its own outcome. Idempotent: safe to retry, wholly or
     * only the failed items.
     * Errors for the whole call (no document is ingested): INVALID_ARGUMENT
     * for no documents, more than 100, or a document id given twice;
     * RESOURCE_EXHAUSTED for a request over 64 MiB. If the deadline expires,
     * documents already ingested stay ingested.
     * </pre>
     */
    public dev.ragmesh.rag.v1.BatchIngestDocumentsResponse batchIngestDocuments(dev.ragmesh.rag.v1.BatchIngestDocumentsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getBatchIngestDocumentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Ingests one large document sent in pieces: the first message carries the
     * header (metadata and options), every following message a piece of the
     * content, at most 64 MiB in total. The document is processed once the
     * client closes its side of the stream; cancelling before that stores
     * nothing. Otherwise behaves like IngestDocument. The mesh does not retry
     * client streams; a client may resend the whole stream (idempotent).
     * Errors: as IngestDocument, plus INVALID_ARGUMENT when the first message is
     * not a header, a header is sent twice, or the content length differs from
     * the header's `content_length`; RESOURCE_EXHAUSTED for a piece over 1 MiB
     * or content over 64 MiB (reason CONTENT_TOO_LARGE).
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<dev.ragmesh.rag.v1.IngestDocumentStreamRequest, dev.ragmesh.rag.v1.IngestDocumentStreamResponse>
        ingestDocumentStream() {
      return io.grpc.stub.ClientCalls.blockingClientStreamingCall(
          getChannel(), getIngestDocumentStreamMethod(), getCallOptions());
    }

    /**
     * <pre>
     * Deletes a document everywhere it is indexed (dense and keyword indexes
     * and the knowledge graph). Once the call succeeds, no search returns it.
     * After a failure some indexes may already be cleaned; retrying with
     * `allow_missing` completes the removal.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeleteDocumentResponse deleteDocument(dev.ragmesh.rag.v1.DeleteDocumentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns a stored document's metadata (never its content).
     * Errors: NOT_FOUND when no such document exists or the caller may not read
     * it; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetDocumentResponse getDocument(dev.ragmesh.rag.v1.GetDocumentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the documents the caller may read, sorted by id, one page at a
     * time.
     * Errors: INVALID_ARGUMENT for a negative page size, a malformed or expired
     * page token, a page token used with different filters, or an invalid
     * filter.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListDocumentsResponse listDocuments(dev.ragmesh.rag.v1.ListDocumentsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListDocumentsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service RagService.
   * <pre>
   * The gateway: the one service most clients need. It answers questions from
   * the indexed documents (enhance -&gt; retrieve -&gt; optional graph expansion -&gt;
   * generate) and ingests and removes documents (parse -&gt; chunk -&gt; embed -&gt;
   * store). Every call it makes to another service goes through the mesh
   * (Envoy), carrying the caller's token and the remaining deadline.
   * Access control: the caller's identity and groups come from its token, never
   * from a request field. Retrieval only ever sees chunks the caller may read,
   * so answers, citations and counts never reveal other documents; a document
   * the caller may not read answers NOT_FOUND, as if it did not exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Ask, AskStream,
   * GetDocument and ListDocuments need the role `rag-reader`; IngestDocument,
   * BatchIngestDocuments, IngestDocumentStream and DeleteDocument need
   * `rag-writer`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * Every RPC may also fail with UNAVAILABLE when a downstream service cannot be
   * reached (retry with backoff) and DEADLINE_EXCEEDED when the call's deadline
   * expires; set a deadline on every call.
   * </pre>
   */
  public static final class RagServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<RagServiceBlockingStub> {
    private RagServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RagServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RagServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Answers a question from the documents the caller may read, with
     * citations. No side effects: safe to retry.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, or invalid retrieval, enhancement or generation options;
     * NOT_FOUND for an unknown `experiment_id` (reason EXPERIMENT_NOT_FOUND);
     * FAILED_PRECONDITION when a requested generator, HyDE or the graph is not
     * configured (reasons GENERATOR_NOT_CONFIGURED, GRAPH_NOT_CONFIGURED);
     * RESOURCE_EXHAUSTED when the generator is saturated (retry after the
     * RetryInfo delay).
     * </pre>
     */
    public dev.ragmesh.rag.v1.AskResponse ask(dev.ragmesh.rag.v1.AskRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getAskMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Answers like Ask, streaming progress: stage events as each stage starts
     * and finishes, then answer text deltas and citations as they are
     * produced, and exactly one summary last. Errors are as in Ask; an error
     * after the first message ends the stream with that status and is not
     * retried by the mesh, so a client that retries must discard what it
     * received.
     * </pre>
     */
    public java.util.Iterator<dev.ragmesh.rag.v1.AskStreamResponse> askStream(
        dev.ragmesh.rag.v1.AskStreamRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getAskStreamMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Ingests one document: parses, chunks, embeds and stores it, atomically
     * replacing any previous version with the same id (searches never mix the
     * old and new versions). When the stored version is identical (same
     * content hash, title, source, content type, metadata and access groups)
     * nothing is rewritten and `unchanged` is true, unless `force` is set.
     * Idempotent: safe to retry. Concurrent ingests of one id: the last to
     * commit wins, entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed id, an unsupported
     * content type (reason UNSUPPORTED_CONTENT_TYPE), undecodable content
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED for content over 16 MiB (reason CONTENT_TOO_LARGE;
     * use IngestDocumentStream for up to 64 MiB); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it.
     * </pre>
     */
    public dev.ragmesh.rag.v1.IngestDocumentResponse ingestDocument(dev.ragmesh.rag.v1.IngestDocumentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getIngestDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Ingests up to 100 documents, each as IngestDocument would, independently:
     * one document failing does not fail or roll back the others, and each
     * result reports its own outcome. Idempotent: safe to retry, wholly or
     * only the failed items.
     * Errors for the whole call (no document is ingested): INVALID_ARGUMENT
     * for no documents, more than 100, or a document id given twice;
     * RESOURCE_EXHAUSTED for a request over 64 MiB. If the deadline expires,
     * documents already ingested stay ingested.
     * </pre>
     */
    public dev.ragmesh.rag.v1.BatchIngestDocumentsResponse batchIngestDocuments(dev.ragmesh.rag.v1.BatchIngestDocumentsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getBatchIngestDocumentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a document everywhere it is indexed (dense and keyword indexes
     * and the knowledge graph). Once the call succeeds, no search returns it.
     * After a failure some indexes may already be cleaned; retrying with
     * `allow_missing` completes the removal.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeleteDocumentResponse deleteDocument(dev.ragmesh.rag.v1.DeleteDocumentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns a stored document's metadata (never its content).
     * Errors: NOT_FOUND when no such document exists or the caller may not read
     * it; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetDocumentResponse getDocument(dev.ragmesh.rag.v1.GetDocumentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the documents the caller may read, sorted by id, one page at a
     * time.
     * Errors: INVALID_ARGUMENT for a negative page size, a malformed or expired
     * page token, a page token used with different filters, or an invalid
     * filter.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListDocumentsResponse listDocuments(dev.ragmesh.rag.v1.ListDocumentsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListDocumentsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service RagService.
   * <pre>
   * The gateway: the one service most clients need. It answers questions from
   * the indexed documents (enhance -&gt; retrieve -&gt; optional graph expansion -&gt;
   * generate) and ingests and removes documents (parse -&gt; chunk -&gt; embed -&gt;
   * store). Every call it makes to another service goes through the mesh
   * (Envoy), carrying the caller's token and the remaining deadline.
   * Access control: the caller's identity and groups come from its token, never
   * from a request field. Retrieval only ever sees chunks the caller may read,
   * so answers, citations and counts never reveal other documents; a document
   * the caller may not read answers NOT_FOUND, as if it did not exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Ask, AskStream,
   * GetDocument and ListDocuments need the role `rag-reader`; IngestDocument,
   * BatchIngestDocuments, IngestDocumentStream and DeleteDocument need
   * `rag-writer`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * Every RPC may also fail with UNAVAILABLE when a downstream service cannot be
   * reached (retry with backoff) and DEADLINE_EXCEEDED when the call's deadline
   * expires; set a deadline on every call.
   * </pre>
   */
  public static final class RagServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<RagServiceFutureStub> {
    private RagServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RagServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RagServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Answers a question from the documents the caller may read, with
     * citations. No side effects: safe to retry.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, or invalid retrieval, enhancement or generation options;
     * NOT_FOUND for an unknown `experiment_id` (reason EXPERIMENT_NOT_FOUND);
     * FAILED_PRECONDITION when a requested generator, HyDE or the graph is not
     * configured (reasons GENERATOR_NOT_CONFIGURED, GRAPH_NOT_CONFIGURED);
     * RESOURCE_EXHAUSTED when the generator is saturated (retry after the
     * RetryInfo delay).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.AskResponse> ask(
        dev.ragmesh.rag.v1.AskRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getAskMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Ingests one document: parses, chunks, embeds and stores it, atomically
     * replacing any previous version with the same id (searches never mix the
     * old and new versions). When the stored version is identical (same
     * content hash, title, source, content type, metadata and access groups)
     * nothing is rewritten and `unchanged` is true, unless `force` is set.
     * Idempotent: safe to retry. Concurrent ingests of one id: the last to
     * commit wins, entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed id, an unsupported
     * content type (reason UNSUPPORTED_CONTENT_TYPE), undecodable content
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED for content over 16 MiB (reason CONTENT_TOO_LARGE;
     * use IngestDocumentStream for up to 64 MiB); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.IngestDocumentResponse> ingestDocument(
        dev.ragmesh.rag.v1.IngestDocumentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getIngestDocumentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Ingests up to 100 documents, each as IngestDocument would, independently:
     * one document failing does not fail or roll back the others, and each
     * result reports its own outcome. Idempotent: safe to retry, wholly or
     * only the failed items.
     * Errors for the whole call (no document is ingested): INVALID_ARGUMENT
     * for no documents, more than 100, or a document id given twice;
     * RESOURCE_EXHAUSTED for a request over 64 MiB. If the deadline expires,
     * documents already ingested stay ingested.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.BatchIngestDocumentsResponse> batchIngestDocuments(
        dev.ragmesh.rag.v1.BatchIngestDocumentsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getBatchIngestDocumentsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes a document everywhere it is indexed (dense and keyword indexes
     * and the knowledge graph). Once the call succeeds, no search returns it.
     * After a failure some indexes may already be cleaned; retrying with
     * `allow_missing` completes the removal.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.DeleteDocumentResponse> deleteDocument(
        dev.ragmesh.rag.v1.DeleteDocumentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteDocumentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns a stored document's metadata (never its content).
     * Errors: NOT_FOUND when no such document exists or the caller may not read
     * it; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetDocumentResponse> getDocument(
        dev.ragmesh.rag.v1.GetDocumentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetDocumentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the documents the caller may read, sorted by id, one page at a
     * time.
     * Errors: INVALID_ARGUMENT for a negative page size, a malformed or expired
     * page token, a page token used with different filters, or an invalid
     * filter.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListDocumentsResponse> listDocuments(
        dev.ragmesh.rag.v1.ListDocumentsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListDocumentsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_ASK = 0;
  private static final int METHODID_ASK_STREAM = 1;
  private static final int METHODID_INGEST_DOCUMENT = 2;
  private static final int METHODID_BATCH_INGEST_DOCUMENTS = 3;
  private static final int METHODID_DELETE_DOCUMENT = 4;
  private static final int METHODID_GET_DOCUMENT = 5;
  private static final int METHODID_LIST_DOCUMENTS = 6;
  private static final int METHODID_INGEST_DOCUMENT_STREAM = 7;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_ASK:
          serviceImpl.ask((dev.ragmesh.rag.v1.AskRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AskResponse>) responseObserver);
          break;
        case METHODID_ASK_STREAM:
          serviceImpl.askStream((dev.ragmesh.rag.v1.AskStreamRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AskStreamResponse>) responseObserver);
          break;
        case METHODID_INGEST_DOCUMENT:
          serviceImpl.ingestDocument((dev.ragmesh.rag.v1.IngestDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IngestDocumentResponse>) responseObserver);
          break;
        case METHODID_BATCH_INGEST_DOCUMENTS:
          serviceImpl.batchIngestDocuments((dev.ragmesh.rag.v1.BatchIngestDocumentsRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.BatchIngestDocumentsResponse>) responseObserver);
          break;
        case METHODID_DELETE_DOCUMENT:
          serviceImpl.deleteDocument((dev.ragmesh.rag.v1.DeleteDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteDocumentResponse>) responseObserver);
          break;
        case METHODID_GET_DOCUMENT:
          serviceImpl.getDocument((dev.ragmesh.rag.v1.GetDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetDocumentResponse>) responseObserver);
          break;
        case METHODID_LIST_DOCUMENTS:
          serviceImpl.listDocuments((dev.ragmesh.rag.v1.ListDocumentsRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListDocumentsResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_INGEST_DOCUMENT_STREAM:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.ingestDocumentStream(
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IngestDocumentStreamResponse>) responseObserver);
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getAskMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.AskRequest,
              dev.ragmesh.rag.v1.AskResponse>(
                service, METHODID_ASK)))
        .addMethod(
          getAskStreamMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.AskStreamRequest,
              dev.ragmesh.rag.v1.AskStreamResponse>(
                service, METHODID_ASK_STREAM)))
        .addMethod(
          getIngestDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.IngestDocumentRequest,
              dev.ragmesh.rag.v1.IngestDocumentResponse>(
                service, METHODID_INGEST_DOCUMENT)))
        .addMethod(
          getBatchIngestDocumentsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.BatchIngestDocumentsRequest,
              dev.ragmesh.rag.v1.BatchIngestDocumentsResponse>(
                service, METHODID_BATCH_INGEST_DOCUMENTS)))
        .addMethod(
          getIngestDocumentStreamMethod(),
          io.grpc.stub.ServerCalls.asyncClientStreamingCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.IngestDocumentStreamRequest,
              dev.ragmesh.rag.v1.IngestDocumentStreamResponse>(
                service, METHODID_INGEST_DOCUMENT_STREAM)))
        .addMethod(
          getDeleteDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.DeleteDocumentRequest,
              dev.ragmesh.rag.v1.DeleteDocumentResponse>(
                service, METHODID_DELETE_DOCUMENT)))
        .addMethod(
          getGetDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetDocumentRequest,
              dev.ragmesh.rag.v1.GetDocumentResponse>(
                service, METHODID_GET_DOCUMENT)))
        .addMethod(
          getListDocumentsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListDocumentsRequest,
              dev.ragmesh.rag.v1.ListDocumentsResponse>(
                service, METHODID_LIST_DOCUMENTS)))
        .build();
  }

  private static abstract class RagServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    RagServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.Rag.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("RagService");
    }
  }

  private static final class RagServiceFileDescriptorSupplier
      extends RagServiceBaseDescriptorSupplier {
    RagServiceFileDescriptorSupplier() {}
  }

  private static final class RagServiceMethodDescriptorSupplier
      extends RagServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    RagServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (RagServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new RagServiceFileDescriptorSupplier())
              .addMethod(getAskMethod())
              .addMethod(getAskStreamMethod())
              .addMethod(getIngestDocumentMethod())
              .addMethod(getBatchIngestDocumentsMethod())
              .addMethod(getIngestDocumentStreamMethod())
              .addMethod(getDeleteDocumentMethod())
              .addMethod(getGetDocumentMethod())
              .addMethod(getListDocumentsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
