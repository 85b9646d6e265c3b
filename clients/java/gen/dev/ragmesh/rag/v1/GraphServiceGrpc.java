package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * A knowledge graph of entities and relations extracted from indexed chunks,
 * used for multi-hop retrieval: from the entities of a question, follow
 * relations to find chunks that plain similarity search misses.
 * Every fact (entity mention or relation) is stored with the chunk that
 * supports it and that chunk's access groups. Readers see a fact only through
 * supporting chunks they may read: counts, document ids, chunk ids and paths
 * in every response cover only those, and an entity with no visible support
 * is NOT_FOUND. The graph is kept in step with the vector store: a replaced
 * document's old facts never mix with its new ones, and a deleted document's
 * facts disappear.
 * Authorization: rag-writer for IndexChunks and DeleteDocumentGraph,
 * rag-reader for everything else. Every method may fail with UNAUTHENTICATED
 * (no or invalid token) or PERMISSION_DENIED (missing role).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class GraphServiceGrpc {

  private GraphServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.GraphService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IndexChunksRequest,
      dev.ragmesh.rag.v1.IndexChunksResponse> getIndexChunksMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "IndexChunks",
      requestType = dev.ragmesh.rag.v1.IndexChunksRequest.class,
      responseType = dev.ragmesh.rag.v1.IndexChunksResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IndexChunksRequest,
      dev.ragmesh.rag.v1.IndexChunksResponse> getIndexChunksMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.IndexChunksRequest, dev.ragmesh.rag.v1.IndexChunksResponse> getIndexChunksMethod;
    if ((getIndexChunksMethod = GraphServiceGrpc.getIndexChunksMethod) == null) {
      synchronized (GraphServiceGrpc.class) {
        if ((getIndexChunksMethod = GraphServiceGrpc.getIndexChunksMethod) == null) {
          GraphServiceGrpc.getIndexChunksMethod = getIndexChunksMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.IndexChunksRequest, dev.ragmesh.rag.v1.IndexChunksResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "IndexChunks"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.IndexChunksRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.IndexChunksResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GraphServiceMethodDescriptorSupplier("IndexChunks"))
              .build();
        }
      }
    }
    return getIndexChunksMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteDocumentGraphRequest,
      dev.ragmesh.rag.v1.DeleteDocumentGraphResponse> getDeleteDocumentGraphMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteDocumentGraph",
      requestType = dev.ragmesh.rag.v1.DeleteDocumentGraphRequest.class,
      responseType = dev.ragmesh.rag.v1.DeleteDocumentGraphResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteDocumentGraphRequest,
      dev.ragmesh.rag.v1.DeleteDocumentGraphResponse> getDeleteDocumentGraphMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteDocumentGraphRequest, dev.ragmesh.rag.v1.DeleteDocumentGraphResponse> getDeleteDocumentGraphMethod;
    if ((getDeleteDocumentGraphMethod = GraphServiceGrpc.getDeleteDocumentGraphMethod) == null) {
      synchronized (GraphServiceGrpc.class) {
        if ((getDeleteDocumentGraphMethod = GraphServiceGrpc.getDeleteDocumentGraphMethod) == null) {
          GraphServiceGrpc.getDeleteDocumentGraphMethod = getDeleteDocumentGraphMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.DeleteDocumentGraphRequest, dev.ragmesh.rag.v1.DeleteDocumentGraphResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteDocumentGraph"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeleteDocumentGraphRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeleteDocumentGraphResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GraphServiceMethodDescriptorSupplier("DeleteDocumentGraph"))
              .build();
        }
      }
    }
    return getDeleteDocumentGraphMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ExtractEntitiesRequest,
      dev.ragmesh.rag.v1.ExtractEntitiesResponse> getExtractEntitiesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ExtractEntities",
      requestType = dev.ragmesh.rag.v1.ExtractEntitiesRequest.class,
      responseType = dev.ragmesh.rag.v1.ExtractEntitiesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ExtractEntitiesRequest,
      dev.ragmesh.rag.v1.ExtractEntitiesResponse> getExtractEntitiesMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ExtractEntitiesRequest, dev.ragmesh.rag.v1.ExtractEntitiesResponse> getExtractEntitiesMethod;
    if ((getExtractEntitiesMethod = GraphServiceGrpc.getExtractEntitiesMethod) == null) {
      synchronized (GraphServiceGrpc.class) {
        if ((getExtractEntitiesMethod = GraphServiceGrpc.getExtractEntitiesMethod) == null) {
          GraphServiceGrpc.getExtractEntitiesMethod = getExtractEntitiesMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ExtractEntitiesRequest, dev.ragmesh.rag.v1.ExtractEntitiesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ExtractEntities"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ExtractEntitiesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ExtractEntitiesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GraphServiceMethodDescriptorSupplier("ExtractEntities"))
              .build();
        }
      }
    }
    return getExtractEntitiesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.TraverseGraphRequest,
      dev.ragmesh.rag.v1.TraverseGraphResponse> getTraverseGraphMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TraverseGraph",
      requestType = dev.ragmesh.rag.v1.TraverseGraphRequest.class,
      responseType = dev.ragmesh.rag.v1.TraverseGraphResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.TraverseGraphRequest,
      dev.ragmesh.rag.v1.TraverseGraphResponse> getTraverseGraphMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.TraverseGraphRequest, dev.ragmesh.rag.v1.TraverseGraphResponse> getTraverseGraphMethod;
    if ((getTraverseGraphMethod = GraphServiceGrpc.getTraverseGraphMethod) == null) {
      synchronized (GraphServiceGrpc.class) {
        if ((getTraverseGraphMethod = GraphServiceGrpc.getTraverseGraphMethod) == null) {
          GraphServiceGrpc.getTraverseGraphMethod = getTraverseGraphMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.TraverseGraphRequest, dev.ragmesh.rag.v1.TraverseGraphResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TraverseGraph"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.TraverseGraphRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.TraverseGraphResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GraphServiceMethodDescriptorSupplier("TraverseGraph"))
              .build();
        }
      }
    }
    return getTraverseGraphMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetEntityRequest,
      dev.ragmesh.rag.v1.GetEntityResponse> getGetEntityMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetEntity",
      requestType = dev.ragmesh.rag.v1.GetEntityRequest.class,
      responseType = dev.ragmesh.rag.v1.GetEntityResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetEntityRequest,
      dev.ragmesh.rag.v1.GetEntityResponse> getGetEntityMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetEntityRequest, dev.ragmesh.rag.v1.GetEntityResponse> getGetEntityMethod;
    if ((getGetEntityMethod = GraphServiceGrpc.getGetEntityMethod) == null) {
      synchronized (GraphServiceGrpc.class) {
        if ((getGetEntityMethod = GraphServiceGrpc.getGetEntityMethod) == null) {
          GraphServiceGrpc.getGetEntityMethod = getGetEntityMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetEntityRequest, dev.ragmesh.rag.v1.GetEntityResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetEntity"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetEntityRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetEntityResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GraphServiceMethodDescriptorSupplier("GetEntity"))
              .build();
        }
      }
    }
    return getGetEntityMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListEntitiesRequest,
      dev.ragmesh.rag.v1.ListEntitiesResponse> getListEntitiesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListEntities",
      requestType = dev.ragmesh.rag.v1.ListEntitiesRequest.class,
      responseType = dev.ragmesh.rag.v1.ListEntitiesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListEntitiesRequest,
      dev.ragmesh.rag.v1.ListEntitiesResponse> getListEntitiesMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListEntitiesRequest, dev.ragmesh.rag.v1.ListEntitiesResponse> getListEntitiesMethod;
    if ((getListEntitiesMethod = GraphServiceGrpc.getListEntitiesMethod) == null) {
      synchronized (GraphServiceGrpc.class) {
        if ((getListEntitiesMethod = GraphServiceGrpc.getListEntitiesMethod) == null) {
          GraphServiceGrpc.getListEntitiesMethod = getListEntitiesMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListEntitiesRequest, dev.ragmesh.rag.v1.ListEntitiesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListEntities"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListEntitiesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListEntitiesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GraphServiceMethodDescriptorSupplier("ListEntities"))
              .build();
        }
      }
    }
    return getListEntitiesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListRelationsRequest,
      dev.ragmesh.rag.v1.ListRelationsResponse> getListRelationsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRelations",
      requestType = dev.ragmesh.rag.v1.ListRelationsRequest.class,
      responseType = dev.ragmesh.rag.v1.ListRelationsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListRelationsRequest,
      dev.ragmesh.rag.v1.ListRelationsResponse> getListRelationsMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListRelationsRequest, dev.ragmesh.rag.v1.ListRelationsResponse> getListRelationsMethod;
    if ((getListRelationsMethod = GraphServiceGrpc.getListRelationsMethod) == null) {
      synchronized (GraphServiceGrpc.class) {
        if ((getListRelationsMethod = GraphServiceGrpc.getListRelationsMethod) == null) {
          GraphServiceGrpc.getListRelationsMethod = getListRelationsMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListRelationsRequest, dev.ragmesh.rag.v1.ListRelationsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRelations"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListRelationsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListRelationsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GraphServiceMethodDescriptorSupplier("ListRelations"))
              .build();
        }
      }
    }
    return getListRelationsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static GraphServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GraphServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GraphServiceStub>() {
        @java.lang.Override
        public GraphServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GraphServiceStub(channel, callOptions);
        }
      };
    return GraphServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static GraphServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GraphServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GraphServiceBlockingV2Stub>() {
        @java.lang.Override
        public GraphServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GraphServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return GraphServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static GraphServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GraphServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GraphServiceBlockingStub>() {
        @java.lang.Override
        public GraphServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GraphServiceBlockingStub(channel, callOptions);
        }
      };
    return GraphServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static GraphServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GraphServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GraphServiceFutureStub>() {
        @java.lang.Override
        public GraphServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GraphServiceFutureStub(channel, callOptions);
        }
      };
    return GraphServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * A knowledge graph of entities and relations extracted from indexed chunks,
   * used for multi-hop retrieval: from the entities of a question, follow
   * relations to find chunks that plain similarity search misses.
   * Every fact (entity mention or relation) is stored with the chunk that
   * supports it and that chunk's access groups. Readers see a fact only through
   * supporting chunks they may read: counts, document ids, chunk ids and paths
   * in every response cover only those, and an entity with no visible support
   * is NOT_FOUND. The graph is kept in step with the vector store: a replaced
   * document's old facts never mix with its new ones, and a deleted document's
   * facts disappear.
   * Authorization: rag-writer for IndexChunks and DeleteDocumentGraph,
   * rag-reader for everything else. Every method may fail with UNAUTHENTICATED
   * (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Extracts entities and relations from chunks and stores them with the
     * chunks as their support. Facts are keyed by chunk id (which encodes the
     * chunk's content hash), so sending an already indexed chunk again changes
     * nothing: the call is idempotent and safe to retry. With
     * `replace_documents`, each document in the request switches atomically
     * from its old facts to the new ones. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty request, more than 1,000 chunks, a chunk
     * without id, document_id or text), RESOURCE_EXHAUSTED (extraction
     * capacity; retry after the RetryInfo delay), UNAVAILABLE (graph store
     * down; retry).
     * </pre>
     */
    default void indexChunks(dev.ragmesh.rag.v1.IndexChunksRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IndexChunksResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getIndexChunksMethod(), responseObserver);
    }

    /**
     * <pre>
     * Removes every fact supported by a document's chunks, regardless of the
     * caller's groups, and entities left with no supporting chunk. Deleting a
     * document that has no facts succeeds with zero counts, so the call is
     * idempotent. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty document id), UNAVAILABLE (retry).
     * </pre>
     */
    default void deleteDocumentGraph(dev.ragmesh.rag.v1.DeleteDocumentGraphRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteDocumentGraphResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteDocumentGraphMethod(), responseObserver);
    }

    /**
     * <pre>
     * Extracts entity mentions and relations from a text with the same
     * extractor IndexChunks uses, without reading or storing anything. Useful
     * to link a question's entities, or to preview extraction. Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (empty text, more than 100,000 characters).
     * </pre>
     */
    default void extractEntities(dev.ragmesh.rag.v1.ExtractEntitiesRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ExtractEntitiesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getExtractEntitiesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Multi-hop query: starts from seed entities (linked from a question,
     * named, or given by id), follows relations up to `max_hops` away, and
     * returns the best paths and the chunks that support them, ranked. Only
     * facts the caller may read are traversed. Read-only. Requires rag-reader.
     * Seeds that match no visible entity are reported in
     * `unmatched_entities`, not as an error; no seed at all yields an empty
     * result.
     * Errors: INVALID_ARGUMENT (no question, name or id; max_hops outside
     * 0-4), DEADLINE_EXCEEDED, UNAVAILABLE (retry).
     * </pre>
     */
    default void traverseGraph(dev.ragmesh.rag.v1.TraverseGraphRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.TraverseGraphResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTraverseGraphMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns one entity, by id or by name, with its most strongly supported
     * relations (capped; use ListRelations for all of them). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (neither id nor name, max_relations negative),
     * NOT_FOUND (no such entity, or none of its support is visible to the
     * caller).
     * </pre>
     */
    default void getEntity(dev.ragmesh.rag.v1.GetEntityRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetEntityResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetEntityMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists entities in ascending order of normalised name, then id, optionally
     * filtered by name prefix, type or document. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    default void listEntities(dev.ragmesh.rag.v1.ListEntitiesRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListEntitiesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListEntitiesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the relations of one entity (as subject or object), most strongly
     * supported first (support_count descending, then id). Concurrent
     * indexing can move a relation between pages. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty entity id, negative page_size, bad or
     * mismatched page_token), NOT_FOUND (entity).
     * </pre>
     */
    default void listRelations(dev.ragmesh.rag.v1.ListRelationsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListRelationsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRelationsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service GraphService.
   * <pre>
   * A knowledge graph of entities and relations extracted from indexed chunks,
   * used for multi-hop retrieval: from the entities of a question, follow
   * relations to find chunks that plain similarity search misses.
   * Every fact (entity mention or relation) is stored with the chunk that
   * supports it and that chunk's access groups. Readers see a fact only through
   * supporting chunks they may read: counts, document ids, chunk ids and paths
   * in every response cover only those, and an entity with no visible support
   * is NOT_FOUND. The graph is kept in step with the vector store: a replaced
   * document's old facts never mix with its new ones, and a deleted document's
   * facts disappear.
   * Authorization: rag-writer for IndexChunks and DeleteDocumentGraph,
   * rag-reader for everything else. Every method may fail with UNAUTHENTICATED
   * (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static abstract class GraphServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return GraphServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service GraphService.
   * <pre>
   * A knowledge graph of entities and relations extracted from indexed chunks,
   * used for multi-hop retrieval: from the entities of a question, follow
   * relations to find chunks that plain similarity search misses.
   * Every fact (entity mention or relation) is stored with the chunk that
   * supports it and that chunk's access groups. Readers see a fact only through
   * supporting chunks they may read: counts, document ids, chunk ids and paths
   * in every response cover only those, and an entity with no visible support
   * is NOT_FOUND. The graph is kept in step with the vector store: a replaced
   * document's old facts never mix with its new ones, and a deleted document's
   * facts disappear.
   * Authorization: rag-writer for IndexChunks and DeleteDocumentGraph,
   * rag-reader for everything else. Every method may fail with UNAUTHENTICATED
   * (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class GraphServiceStub
      extends io.grpc.stub.AbstractAsyncStub<GraphServiceStub> {
    private GraphServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GraphServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GraphServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Extracts entities and relations from chunks and stores them with the
     * chunks as their support. Facts are keyed by chunk id (which encodes the
     * chunk's content hash), so sending an already indexed chunk again changes
     * nothing: the call is idempotent and safe to retry. With
     * `replace_documents`, each document in the request switches atomically
     * from its old facts to the new ones. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty request, more than 1,000 chunks, a chunk
     * without id, document_id or text), RESOURCE_EXHAUSTED (extraction
     * capacity; retry after the RetryInfo delay), UNAVAILABLE (graph store
     * down; retry).
     * </pre>
     */
    public void indexChunks(dev.ragmesh.rag.v1.IndexChunksRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IndexChunksResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getIndexChunksMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Removes every fact supported by a document's chunks, regardless of the
     * caller's groups, and entities left with no supporting chunk. Deleting a
     * document that has no facts succeeds with zero counts, so the call is
     * idempotent. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty document id), UNAVAILABLE (retry).
     * </pre>
     */
    public void deleteDocumentGraph(dev.ragmesh.rag.v1.DeleteDocumentGraphRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteDocumentGraphResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteDocumentGraphMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Extracts entity mentions and relations from a text with the same
     * extractor IndexChunks uses, without reading or storing anything. Useful
     * to link a question's entities, or to preview extraction. Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (empty text, more than 100,000 characters).
     * </pre>
     */
    public void extractEntities(dev.ragmesh.rag.v1.ExtractEntitiesRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ExtractEntitiesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getExtractEntitiesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Multi-hop query: starts from seed entities (linked from a question,
     * named, or given by id), follows relations up to `max_hops` away, and
     * returns the best paths and the chunks that support them, ranked. Only
     * facts the caller may read are traversed. Read-only. Requires rag-reader.
     * Seeds that match no visible entity are reported in
     * `unmatched_entities`, not as an error; no seed at all yields an empty
     * result.
     * Errors: INVALID_ARGUMENT (no question, name or id; max_hops outside
     * 0-4), DEADLINE_EXCEEDED, UNAVAILABLE (retry).
     * </pre>
     */
    public void traverseGraph(dev.ragmesh.rag.v1.TraverseGraphRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.TraverseGraphResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTraverseGraphMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns one entity, by id or by name, with its most strongly supported
     * relations (capped; use ListRelations for all of them). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (neither id nor name, max_relations negative),
     * NOT_FOUND (no such entity, or none of its support is visible to the
     * caller).
     * </pre>
     */
    public void getEntity(dev.ragmesh.rag.v1.GetEntityRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetEntityResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetEntityMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists entities in ascending order of normalised name, then id, optionally
     * filtered by name prefix, type or document. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public void listEntities(dev.ragmesh.rag.v1.ListEntitiesRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListEntitiesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListEntitiesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists the relations of one entity (as subject or object), most strongly
     * supported first (support_count descending, then id). Concurrent
     * indexing can move a relation between pages. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty entity id, negative page_size, bad or
     * mismatched page_token), NOT_FOUND (entity).
     * </pre>
     */
    public void listRelations(dev.ragmesh.rag.v1.ListRelationsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListRelationsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRelationsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service GraphService.
   * <pre>
   * A knowledge graph of entities and relations extracted from indexed chunks,
   * used for multi-hop retrieval: from the entities of a question, follow
   * relations to find chunks that plain similarity search misses.
   * Every fact (entity mention or relation) is stored with the chunk that
   * supports it and that chunk's access groups. Readers see a fact only through
   * supporting chunks they may read: counts, document ids, chunk ids and paths
   * in every response cover only those, and an entity with no visible support
   * is NOT_FOUND. The graph is kept in step with the vector store: a replaced
   * document's old facts never mix with its new ones, and a deleted document's
   * facts disappear.
   * Authorization: rag-writer for IndexChunks and DeleteDocumentGraph,
   * rag-reader for everything else. Every method may fail with UNAUTHENTICATED
   * (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class GraphServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<GraphServiceBlockingV2Stub> {
    private GraphServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GraphServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GraphServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Extracts entities and relations from chunks and stores them with the
     * chunks as their support. Facts are keyed by chunk id (which encodes the
     * chunk's content hash), so sending an already indexed chunk again changes
     * nothing: the call is idempotent and safe to retry. With
     * `replace_documents`, each document in the request switches atomically
     * from its old facts to the new ones. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty request, more than 1,000 chunks, a chunk
     * without id, document_id or text), RESOURCE_EXHAUSTED (extraction
     * capacity; retry after the RetryInfo delay), UNAVAILABLE (graph store
     * down; retry).
     * </pre>
     */
    public dev.ragmesh.rag.v1.IndexChunksResponse indexChunks(dev.ragmesh.rag.v1.IndexChunksRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getIndexChunksMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes every fact supported by a document's chunks, regardless of the
     * caller's groups, and entities left with no supporting chunk. Deleting a
     * document that has no facts succeeds with zero counts, so the call is
     * idempotent. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty document id), UNAVAILABLE (retry).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeleteDocumentGraphResponse deleteDocumentGraph(dev.ragmesh.rag.v1.DeleteDocumentGraphRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteDocumentGraphMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Extracts entity mentions and relations from a text with the same
     * extractor IndexChunks uses, without reading or storing anything. Useful
     * to link a question's entities, or to preview extraction. Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (empty text, more than 100,000 characters).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ExtractEntitiesResponse extractEntities(dev.ragmesh.rag.v1.ExtractEntitiesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getExtractEntitiesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Multi-hop query: starts from seed entities (linked from a question,
     * named, or given by id), follows relations up to `max_hops` away, and
     * returns the best paths and the chunks that support them, ranked. Only
     * facts the caller may read are traversed. Read-only. Requires rag-reader.
     * Seeds that match no visible entity are reported in
     * `unmatched_entities`, not as an error; no seed at all yields an empty
     * result.
     * Errors: INVALID_ARGUMENT (no question, name or id; max_hops outside
     * 0-4), DEADLINE_EXCEEDED, UNAVAILABLE (retry).
     * </pre>
     */
    public dev.ragmesh.rag.v1.TraverseGraphResponse traverseGraph(dev.ragmesh.rag.v1.TraverseGraphRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getTraverseGraphMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one entity, by id or by name, with its most strongly supported
     * relations (capped; use ListRelations for all of them). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (neither id nor name, max_relations negative),
     * NOT_FOUND (no such entity, or none of its support is visible to the
     * caller).
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetEntityResponse getEntity(dev.ragmesh.rag.v1.GetEntityRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetEntityMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists entities in ascending order of normalised name, then id, optionally
     * filtered by name prefix, type or document. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListEntitiesResponse listEntities(dev.ragmesh.rag.v1.ListEntitiesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListEntitiesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the relations of one entity (as subject or object), most strongly
     * supported first (support_count descending, then id). Concurrent
     * indexing can move a relation between pages. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty entity id, negative page_size, bad or
     * mismatched page_token), NOT_FOUND (entity).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListRelationsResponse listRelations(dev.ragmesh.rag.v1.ListRelationsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListRelationsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service GraphService.
   * <pre>
   * A knowledge graph of entities and relations extracted from indexed chunks,
   * used for multi-hop retrieval: from the entities of a question, follow
   * relations to find chunks that plain similarity search misses.
   * Every fact (entity mention or relation) is stored with the chunk that
   * supports it and that chunk's access groups. Readers see a fact only through
   * supporting chunks they may read: counts, document ids, chunk ids and paths
   * in every response cover only those, and an entity with no visible support
   * is NOT_FOUND. The graph is kept in step with the vector store: a replaced
   * document's old facts never mix with its new ones, and a deleted document's
   * facts disappear.
   * Authorization: rag-writer for IndexChunks and DeleteDocumentGraph,
   * rag-reader for everything else. Every method may fail with UNAUTHENTICATED
   * (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class GraphServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<GraphServiceBlockingStub> {
    private GraphServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GraphServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GraphServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Extracts entities and relations from chunks and stores them with the
     * chunks as their support. Facts are keyed by chunk id (which encodes the
     * chunk's content hash), so sending an already indexed chunk again changes
     * nothing: the call is idempotent and safe to retry. With
     * `replace_documents`, each document in the request switches atomically
     * from its old facts to the new ones. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty request, more than 1,000 chunks, a chunk
     * without id, document_id or text), RESOURCE_EXHAUSTED (extraction
     * capacity; retry after the RetryInfo delay), UNAVAILABLE (graph store
     * down; retry).
     * </pre>
     */
    public dev.ragmesh.rag.v1.IndexChunksResponse indexChunks(dev.ragmesh.rag.v1.IndexChunksRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getIndexChunksMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes every fact supported by a document's chunks, regardless of the
     * caller's groups, and entities left with no supporting chunk. Deleting a
     * document that has no facts succeeds with zero counts, so the call is
     * idempotent. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty document id), UNAVAILABLE (retry).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeleteDocumentGraphResponse deleteDocumentGraph(dev.ragmesh.rag.v1.DeleteDocumentGraphRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteDocumentGraphMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Extracts entity mentions and relations from a text with the same
     * extractor IndexChunks uses, without reading or storing anything. Useful
     * to link a question's entities, or to preview extraction. Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (empty text, more than 100,000 characters).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ExtractEntitiesResponse extractEntities(dev.ragmesh.rag.v1.ExtractEntitiesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getExtractEntitiesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Multi-hop query: starts from seed entities (linked from a question,
     * named, or given by id), follows relations up to `max_hops` away, and
     * returns the best paths and the chunks that support them, ranked. Only
     * facts the caller may read are traversed. Read-only. Requires rag-reader.
     * Seeds that match no visible entity are reported in
     * `unmatched_entities`, not as an error; no seed at all yields an empty
     * result.
     * Errors: INVALID_ARGUMENT (no question, name or id; max_hops outside
     * 0-4), DEADLINE_EXCEEDED, UNAVAILABLE (retry).
     * </pre>
     */
    public dev.ragmesh.rag.v1.TraverseGraphResponse traverseGraph(dev.ragmesh.rag.v1.TraverseGraphRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTraverseGraphMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one entity, by id or by name, with its most strongly supported
     * relations (capped; use ListRelations for all of them). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (neither id nor name, max_relations negative),
     * NOT_FOUND (no such entity, or none of its support is visible to the
     * caller).
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetEntityResponse getEntity(dev.ragmesh.rag.v1.GetEntityRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetEntityMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists entities in ascending order of normalised name, then id, optionally
     * filtered by name prefix, type or document. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListEntitiesResponse listEntities(dev.ragmesh.rag.v1.ListEntitiesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListEntitiesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the relations of one entity (as subject or object), most strongly
     * supported first (support_count descending, then id). Concurrent
     * indexing can move a relation between pages. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty entity id, negative page_size, bad or
     * mismatched page_token), NOT_FOUND (entity).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListRelationsResponse listRelations(dev.ragmesh.rag.v1.ListRelationsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRelationsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service GraphService.
   * <pre>
   * A knowledge graph of entities and relations extracted from indexed chunks,
   * used for multi-hop retrieval: from the entities of a question, follow
   * relations to find chunks that plain similarity search misses.
   * Every fact (entity mention or relation) is stored with the chunk that
   * supports it and that chunk's access groups. Readers see a fact only through
   * supporting chunks they may read: counts, document ids, chunk ids and paths
   * in every response cover only those, and an entity with no visible support
   * is NOT_FOUND. The graph is kept in step with the vector store: a replaced
   * document's old facts never mix with its new ones, and a deleted document's
   * facts disappear.
   * Authorization: rag-writer for IndexChunks and DeleteDocumentGraph,
   * rag-reader for everything else. Every method may fail with UNAUTHENTICATED
   * (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class GraphServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<GraphServiceFutureStub> {
    private GraphServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GraphServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GraphServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Extracts entities and relations from chunks and stores them with the
     * chunks as their support. Facts are keyed by chunk id (which encodes the
     * chunk's content hash), so sending an already indexed chunk again changes
     * nothing: the call is idempotent and safe to retry. With
     * `replace_documents`, each document in the request switches atomically
     * from its old facts to the new ones. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty request, more than 1,000 chunks, a chunk
     * without id, document_id or text), RESOURCE_EXHAUSTED (extraction
     * capacity; retry after the RetryInfo delay), UNAVAILABLE (graph store
     * down; retry).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.IndexChunksResponse> indexChunks(
        dev.ragmesh.rag.v1.IndexChunksRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getIndexChunksMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Removes every fact supported by a document's chunks, regardless of the
     * caller's groups, and entities left with no supporting chunk. Deleting a
     * document that has no facts succeeds with zero counts, so the call is
     * idempotent. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty document id), UNAVAILABLE (retry).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.DeleteDocumentGraphResponse> deleteDocumentGraph(
        dev.ragmesh.rag.v1.DeleteDocumentGraphRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteDocumentGraphMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Extracts entity mentions and relations from a text with the same
     * extractor IndexChunks uses, without reading or storing anything. Useful
     * to link a question's entities, or to preview extraction. Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (empty text, more than 100,000 characters).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ExtractEntitiesResponse> extractEntities(
        dev.ragmesh.rag.v1.ExtractEntitiesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getExtractEntitiesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Multi-hop query: starts from seed entities (linked from a question,
     * named, or given by id), follows relations up to `max_hops` away, and
     * returns the best paths and the chunks that support them, ranked. Only
     * facts the caller may read are traversed. Read-only. Requires rag-reader.
     * Seeds that match no visible entity are reported in
     * `unmatched_entities`, not as an error; no seed at all yields an empty
     * result.
     * Errors: INVALID_ARGUMENT (no question, name or id; max_hops outside
     * 0-4), DEADLINE_EXCEEDED, UNAVAILABLE (retry).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.TraverseGraphResponse> traverseGraph(
        dev.ragmesh.rag.v1.TraverseGraphRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTraverseGraphMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns one entity, by id or by name, with its most strongly supported
     * relations (capped; use ListRelations for all of them). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (neither id nor name, max_relations negative),
     * NOT_FOUND (no such entity, or none of its support is visible to the
     * caller).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetEntityResponse> getEntity(
        dev.ragmesh.rag.v1.GetEntityRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetEntityMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists entities in ascending order of normalised name, then id, optionally
     * filtered by name prefix, type or document. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListEntitiesResponse> listEntities(
        dev.ragmesh.rag.v1.ListEntitiesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListEntitiesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the relations of one entity (as subject or object), most strongly
     * supported first (support_count descending, then id). Concurrent
     * indexing can move a relation between pages. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty entity id, negative page_size, bad or
     * mismatched page_token), NOT_FOUND (entity).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListRelationsResponse> listRelations(
        dev.ragmesh.rag.v1.ListRelationsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRelationsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_INDEX_CHUNKS = 0;
  private static final int METHODID_DELETE_DOCUMENT_GRAPH = 1;
  private static final int METHODID_EXTRACT_ENTITIES = 2;
  private static final int METHODID_TRAVERSE_GRAPH = 3;
  private static final int METHODID_GET_ENTITY = 4;
  private static final int METHODID_LIST_ENTITIES = 5;
  private static final int METHODID_LIST_RELATIONS = 6;

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
        case METHODID_INDEX_CHUNKS:
          serviceImpl.indexChunks((dev.ragmesh.rag.v1.IndexChunksRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.IndexChunksResponse>) responseObserver);
          break;
        case METHODID_DELETE_DOCUMENT_GRAPH:
          serviceImpl.deleteDocumentGraph((dev.ragmesh.rag.v1.DeleteDocumentGraphRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteDocumentGraphResponse>) responseObserver);
          break;
        case METHODID_EXTRACT_ENTITIES:
          serviceImpl.extractEntities((dev.ragmesh.rag.v1.ExtractEntitiesRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ExtractEntitiesResponse>) responseObserver);
          break;
        case METHODID_TRAVERSE_GRAPH:
          serviceImpl.traverseGraph((dev.ragmesh.rag.v1.TraverseGraphRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.TraverseGraphResponse>) responseObserver);
          break;
        case METHODID_GET_ENTITY:
          serviceImpl.getEntity((dev.ragmesh.rag.v1.GetEntityRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetEntityResponse>) responseObserver);
          break;
        case METHODID_LIST_ENTITIES:
          serviceImpl.listEntities((dev.ragmesh.rag.v1.ListEntitiesRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListEntitiesResponse>) responseObserver);
          break;
        case METHODID_LIST_RELATIONS:
          serviceImpl.listRelations((dev.ragmesh.rag.v1.ListRelationsRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListRelationsResponse>) responseObserver);
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
          getIndexChunksMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.IndexChunksRequest,
              dev.ragmesh.rag.v1.IndexChunksResponse>(
                service, METHODID_INDEX_CHUNKS)))
        .addMethod(
          getDeleteDocumentGraphMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.DeleteDocumentGraphRequest,
              dev.ragmesh.rag.v1.DeleteDocumentGraphResponse>(
                service, METHODID_DELETE_DOCUMENT_GRAPH)))
        .addMethod(
          getExtractEntitiesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ExtractEntitiesRequest,
              dev.ragmesh.rag.v1.ExtractEntitiesResponse>(
                service, METHODID_EXTRACT_ENTITIES)))
        .addMethod(
          getTraverseGraphMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.TraverseGraphRequest,
              dev.ragmesh.rag.v1.TraverseGraphResponse>(
                service, METHODID_TRAVERSE_GRAPH)))
        .addMethod(
          getGetEntityMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetEntityRequest,
              dev.ragmesh.rag.v1.GetEntityResponse>(
                service, METHODID_GET_ENTITY)))
        .addMethod(
          getListEntitiesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListEntitiesRequest,
              dev.ragmesh.rag.v1.ListEntitiesResponse>(
                service, METHODID_LIST_ENTITIES)))
        .addMethod(
          getListRelationsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListRelationsRequest,
              dev.ragmesh.rag.v1.ListRelationsResponse>(
                service, METHODID_LIST_RELATIONS)))
        .build();
  }

  private static abstract class GraphServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    GraphServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.Graph.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("GraphService");
    }
  }

  private static final class GraphServiceFileDescriptorSupplier
      extends GraphServiceBaseDescriptorSupplier {
    GraphServiceFileDescriptorSupplier() {}
  }

  private static final class GraphServiceMethodDescriptorSupplier
      extends GraphServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    GraphServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (GraphServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new GraphServiceFileDescriptorSupplier())
              .addMethod(getIndexChunksMethod())
              .addMethod(getDeleteDocumentGraphMethod())
              .addMethod(getExtractEntitiesMethod())
              .addMethod(getTraverseGraphMethod())
              .addMethod(getGetEntityMethod())
              .addMethod(getListEntitiesMethod())
              .addMethod(getListRelationsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
