package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Stores documents' chunks with their embeddings (Chroma underneath) and
 * searches them: dense (embedding similarity), keyword (BM25) or both fused
 * with weighted reciprocal rank fusion.
 * Consistency: a document is replaced and deleted as a unit. No search, list
 * or count ever mixes a document's old chunks with its new ones, and a deleted
 * document's chunks are never returned once DeleteDocument has returned.
 * Access control: every chunk carries its document's `access_groups`. The
 * caller's groups come from its token (forwarded through the mesh), never from
 * a request field, and filtering happens inside the store query: a document or
 * chunk the caller may not read is never returned, counted or used for
 * scoring, and reading it by id answers NOT_FOUND, exactly as if it did not
 * exist.
 * Authentication: every RPC requires a bearer token from the Keycloak realm
 * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Reads
 * (GetDocument, ListDocuments, ListChunks, CountChunks, SearchChunks) need the
 * role `rag-reader`; writes (UpsertDocument, DeleteDocument) need `rag-writer`.
 * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
 * Every RPC may fail with UNAVAILABLE when the underlying store cannot be
 * reached (retry with backoff; reads and idempotent writes are safe to retry)
 * and DEADLINE_EXCEEDED when the call's deadline expires.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class VectorStoreServiceGrpc {

  private VectorStoreServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.VectorStoreService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpsertDocumentRequest,
      dev.ragmesh.rag.v1.UpsertDocumentResponse> getUpsertDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "UpsertDocument",
      requestType = dev.ragmesh.rag.v1.UpsertDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.UpsertDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpsertDocumentRequest,
      dev.ragmesh.rag.v1.UpsertDocumentResponse> getUpsertDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpsertDocumentRequest, dev.ragmesh.rag.v1.UpsertDocumentResponse> getUpsertDocumentMethod;
    if ((getUpsertDocumentMethod = VectorStoreServiceGrpc.getUpsertDocumentMethod) == null) {
      synchronized (VectorStoreServiceGrpc.class) {
        if ((getUpsertDocumentMethod = VectorStoreServiceGrpc.getUpsertDocumentMethod) == null) {
          VectorStoreServiceGrpc.getUpsertDocumentMethod = getUpsertDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.UpsertDocumentRequest, dev.ragmesh.rag.v1.UpsertDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "UpsertDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.UpsertDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.UpsertDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VectorStoreServiceMethodDescriptorSupplier("UpsertDocument"))
              .build();
        }
      }
    }
    return getUpsertDocumentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest,
      dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse> getDeleteDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteDocument",
      requestType = dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest,
      dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse> getDeleteDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest, dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse> getDeleteDocumentMethod;
    if ((getDeleteDocumentMethod = VectorStoreServiceGrpc.getDeleteDocumentMethod) == null) {
      synchronized (VectorStoreServiceGrpc.class) {
        if ((getDeleteDocumentMethod = VectorStoreServiceGrpc.getDeleteDocumentMethod) == null) {
          VectorStoreServiceGrpc.getDeleteDocumentMethod = getDeleteDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest, dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VectorStoreServiceMethodDescriptorSupplier("DeleteDocument"))
              .build();
        }
      }
    }
    return getDeleteDocumentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest,
      dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse> getGetDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetDocument",
      requestType = dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest,
      dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse> getGetDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest, dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse> getGetDocumentMethod;
    if ((getGetDocumentMethod = VectorStoreServiceGrpc.getGetDocumentMethod) == null) {
      synchronized (VectorStoreServiceGrpc.class) {
        if ((getGetDocumentMethod = VectorStoreServiceGrpc.getGetDocumentMethod) == null) {
          VectorStoreServiceGrpc.getGetDocumentMethod = getGetDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest, dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VectorStoreServiceMethodDescriptorSupplier("GetDocument"))
              .build();
        }
      }
    }
    return getGetDocumentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest,
      dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse> getListDocumentsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListDocuments",
      requestType = dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest.class,
      responseType = dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest,
      dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse> getListDocumentsMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest, dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse> getListDocumentsMethod;
    if ((getListDocumentsMethod = VectorStoreServiceGrpc.getListDocumentsMethod) == null) {
      synchronized (VectorStoreServiceGrpc.class) {
        if ((getListDocumentsMethod = VectorStoreServiceGrpc.getListDocumentsMethod) == null) {
          VectorStoreServiceGrpc.getListDocumentsMethod = getListDocumentsMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest, dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListDocuments"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VectorStoreServiceMethodDescriptorSupplier("ListDocuments"))
              .build();
        }
      }
    }
    return getListDocumentsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListChunksRequest,
      dev.ragmesh.rag.v1.ListChunksResponse> getListChunksMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListChunks",
      requestType = dev.ragmesh.rag.v1.ListChunksRequest.class,
      responseType = dev.ragmesh.rag.v1.ListChunksResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListChunksRequest,
      dev.ragmesh.rag.v1.ListChunksResponse> getListChunksMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListChunksRequest, dev.ragmesh.rag.v1.ListChunksResponse> getListChunksMethod;
    if ((getListChunksMethod = VectorStoreServiceGrpc.getListChunksMethod) == null) {
      synchronized (VectorStoreServiceGrpc.class) {
        if ((getListChunksMethod = VectorStoreServiceGrpc.getListChunksMethod) == null) {
          VectorStoreServiceGrpc.getListChunksMethod = getListChunksMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListChunksRequest, dev.ragmesh.rag.v1.ListChunksResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListChunks"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListChunksRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListChunksResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VectorStoreServiceMethodDescriptorSupplier("ListChunks"))
              .build();
        }
      }
    }
    return getListChunksMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CountChunksRequest,
      dev.ragmesh.rag.v1.CountChunksResponse> getCountChunksMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CountChunks",
      requestType = dev.ragmesh.rag.v1.CountChunksRequest.class,
      responseType = dev.ragmesh.rag.v1.CountChunksResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CountChunksRequest,
      dev.ragmesh.rag.v1.CountChunksResponse> getCountChunksMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CountChunksRequest, dev.ragmesh.rag.v1.CountChunksResponse> getCountChunksMethod;
    if ((getCountChunksMethod = VectorStoreServiceGrpc.getCountChunksMethod) == null) {
      synchronized (VectorStoreServiceGrpc.class) {
        if ((getCountChunksMethod = VectorStoreServiceGrpc.getCountChunksMethod) == null) {
          VectorStoreServiceGrpc.getCountChunksMethod = getCountChunksMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.CountChunksRequest, dev.ragmesh.rag.v1.CountChunksResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CountChunks"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.CountChunksRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.CountChunksResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VectorStoreServiceMethodDescriptorSupplier("CountChunks"))
              .build();
        }
      }
    }
    return getCountChunksMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.SearchChunksRequest,
      dev.ragmesh.rag.v1.SearchChunksResponse> getSearchChunksMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SearchChunks",
      requestType = dev.ragmesh.rag.v1.SearchChunksRequest.class,
      responseType = dev.ragmesh.rag.v1.SearchChunksResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.SearchChunksRequest,
      dev.ragmesh.rag.v1.SearchChunksResponse> getSearchChunksMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.SearchChunksRequest, dev.ragmesh.rag.v1.SearchChunksResponse> getSearchChunksMethod;
    if ((getSearchChunksMethod = VectorStoreServiceGrpc.getSearchChunksMethod) == null) {
      synchronized (VectorStoreServiceGrpc.class) {
        if ((getSearchChunksMethod = VectorStoreServiceGrpc.getSearchChunksMethod) == null) {
          VectorStoreServiceGrpc.getSearchChunksMethod = getSearchChunksMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.SearchChunksRequest, dev.ragmesh.rag.v1.SearchChunksResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SearchChunks"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.SearchChunksRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.SearchChunksResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VectorStoreServiceMethodDescriptorSupplier("SearchChunks"))
              .build();
        }
      }
    }
    return getSearchChunksMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static VectorStoreServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<VectorStoreServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<VectorStoreServiceStub>() {
        @java.lang.Override
        public VectorStoreServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new VectorStoreServiceStub(channel, callOptions);
        }
      };
    return VectorStoreServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static VectorStoreServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<VectorStoreServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<VectorStoreServiceBlockingV2Stub>() {
        @java.lang.Override
        public VectorStoreServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new VectorStoreServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return VectorStoreServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static VectorStoreServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<VectorStoreServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<VectorStoreServiceBlockingStub>() {
        @java.lang.Override
        public VectorStoreServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new VectorStoreServiceBlockingStub(channel, callOptions);
        }
      };
    return VectorStoreServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static VectorStoreServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<VectorStoreServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<VectorStoreServiceFutureStub>() {
        @java.lang.Override
        public VectorStoreServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new VectorStoreServiceFutureStub(channel, callOptions);
        }
      };
    return VectorStoreServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Stores documents' chunks with their embeddings (Chroma underneath) and
   * searches them: dense (embedding similarity), keyword (BM25) or both fused
   * with weighted reciprocal rank fusion.
   * Consistency: a document is replaced and deleted as a unit. No search, list
   * or count ever mixes a document's old chunks with its new ones, and a deleted
   * document's chunks are never returned once DeleteDocument has returned.
   * Access control: every chunk carries its document's `access_groups`. The
   * caller's groups come from its token (forwarded through the mesh), never from
   * a request field, and filtering happens inside the store query: a document or
   * chunk the caller may not read is never returned, counted or used for
   * scoring, and reading it by id answers NOT_FOUND, exactly as if it did not
   * exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Reads
   * (GetDocument, ListDocuments, ListChunks, CountChunks, SearchChunks) need the
   * role `rag-reader`; writes (UpsertDocument, DeleteDocument) need `rag-writer`.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Every RPC may fail with UNAVAILABLE when the underlying store cannot be
   * reached (retry with backoff; reads and idempotent writes are safe to retry)
   * and DEADLINE_EXCEEDED when the call's deadline expires.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Stores a document and all its chunks, atomically replacing every chunk
     * previously stored for the same document id. Idempotent: repeating a
     * request stores the same chunks again (only `update_time` changes). When
     * concurrent upserts of one document race, one of them wins entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed document id, document
     * content present, duplicate chunk ids, a chunk of another document, or
     * embeddings of unequal length; FAILED_PRECONDITION when the embeddings'
     * length differs from the store's dimensions (reason
     * EMBEDDING_DIMENSION_MISMATCH) or `embedding_model_id` differs from the
     * store's model (reason EMBEDDING_MODEL_MISMATCH); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it;
     * RESOURCE_EXHAUSTED for more than 50,000 chunks or a request over 128 MiB.
     * </pre>
     */
    default void upsertDocument(dev.ragmesh.rag.v1.UpsertDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpsertDocumentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getUpsertDocumentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes a document and all its chunks from dense and keyword indexes.
     * Idempotent in effect; a retry after a successful delete answers
     * NOT_FOUND unless `allow_missing` is set.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    default void deleteDocument(dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteDocumentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns a stored document's metadata (never its content).
     * Errors: NOT_FOUND when no such document exists or the caller may not read
     * it; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    default void getDocument(dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse> responseObserver) {
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
    default void listDocuments(dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListDocumentsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the chunks of one document in position order, one page at a time.
     * Errors: NOT_FOUND when the document does not exist or the caller may not
     * read it; INVALID_ARGUMENT as in ListDocuments.
     * </pre>
     */
    default void listChunks(dev.ragmesh.rag.v1.ListChunksRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListChunksResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListChunksMethod(), responseObserver);
    }

    /**
     * <pre>
     * Counts the chunks, and the documents they belong to, that match optional
     * filters and that the caller may read.
     * Errors: INVALID_ARGUMENT for an invalid filter.
     * </pre>
     */
    default void countChunks(dev.ragmesh.rag.v1.CountChunksRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CountChunksResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCountChunksMethod(), responseObserver);
    }

    /**
     * <pre>
     * Searches chunks by a query: dense, keyword or hybrid (see
     * RetrievalOptions.mode). Read-only and safe to retry.
     * Errors: INVALID_ARGUMENT when neither `query` nor `query_embedding` is
     * given, when `query` is empty in a mode that needs keyword search, for a
     * query over 16,000 characters, a `query_embedding` of the wrong length, or
     * invalid retrieval options; FAILED_PRECONDITION when `embedding_model_id`
     * differs from the store's model (reason EMBEDDING_MODEL_MISMATCH);
     * UNAVAILABLE when the query must be embedded and EmbeddingService cannot be
     * reached.
     * </pre>
     */
    default void searchChunks(dev.ragmesh.rag.v1.SearchChunksRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.SearchChunksResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSearchChunksMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service VectorStoreService.
   * <pre>
   * Stores documents' chunks with their embeddings (Chroma underneath) and
   * searches them: dense (embedding similarity), keyword (BM25) or both fused
   * with weighted reciprocal rank fusion.
   * Consistency: a document is replaced and deleted as a unit. No search, list
   * or count ever mixes a document's old chunks with its new ones, and a deleted
   * document's chunks are never returned once DeleteDocument has returned.
   * Access control: every chunk carries its document's `access_groups`. The
   * caller's groups come from its token (forwarded through the mesh), never from
   * a request field, and filtering happens inside the store query: a document or
   * chunk the caller may not read is never returned, counted or used for
   * scoring, and reading it by id answers NOT_FOUND, exactly as if it did not
   * exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Reads
   * (GetDocument, ListDocuments, ListChunks, CountChunks, SearchChunks) need the
   * role `rag-reader`; writes (UpsertDocument, DeleteDocument) need `rag-writer`.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Every RPC may fail with UNAVAILABLE when the underlying store cannot be
   * reached (retry with backoff; reads and idempotent writes are safe to retry)
   * and DEADLINE_EXCEEDED when the call's deadline expires.
   * </pre>
   */
  public static abstract class VectorStoreServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return VectorStoreServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service VectorStoreService.
   * <pre>
   * Stores documents' chunks with their embeddings (Chroma underneath) and
   * searches them: dense (embedding similarity), keyword (BM25) or both fused
   * with weighted reciprocal rank fusion.
   * Consistency: a document is replaced and deleted as a unit. No search, list
   * or count ever mixes a document's old chunks with its new ones, and a deleted
   * document's chunks are never returned once DeleteDocument has returned.
   * Access control: every chunk carries its document's `access_groups`. The
   * caller's groups come from its token (forwarded through the mesh), never from
   * a request field, and filtering happens inside the store query: a document or
   * chunk the caller may not read is never returned, counted or used for
   * scoring, and reading it by id answers NOT_FOUND, exactly as if it did not
   * exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Reads
   * (GetDocument, ListDocuments, ListChunks, CountChunks, SearchChunks) need the
   * role `rag-reader`; writes (UpsertDocument, DeleteDocument) need `rag-writer`.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Every RPC may fail with UNAVAILABLE when the underlying store cannot be
   * reached (retry with backoff; reads and idempotent writes are safe to retry)
   * and DEADLINE_EXCEEDED when the call's deadline expires.
   * </pre>
   */
  public static final class VectorStoreServiceStub
      extends io.grpc.stub.AbstractAsyncStub<VectorStoreServiceStub> {
    private VectorStoreServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected VectorStoreServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new VectorStoreServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Stores a document and all its chunks, atomically replacing every chunk
     * previously stored for the same document id. Idempotent: repeating a
     * request stores the same chunks again (only `update_time` changes). When
     * concurrent upserts of one document race, one of them wins entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed document id, document
     * content present, duplicate chunk ids, a chunk of another document, or
     * embeddings of unequal length; FAILED_PRECONDITION when the embeddings'
     * length differs from the store's dimensions (reason
     * EMBEDDING_DIMENSION_MISMATCH) or `embedding_model_id` differs from the
     * store's model (reason EMBEDDING_MODEL_MISMATCH); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it;
     * RESOURCE_EXHAUSTED for more than 50,000 chunks or a request over 128 MiB.
     * </pre>
     */
    public void upsertDocument(dev.ragmesh.rag.v1.UpsertDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpsertDocumentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getUpsertDocumentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes a document and all its chunks from dense and keyword indexes.
     * Idempotent in effect; a retry after a successful delete answers
     * NOT_FOUND unless `allow_missing` is set.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public void deleteDocument(dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse> responseObserver) {
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
    public void getDocument(dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse> responseObserver) {
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
    public void listDocuments(dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListDocumentsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists the chunks of one document in position order, one page at a time.
     * Errors: NOT_FOUND when the document does not exist or the caller may not
     * read it; INVALID_ARGUMENT as in ListDocuments.
     * </pre>
     */
    public void listChunks(dev.ragmesh.rag.v1.ListChunksRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListChunksResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListChunksMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Counts the chunks, and the documents they belong to, that match optional
     * filters and that the caller may read.
     * Errors: INVALID_ARGUMENT for an invalid filter.
     * </pre>
     */
    public void countChunks(dev.ragmesh.rag.v1.CountChunksRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CountChunksResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCountChunksMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Searches chunks by a query: dense, keyword or hybrid (see
     * RetrievalOptions.mode). Read-only and safe to retry.
     * Errors: INVALID_ARGUMENT when neither `query` nor `query_embedding` is
     * given, when `query` is empty in a mode that needs keyword search, for a
     * query over 16,000 characters, a `query_embedding` of the wrong length, or
     * invalid retrieval options; FAILED_PRECONDITION when `embedding_model_id`
     * differs from the store's model (reason EMBEDDING_MODEL_MISMATCH);
     * UNAVAILABLE when the query must be embedded and EmbeddingService cannot be
     * reached.
     * </pre>
     */
    public void searchChunks(dev.ragmesh.rag.v1.SearchChunksRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.SearchChunksResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSearchChunksMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service VectorStoreService.
   * <pre>
   * Stores documents' chunks with their embeddings (Chroma underneath) and
   * searches them: dense (embedding similarity), keyword (BM25) or both fused
   * with weighted reciprocal rank fusion.
   * Consistency: a document is replaced and deleted as a unit. No search, list
   * or count ever mixes a document's old chunks with its new ones, and a deleted
   * document's chunks are never returned once DeleteDocument has returned.
   * Access control: every chunk carries its document's `access_groups`. The
   * caller's groups come from its token (forwarded through the mesh), never from
   * a request field, and filtering happens inside the store query: a document or
   * chunk the caller may not read is never returned, counted or used for
   * scoring, and reading it by id answers NOT_FOUND, exactly as if it did not
   * exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Reads
   * (GetDocument, ListDocuments, ListChunks, CountChunks, SearchChunks) need the
   * role `rag-reader`; writes (UpsertDocument, DeleteDocument) need `rag-writer`.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Every RPC may fail with UNAVAILABLE when the underlying store cannot be
   * reached (retry with backoff; reads and idempotent writes are safe to retry)
   * and DEADLINE_EXCEEDED when the call's deadline expires.
   * </pre>
   */
  public static final class VectorStoreServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<VectorStoreServiceBlockingV2Stub> {
    private VectorStoreServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected VectorStoreServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new VectorStoreServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Stores a document and all its chunks, atomically replacing every chunk
     * previously stored for the same document id. Idempotent: repeating a
     * request stores the same chunks again (only `update_time` changes). When
     * concurrent upserts of one document race, one of them wins entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed document id, document
     * content present, duplicate chunk ids, a chunk of another document, or
     * embeddings of unequal length; FAILED_PRECONDITION when the embeddings'
     * length differs from the store's dimensions (reason
     * EMBEDDING_DIMENSION_MISMATCH) or `embedding_model_id` differs from the
     * store's model (reason EMBEDDING_MODEL_MISMATCH); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it;
     * RESOURCE_EXHAUSTED for more than 50,000 chunks or a request over 128 MiB.
     * </pre>
     */
    public dev.ragmesh.rag.v1.UpsertDocumentResponse upsertDocument(dev.ragmesh.rag.v1.UpsertDocumentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getUpsertDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a document and all its chunks from dense and keyword indexes.
     * Idempotent in effect; a retry after a successful delete answers
     * NOT_FOUND unless `allow_missing` is set.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse deleteDocument(dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest request) throws io.grpc.StatusException {
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
    public dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse getDocument(dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest request) throws io.grpc.StatusException {
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
    public dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse listDocuments(dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListDocumentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the chunks of one document in position order, one page at a time.
     * Errors: NOT_FOUND when the document does not exist or the caller may not
     * read it; INVALID_ARGUMENT as in ListDocuments.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListChunksResponse listChunks(dev.ragmesh.rag.v1.ListChunksRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListChunksMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Counts the chunks, and the documents they belong to, that match optional
     * filters and that the caller may read.
     * Errors: INVALID_ARGUMENT for an invalid filter.
     * </pre>
     */
    public dev.ragmesh.rag.v1.CountChunksResponse countChunks(dev.ragmesh.rag.v1.CountChunksRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCountChunksMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Searches chunks by a query: dense, keyword or hybrid (see
     * RetrievalOptions.mode). Read-only and safe to retry.
     * Errors: INVALID_ARGUMENT when neither `query` nor `query_embedding` is
     * given, when `query` is empty in a mode that needs keyword search, for a
     * query over 16,000 characters, a `query_embedding` of the wrong length, or
     * invalid retrieval options; FAILED_PRECONDITION when `embedding_model_id`
     * differs from the store's model (reason EMBEDDING_MODEL_MISMATCH);
     * UNAVAILABLE when the query must be embedded and EmbeddingService cannot be
     * reached.
     * </pre>
     */
    public dev.ragmesh.rag.v1.SearchChunksResponse searchChunks(dev.ragmesh.rag.v1.SearchChunksRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSearchChunksMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service VectorStoreService.
   * <pre>
   * Stores documents' chunks with their embeddings (Chroma underneath) and
   * searches them: dense (embedding similarity), keyword (BM25) or both fused
   * with weighted reciprocal rank fusion.
   * Consistency: a document is replaced and deleted as a unit. No search, list
   * or count ever mixes a document's old chunks with its new ones, and a deleted
   * document's chunks are never returned once DeleteDocument has returned.
   * Access control: every chunk carries its document's `access_groups`. The
   * caller's groups come from its token (forwarded through the mesh), never from
   * a request field, and filtering happens inside the store query: a document or
   * chunk the caller may not read is never returned, counted or used for
   * scoring, and reading it by id answers NOT_FOUND, exactly as if it did not
   * exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Reads
   * (GetDocument, ListDocuments, ListChunks, CountChunks, SearchChunks) need the
   * role `rag-reader`; writes (UpsertDocument, DeleteDocument) need `rag-writer`.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Every RPC may fail with UNAVAILABLE when the underlying store cannot be
   * reached (retry with backoff; reads and idempotent writes are safe to retry)
   * and DEADLINE_EXCEEDED when the call's deadline expires.
   * </pre>
   */
  public static final class VectorStoreServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<VectorStoreServiceBlockingStub> {
    private VectorStoreServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected VectorStoreServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new VectorStoreServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Stores a document and all its chunks, atomically replacing every chunk
     * previously stored for the same document id. Idempotent: repeating a
     * request stores the same chunks again (only `update_time` changes). When
     * concurrent upserts of one document race, one of them wins entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed document id, document
     * content present, duplicate chunk ids, a chunk of another document, or
     * embeddings of unequal length; FAILED_PRECONDITION when the embeddings'
     * length differs from the store's dimensions (reason
     * EMBEDDING_DIMENSION_MISMATCH) or `embedding_model_id` differs from the
     * store's model (reason EMBEDDING_MODEL_MISMATCH); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it;
     * RESOURCE_EXHAUSTED for more than 50,000 chunks or a request over 128 MiB.
     * </pre>
     */
    public dev.ragmesh.rag.v1.UpsertDocumentResponse upsertDocument(dev.ragmesh.rag.v1.UpsertDocumentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getUpsertDocumentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a document and all its chunks from dense and keyword indexes.
     * Idempotent in effect; a retry after a successful delete answers
     * NOT_FOUND unless `allow_missing` is set.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse deleteDocument(dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest request) {
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
    public dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse getDocument(dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest request) {
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
    public dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse listDocuments(dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListDocumentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the chunks of one document in position order, one page at a time.
     * Errors: NOT_FOUND when the document does not exist or the caller may not
     * read it; INVALID_ARGUMENT as in ListDocuments.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListChunksResponse listChunks(dev.ragmesh.rag.v1.ListChunksRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListChunksMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Counts the chunks, and the documents they belong to, that match optional
     * filters and that the caller may read.
     * Errors: INVALID_ARGUMENT for an invalid filter.
     * </pre>
     */
    public dev.ragmesh.rag.v1.CountChunksResponse countChunks(dev.ragmesh.rag.v1.CountChunksRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCountChunksMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Searches chunks by a query: dense, keyword or hybrid (see
     * RetrievalOptions.mode). Read-only and safe to retry.
     * Errors: INVALID_ARGUMENT when neither `query` nor `query_embedding` is
     * given, when `query` is empty in a mode that needs keyword search, for a
     * query over 16,000 characters, a `query_embedding` of the wrong length, or
     * invalid retrieval options; FAILED_PRECONDITION when `embedding_model_id`
     * differs from the store's model (reason EMBEDDING_MODEL_MISMATCH);
     * UNAVAILABLE when the query must be embedded and EmbeddingService cannot be
     * reached.
     * </pre>
     */
    public dev.ragmesh.rag.v1.SearchChunksResponse searchChunks(dev.ragmesh.rag.v1.SearchChunksRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSearchChunksMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service VectorStoreService.
   * <pre>
   * Stores documents' chunks with their embeddings (Chroma underneath) and
   * searches them: dense (embedding similarity), keyword (BM25) or both fused
   * with weighted reciprocal rank fusion.
   * Consistency: a document is replaced and deleted as a unit. No search, list
   * or count ever mixes a document's old chunks with its new ones, and a deleted
   * document's chunks are never returned once DeleteDocument has returned.
   * Access control: every chunk carries its document's `access_groups`. The
   * caller's groups come from its token (forwarded through the mesh), never from
   * a request field, and filtering happens inside the store query: a document or
   * chunk the caller may not read is never returned, counted or used for
   * scoring, and reading it by id answers NOT_FOUND, exactly as if it did not
   * exist.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;"). Reads
   * (GetDocument, ListDocuments, ListChunks, CountChunks, SearchChunks) need the
   * role `rag-reader`; writes (UpsertDocument, DeleteDocument) need `rag-writer`.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * Every RPC may fail with UNAVAILABLE when the underlying store cannot be
   * reached (retry with backoff; reads and idempotent writes are safe to retry)
   * and DEADLINE_EXCEEDED when the call's deadline expires.
   * </pre>
   */
  public static final class VectorStoreServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<VectorStoreServiceFutureStub> {
    private VectorStoreServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected VectorStoreServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new VectorStoreServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Stores a document and all its chunks, atomically replacing every chunk
     * previously stored for the same document id. Idempotent: repeating a
     * request stores the same chunks again (only `update_time` changes). When
     * concurrent upserts of one document race, one of them wins entirely.
     * Errors: INVALID_ARGUMENT for a missing or malformed document id, document
     * content present, duplicate chunk ids, a chunk of another document, or
     * embeddings of unequal length; FAILED_PRECONDITION when the embeddings'
     * length differs from the store's dimensions (reason
     * EMBEDDING_DIMENSION_MISMATCH) or `embedding_model_id` differs from the
     * store's model (reason EMBEDDING_MODEL_MISMATCH); PERMISSION_DENIED when a
     * document with this id exists and the caller may not read it;
     * RESOURCE_EXHAUSTED for more than 50,000 chunks or a request over 128 MiB.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.UpsertDocumentResponse> upsertDocument(
        dev.ragmesh.rag.v1.UpsertDocumentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getUpsertDocumentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes a document and all its chunks from dense and keyword indexes.
     * Idempotent in effect; a retry after a successful delete answers
     * NOT_FOUND unless `allow_missing` is set.
     * Errors: NOT_FOUND when no such document exists (or the caller may not
     * read it) and `allow_missing` is false; INVALID_ARGUMENT for an empty id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse> deleteDocument(
        dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest request) {
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
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse> getDocument(
        dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest request) {
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
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse> listDocuments(
        dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListDocumentsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the chunks of one document in position order, one page at a time.
     * Errors: NOT_FOUND when the document does not exist or the caller may not
     * read it; INVALID_ARGUMENT as in ListDocuments.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListChunksResponse> listChunks(
        dev.ragmesh.rag.v1.ListChunksRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListChunksMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Counts the chunks, and the documents they belong to, that match optional
     * filters and that the caller may read.
     * Errors: INVALID_ARGUMENT for an invalid filter.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.CountChunksResponse> countChunks(
        dev.ragmesh.rag.v1.CountChunksRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCountChunksMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Searches chunks by a query: dense, keyword or hybrid (see
     * RetrievalOptions.mode). Read-only and safe to retry.
     * Errors: INVALID_ARGUMENT when neither `query` nor `query_embedding` is
     * given, when `query` is empty in a mode that needs keyword search, for a
     * query over 16,000 characters, a `query_embedding` of the wrong length, or
     * invalid retrieval options; FAILED_PRECONDITION when `embedding_model_id`
     * differs from the store's model (reason EMBEDDING_MODEL_MISMATCH);
     * UNAVAILABLE when the query must be embedded and EmbeddingService cannot be
     * reached.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.SearchChunksResponse> searchChunks(
        dev.ragmesh.rag.v1.SearchChunksRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSearchChunksMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_UPSERT_DOCUMENT = 0;
  private static final int METHODID_DELETE_DOCUMENT = 1;
  private static final int METHODID_GET_DOCUMENT = 2;
  private static final int METHODID_LIST_DOCUMENTS = 3;
  private static final int METHODID_LIST_CHUNKS = 4;
  private static final int METHODID_COUNT_CHUNKS = 5;
  private static final int METHODID_SEARCH_CHUNKS = 6;

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
        case METHODID_UPSERT_DOCUMENT:
          serviceImpl.upsertDocument((dev.ragmesh.rag.v1.UpsertDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpsertDocumentResponse>) responseObserver);
          break;
        case METHODID_DELETE_DOCUMENT:
          serviceImpl.deleteDocument((dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse>) responseObserver);
          break;
        case METHODID_GET_DOCUMENT:
          serviceImpl.getDocument((dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse>) responseObserver);
          break;
        case METHODID_LIST_DOCUMENTS:
          serviceImpl.listDocuments((dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse>) responseObserver);
          break;
        case METHODID_LIST_CHUNKS:
          serviceImpl.listChunks((dev.ragmesh.rag.v1.ListChunksRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListChunksResponse>) responseObserver);
          break;
        case METHODID_COUNT_CHUNKS:
          serviceImpl.countChunks((dev.ragmesh.rag.v1.CountChunksRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CountChunksResponse>) responseObserver);
          break;
        case METHODID_SEARCH_CHUNKS:
          serviceImpl.searchChunks((dev.ragmesh.rag.v1.SearchChunksRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.SearchChunksResponse>) responseObserver);
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
          getUpsertDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.UpsertDocumentRequest,
              dev.ragmesh.rag.v1.UpsertDocumentResponse>(
                service, METHODID_UPSERT_DOCUMENT)))
        .addMethod(
          getDeleteDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentRequest,
              dev.ragmesh.rag.v1.VectorStoreServiceDeleteDocumentResponse>(
                service, METHODID_DELETE_DOCUMENT)))
        .addMethod(
          getGetDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentRequest,
              dev.ragmesh.rag.v1.VectorStoreServiceGetDocumentResponse>(
                service, METHODID_GET_DOCUMENT)))
        .addMethod(
          getListDocumentsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsRequest,
              dev.ragmesh.rag.v1.VectorStoreServiceListDocumentsResponse>(
                service, METHODID_LIST_DOCUMENTS)))
        .addMethod(
          getListChunksMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListChunksRequest,
              dev.ragmesh.rag.v1.ListChunksResponse>(
                service, METHODID_LIST_CHUNKS)))
        .addMethod(
          getCountChunksMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.CountChunksRequest,
              dev.ragmesh.rag.v1.CountChunksResponse>(
                service, METHODID_COUNT_CHUNKS)))
        .addMethod(
          getSearchChunksMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.SearchChunksRequest,
              dev.ragmesh.rag.v1.SearchChunksResponse>(
                service, METHODID_SEARCH_CHUNKS)))
        .build();
  }

  private static abstract class VectorStoreServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    VectorStoreServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.VectorStore.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("VectorStoreService");
    }
  }

  private static final class VectorStoreServiceFileDescriptorSupplier
      extends VectorStoreServiceBaseDescriptorSupplier {
    VectorStoreServiceFileDescriptorSupplier() {}
  }

  private static final class VectorStoreServiceMethodDescriptorSupplier
      extends VectorStoreServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    VectorStoreServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (VectorStoreServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new VectorStoreServiceFileDescriptorSupplier())
              .addMethod(getUpsertDocumentMethod())
              .addMethod(getDeleteDocumentMethod())
              .addMethod(getGetDocumentMethod())
              .addMethod(getListDocumentsMethod())
              .addMethod(getListChunksMethod())
              .addMethod(getCountChunksMethod())
              .addMethod(getSearchChunksMethod())
              .build();
        }
      }
    }
    return result;
  }
}
