package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Turns non-text content into text chunks ready to embed and index: PDF pages
 * (text layer, or OCR for scanned pages), images (OCR), and tables
 * (CSV, XLSX, HTML) rendered as text. Every chunk is tagged with its modality
 * and its location in the source. Nothing is stored.
 * Authorization: rag-writer for ExtractContent (it is part of ingestion),
 * rag-reader for ListSupportedTypes. Every method may fail with
 * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class MultiModalServiceGrpc {

  private MultiModalServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.MultiModalService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ExtractContentRequest,
      dev.ragmesh.rag.v1.ExtractContentResponse> getExtractContentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ExtractContent",
      requestType = dev.ragmesh.rag.v1.ExtractContentRequest.class,
      responseType = dev.ragmesh.rag.v1.ExtractContentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ExtractContentRequest,
      dev.ragmesh.rag.v1.ExtractContentResponse> getExtractContentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ExtractContentRequest, dev.ragmesh.rag.v1.ExtractContentResponse> getExtractContentMethod;
    if ((getExtractContentMethod = MultiModalServiceGrpc.getExtractContentMethod) == null) {
      synchronized (MultiModalServiceGrpc.class) {
        if ((getExtractContentMethod = MultiModalServiceGrpc.getExtractContentMethod) == null) {
          MultiModalServiceGrpc.getExtractContentMethod = getExtractContentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ExtractContentRequest, dev.ragmesh.rag.v1.ExtractContentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ExtractContent"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ExtractContentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ExtractContentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MultiModalServiceMethodDescriptorSupplier("ExtractContent"))
              .build();
        }
      }
    }
    return getExtractContentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListSupportedTypesRequest,
      dev.ragmesh.rag.v1.ListSupportedTypesResponse> getListSupportedTypesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListSupportedTypes",
      requestType = dev.ragmesh.rag.v1.ListSupportedTypesRequest.class,
      responseType = dev.ragmesh.rag.v1.ListSupportedTypesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListSupportedTypesRequest,
      dev.ragmesh.rag.v1.ListSupportedTypesResponse> getListSupportedTypesMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListSupportedTypesRequest, dev.ragmesh.rag.v1.ListSupportedTypesResponse> getListSupportedTypesMethod;
    if ((getListSupportedTypesMethod = MultiModalServiceGrpc.getListSupportedTypesMethod) == null) {
      synchronized (MultiModalServiceGrpc.class) {
        if ((getListSupportedTypesMethod = MultiModalServiceGrpc.getListSupportedTypesMethod) == null) {
          MultiModalServiceGrpc.getListSupportedTypesMethod = getListSupportedTypesMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListSupportedTypesRequest, dev.ragmesh.rag.v1.ListSupportedTypesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListSupportedTypes"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListSupportedTypesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListSupportedTypesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MultiModalServiceMethodDescriptorSupplier("ListSupportedTypes"))
              .build();
        }
      }
    }
    return getListSupportedTypesMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static MultiModalServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<MultiModalServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<MultiModalServiceStub>() {
        @java.lang.Override
        public MultiModalServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new MultiModalServiceStub(channel, callOptions);
        }
      };
    return MultiModalServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static MultiModalServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<MultiModalServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<MultiModalServiceBlockingV2Stub>() {
        @java.lang.Override
        public MultiModalServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new MultiModalServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return MultiModalServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static MultiModalServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<MultiModalServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<MultiModalServiceBlockingStub>() {
        @java.lang.Override
        public MultiModalServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new MultiModalServiceBlockingStub(channel, callOptions);
        }
      };
    return MultiModalServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static MultiModalServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<MultiModalServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<MultiModalServiceFutureStub>() {
        @java.lang.Override
        public MultiModalServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new MultiModalServiceFutureStub(channel, callOptions);
        }
      };
    return MultiModalServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Turns non-text content into text chunks ready to embed and index: PDF pages
   * (text layer, or OCR for scanned pages), images (OCR), and tables
   * (CSV, XLSX, HTML) rendered as text. Every chunk is tagged with its modality
   * and its location in the source. Nothing is stored.
   * Authorization: rag-writer for ExtractContent (it is part of ingestion),
   * rag-reader for ListSupportedTypes. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Extracts text chunks and metadata from one document's content. A part
     * that cannot be read (a corrupt page, an unreadable image) is reported in
     * `warnings` and skipped; the call fails only when nothing can be
     * extracted. Deterministic for the same content and options, hence
     * idempotent. OCR costs about 1-3 s per page: allow a deadline to match,
     * or limit `max_pages`. Requires rag-writer.
     * The server and the mesh accept request messages up to 33 MiB (content
     * plus envelope); clients must raise their own send limit where it is
     * lower.
     * Errors: INVALID_ARGUMENT (no document id, empty content, content over 32
     * MiB, unsupported content type (ErrorInfo reason
     * UNSUPPORTED_CONTENT_TYPE), content unreadable as its type or encrypted
     * (reason CONTENT_UNREADABLE), unknown OCR language), FAILED_PRECONDITION
     * (the content needs OCR throughout (an image, or OCR_MODE_FORCE) and OCR
     * is not available on this server; reason OCR_UNAVAILABLE; scanned pages
     * of an otherwise readable PDF only produce warnings), RESOURCE_EXHAUSTED (message over the transport
     * limit, or server busy; retry after the RetryInfo delay),
     * DEADLINE_EXCEEDED.
     * </pre>
     */
    default void extractContent(dev.ragmesh.rag.v1.ExtractContentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ExtractContentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getExtractContentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the content types this server can extract and what is available
     * for each (OCR depends on tesseract being installed on the server). The
     * list is small (one entry per MIME type) and returned whole, so it is not
     * paginated. Requires rag-reader.
     * </pre>
     */
    default void listSupportedTypes(dev.ragmesh.rag.v1.ListSupportedTypesRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListSupportedTypesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListSupportedTypesMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service MultiModalService.
   * <pre>
   * Turns non-text content into text chunks ready to embed and index: PDF pages
   * (text layer, or OCR for scanned pages), images (OCR), and tables
   * (CSV, XLSX, HTML) rendered as text. Every chunk is tagged with its modality
   * and its location in the source. Nothing is stored.
   * Authorization: rag-writer for ExtractContent (it is part of ingestion),
   * rag-reader for ListSupportedTypes. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static abstract class MultiModalServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return MultiModalServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service MultiModalService.
   * <pre>
   * Turns non-text content into text chunks ready to embed and index: PDF pages
   * (text layer, or OCR for scanned pages), images (OCR), and tables
   * (CSV, XLSX, HTML) rendered as text. Every chunk is tagged with its modality
   * and its location in the source. Nothing is stored.
   * Authorization: rag-writer for ExtractContent (it is part of ingestion),
   * rag-reader for ListSupportedTypes. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class MultiModalServiceStub
      extends io.grpc.stub.AbstractAsyncStub<MultiModalServiceStub> {
    private MultiModalServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected MultiModalServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new MultiModalServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Extracts text chunks and metadata from one document's content. A part
     * that cannot be read (a corrupt page, an unreadable image) is reported in
     * `warnings` and skipped; the call fails only when nothing can be
     * extracted. Deterministic for the same content and options, hence
     * idempotent. OCR costs about 1-3 s per page: allow a deadline to match,
     * or limit `max_pages`. Requires rag-writer.
     * The server and the mesh accept request messages up to 33 MiB (content
     * plus envelope); clients must raise their own send limit where it is
     * lower.
     * Errors: INVALID_ARGUMENT (no document id, empty content, content over 32
     * MiB, unsupported content type (ErrorInfo reason
     * UNSUPPORTED_CONTENT_TYPE), content unreadable as its type or encrypted
     * (reason CONTENT_UNREADABLE), unknown OCR language), FAILED_PRECONDITION
     * (the content needs OCR throughout (an image, or OCR_MODE_FORCE) and OCR
     * is not available on this server; reason OCR_UNAVAILABLE; scanned pages
     * of an otherwise readable PDF only produce warnings), RESOURCE_EXHAUSTED (message over the transport
     * limit, or server busy; retry after the RetryInfo delay),
     * DEADLINE_EXCEEDED.
     * </pre>
     */
    public void extractContent(dev.ragmesh.rag.v1.ExtractContentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ExtractContentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getExtractContentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists the content types this server can extract and what is available
     * for each (OCR depends on tesseract being installed on the server). The
     * list is small (one entry per MIME type) and returned whole, so it is not
     * paginated. Requires rag-reader.
     * </pre>
     */
    public void listSupportedTypes(dev.ragmesh.rag.v1.ListSupportedTypesRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListSupportedTypesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListSupportedTypesMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service MultiModalService.
   * <pre>
   * Turns non-text content into text chunks ready to embed and index: PDF pages
   * (text layer, or OCR for scanned pages), images (OCR), and tables
   * (CSV, XLSX, HTML) rendered as text. Every chunk is tagged with its modality
   * and its location in the source. Nothing is stored.
   * Authorization: rag-writer for ExtractContent (it is part of ingestion),
   * rag-reader for ListSupportedTypes. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class MultiModalServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<MultiModalServiceBlockingV2Stub> {
    private MultiModalServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected MultiModalServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new MultiModalServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Extracts text chunks and metadata from one document's content. A part
     * that cannot be read (a corrupt page, an unreadable image) is reported in
     * `warnings` and skipped; the call fails only when nothing can be
     * extracted. Deterministic for the same content and options, hence
     * idempotent. OCR costs about 1-3 s per page: allow a deadline to match,
     * or limit `max_pages`. Requires rag-writer.
     * The server and the mesh accept request messages up to 33 MiB (content
     * plus envelope); clients must raise their own send limit where it is
     * lower.
     * Errors: INVALID_ARGUMENT (no document id, empty content, content over 32
     * MiB, unsupported content type (ErrorInfo reason
     * UNSUPPORTED_CONTENT_TYPE), content unreadable as its type or encrypted
     * (reason CONTENT_UNREADABLE), unknown OCR language), FAILED_PRECONDITION
     * (the content needs OCR throughout (an image, or OCR_MODE_FORCE) and OCR
     * is not available on this server; reason OCR_UNAVAILABLE; scanned pages
     * of an otherwise readable PDF only produce warnings), RESOURCE_EXHAUSTED (message over the transport
     * limit, or server busy; retry after the RetryInfo delay),
     * DEADLINE_EXCEEDED.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ExtractContentResponse extractContent(dev.ragmesh.rag.v1.ExtractContentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getExtractContentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the content types this server can extract and what is available
     * for each (OCR depends on tesseract being installed on the server). The
     * list is small (one entry per MIME type) and returned whole, so it is not
     * paginated. Requires rag-reader.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListSupportedTypesResponse listSupportedTypes(dev.ragmesh.rag.v1.ListSupportedTypesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListSupportedTypesMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service MultiModalService.
   * <pre>
   * Turns non-text content into text chunks ready to embed and index: PDF pages
   * (text layer, or OCR for scanned pages), images (OCR), and tables
   * (CSV, XLSX, HTML) rendered as text. Every chunk is tagged with its modality
   * and its location in the source. Nothing is stored.
   * Authorization: rag-writer for ExtractContent (it is part of ingestion),
   * rag-reader for ListSupportedTypes. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class MultiModalServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<MultiModalServiceBlockingStub> {
    private MultiModalServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected MultiModalServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new MultiModalServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Extracts text chunks and metadata from one document's content. A part
     * that cannot be read (a corrupt page, an unreadable image) is reported in
     * `warnings` and skipped; the call fails only when nothing can be
     * extracted. Deterministic for the same content and options, hence
     * idempotent. OCR costs about 1-3 s per page: allow a deadline to match,
     * or limit `max_pages`. Requires rag-writer.
     * The server and the mesh accept request messages up to 33 MiB (content
     * plus envelope); clients must raise their own send limit where it is
     * lower.
     * Errors: INVALID_ARGUMENT (no document id, empty content, content over 32
     * MiB, unsupported content type (ErrorInfo reason
     * UNSUPPORTED_CONTENT_TYPE), content unreadable as its type or encrypted
     * (reason CONTENT_UNREADABLE), unknown OCR language), FAILED_PRECONDITION
     * (the content needs OCR throughout (an image, or OCR_MODE_FORCE) and OCR
     * is not available on this server; reason OCR_UNAVAILABLE; scanned pages
     * of an otherwise readable PDF only produce warnings), RESOURCE_EXHAUSTED (message over the transport
     * limit, or server busy; retry after the RetryInfo delay),
     * DEADLINE_EXCEEDED.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ExtractContentResponse extractContent(dev.ragmesh.rag.v1.ExtractContentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getExtractContentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the content types this server can extract and what is available
     * for each (OCR depends on tesseract being installed on the server). The
     * list is small (one entry per MIME type) and returned whole, so it is not
     * paginated. Requires rag-reader.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListSupportedTypesResponse listSupportedTypes(dev.ragmesh.rag.v1.ListSupportedTypesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListSupportedTypesMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service MultiModalService.
   * <pre>
   * Turns non-text content into text chunks ready to embed and index: PDF pages
   * (text layer, or OCR for scanned pages), images (OCR), and tables
   * (CSV, XLSX, HTML) rendered as text. Every chunk is tagged with its modality
   * and its location in the source. Nothing is stored.
   * Authorization: rag-writer for ExtractContent (it is part of ingestion),
   * rag-reader for ListSupportedTypes. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class MultiModalServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<MultiModalServiceFutureStub> {
    private MultiModalServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected MultiModalServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new MultiModalServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Extracts text chunks and metadata from one document's content. A part
     * that cannot be read (a corrupt page, an unreadable image) is reported in
     * `warnings` and skipped; the call fails only when nothing can be
     * extracted. Deterministic for the same content and options, hence
     * idempotent. OCR costs about 1-3 s per page: allow a deadline to match,
     * or limit `max_pages`. Requires rag-writer.
     * The server and the mesh accept request messages up to 33 MiB (content
     * plus envelope); clients must raise their own send limit where it is
     * lower.
     * Errors: INVALID_ARGUMENT (no document id, empty content, content over 32
     * MiB, unsupported content type (ErrorInfo reason
     * UNSUPPORTED_CONTENT_TYPE), content unreadable as its type or encrypted
     * (reason CONTENT_UNREADABLE), unknown OCR language), FAILED_PRECONDITION
     * (the content needs OCR throughout (an image, or OCR_MODE_FORCE) and OCR
     * is not available on this server; reason OCR_UNAVAILABLE; scanned pages
     * of an otherwise readable PDF only produce warnings), RESOURCE_EXHAUSTED (message over the transport
     * limit, or server busy; retry after the RetryInfo delay),
     * DEADLINE_EXCEEDED.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ExtractContentResponse> extractContent(
        dev.ragmesh.rag.v1.ExtractContentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getExtractContentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the content types this server can extract and what is available
     * for each (OCR depends on tesseract being installed on the server). The
     * list is small (one entry per MIME type) and returned whole, so it is not
     * paginated. Requires rag-reader.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListSupportedTypesResponse> listSupportedTypes(
        dev.ragmesh.rag.v1.ListSupportedTypesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListSupportedTypesMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_EXTRACT_CONTENT = 0;
  private static final int METHODID_LIST_SUPPORTED_TYPES = 1;

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
        case METHODID_EXTRACT_CONTENT:
          serviceImpl.extractContent((dev.ragmesh.rag.v1.ExtractContentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ExtractContentResponse>) responseObserver);
          break;
        case METHODID_LIST_SUPPORTED_TYPES:
          serviceImpl.listSupportedTypes((dev.ragmesh.rag.v1.ListSupportedTypesRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListSupportedTypesResponse>) responseObserver);
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
          getExtractContentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ExtractContentRequest,
              dev.ragmesh.rag.v1.ExtractContentResponse>(
                service, METHODID_EXTRACT_CONTENT)))
        .addMethod(
          getListSupportedTypesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListSupportedTypesRequest,
              dev.ragmesh.rag.v1.ListSupportedTypesResponse>(
                service, METHODID_LIST_SUPPORTED_TYPES)))
        .build();
  }

  private static abstract class MultiModalServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    MultiModalServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.MultiModal.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("MultiModalService");
    }
  }

  private static final class MultiModalServiceFileDescriptorSupplier
      extends MultiModalServiceBaseDescriptorSupplier {
    MultiModalServiceFileDescriptorSupplier() {}
  }

  private static final class MultiModalServiceMethodDescriptorSupplier
      extends MultiModalServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    MultiModalServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (MultiModalServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new MultiModalServiceFileDescriptorSupplier())
              .addMethod(getExtractContentMethod())
              .addMethod(getListSupportedTypesMethod())
              .build();
        }
      }
    }
    return result;
  }
}
