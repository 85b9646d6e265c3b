package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Turns raw documents into plain text and chunks. Stateless: nothing is
 * stored, so every RPC is idempotent and safe to retry; the same input and
 * options always yield the same output (chunk ids included).
 * Supported `Document.content_type` values: "text/plain" (also used when
 * empty), "text/markdown", "text/html" and "application/pdf", parsed here;
 * plus "image/png", "image/jpeg", "image/tiff", "text/csv" and
 * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", and
 * PDFs with a scanned page (one without a text layer), which this service
 * sends to MultiModalService: their chunks carry its modality, location
 * ("page=2", "sheet=Q1!A1:D20") and metadata ("ocr_confidence"), are sized
 * by `chunk_size` only (at least 200 characters), and fail with UNAVAILABLE
 * while MultiModalService is down. Text-layer PDF chunks carry MODALITY_PDF
 * and "page=N". Text content must be UTF-8 unless the type carries a
 * `charset` parameter.
 * Authentication: every RPC requires a bearer token from the Keycloak realm
 * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
 * `rag-writer` (this service is part of the ingest path).
 * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
 * Message sizes: requests may carry up to 16 MiB of content. Responses for
 * large documents exceed gRPC's default 4 MiB receive limit: clients should
 * raise their maximum receive message size (64 MiB suffices).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class DocumentProcessorServiceGrpc {

  private DocumentProcessorServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.DocumentProcessorService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ProcessDocumentRequest,
      dev.ragmesh.rag.v1.ProcessDocumentResponse> getProcessDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ProcessDocument",
      requestType = dev.ragmesh.rag.v1.ProcessDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.ProcessDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ProcessDocumentRequest,
      dev.ragmesh.rag.v1.ProcessDocumentResponse> getProcessDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ProcessDocumentRequest, dev.ragmesh.rag.v1.ProcessDocumentResponse> getProcessDocumentMethod;
    if ((getProcessDocumentMethod = DocumentProcessorServiceGrpc.getProcessDocumentMethod) == null) {
      synchronized (DocumentProcessorServiceGrpc.class) {
        if ((getProcessDocumentMethod = DocumentProcessorServiceGrpc.getProcessDocumentMethod) == null) {
          DocumentProcessorServiceGrpc.getProcessDocumentMethod = getProcessDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ProcessDocumentRequest, dev.ragmesh.rag.v1.ProcessDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ProcessDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ProcessDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ProcessDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DocumentProcessorServiceMethodDescriptorSupplier("ProcessDocument"))
              .build();
        }
      }
    }
    return getProcessDocumentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ParseDocumentRequest,
      dev.ragmesh.rag.v1.ParseDocumentResponse> getParseDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ParseDocument",
      requestType = dev.ragmesh.rag.v1.ParseDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.ParseDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ParseDocumentRequest,
      dev.ragmesh.rag.v1.ParseDocumentResponse> getParseDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ParseDocumentRequest, dev.ragmesh.rag.v1.ParseDocumentResponse> getParseDocumentMethod;
    if ((getParseDocumentMethod = DocumentProcessorServiceGrpc.getParseDocumentMethod) == null) {
      synchronized (DocumentProcessorServiceGrpc.class) {
        if ((getParseDocumentMethod = DocumentProcessorServiceGrpc.getParseDocumentMethod) == null) {
          DocumentProcessorServiceGrpc.getParseDocumentMethod = getParseDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ParseDocumentRequest, dev.ragmesh.rag.v1.ParseDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ParseDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ParseDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ParseDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DocumentProcessorServiceMethodDescriptorSupplier("ParseDocument"))
              .build();
        }
      }
    }
    return getParseDocumentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ChunkTextRequest,
      dev.ragmesh.rag.v1.ChunkTextResponse> getChunkTextMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ChunkText",
      requestType = dev.ragmesh.rag.v1.ChunkTextRequest.class,
      responseType = dev.ragmesh.rag.v1.ChunkTextResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ChunkTextRequest,
      dev.ragmesh.rag.v1.ChunkTextResponse> getChunkTextMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ChunkTextRequest, dev.ragmesh.rag.v1.ChunkTextResponse> getChunkTextMethod;
    if ((getChunkTextMethod = DocumentProcessorServiceGrpc.getChunkTextMethod) == null) {
      synchronized (DocumentProcessorServiceGrpc.class) {
        if ((getChunkTextMethod = DocumentProcessorServiceGrpc.getChunkTextMethod) == null) {
          DocumentProcessorServiceGrpc.getChunkTextMethod = getChunkTextMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ChunkTextRequest, dev.ragmesh.rag.v1.ChunkTextResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ChunkText"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ChunkTextRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ChunkTextResponse.getDefaultInstance()))
              .setSchemaDescriptor(new DocumentProcessorServiceMethodDescriptorSupplier("ChunkText"))
              .build();
        }
      }
    }
    return getChunkTextMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static DocumentProcessorServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DocumentProcessorServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DocumentProcessorServiceStub>() {
        @java.lang.Override
        public DocumentProcessorServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DocumentProcessorServiceStub(channel, callOptions);
        }
      };
    return DocumentProcessorServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static DocumentProcessorServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DocumentProcessorServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DocumentProcessorServiceBlockingV2Stub>() {
        @java.lang.Override
        public DocumentProcessorServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DocumentProcessorServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return DocumentProcessorServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static DocumentProcessorServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DocumentProcessorServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DocumentProcessorServiceBlockingStub>() {
        @java.lang.Override
        public DocumentProcessorServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DocumentProcessorServiceBlockingStub(channel, callOptions);
        }
      };
    return DocumentProcessorServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static DocumentProcessorServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<DocumentProcessorServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<DocumentProcessorServiceFutureStub>() {
        @java.lang.Override
        public DocumentProcessorServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new DocumentProcessorServiceFutureStub(channel, callOptions);
        }
      };
    return DocumentProcessorServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Turns raw documents into plain text and chunks. Stateless: nothing is
   * stored, so every RPC is idempotent and safe to retry; the same input and
   * options always yield the same output (chunk ids included).
   * Supported `Document.content_type` values: "text/plain" (also used when
   * empty), "text/markdown", "text/html" and "application/pdf", parsed here;
   * plus "image/png", "image/jpeg", "image/tiff", "text/csv" and
   * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", and
   * PDFs with a scanned page (one without a text layer), which this service
   * sends to MultiModalService: their chunks carry its modality, location
   * ("page=2", "sheet=Q1!A1:D20") and metadata ("ocr_confidence"), are sized
   * by `chunk_size` only (at least 200 characters), and fail with UNAVAILABLE
   * while MultiModalService is down. Text-layer PDF chunks carry MODALITY_PDF
   * and "page=N". Text content must be UTF-8 unless the type carries a
   * `charset` parameter.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-writer` (this service is part of the ingest path).
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Message sizes: requests may carry up to 16 MiB of content. Responses for
   * large documents exceed gRPC's default 4 MiB receive limit: clients should
   * raise their maximum receive message size (64 MiB suffices).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Parses a document and splits its text into chunks in one call.
     * Errors: INVALID_ARGUMENT for an unsupported content type (reason
     * UNSUPPORTED_CONTENT_TYPE), content that cannot be decoded or parsed
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED when the content exceeds 16 MiB (reason
     * CONTENT_TOO_LARGE); UNAVAILABLE when CHUNKING_STRATEGY_SEMANTIC is
     * requested and EmbeddingService cannot be reached (retry with backoff);
     * DEADLINE_EXCEEDED when the call's deadline expires.
     * </pre>
     */
    default void processDocument(dev.ragmesh.rag.v1.ProcessDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ProcessDocumentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getProcessDocumentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Parses a document into plain text and its section structure without
     * chunking it. Use it to inspect what ProcessDocument would chunk.
     * Errors: as ProcessDocument, minus those about chunking options.
     * </pre>
     */
    default void parseDocument(dev.ragmesh.rag.v1.ParseDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ParseDocumentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getParseDocumentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Splits text that is already plain into chunks. No parsing happens, so the
     * chunks carry no section path and MODALITY_TEXT.
     * Errors: INVALID_ARGUMENT for invalid chunking options or text that is not
     * valid UTF-8; RESOURCE_EXHAUSTED when the text exceeds 16 MiB of UTF-8
     * (reason CONTENT_TOO_LARGE); UNAVAILABLE and DEADLINE_EXCEEDED as in
     * ProcessDocument.
     * </pre>
     */
    default void chunkText(dev.ragmesh.rag.v1.ChunkTextRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ChunkTextResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getChunkTextMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service DocumentProcessorService.
   * <pre>
   * Turns raw documents into plain text and chunks. Stateless: nothing is
   * stored, so every RPC is idempotent and safe to retry; the same input and
   * options always yield the same output (chunk ids included).
   * Supported `Document.content_type` values: "text/plain" (also used when
   * empty), "text/markdown", "text/html" and "application/pdf", parsed here;
   * plus "image/png", "image/jpeg", "image/tiff", "text/csv" and
   * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", and
   * PDFs with a scanned page (one without a text layer), which this service
   * sends to MultiModalService: their chunks carry its modality, location
   * ("page=2", "sheet=Q1!A1:D20") and metadata ("ocr_confidence"), are sized
   * by `chunk_size` only (at least 200 characters), and fail with UNAVAILABLE
   * while MultiModalService is down. Text-layer PDF chunks carry MODALITY_PDF
   * and "page=N". Text content must be UTF-8 unless the type carries a
   * `charset` parameter.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-writer` (this service is part of the ingest path).
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Message sizes: requests may carry up to 16 MiB of content. Responses for
   * large documents exceed gRPC's default 4 MiB receive limit: clients should
   * raise their maximum receive message size (64 MiB suffices).
   * </pre>
   */
  public static abstract class DocumentProcessorServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return DocumentProcessorServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service DocumentProcessorService.
   * <pre>
   * Turns raw documents into plain text and chunks. Stateless: nothing is
   * stored, so every RPC is idempotent and safe to retry; the same input and
   * options always yield the same output (chunk ids included).
   * Supported `Document.content_type` values: "text/plain" (also used when
   * empty), "text/markdown", "text/html" and "application/pdf", parsed here;
   * plus "image/png", "image/jpeg", "image/tiff", "text/csv" and
   * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", and
   * PDFs with a scanned page (one without a text layer), which this service
   * sends to MultiModalService: their chunks carry its modality, location
   * ("page=2", "sheet=Q1!A1:D20") and metadata ("ocr_confidence"), are sized
   * by `chunk_size` only (at least 200 characters), and fail with UNAVAILABLE
   * while MultiModalService is down. Text-layer PDF chunks carry MODALITY_PDF
   * and "page=N". Text content must be UTF-8 unless the type carries a
   * `charset` parameter.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-writer` (this service is part of the ingest path).
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Message sizes: requests may carry up to 16 MiB of content. Responses for
   * large documents exceed gRPC's default 4 MiB receive limit: clients should
   * raise their maximum receive message size (64 MiB suffices).
   * </pre>
   */
  public static final class DocumentProcessorServiceStub
      extends io.grpc.stub.AbstractAsyncStub<DocumentProcessorServiceStub> {
    private DocumentProcessorServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DocumentProcessorServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DocumentProcessorServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Parses a document and splits its text into chunks in one call.
     * Errors: INVALID_ARGUMENT for an unsupported content type (reason
     * UNSUPPORTED_CONTENT_TYPE), content that cannot be decoded or parsed
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED when the content exceeds 16 MiB (reason
     * CONTENT_TOO_LARGE); UNAVAILABLE when CHUNKING_STRATEGY_SEMANTIC is
     * requested and EmbeddingService cannot be reached (retry with backoff);
     * DEADLINE_EXCEEDED when the call's deadline expires.
     * </pre>
     */
    public void processDocument(dev.ragmesh.rag.v1.ProcessDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ProcessDocumentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getProcessDocumentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Parses a document into plain text and its section structure without
     * chunking it. Use it to inspect what ProcessDocument would chunk.
     * Errors: as ProcessDocument, minus those about chunking options.
     * </pre>
     */
    public void parseDocument(dev.ragmesh.rag.v1.ParseDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ParseDocumentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getParseDocumentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Splits text that is already plain into chunks. No parsing happens, so the
     * chunks carry no section path and MODALITY_TEXT.
     * Errors: INVALID_ARGUMENT for invalid chunking options or text that is not
     * valid UTF-8; RESOURCE_EXHAUSTED when the text exceeds 16 MiB of UTF-8
     * (reason CONTENT_TOO_LARGE); UNAVAILABLE and DEADLINE_EXCEEDED as in
     * ProcessDocument.
     * </pre>
     */
    public void chunkText(dev.ragmesh.rag.v1.ChunkTextRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ChunkTextResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getChunkTextMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service DocumentProcessorService.
   * <pre>
   * Turns raw documents into plain text and chunks. Stateless: nothing is
   * stored, so every RPC is idempotent and safe to retry; the same input and
   * options always yield the same output (chunk ids included).
   * Supported `Document.content_type` values: "text/plain" (also used when
   * empty), "text/markdown", "text/html" and "application/pdf", parsed here;
   * plus "image/png", "image/jpeg", "image/tiff", "text/csv" and
   * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", and
   * PDFs with a scanned page (one without a text layer), which this service
   * sends to MultiModalService: their chunks carry its modality, location
   * ("page=2", "sheet=Q1!A1:D20") and metadata ("ocr_confidence"), are sized
   * by `chunk_size` only (at least 200 characters), and fail with UNAVAILABLE
   * while MultiModalService is down. Text-layer PDF chunks carry MODALITY_PDF
   * and "page=N". Text content must be UTF-8 unless the type carries a
   * `charset` parameter.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-writer` (this service is part of the ingest path).
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Message sizes: requests may carry up to 16 MiB of content. Responses for
   * large documents exceed gRPC's default 4 MiB receive limit: clients should
   * raise their maximum receive message size (64 MiB suffices).
   * </pre>
   */
  public static final class DocumentProcessorServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<DocumentProcessorServiceBlockingV2Stub> {
    private DocumentProcessorServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DocumentProcessorServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DocumentProcessorServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Parses a document and splits its text into chunks in one call.
     * Errors: INVALID_ARGUMENT for an unsupported content type (reason
     * UNSUPPORTED_CONTENT_TYPE), content that cannot be decoded or parsed
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED when the content exceeds 16 MiB (reason
     * CONTENT_TOO_LARGE); UNAVAILABLE when CHUNKING_STRATEGY_SEMANTIC is
     * requested and EmbeddingService cannot be reached (retry with backoff);
     * DEADLINE_EXCEEDED when the call's deadline expires.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ProcessDocumentResponse processDocument(dev.ragmesh.rag.v1.ProcessDocumentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getProcessDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Parses a document into plain text and its section structure without
     * chunking it. Use it to inspect what ProcessDocument would chunk.
     * Errors: as ProcessDocument, minus those about chunking options.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ParseDocumentResponse parseDocument(dev.ragmesh.rag.v1.ParseDocumentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getParseDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Splits text that is already plain into chunks. No parsing happens, so the
     * chunks carry no section path and MODALITY_TEXT.
     * Errors: INVALID_ARGUMENT for invalid chunking options or text that is not
     * valid UTF-8; RESOURCE_EXHAUSTED when the text exceeds 16 MiB of UTF-8
     * (reason CONTENT_TOO_LARGE); UNAVAILABLE and DEADLINE_EXCEEDED as in
     * ProcessDocument.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ChunkTextResponse chunkText(dev.ragmesh.rag.v1.ChunkTextRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getChunkTextMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service DocumentProcessorService.
   * <pre>
   * Turns raw documents into plain text and chunks. Stateless: nothing is
   * stored, so every RPC is idempotent and safe to retry; the same input and
   * options always yield the same output (chunk ids included).
   * Supported `Document.content_type` values: "text/plain" (also used when
   * empty), "text/markdown", "text/html" and "application/pdf", parsed here;
   * plus "image/png", "image/jpeg", "image/tiff", "text/csv" and
   * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", and
   * PDFs with a scanned page (one without a text layer), which this service
   * sends to MultiModalService: their chunks carry its modality, location
   * ("page=2", "sheet=Q1!A1:D20") and metadata ("ocr_confidence"), are sized
   * by `chunk_size` only (at least 200 characters), and fail with UNAVAILABLE
   * while MultiModalService is down. Text-layer PDF chunks carry MODALITY_PDF
   * and "page=N". Text content must be UTF-8 unless the type carries a
   * `charset` parameter.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-writer` (this service is part of the ingest path).
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Message sizes: requests may carry up to 16 MiB of content. Responses for
   * large documents exceed gRPC's default 4 MiB receive limit: clients should
   * raise their maximum receive message size (64 MiB suffices).
   * </pre>
   */
  public static final class DocumentProcessorServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<DocumentProcessorServiceBlockingStub> {
    private DocumentProcessorServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DocumentProcessorServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DocumentProcessorServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Parses a document and splits its text into chunks in one call.
     * Errors: INVALID_ARGUMENT for an unsupported content type (reason
     * UNSUPPORTED_CONTENT_TYPE), content that cannot be decoded or parsed
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED when the content exceeds 16 MiB (reason
     * CONTENT_TOO_LARGE); UNAVAILABLE when CHUNKING_STRATEGY_SEMANTIC is
     * requested and EmbeddingService cannot be reached (retry with backoff);
     * DEADLINE_EXCEEDED when the call's deadline expires.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ProcessDocumentResponse processDocument(dev.ragmesh.rag.v1.ProcessDocumentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getProcessDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Parses a document into plain text and its section structure without
     * chunking it. Use it to inspect what ProcessDocument would chunk.
     * Errors: as ProcessDocument, minus those about chunking options.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ParseDocumentResponse parseDocument(dev.ragmesh.rag.v1.ParseDocumentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getParseDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Splits text that is already plain into chunks. No parsing happens, so the
     * chunks carry no section path and MODALITY_TEXT.
     * Errors: INVALID_ARGUMENT for invalid chunking options or text that is not
     * valid UTF-8; RESOURCE_EXHAUSTED when the text exceeds 16 MiB of UTF-8
     * (reason CONTENT_TOO_LARGE); UNAVAILABLE and DEADLINE_EXCEEDED as in
     * ProcessDocument.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ChunkTextResponse chunkText(dev.ragmesh.rag.v1.ChunkTextRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getChunkTextMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service DocumentProcessorService.
   * <pre>
   * Turns raw documents into plain text and chunks. Stateless: nothing is
   * stored, so every RPC is idempotent and safe to retry; the same input and
   * options always yield the same output (chunk ids included).
   * Supported `Document.content_type` values: "text/plain" (also used when
   * empty), "text/markdown", "text/html" and "application/pdf", parsed here;
   * plus "image/png", "image/jpeg", "image/tiff", "text/csv" and
   * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", and
   * PDFs with a scanned page (one without a text layer), which this service
   * sends to MultiModalService: their chunks carry its modality, location
   * ("page=2", "sheet=Q1!A1:D20") and metadata ("ocr_confidence"), are sized
   * by `chunk_size` only (at least 200 characters), and fail with UNAVAILABLE
   * while MultiModalService is down. Text-layer PDF chunks carry MODALITY_PDF
   * and "page=N". Text content must be UTF-8 unless the type carries a
   * `charset` parameter.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-writer` (this service is part of the ingest path).
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Message sizes: requests may carry up to 16 MiB of content. Responses for
   * large documents exceed gRPC's default 4 MiB receive limit: clients should
   * raise their maximum receive message size (64 MiB suffices).
   * </pre>
   */
  public static final class DocumentProcessorServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<DocumentProcessorServiceFutureStub> {
    private DocumentProcessorServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected DocumentProcessorServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new DocumentProcessorServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Parses a document and splits its text into chunks in one call.
     * Errors: INVALID_ARGUMENT for an unsupported content type (reason
     * UNSUPPORTED_CONTENT_TYPE), content that cannot be decoded or parsed
     * (reason UNDECODABLE_CONTENT) or invalid chunking options;
     * RESOURCE_EXHAUSTED when the content exceeds 16 MiB (reason
     * CONTENT_TOO_LARGE); UNAVAILABLE when CHUNKING_STRATEGY_SEMANTIC is
     * requested and EmbeddingService cannot be reached (retry with backoff);
     * DEADLINE_EXCEEDED when the call's deadline expires.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ProcessDocumentResponse> processDocument(
        dev.ragmesh.rag.v1.ProcessDocumentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getProcessDocumentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Parses a document into plain text and its section structure without
     * chunking it. Use it to inspect what ProcessDocument would chunk.
     * Errors: as ProcessDocument, minus those about chunking options.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ParseDocumentResponse> parseDocument(
        dev.ragmesh.rag.v1.ParseDocumentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getParseDocumentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Splits text that is already plain into chunks. No parsing happens, so the
     * chunks carry no section path and MODALITY_TEXT.
     * Errors: INVALID_ARGUMENT for invalid chunking options or text that is not
     * valid UTF-8; RESOURCE_EXHAUSTED when the text exceeds 16 MiB of UTF-8
     * (reason CONTENT_TOO_LARGE); UNAVAILABLE and DEADLINE_EXCEEDED as in
     * ProcessDocument.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ChunkTextResponse> chunkText(
        dev.ragmesh.rag.v1.ChunkTextRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getChunkTextMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_PROCESS_DOCUMENT = 0;
  private static final int METHODID_PARSE_DOCUMENT = 1;
  private static final int METHODID_CHUNK_TEXT = 2;

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
        case METHODID_PROCESS_DOCUMENT:
          serviceImpl.processDocument((dev.ragmesh.rag.v1.ProcessDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ProcessDocumentResponse>) responseObserver);
          break;
        case METHODID_PARSE_DOCUMENT:
          serviceImpl.parseDocument((dev.ragmesh.rag.v1.ParseDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ParseDocumentResponse>) responseObserver);
          break;
        case METHODID_CHUNK_TEXT:
          serviceImpl.chunkText((dev.ragmesh.rag.v1.ChunkTextRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ChunkTextResponse>) responseObserver);
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
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getProcessDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ProcessDocumentRequest,
              dev.ragmesh.rag.v1.ProcessDocumentResponse>(
                service, METHODID_PROCESS_DOCUMENT)))
        .addMethod(
          getParseDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ParseDocumentRequest,
              dev.ragmesh.rag.v1.ParseDocumentResponse>(
                service, METHODID_PARSE_DOCUMENT)))
        .addMethod(
          getChunkTextMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ChunkTextRequest,
              dev.ragmesh.rag.v1.ChunkTextResponse>(
                service, METHODID_CHUNK_TEXT)))
        .build();
  }

  private static abstract class DocumentProcessorServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    DocumentProcessorServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.DocumentProcessor.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("DocumentProcessorService");
    }
  }

  private static final class DocumentProcessorServiceFileDescriptorSupplier
      extends DocumentProcessorServiceBaseDescriptorSupplier {
    DocumentProcessorServiceFileDescriptorSupplier() {}
  }

  private static final class DocumentProcessorServiceMethodDescriptorSupplier
      extends DocumentProcessorServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    DocumentProcessorServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (DocumentProcessorServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new DocumentProcessorServiceFileDescriptorSupplier())
              .addMethod(getProcessDocumentMethod())
              .addMethod(getParseDocumentMethod())
              .addMethod(getChunkTextMethod())
              .build();
        }
      }
    }
    return result;
  }
}
