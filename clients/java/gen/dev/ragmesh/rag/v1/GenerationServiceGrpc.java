package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Writes answers grounded in retrieved chunks, with numbered citations.
 * Three generators may be available: extractive (always; selects and joins
 * the most relevant sentences of the contexts, no language model), a local
 * transformers causal language model, and an OpenAI-compatible endpoint. The
 * last two exist only when configured on the server; asking for one that is
 * not configured fails with FAILED_PRECONDITION (reason
 * GENERATOR_NOT_CONFIGURED).
 * Answers only use the supplied contexts; a citation always points to one of
 * them. No side effects: every RPC is safe to retry, though a language model
 * with temperature above 0 may answer differently each time.
 * Authentication: every RPC requires a bearer token from the Keycloak realm
 * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
 * `rag-reader`. Missing or invalid token: UNAUTHENTICATED; missing role:
 * PERMISSION_DENIED.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class GenerationServiceGrpc {

  private GenerationServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.GenerationService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateRequest,
      dev.ragmesh.rag.v1.GenerateResponse> getGenerateMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Generate",
      requestType = dev.ragmesh.rag.v1.GenerateRequest.class,
      responseType = dev.ragmesh.rag.v1.GenerateResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateRequest,
      dev.ragmesh.rag.v1.GenerateResponse> getGenerateMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateRequest, dev.ragmesh.rag.v1.GenerateResponse> getGenerateMethod;
    if ((getGenerateMethod = GenerationServiceGrpc.getGenerateMethod) == null) {
      synchronized (GenerationServiceGrpc.class) {
        if ((getGenerateMethod = GenerationServiceGrpc.getGenerateMethod) == null) {
          GenerationServiceGrpc.getGenerateMethod = getGenerateMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GenerateRequest, dev.ragmesh.rag.v1.GenerateResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Generate"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GenerateRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GenerateResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GenerationServiceMethodDescriptorSupplier("Generate"))
              .build();
        }
      }
    }
    return getGenerateMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateStreamRequest,
      dev.ragmesh.rag.v1.GenerateStreamResponse> getGenerateStreamMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GenerateStream",
      requestType = dev.ragmesh.rag.v1.GenerateStreamRequest.class,
      responseType = dev.ragmesh.rag.v1.GenerateStreamResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateStreamRequest,
      dev.ragmesh.rag.v1.GenerateStreamResponse> getGenerateStreamMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateStreamRequest, dev.ragmesh.rag.v1.GenerateStreamResponse> getGenerateStreamMethod;
    if ((getGenerateStreamMethod = GenerationServiceGrpc.getGenerateStreamMethod) == null) {
      synchronized (GenerationServiceGrpc.class) {
        if ((getGenerateStreamMethod = GenerationServiceGrpc.getGenerateStreamMethod) == null) {
          GenerationServiceGrpc.getGenerateStreamMethod = getGenerateStreamMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GenerateStreamRequest, dev.ragmesh.rag.v1.GenerateStreamResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GenerateStream"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GenerateStreamRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GenerateStreamResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GenerationServiceMethodDescriptorSupplier("GenerateStream"))
              .build();
        }
      }
    }
    return getGenerateStreamMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest,
      dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse> getGenerateHypotheticalDocumentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GenerateHypotheticalDocument",
      requestType = dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest.class,
      responseType = dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest,
      dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse> getGenerateHypotheticalDocumentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest, dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse> getGenerateHypotheticalDocumentMethod;
    if ((getGenerateHypotheticalDocumentMethod = GenerationServiceGrpc.getGenerateHypotheticalDocumentMethod) == null) {
      synchronized (GenerationServiceGrpc.class) {
        if ((getGenerateHypotheticalDocumentMethod = GenerationServiceGrpc.getGenerateHypotheticalDocumentMethod) == null) {
          GenerationServiceGrpc.getGenerateHypotheticalDocumentMethod = getGenerateHypotheticalDocumentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest, dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GenerateHypotheticalDocument"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GenerationServiceMethodDescriptorSupplier("GenerateHypotheticalDocument"))
              .build();
        }
      }
    }
    return getGenerateHypotheticalDocumentMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static GenerationServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GenerationServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GenerationServiceStub>() {
        @java.lang.Override
        public GenerationServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GenerationServiceStub(channel, callOptions);
        }
      };
    return GenerationServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static GenerationServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GenerationServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GenerationServiceBlockingV2Stub>() {
        @java.lang.Override
        public GenerationServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GenerationServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return GenerationServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static GenerationServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GenerationServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GenerationServiceBlockingStub>() {
        @java.lang.Override
        public GenerationServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GenerationServiceBlockingStub(channel, callOptions);
        }
      };
    return GenerationServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static GenerationServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GenerationServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GenerationServiceFutureStub>() {
        @java.lang.Override
        public GenerationServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GenerationServiceFutureStub(channel, callOptions);
        }
      };
    return GenerationServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Writes answers grounded in retrieved chunks, with numbered citations.
   * Three generators may be available: extractive (always; selects and joins
   * the most relevant sentences of the contexts, no language model), a local
   * transformers causal language model, and an OpenAI-compatible endpoint. The
   * last two exist only when configured on the server; asking for one that is
   * not configured fails with FAILED_PRECONDITION (reason
   * GENERATOR_NOT_CONFIGURED).
   * Answers only use the supplied contexts; a citation always points to one of
   * them. No side effects: every RPC is safe to retry, though a language model
   * with temperature above 0 may answer differently each time.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Answers a question from the given contexts in one response.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, more than 100 contexts, or options out of range;
     * FAILED_PRECONDITION when the requested generator is not configured;
     * RESOURCE_EXHAUSTED when the generator is saturated or the
     * OpenAI-compatible endpoint rate-limits (retry after the RetryInfo delay);
     * UNAVAILABLE when the OpenAI-compatible endpoint cannot be reached;
     * DEADLINE_EXCEEDED when the deadline expires before the answer is
     * complete.
     * </pre>
     */
    default void generate(dev.ragmesh.rag.v1.GenerateRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGenerateMethod(), responseObserver);
    }

    /**
     * <pre>
     * Answers like Generate, streaming the text as it is produced. The stream
     * carries text deltas and citations in production order and ends with
     * exactly one summary. Errors are as in Generate; an error after the first
     * message ends the stream with that status and is not retried by the mesh,
     * so a client that retries must discard the partial answer.
     * </pre>
     */
    default void generateStream(dev.ragmesh.rag.v1.GenerateStreamRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateStreamResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGenerateStreamMethod(), responseObserver);
    }

    /**
     * <pre>
     * Writes a short passage that a document answering the question might
     * contain, for HyDE query enhancement. Needs a generative model.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, GENERATOR_EXTRACTIVE, or `max_tokens` out of range;
     * FAILED_PRECONDITION when no generative model is configured (or not the
     * requested one); RESOURCE_EXHAUSTED, UNAVAILABLE and DEADLINE_EXCEEDED as
     * in Generate.
     * </pre>
     */
    default void generateHypotheticalDocument(dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGenerateHypotheticalDocumentMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service GenerationService.
   * <pre>
   * Writes answers grounded in retrieved chunks, with numbered citations.
   * Three generators may be available: extractive (always; selects and joins
   * the most relevant sentences of the contexts, no language model), a local
   * transformers causal language model, and an OpenAI-compatible endpoint. The
   * last two exist only when configured on the server; asking for one that is
   * not configured fails with FAILED_PRECONDITION (reason
   * GENERATOR_NOT_CONFIGURED).
   * Answers only use the supplied contexts; a citation always points to one of
   * them. No side effects: every RPC is safe to retry, though a language model
   * with temperature above 0 may answer differently each time.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * </pre>
   */
  public static abstract class GenerationServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return GenerationServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service GenerationService.
   * <pre>
   * Writes answers grounded in retrieved chunks, with numbered citations.
   * Three generators may be available: extractive (always; selects and joins
   * the most relevant sentences of the contexts, no language model), a local
   * transformers causal language model, and an OpenAI-compatible endpoint. The
   * last two exist only when configured on the server; asking for one that is
   * not configured fails with FAILED_PRECONDITION (reason
   * GENERATOR_NOT_CONFIGURED).
   * Answers only use the supplied contexts; a citation always points to one of
   * them. No side effects: every RPC is safe to retry, though a language model
   * with temperature above 0 may answer differently each time.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * </pre>
   */
  public static final class GenerationServiceStub
      extends io.grpc.stub.AbstractAsyncStub<GenerationServiceStub> {
    private GenerationServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GenerationServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GenerationServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Answers a question from the given contexts in one response.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, more than 100 contexts, or options out of range;
     * FAILED_PRECONDITION when the requested generator is not configured;
     * RESOURCE_EXHAUSTED when the generator is saturated or the
     * OpenAI-compatible endpoint rate-limits (retry after the RetryInfo delay);
     * UNAVAILABLE when the OpenAI-compatible endpoint cannot be reached;
     * DEADLINE_EXCEEDED when the deadline expires before the answer is
     * complete.
     * </pre>
     */
    public void generate(dev.ragmesh.rag.v1.GenerateRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGenerateMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Answers like Generate, streaming the text as it is produced. The stream
     * carries text deltas and citations in production order and ends with
     * exactly one summary. Errors are as in Generate; an error after the first
     * message ends the stream with that status and is not retried by the mesh,
     * so a client that retries must discard the partial answer.
     * </pre>
     */
    public void generateStream(dev.ragmesh.rag.v1.GenerateStreamRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateStreamResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getGenerateStreamMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Writes a short passage that a document answering the question might
     * contain, for HyDE query enhancement. Needs a generative model.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, GENERATOR_EXTRACTIVE, or `max_tokens` out of range;
     * FAILED_PRECONDITION when no generative model is configured (or not the
     * requested one); RESOURCE_EXHAUSTED, UNAVAILABLE and DEADLINE_EXCEEDED as
     * in Generate.
     * </pre>
     */
    public void generateHypotheticalDocument(dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGenerateHypotheticalDocumentMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service GenerationService.
   * <pre>
   * Writes answers grounded in retrieved chunks, with numbered citations.
   * Three generators may be available: extractive (always; selects and joins
   * the most relevant sentences of the contexts, no language model), a local
   * transformers causal language model, and an OpenAI-compatible endpoint. The
   * last two exist only when configured on the server; asking for one that is
   * not configured fails with FAILED_PRECONDITION (reason
   * GENERATOR_NOT_CONFIGURED).
   * Answers only use the supplied contexts; a citation always points to one of
   * them. No side effects: every RPC is safe to retry, though a language model
   * with temperature above 0 may answer differently each time.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * </pre>
   */
  public static final class GenerationServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<GenerationServiceBlockingV2Stub> {
    private GenerationServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GenerationServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GenerationServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Answers a question from the given contexts in one response.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, more than 100 contexts, or options out of range;
     * FAILED_PRECONDITION when the requested generator is not configured;
     * RESOURCE_EXHAUSTED when the generator is saturated or the
     * OpenAI-compatible endpoint rate-limits (retry after the RetryInfo delay);
     * UNAVAILABLE when the OpenAI-compatible endpoint cannot be reached;
     * DEADLINE_EXCEEDED when the deadline expires before the answer is
     * complete.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GenerateResponse generate(dev.ragmesh.rag.v1.GenerateRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGenerateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Answers like Generate, streaming the text as it is produced. The stream
     * carries text deltas and citations in production order and ends with
     * exactly one summary. Errors are as in Generate; an error after the first
     * message ends the stream with that status and is not retried by the mesh,
     * so a client that retries must discard the partial answer.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.ragmesh.rag.v1.GenerateStreamResponse>
        generateStream(dev.ragmesh.rag.v1.GenerateStreamRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getGenerateStreamMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Writes a short passage that a document answering the question might
     * contain, for HyDE query enhancement. Needs a generative model.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, GENERATOR_EXTRACTIVE, or `max_tokens` out of range;
     * FAILED_PRECONDITION when no generative model is configured (or not the
     * requested one); RESOURCE_EXHAUSTED, UNAVAILABLE and DEADLINE_EXCEEDED as
     * in Generate.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse generateHypotheticalDocument(dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGenerateHypotheticalDocumentMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service GenerationService.
   * <pre>
   * Writes answers grounded in retrieved chunks, with numbered citations.
   * Three generators may be available: extractive (always; selects and joins
   * the most relevant sentences of the contexts, no language model), a local
   * transformers causal language model, and an OpenAI-compatible endpoint. The
   * last two exist only when configured on the server; asking for one that is
   * not configured fails with FAILED_PRECONDITION (reason
   * GENERATOR_NOT_CONFIGURED).
   * Answers only use the supplied contexts; a citation always points to one of
   * them. No side effects: every RPC is safe to retry, though a language model
   * with temperature above 0 may answer differently each time.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * </pre>
   */
  public static final class GenerationServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<GenerationServiceBlockingStub> {
    private GenerationServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GenerationServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GenerationServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Answers a question from the given contexts in one response.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, more than 100 contexts, or options out of range;
     * FAILED_PRECONDITION when the requested generator is not configured;
     * RESOURCE_EXHAUSTED when the generator is saturated or the
     * OpenAI-compatible endpoint rate-limits (retry after the RetryInfo delay);
     * UNAVAILABLE when the OpenAI-compatible endpoint cannot be reached;
     * DEADLINE_EXCEEDED when the deadline expires before the answer is
     * complete.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GenerateResponse generate(dev.ragmesh.rag.v1.GenerateRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGenerateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Answers like Generate, streaming the text as it is produced. The stream
     * carries text deltas and citations in production order and ends with
     * exactly one summary. Errors are as in Generate; an error after the first
     * message ends the stream with that status and is not retried by the mesh,
     * so a client that retries must discard the partial answer.
     * </pre>
     */
    public java.util.Iterator<dev.ragmesh.rag.v1.GenerateStreamResponse> generateStream(
        dev.ragmesh.rag.v1.GenerateStreamRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getGenerateStreamMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Writes a short passage that a document answering the question might
     * contain, for HyDE query enhancement. Needs a generative model.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, GENERATOR_EXTRACTIVE, or `max_tokens` out of range;
     * FAILED_PRECONDITION when no generative model is configured (or not the
     * requested one); RESOURCE_EXHAUSTED, UNAVAILABLE and DEADLINE_EXCEEDED as
     * in Generate.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse generateHypotheticalDocument(dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGenerateHypotheticalDocumentMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service GenerationService.
   * <pre>
   * Writes answers grounded in retrieved chunks, with numbered citations.
   * Three generators may be available: extractive (always; selects and joins
   * the most relevant sentences of the contexts, no language model), a local
   * transformers causal language model, and an OpenAI-compatible endpoint. The
   * last two exist only when configured on the server; asking for one that is
   * not configured fails with FAILED_PRECONDITION (reason
   * GENERATOR_NOT_CONFIGURED).
   * Answers only use the supplied contexts; a citation always points to one of
   * them. No side effects: every RPC is safe to retry, though a language model
   * with temperature above 0 may answer differently each time.
   * Authentication: every RPC requires a bearer token from the Keycloak realm
   * `ragmesh` in the `authorization` metadata ("Bearer &lt;JWT&gt;") with the role
   * `rag-reader`. Missing or invalid token: UNAUTHENTICATED; missing role:
   * PERMISSION_DENIED.
   * </pre>
   */
  public static final class GenerationServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<GenerationServiceFutureStub> {
    private GenerationServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GenerationServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GenerationServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Answers a question from the given contexts in one response.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, more than 100 contexts, or options out of range;
     * FAILED_PRECONDITION when the requested generator is not configured;
     * RESOURCE_EXHAUSTED when the generator is saturated or the
     * OpenAI-compatible endpoint rate-limits (retry after the RetryInfo delay);
     * UNAVAILABLE when the OpenAI-compatible endpoint cannot be reached;
     * DEADLINE_EXCEEDED when the deadline expires before the answer is
     * complete.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GenerateResponse> generate(
        dev.ragmesh.rag.v1.GenerateRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGenerateMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Writes a short passage that a document answering the question might
     * contain, for HyDE query enhancement. Needs a generative model.
     * Errors: INVALID_ARGUMENT for an empty question or one over 2000
     * characters, GENERATOR_EXTRACTIVE, or `max_tokens` out of range;
     * FAILED_PRECONDITION when no generative model is configured (or not the
     * requested one); RESOURCE_EXHAUSTED, UNAVAILABLE and DEADLINE_EXCEEDED as
     * in Generate.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse> generateHypotheticalDocument(
        dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGenerateHypotheticalDocumentMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GENERATE = 0;
  private static final int METHODID_GENERATE_STREAM = 1;
  private static final int METHODID_GENERATE_HYPOTHETICAL_DOCUMENT = 2;

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
        case METHODID_GENERATE:
          serviceImpl.generate((dev.ragmesh.rag.v1.GenerateRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateResponse>) responseObserver);
          break;
        case METHODID_GENERATE_STREAM:
          serviceImpl.generateStream((dev.ragmesh.rag.v1.GenerateStreamRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateStreamResponse>) responseObserver);
          break;
        case METHODID_GENERATE_HYPOTHETICAL_DOCUMENT:
          serviceImpl.generateHypotheticalDocument((dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse>) responseObserver);
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
          getGenerateMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GenerateRequest,
              dev.ragmesh.rag.v1.GenerateResponse>(
                service, METHODID_GENERATE)))
        .addMethod(
          getGenerateStreamMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GenerateStreamRequest,
              dev.ragmesh.rag.v1.GenerateStreamResponse>(
                service, METHODID_GENERATE_STREAM)))
        .addMethod(
          getGenerateHypotheticalDocumentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GenerateHypotheticalDocumentRequest,
              dev.ragmesh.rag.v1.GenerateHypotheticalDocumentResponse>(
                service, METHODID_GENERATE_HYPOTHETICAL_DOCUMENT)))
        .build();
  }

  private static abstract class GenerationServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    GenerationServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.Generation.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("GenerationService");
    }
  }

  private static final class GenerationServiceFileDescriptorSupplier
      extends GenerationServiceBaseDescriptorSupplier {
    GenerationServiceFileDescriptorSupplier() {}
  }

  private static final class GenerationServiceMethodDescriptorSupplier
      extends GenerationServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    GenerationServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (GenerationServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new GenerationServiceFileDescriptorSupplier())
              .addMethod(getGenerateMethod())
              .addMethod(getGenerateStreamMethod())
              .addMethod(getGenerateHypotheticalDocumentMethod())
              .build();
        }
      }
    }
    return result;
  }
}
