package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Answers a question by iterating plan -&gt; retrieve -&gt; check -&gt; refine until
 * the retrieved context is judged sufficient or the budget runs out, then
 * answers with citations and returns the full trace of steps.
 * The agent retrieves as the calling user: a chunk the caller may not read is
 * never retrieved, counted, cited or shown in the trace.
 * Authorization: rag-reader for every method. Every method may fail with
 * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AgentServiceGrpc {

  private AgentServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.AgentService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RunAgentRequest,
      dev.ragmesh.rag.v1.RunAgentResponse> getRunAgentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RunAgent",
      requestType = dev.ragmesh.rag.v1.RunAgentRequest.class,
      responseType = dev.ragmesh.rag.v1.RunAgentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RunAgentRequest,
      dev.ragmesh.rag.v1.RunAgentResponse> getRunAgentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RunAgentRequest, dev.ragmesh.rag.v1.RunAgentResponse> getRunAgentMethod;
    if ((getRunAgentMethod = AgentServiceGrpc.getRunAgentMethod) == null) {
      synchronized (AgentServiceGrpc.class) {
        if ((getRunAgentMethod = AgentServiceGrpc.getRunAgentMethod) == null) {
          AgentServiceGrpc.getRunAgentMethod = getRunAgentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.RunAgentRequest, dev.ragmesh.rag.v1.RunAgentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RunAgent"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RunAgentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RunAgentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AgentServiceMethodDescriptorSupplier("RunAgent"))
              .build();
        }
      }
    }
    return getRunAgentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RunAgentStreamRequest,
      dev.ragmesh.rag.v1.RunAgentStreamResponse> getRunAgentStreamMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RunAgentStream",
      requestType = dev.ragmesh.rag.v1.RunAgentStreamRequest.class,
      responseType = dev.ragmesh.rag.v1.RunAgentStreamResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RunAgentStreamRequest,
      dev.ragmesh.rag.v1.RunAgentStreamResponse> getRunAgentStreamMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RunAgentStreamRequest, dev.ragmesh.rag.v1.RunAgentStreamResponse> getRunAgentStreamMethod;
    if ((getRunAgentStreamMethod = AgentServiceGrpc.getRunAgentStreamMethod) == null) {
      synchronized (AgentServiceGrpc.class) {
        if ((getRunAgentStreamMethod = AgentServiceGrpc.getRunAgentStreamMethod) == null) {
          AgentServiceGrpc.getRunAgentStreamMethod = getRunAgentStreamMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.RunAgentStreamRequest, dev.ragmesh.rag.v1.RunAgentStreamResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RunAgentStream"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RunAgentStreamRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RunAgentStreamResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AgentServiceMethodDescriptorSupplier("RunAgentStream"))
              .build();
        }
      }
    }
    return getRunAgentStreamMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AgentServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AgentServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AgentServiceStub>() {
        @java.lang.Override
        public AgentServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AgentServiceStub(channel, callOptions);
        }
      };
    return AgentServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AgentServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AgentServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AgentServiceBlockingV2Stub>() {
        @java.lang.Override
        public AgentServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AgentServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AgentServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AgentServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AgentServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AgentServiceBlockingStub>() {
        @java.lang.Override
        public AgentServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AgentServiceBlockingStub(channel, callOptions);
        }
      };
    return AgentServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AgentServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AgentServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AgentServiceFutureStub>() {
        @java.lang.Override
        public AgentServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AgentServiceFutureStub(channel, callOptions);
        }
      };
    return AgentServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Answers a question by iterating plan -&gt; retrieve -&gt; check -&gt; refine until
   * the retrieved context is judged sufficient or the budget runs out, then
   * answers with citations and returns the full trace of steps.
   * The agent retrieves as the calling user: a chunk the caller may not read is
   * never retrieved, counted, cited or shown in the trace.
   * Authorization: rag-reader for every method. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Runs the agent to completion and returns the answer with its trace.
     * Running out of budget is not an error: the agent stops retrieving, still
     * answers from what it has, and sets `partial` with the reason. The time
     * budget is capped by the call deadline (the agent keeps a margin for the
     * final answer), so DEADLINE_EXCEEDED only happens when the deadline is
     * too short to answer at all. Read-only; safe to retry, but the answer may
     * differ between runs when a generative model is configured.
     * Errors: INVALID_ARGUMENT (empty or too long question, budget out of
     * range), RESOURCE_EXHAUSTED (too many concurrent runs; retry after the
     * RetryInfo delay), UNAVAILABLE (retrieval or generation is down before
     * any answer could be made; retry), DEADLINE_EXCEEDED.
     * </pre>
     */
    default void runAgent(dev.ragmesh.rag.v1.RunAgentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RunAgentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRunAgentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Same as RunAgent, but streams each step as soon as it completes, then a
     * final message with the result. The stream carries zero or more `step`
     * messages followed by exactly one `result` message, after which the server
     * closes the stream with OK. Errors are reported as the stream's status
     * (same codes as RunAgent); an error after the first message cannot be
     * retried by the mesh, so a client that retries must discard the steps it
     * already received.
     * </pre>
     */
    default void runAgentStream(dev.ragmesh.rag.v1.RunAgentStreamRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RunAgentStreamResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRunAgentStreamMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AgentService.
   * <pre>
   * Answers a question by iterating plan -&gt; retrieve -&gt; check -&gt; refine until
   * the retrieved context is judged sufficient or the budget runs out, then
   * answers with citations and returns the full trace of steps.
   * The agent retrieves as the calling user: a chunk the caller may not read is
   * never retrieved, counted, cited or shown in the trace.
   * Authorization: rag-reader for every method. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static abstract class AgentServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AgentServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AgentService.
   * <pre>
   * Answers a question by iterating plan -&gt; retrieve -&gt; check -&gt; refine until
   * the retrieved context is judged sufficient or the budget runs out, then
   * answers with citations and returns the full trace of steps.
   * The agent retrieves as the calling user: a chunk the caller may not read is
   * never retrieved, counted, cited or shown in the trace.
   * Authorization: rag-reader for every method. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class AgentServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AgentServiceStub> {
    private AgentServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AgentServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AgentServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs the agent to completion and returns the answer with its trace.
     * Running out of budget is not an error: the agent stops retrieving, still
     * answers from what it has, and sets `partial` with the reason. The time
     * budget is capped by the call deadline (the agent keeps a margin for the
     * final answer), so DEADLINE_EXCEEDED only happens when the deadline is
     * too short to answer at all. Read-only; safe to retry, but the answer may
     * differ between runs when a generative model is configured.
     * Errors: INVALID_ARGUMENT (empty or too long question, budget out of
     * range), RESOURCE_EXHAUSTED (too many concurrent runs; retry after the
     * RetryInfo delay), UNAVAILABLE (retrieval or generation is down before
     * any answer could be made; retry), DEADLINE_EXCEEDED.
     * </pre>
     */
    public void runAgent(dev.ragmesh.rag.v1.RunAgentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RunAgentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRunAgentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Same as RunAgent, but streams each step as soon as it completes, then a
     * final message with the result. The stream carries zero or more `step`
     * messages followed by exactly one `result` message, after which the server
     * closes the stream with OK. Errors are reported as the stream's status
     * (same codes as RunAgent); an error after the first message cannot be
     * retried by the mesh, so a client that retries must discard the steps it
     * already received.
     * </pre>
     */
    public void runAgentStream(dev.ragmesh.rag.v1.RunAgentStreamRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RunAgentStreamResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getRunAgentStreamMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AgentService.
   * <pre>
   * Answers a question by iterating plan -&gt; retrieve -&gt; check -&gt; refine until
   * the retrieved context is judged sufficient or the budget runs out, then
   * answers with citations and returns the full trace of steps.
   * The agent retrieves as the calling user: a chunk the caller may not read is
   * never retrieved, counted, cited or shown in the trace.
   * Authorization: rag-reader for every method. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class AgentServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AgentServiceBlockingV2Stub> {
    private AgentServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AgentServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AgentServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs the agent to completion and returns the answer with its trace.
     * Running out of budget is not an error: the agent stops retrieving, still
     * answers from what it has, and sets `partial` with the reason. The time
     * budget is capped by the call deadline (the agent keeps a margin for the
     * final answer), so DEADLINE_EXCEEDED only happens when the deadline is
     * too short to answer at all. Read-only; safe to retry, but the answer may
     * differ between runs when a generative model is configured.
     * Errors: INVALID_ARGUMENT (empty or too long question, budget out of
     * range), RESOURCE_EXHAUSTED (too many concurrent runs; retry after the
     * RetryInfo delay), UNAVAILABLE (retrieval or generation is down before
     * any answer could be made; retry), DEADLINE_EXCEEDED.
     * </pre>
     */
    public dev.ragmesh.rag.v1.RunAgentResponse runAgent(dev.ragmesh.rag.v1.RunAgentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRunAgentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Same as RunAgent, but streams each step as soon as it completes, then a
     * final message with the result. The stream carries zero or more `step`
     * messages followed by exactly one `result` message, after which the server
     * closes the stream with OK. Errors are reported as the stream's status
     * (same codes as RunAgent); an error after the first message cannot be
     * retried by the mesh, so a client that retries must discard the steps it
     * already received.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.ragmesh.rag.v1.RunAgentStreamResponse>
        runAgentStream(dev.ragmesh.rag.v1.RunAgentStreamRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getRunAgentStreamMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AgentService.
   * <pre>
   * Answers a question by iterating plan -&gt; retrieve -&gt; check -&gt; refine until
   * the retrieved context is judged sufficient or the budget runs out, then
   * answers with citations and returns the full trace of steps.
   * The agent retrieves as the calling user: a chunk the caller may not read is
   * never retrieved, counted, cited or shown in the trace.
   * Authorization: rag-reader for every method. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class AgentServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AgentServiceBlockingStub> {
    private AgentServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AgentServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AgentServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs the agent to completion and returns the answer with its trace.
     * Running out of budget is not an error: the agent stops retrieving, still
     * answers from what it has, and sets `partial` with the reason. The time
     * budget is capped by the call deadline (the agent keeps a margin for the
     * final answer), so DEADLINE_EXCEEDED only happens when the deadline is
     * too short to answer at all. Read-only; safe to retry, but the answer may
     * differ between runs when a generative model is configured.
     * Errors: INVALID_ARGUMENT (empty or too long question, budget out of
     * range), RESOURCE_EXHAUSTED (too many concurrent runs; retry after the
     * RetryInfo delay), UNAVAILABLE (retrieval or generation is down before
     * any answer could be made; retry), DEADLINE_EXCEEDED.
     * </pre>
     */
    public dev.ragmesh.rag.v1.RunAgentResponse runAgent(dev.ragmesh.rag.v1.RunAgentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRunAgentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Same as RunAgent, but streams each step as soon as it completes, then a
     * final message with the result. The stream carries zero or more `step`
     * messages followed by exactly one `result` message, after which the server
     * closes the stream with OK. Errors are reported as the stream's status
     * (same codes as RunAgent); an error after the first message cannot be
     * retried by the mesh, so a client that retries must discard the steps it
     * already received.
     * </pre>
     */
    public java.util.Iterator<dev.ragmesh.rag.v1.RunAgentStreamResponse> runAgentStream(
        dev.ragmesh.rag.v1.RunAgentStreamRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getRunAgentStreamMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AgentService.
   * <pre>
   * Answers a question by iterating plan -&gt; retrieve -&gt; check -&gt; refine until
   * the retrieved context is judged sufficient or the budget runs out, then
   * answers with citations and returns the full trace of steps.
   * The agent retrieves as the calling user: a chunk the caller may not read is
   * never retrieved, counted, cited or shown in the trace.
   * Authorization: rag-reader for every method. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class AgentServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AgentServiceFutureStub> {
    private AgentServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AgentServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AgentServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs the agent to completion and returns the answer with its trace.
     * Running out of budget is not an error: the agent stops retrieving, still
     * answers from what it has, and sets `partial` with the reason. The time
     * budget is capped by the call deadline (the agent keeps a margin for the
     * final answer), so DEADLINE_EXCEEDED only happens when the deadline is
     * too short to answer at all. Read-only; safe to retry, but the answer may
     * differ between runs when a generative model is configured.
     * Errors: INVALID_ARGUMENT (empty or too long question, budget out of
     * range), RESOURCE_EXHAUSTED (too many concurrent runs; retry after the
     * RetryInfo delay), UNAVAILABLE (retrieval or generation is down before
     * any answer could be made; retry), DEADLINE_EXCEEDED.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.RunAgentResponse> runAgent(
        dev.ragmesh.rag.v1.RunAgentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRunAgentMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_RUN_AGENT = 0;
  private static final int METHODID_RUN_AGENT_STREAM = 1;

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
        case METHODID_RUN_AGENT:
          serviceImpl.runAgent((dev.ragmesh.rag.v1.RunAgentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RunAgentResponse>) responseObserver);
          break;
        case METHODID_RUN_AGENT_STREAM:
          serviceImpl.runAgentStream((dev.ragmesh.rag.v1.RunAgentStreamRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RunAgentStreamResponse>) responseObserver);
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
          getRunAgentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.RunAgentRequest,
              dev.ragmesh.rag.v1.RunAgentResponse>(
                service, METHODID_RUN_AGENT)))
        .addMethod(
          getRunAgentStreamMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.RunAgentStreamRequest,
              dev.ragmesh.rag.v1.RunAgentStreamResponse>(
                service, METHODID_RUN_AGENT_STREAM)))
        .build();
  }

  private static abstract class AgentServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AgentServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.Agent.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AgentService");
    }
  }

  private static final class AgentServiceFileDescriptorSupplier
      extends AgentServiceBaseDescriptorSupplier {
    AgentServiceFileDescriptorSupplier() {}
  }

  private static final class AgentServiceMethodDescriptorSupplier
      extends AgentServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AgentServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (AgentServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AgentServiceFileDescriptorSupplier())
              .addMethod(getRunAgentMethod())
              .addMethod(getRunAgentStreamMethod())
              .build();
        }
      }
    }
    return result;
  }
}
