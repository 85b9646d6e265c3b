package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Rewrites a user's query into several weighted queries that retrieve better
 * together than the original alone: multi-query expansion, pseudo-relevance
 * feedback (PRF) and hypothetical document embeddings (HyDE).
 * The caller searches with every returned query and fuses the result lists
 * by weight: `text` serves keyword search and, unless `embedding` is set,
 * dense search; `embedding` (HyDE) replaces embedding `text`.
 * No side effects: safe to retry. Results are not guaranteed to be identical
 * across calls when a language model is involved.
 * Authentication: every RPC requires a bearer token from the Keycloak realm
 * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
 * `rag-reader`. The token is forwarded to the services this one calls, so PRF
 * only ever learns from chunks the caller may read.
 * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class QueryEnhancementServiceGrpc {

  private QueryEnhancementServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.QueryEnhancementService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.EnhanceQueryRequest,
      dev.ragmesh.rag.v1.EnhanceQueryResponse> getEnhanceQueryMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "EnhanceQuery",
      requestType = dev.ragmesh.rag.v1.EnhanceQueryRequest.class,
      responseType = dev.ragmesh.rag.v1.EnhanceQueryResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.EnhanceQueryRequest,
      dev.ragmesh.rag.v1.EnhanceQueryResponse> getEnhanceQueryMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.EnhanceQueryRequest, dev.ragmesh.rag.v1.EnhanceQueryResponse> getEnhanceQueryMethod;
    if ((getEnhanceQueryMethod = QueryEnhancementServiceGrpc.getEnhanceQueryMethod) == null) {
      synchronized (QueryEnhancementServiceGrpc.class) {
        if ((getEnhanceQueryMethod = QueryEnhancementServiceGrpc.getEnhanceQueryMethod) == null) {
          QueryEnhancementServiceGrpc.getEnhanceQueryMethod = getEnhanceQueryMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.EnhanceQueryRequest, dev.ragmesh.rag.v1.EnhanceQueryResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "EnhanceQuery"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.EnhanceQueryRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.EnhanceQueryResponse.getDefaultInstance()))
              .setSchemaDescriptor(new QueryEnhancementServiceMethodDescriptorSupplier("EnhanceQuery"))
              .build();
        }
      }
    }
    return getEnhanceQueryMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static QueryEnhancementServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<QueryEnhancementServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<QueryEnhancementServiceStub>() {
        @java.lang.Override
        public QueryEnhancementServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new QueryEnhancementServiceStub(channel, callOptions);
        }
      };
    return QueryEnhancementServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static QueryEnhancementServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<QueryEnhancementServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<QueryEnhancementServiceBlockingV2Stub>() {
        @java.lang.Override
        public QueryEnhancementServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new QueryEnhancementServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return QueryEnhancementServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static QueryEnhancementServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<QueryEnhancementServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<QueryEnhancementServiceBlockingStub>() {
        @java.lang.Override
        public QueryEnhancementServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new QueryEnhancementServiceBlockingStub(channel, callOptions);
        }
      };
    return QueryEnhancementServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static QueryEnhancementServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<QueryEnhancementServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<QueryEnhancementServiceFutureStub>() {
        @java.lang.Override
        public QueryEnhancementServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new QueryEnhancementServiceFutureStub(channel, callOptions);
        }
      };
    return QueryEnhancementServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Rewrites a user's query into several weighted queries that retrieve better
   * together than the original alone: multi-query expansion, pseudo-relevance
   * feedback (PRF) and hypothetical document embeddings (HyDE).
   * The caller searches with every returned query and fuses the result lists
   * by weight: `text` serves keyword search and, unless `embedding` is set,
   * dense search; `embedding` (HyDE) replaces embedding `text`.
   * No side effects: safe to retry. Results are not guaranteed to be identical
   * across calls when a language model is involved.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. The token is forwarded to the services this one calls, so PRF
   * only ever learns from chunks the caller may read.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Produces the original query plus the queries of the requested
     * strategies.
     * Errors: INVALID_ARGUMENT for an empty query or one over 2000 characters,
     * ENHANCEMENT_STRATEGY_UNSPECIFIED or a repeated strategy in `strategies`,
     * or `max_queries` out of range; FAILED_PRECONDITION when a requested
     * strategy needs a generative model and none is configured (reason
     * GENERATOR_NOT_CONFIGURED; HyDE needs one); UNAVAILABLE when a service it
     * depends on (GenerationService, EmbeddingService, VectorStoreService)
     * cannot be reached; DEADLINE_EXCEEDED when the deadline expires.
     * </pre>
     */
    default void enhanceQuery(dev.ragmesh.rag.v1.EnhanceQueryRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.EnhanceQueryResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getEnhanceQueryMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service QueryEnhancementService.
   * <pre>
   * Rewrites a user's query into several weighted queries that retrieve better
   * together than the original alone: multi-query expansion, pseudo-relevance
   * feedback (PRF) and hypothetical document embeddings (HyDE).
   * The caller searches with every returned query and fuses the result lists
   * by weight: `text` serves keyword search and, unless `embedding` is set,
   * dense search; `embedding` (HyDE) replaces embedding `text`.
   * No side effects: safe to retry. Results are not guaranteed to be identical
   * across calls when a language model is involved.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. The token is forwarded to the services this one calls, so PRF
   * only ever learns from chunks the caller may read.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * </pre>
   */
  public static abstract class QueryEnhancementServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return QueryEnhancementServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service QueryEnhancementService.
   * <pre>
   * Rewrites a user's query into several weighted queries that retrieve better
   * together than the original alone: multi-query expansion, pseudo-relevance
   * feedback (PRF) and hypothetical document embeddings (HyDE).
   * The caller searches with every returned query and fuses the result lists
   * by weight: `text` serves keyword search and, unless `embedding` is set,
   * dense search; `embedding` (HyDE) replaces embedding `text`.
   * No side effects: safe to retry. Results are not guaranteed to be identical
   * across calls when a language model is involved.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. The token is forwarded to the services this one calls, so PRF
   * only ever learns from chunks the caller may read.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * </pre>
   */
  public static final class QueryEnhancementServiceStub
      extends io.grpc.stub.AbstractAsyncStub<QueryEnhancementServiceStub> {
    private QueryEnhancementServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected QueryEnhancementServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new QueryEnhancementServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Produces the original query plus the queries of the requested
     * strategies.
     * Errors: INVALID_ARGUMENT for an empty query or one over 2000 characters,
     * ENHANCEMENT_STRATEGY_UNSPECIFIED or a repeated strategy in `strategies`,
     * or `max_queries` out of range; FAILED_PRECONDITION when a requested
     * strategy needs a generative model and none is configured (reason
     * GENERATOR_NOT_CONFIGURED; HyDE needs one); UNAVAILABLE when a service it
     * depends on (GenerationService, EmbeddingService, VectorStoreService)
     * cannot be reached; DEADLINE_EXCEEDED when the deadline expires.
     * </pre>
     */
    public void enhanceQuery(dev.ragmesh.rag.v1.EnhanceQueryRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.EnhanceQueryResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getEnhanceQueryMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service QueryEnhancementService.
   * <pre>
   * Rewrites a user's query into several weighted queries that retrieve better
   * together than the original alone: multi-query expansion, pseudo-relevance
   * feedback (PRF) and hypothetical document embeddings (HyDE).
   * The caller searches with every returned query and fuses the result lists
   * by weight: `text` serves keyword search and, unless `embedding` is set,
   * dense search; `embedding` (HyDE) replaces embedding `text`.
   * No side effects: safe to retry. Results are not guaranteed to be identical
   * across calls when a language model is involved.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. The token is forwarded to the services this one calls, so PRF
   * only ever learns from chunks the caller may read.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * </pre>
   */
  public static final class QueryEnhancementServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<QueryEnhancementServiceBlockingV2Stub> {
    private QueryEnhancementServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected QueryEnhancementServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new QueryEnhancementServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Produces the original query plus the queries of the requested
     * strategies.
     * Errors: INVALID_ARGUMENT for an empty query or one over 2000 characters,
     * ENHANCEMENT_STRATEGY_UNSPECIFIED or a repeated strategy in `strategies`,
     * or `max_queries` out of range; FAILED_PRECONDITION when a requested
     * strategy needs a generative model and none is configured (reason
     * GENERATOR_NOT_CONFIGURED; HyDE needs one); UNAVAILABLE when a service it
     * depends on (GenerationService, EmbeddingService, VectorStoreService)
     * cannot be reached; DEADLINE_EXCEEDED when the deadline expires.
     * </pre>
     */
    public dev.ragmesh.rag.v1.EnhanceQueryResponse enhanceQuery(dev.ragmesh.rag.v1.EnhanceQueryRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getEnhanceQueryMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service QueryEnhancementService.
   * <pre>
   * Rewrites a user's query into several weighted queries that retrieve better
   * together than the original alone: multi-query expansion, pseudo-relevance
   * feedback (PRF) and hypothetical document embeddings (HyDE).
   * The caller searches with every returned query and fuses the result lists
   * by weight: `text` serves keyword search and, unless `embedding` is set,
   * dense search; `embedding` (HyDE) replaces embedding `text`.
   * No side effects: safe to retry. Results are not guaranteed to be identical
   * across calls when a language model is involved.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. The token is forwarded to the services this one calls, so PRF
   * only ever learns from chunks the caller may read.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * </pre>
   */
  public static final class QueryEnhancementServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<QueryEnhancementServiceBlockingStub> {
    private QueryEnhancementServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected QueryEnhancementServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new QueryEnhancementServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Produces the original query plus the queries of the requested
     * strategies.
     * Errors: INVALID_ARGUMENT for an empty query or one over 2000 characters,
     * ENHANCEMENT_STRATEGY_UNSPECIFIED or a repeated strategy in `strategies`,
     * or `max_queries` out of range; FAILED_PRECONDITION when a requested
     * strategy needs a generative model and none is configured (reason
     * GENERATOR_NOT_CONFIGURED; HyDE needs one); UNAVAILABLE when a service it
     * depends on (GenerationService, EmbeddingService, VectorStoreService)
     * cannot be reached; DEADLINE_EXCEEDED when the deadline expires.
     * </pre>
     */
    public dev.ragmesh.rag.v1.EnhanceQueryResponse enhanceQuery(dev.ragmesh.rag.v1.EnhanceQueryRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getEnhanceQueryMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service QueryEnhancementService.
   * <pre>
   * Rewrites a user's query into several weighted queries that retrieve better
   * together than the original alone: multi-query expansion, pseudo-relevance
   * feedback (PRF) and hypothetical document embeddings (HyDE).
   * The caller searches with every returned query and fuses the result lists
   * by weight: `text` serves keyword search and, unless `embedding` is set,
   * dense search; `embedding` (HyDE) replaces embedding `text`.
   * No side effects: safe to retry. Results are not guaranteed to be identical
   * across calls when a language model is involved.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. The token is forwarded to the services this one calls, so PRF
   * only ever learns from chunks the caller may read.
   * Missing or invalid token: UNAUTHENTICATED; missing role: PERMISSION_DENIED.
   * </pre>
   */
  public static final class QueryEnhancementServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<QueryEnhancementServiceFutureStub> {
    private QueryEnhancementServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected QueryEnhancementServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new QueryEnhancementServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Produces the original query plus the queries of the requested
     * strategies.
     * Errors: INVALID_ARGUMENT for an empty query or one over 2000 characters,
     * ENHANCEMENT_STRATEGY_UNSPECIFIED or a repeated strategy in `strategies`,
     * or `max_queries` out of range; FAILED_PRECONDITION when a requested
     * strategy needs a generative model and none is configured (reason
     * GENERATOR_NOT_CONFIGURED; HyDE needs one); UNAVAILABLE when a service it
     * depends on (GenerationService, EmbeddingService, VectorStoreService)
     * cannot be reached; DEADLINE_EXCEEDED when the deadline expires.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.EnhanceQueryResponse> enhanceQuery(
        dev.ragmesh.rag.v1.EnhanceQueryRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getEnhanceQueryMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_ENHANCE_QUERY = 0;

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
        case METHODID_ENHANCE_QUERY:
          serviceImpl.enhanceQuery((dev.ragmesh.rag.v1.EnhanceQueryRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.EnhanceQueryResponse>) responseObserver);
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
          getEnhanceQueryMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.EnhanceQueryRequest,
              dev.ragmesh.rag.v1.EnhanceQueryResponse>(
                service, METHODID_ENHANCE_QUERY)))
        .build();
  }

  private static abstract class QueryEnhancementServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    QueryEnhancementServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.QueryEnhancement.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("QueryEnhancementService");
    }
  }

  private static final class QueryEnhancementServiceFileDescriptorSupplier
      extends QueryEnhancementServiceBaseDescriptorSupplier {
    QueryEnhancementServiceFileDescriptorSupplier() {}
  }

  private static final class QueryEnhancementServiceMethodDescriptorSupplier
      extends QueryEnhancementServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    QueryEnhancementServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (QueryEnhancementServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new QueryEnhancementServiceFileDescriptorSupplier())
              .addMethod(getEnhanceQueryMethod())
              .build();
        }
      }
    }
    return result;
  }
}
