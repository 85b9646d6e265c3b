package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Keeps the index fresh: takes change notifications (webhooks) and detects
 * changes in registered sources (file system watching, database polling),
 * puts them on durable queues, and applies them to every store (parse -&gt;
 * chunk -&gt; embed -&gt; vector store and graph).
 * Guarantees: a change is acknowledged only after it is durably stored, so a
 * crash loses no acknowledged change; applying a change is idempotent, so a
 * change applied twice after a crash duplicates no chunk. Changes to the same
 * document apply in the order they were enqueued, and a queued change is
 * superseded by a later change to the same document. Deletions have their
 * own queue and are never stuck behind updates.
 * Backpressure: when a queue is full, writes fail with RESOURCE_EXHAUSTED, an
 * ErrorInfo with reason QUEUE_FULL (metadata "queue": "update" or
 * "deletion") and a RetryInfo delay; retry after that delay.
 * Authorization: rag-writer for NotifyChange, GetChange and GetIndexerStatus;
 * rag-admin for sources and dead letters. Every method may fail with
 * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class IndexerServiceGrpc {

  private IndexerServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.IndexerService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.NotifyChangeRequest,
      dev.ragmesh.rag.v1.NotifyChangeResponse> getNotifyChangeMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "NotifyChange",
      requestType = dev.ragmesh.rag.v1.NotifyChangeRequest.class,
      responseType = dev.ragmesh.rag.v1.NotifyChangeResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.NotifyChangeRequest,
      dev.ragmesh.rag.v1.NotifyChangeResponse> getNotifyChangeMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.NotifyChangeRequest, dev.ragmesh.rag.v1.NotifyChangeResponse> getNotifyChangeMethod;
    if ((getNotifyChangeMethod = IndexerServiceGrpc.getNotifyChangeMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getNotifyChangeMethod = IndexerServiceGrpc.getNotifyChangeMethod) == null) {
          IndexerServiceGrpc.getNotifyChangeMethod = getNotifyChangeMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.NotifyChangeRequest, dev.ragmesh.rag.v1.NotifyChangeResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "NotifyChange"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.NotifyChangeRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.NotifyChangeResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("NotifyChange"))
              .build();
        }
      }
    }
    return getNotifyChangeMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetChangeRequest,
      dev.ragmesh.rag.v1.GetChangeResponse> getGetChangeMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetChange",
      requestType = dev.ragmesh.rag.v1.GetChangeRequest.class,
      responseType = dev.ragmesh.rag.v1.GetChangeResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetChangeRequest,
      dev.ragmesh.rag.v1.GetChangeResponse> getGetChangeMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetChangeRequest, dev.ragmesh.rag.v1.GetChangeResponse> getGetChangeMethod;
    if ((getGetChangeMethod = IndexerServiceGrpc.getGetChangeMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getGetChangeMethod = IndexerServiceGrpc.getGetChangeMethod) == null) {
          IndexerServiceGrpc.getGetChangeMethod = getGetChangeMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetChangeRequest, dev.ragmesh.rag.v1.GetChangeResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetChange"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetChangeRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetChangeResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("GetChange"))
              .build();
        }
      }
    }
    return getGetChangeMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetIndexerStatusRequest,
      dev.ragmesh.rag.v1.GetIndexerStatusResponse> getGetIndexerStatusMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetIndexerStatus",
      requestType = dev.ragmesh.rag.v1.GetIndexerStatusRequest.class,
      responseType = dev.ragmesh.rag.v1.GetIndexerStatusResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetIndexerStatusRequest,
      dev.ragmesh.rag.v1.GetIndexerStatusResponse> getGetIndexerStatusMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetIndexerStatusRequest, dev.ragmesh.rag.v1.GetIndexerStatusResponse> getGetIndexerStatusMethod;
    if ((getGetIndexerStatusMethod = IndexerServiceGrpc.getGetIndexerStatusMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getGetIndexerStatusMethod = IndexerServiceGrpc.getGetIndexerStatusMethod) == null) {
          IndexerServiceGrpc.getGetIndexerStatusMethod = getGetIndexerStatusMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetIndexerStatusRequest, dev.ragmesh.rag.v1.GetIndexerStatusResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetIndexerStatus"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetIndexerStatusRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetIndexerStatusResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("GetIndexerStatus"))
              .build();
        }
      }
    }
    return getGetIndexerStatusMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CreateSourceRequest,
      dev.ragmesh.rag.v1.CreateSourceResponse> getCreateSourceMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateSource",
      requestType = dev.ragmesh.rag.v1.CreateSourceRequest.class,
      responseType = dev.ragmesh.rag.v1.CreateSourceResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CreateSourceRequest,
      dev.ragmesh.rag.v1.CreateSourceResponse> getCreateSourceMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CreateSourceRequest, dev.ragmesh.rag.v1.CreateSourceResponse> getCreateSourceMethod;
    if ((getCreateSourceMethod = IndexerServiceGrpc.getCreateSourceMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getCreateSourceMethod = IndexerServiceGrpc.getCreateSourceMethod) == null) {
          IndexerServiceGrpc.getCreateSourceMethod = getCreateSourceMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.CreateSourceRequest, dev.ragmesh.rag.v1.CreateSourceResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateSource"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.CreateSourceRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.CreateSourceResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("CreateSource"))
              .build();
        }
      }
    }
    return getCreateSourceMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetSourceRequest,
      dev.ragmesh.rag.v1.GetSourceResponse> getGetSourceMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetSource",
      requestType = dev.ragmesh.rag.v1.GetSourceRequest.class,
      responseType = dev.ragmesh.rag.v1.GetSourceResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetSourceRequest,
      dev.ragmesh.rag.v1.GetSourceResponse> getGetSourceMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetSourceRequest, dev.ragmesh.rag.v1.GetSourceResponse> getGetSourceMethod;
    if ((getGetSourceMethod = IndexerServiceGrpc.getGetSourceMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getGetSourceMethod = IndexerServiceGrpc.getGetSourceMethod) == null) {
          IndexerServiceGrpc.getGetSourceMethod = getGetSourceMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetSourceRequest, dev.ragmesh.rag.v1.GetSourceResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetSource"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetSourceRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetSourceResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("GetSource"))
              .build();
        }
      }
    }
    return getGetSourceMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListSourcesRequest,
      dev.ragmesh.rag.v1.ListSourcesResponse> getListSourcesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListSources",
      requestType = dev.ragmesh.rag.v1.ListSourcesRequest.class,
      responseType = dev.ragmesh.rag.v1.ListSourcesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListSourcesRequest,
      dev.ragmesh.rag.v1.ListSourcesResponse> getListSourcesMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListSourcesRequest, dev.ragmesh.rag.v1.ListSourcesResponse> getListSourcesMethod;
    if ((getListSourcesMethod = IndexerServiceGrpc.getListSourcesMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getListSourcesMethod = IndexerServiceGrpc.getListSourcesMethod) == null) {
          IndexerServiceGrpc.getListSourcesMethod = getListSourcesMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListSourcesRequest, dev.ragmesh.rag.v1.ListSourcesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListSources"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListSourcesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListSourcesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("ListSources"))
              .build();
        }
      }
    }
    return getListSourcesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteSourceRequest,
      dev.ragmesh.rag.v1.DeleteSourceResponse> getDeleteSourceMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteSource",
      requestType = dev.ragmesh.rag.v1.DeleteSourceRequest.class,
      responseType = dev.ragmesh.rag.v1.DeleteSourceResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteSourceRequest,
      dev.ragmesh.rag.v1.DeleteSourceResponse> getDeleteSourceMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteSourceRequest, dev.ragmesh.rag.v1.DeleteSourceResponse> getDeleteSourceMethod;
    if ((getDeleteSourceMethod = IndexerServiceGrpc.getDeleteSourceMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getDeleteSourceMethod = IndexerServiceGrpc.getDeleteSourceMethod) == null) {
          IndexerServiceGrpc.getDeleteSourceMethod = getDeleteSourceMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.DeleteSourceRequest, dev.ragmesh.rag.v1.DeleteSourceResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteSource"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeleteSourceRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeleteSourceResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("DeleteSource"))
              .build();
        }
      }
    }
    return getDeleteSourceMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListDeadLettersRequest,
      dev.ragmesh.rag.v1.ListDeadLettersResponse> getListDeadLettersMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListDeadLetters",
      requestType = dev.ragmesh.rag.v1.ListDeadLettersRequest.class,
      responseType = dev.ragmesh.rag.v1.ListDeadLettersResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListDeadLettersRequest,
      dev.ragmesh.rag.v1.ListDeadLettersResponse> getListDeadLettersMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListDeadLettersRequest, dev.ragmesh.rag.v1.ListDeadLettersResponse> getListDeadLettersMethod;
    if ((getListDeadLettersMethod = IndexerServiceGrpc.getListDeadLettersMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getListDeadLettersMethod = IndexerServiceGrpc.getListDeadLettersMethod) == null) {
          IndexerServiceGrpc.getListDeadLettersMethod = getListDeadLettersMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListDeadLettersRequest, dev.ragmesh.rag.v1.ListDeadLettersResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListDeadLetters"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListDeadLettersRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListDeadLettersResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("ListDeadLetters"))
              .build();
        }
      }
    }
    return getListDeadLettersMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RetryDeadLetterRequest,
      dev.ragmesh.rag.v1.RetryDeadLetterResponse> getRetryDeadLetterMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RetryDeadLetter",
      requestType = dev.ragmesh.rag.v1.RetryDeadLetterRequest.class,
      responseType = dev.ragmesh.rag.v1.RetryDeadLetterResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RetryDeadLetterRequest,
      dev.ragmesh.rag.v1.RetryDeadLetterResponse> getRetryDeadLetterMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RetryDeadLetterRequest, dev.ragmesh.rag.v1.RetryDeadLetterResponse> getRetryDeadLetterMethod;
    if ((getRetryDeadLetterMethod = IndexerServiceGrpc.getRetryDeadLetterMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getRetryDeadLetterMethod = IndexerServiceGrpc.getRetryDeadLetterMethod) == null) {
          IndexerServiceGrpc.getRetryDeadLetterMethod = getRetryDeadLetterMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.RetryDeadLetterRequest, dev.ragmesh.rag.v1.RetryDeadLetterResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RetryDeadLetter"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RetryDeadLetterRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RetryDeadLetterResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("RetryDeadLetter"))
              .build();
        }
      }
    }
    return getRetryDeadLetterMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.PurgeDeadLetterRequest,
      dev.ragmesh.rag.v1.PurgeDeadLetterResponse> getPurgeDeadLetterMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PurgeDeadLetter",
      requestType = dev.ragmesh.rag.v1.PurgeDeadLetterRequest.class,
      responseType = dev.ragmesh.rag.v1.PurgeDeadLetterResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.PurgeDeadLetterRequest,
      dev.ragmesh.rag.v1.PurgeDeadLetterResponse> getPurgeDeadLetterMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.PurgeDeadLetterRequest, dev.ragmesh.rag.v1.PurgeDeadLetterResponse> getPurgeDeadLetterMethod;
    if ((getPurgeDeadLetterMethod = IndexerServiceGrpc.getPurgeDeadLetterMethod) == null) {
      synchronized (IndexerServiceGrpc.class) {
        if ((getPurgeDeadLetterMethod = IndexerServiceGrpc.getPurgeDeadLetterMethod) == null) {
          IndexerServiceGrpc.getPurgeDeadLetterMethod = getPurgeDeadLetterMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.PurgeDeadLetterRequest, dev.ragmesh.rag.v1.PurgeDeadLetterResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PurgeDeadLetter"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.PurgeDeadLetterRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.PurgeDeadLetterResponse.getDefaultInstance()))
              .setSchemaDescriptor(new IndexerServiceMethodDescriptorSupplier("PurgeDeadLetter"))
              .build();
        }
      }
    }
    return getPurgeDeadLetterMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static IndexerServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<IndexerServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<IndexerServiceStub>() {
        @java.lang.Override
        public IndexerServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new IndexerServiceStub(channel, callOptions);
        }
      };
    return IndexerServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static IndexerServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<IndexerServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<IndexerServiceBlockingV2Stub>() {
        @java.lang.Override
        public IndexerServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new IndexerServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return IndexerServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static IndexerServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<IndexerServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<IndexerServiceBlockingStub>() {
        @java.lang.Override
        public IndexerServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new IndexerServiceBlockingStub(channel, callOptions);
        }
      };
    return IndexerServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static IndexerServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<IndexerServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<IndexerServiceFutureStub>() {
        @java.lang.Override
        public IndexerServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new IndexerServiceFutureStub(channel, callOptions);
        }
      };
    return IndexerServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Keeps the index fresh: takes change notifications (webhooks) and detects
   * changes in registered sources (file system watching, database polling),
   * puts them on durable queues, and applies them to every store (parse -&gt;
   * chunk -&gt; embed -&gt; vector store and graph).
   * Guarantees: a change is acknowledged only after it is durably stored, so a
   * crash loses no acknowledged change; applying a change is idempotent, so a
   * change applied twice after a crash duplicates no chunk. Changes to the same
   * document apply in the order they were enqueued, and a queued change is
   * superseded by a later change to the same document. Deletions have their
   * own queue and are never stuck behind updates.
   * Backpressure: when a queue is full, writes fail with RESOURCE_EXHAUSTED, an
   * ErrorInfo with reason QUEUE_FULL (metadata "queue": "update" or
   * "deletion") and a RetryInfo delay; retry after that delay.
   * Authorization: rag-writer for NotifyChange, GetChange and GetIndexerStatus;
   * rag-admin for sources and dead letters. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Enqueues a change to one document: an upsert (new or changed content) or
     * a deletion. Designed to be called from webhooks. Returns once the change
     * is durably queued; poll GetChange for when it is applied (searchable).
     * Idempotent per `idempotency_key`: a retry with the same key within 24
     * hours returns the original change and enqueues nothing. Requires
     * rag-writer.
     * Errors: INVALID_ARGUMENT (no document id, kind UNSPECIFIED, an upsert
     * with neither content nor source_id, content over 32 MiB), NOT_FOUND
     * (source_id), ALREADY_EXISTS (idempotency key reused with a different
     * request), RESOURCE_EXHAUSTED (queue full; see the service comment),
     * UNAVAILABLE (queue storage unavailable; retry with the same key).
     * </pre>
     */
    default void notifyChange(dev.ragmesh.rag.v1.NotifyChangeRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.NotifyChangeResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getNotifyChangeMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns one change and its progress. Changes are kept for 7 days after
     * they reach a final state (APPLIED, SUPERSEDED, or purged from the dead
     * letters), then GetChange returns NOT_FOUND. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    default void getChange(dev.ragmesh.rag.v1.GetChangeRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetChangeResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetChangeMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns queue depths and capacities, throughput totals, freshness lag and
     * the state of every source. Cheap; suitable for dashboards and readiness
     * checks. Requires rag-writer.
     * </pre>
     */
    default void getIndexerStatus(dev.ragmesh.rag.v1.GetIndexerStatusRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetIndexerStatusResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetIndexerStatusMethod(), responseObserver);
    }

    /**
     * <pre>
     * Registers a source to watch. The indexer first enqueues an upsert for
     * every existing document of the source (initial sync), then follows its
     * changes. Document ids of a source are "&lt;source id&gt;:&lt;path or row id&gt;".
     * Requires rag-admin.
     * With a caller-chosen `source_id` a retry is safe: the second call fails
     * with ALREADY_EXISTS.
     * Errors: INVALID_ARGUMENT (bad id, missing config, relative path, bad
     * glob, interval out of range), ALREADY_EXISTS (id taken),
     * FAILED_PRECONDITION (path missing or unreadable, database unreachable or
     * table/columns missing; ErrorInfo reason SOURCE_UNREACHABLE),
     * RESOURCE_EXHAUSTED (already 100 sources).
     * </pre>
     */
    default void createSource(dev.ragmesh.rag.v1.CreateSourceRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CreateSourceResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateSourceMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns one source with its sync state. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    default void getSource(dev.ragmesh.rag.v1.GetSourceRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetSourceResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetSourceMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists sources in ascending id order. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad page_token).
     * </pre>
     */
    default void listSources(dev.ragmesh.rag.v1.ListSourcesRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListSourcesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListSourcesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Stops watching a source. Its documents stay indexed unless
     * `delete_documents` is set, which enqueues a deletion for each of them.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * RESOURCE_EXHAUSTED (deletion queue cannot take the source's documents;
     * nothing was changed, retry later).
     * </pre>
     */
    default void deleteSource(dev.ragmesh.rag.v1.DeleteSourceRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteSourceResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteSourceMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists changes that failed every attempt and were set aside, oldest
     * first. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    default void listDeadLetters(dev.ragmesh.rag.v1.ListDeadLettersRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListDeadLettersResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListDeadLettersMethod(), responseObserver);
    }

    /**
     * <pre>
     * Puts a dead-lettered change back on its queue with a fresh attempt
     * count. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (no dead letter with this
     * change id), FAILED_PRECONDITION (a later change to the same document has
     * been queued or applied since, so retrying would bring back stale
     * content; ErrorInfo reason SUPERSEDED: purge it instead),
     * RESOURCE_EXHAUSTED (queue full).
     * </pre>
     */
    default void retryDeadLetter(dev.ragmesh.rag.v1.RetryDeadLetterRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RetryDeadLetterResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRetryDeadLetterMethod(), responseObserver);
    }

    /**
     * <pre>
     * Removes a dead letter for good; the change will never be applied.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    default void purgeDeadLetter(dev.ragmesh.rag.v1.PurgeDeadLetterRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.PurgeDeadLetterResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPurgeDeadLetterMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service IndexerService.
   * <pre>
   * Keeps the index fresh: takes change notifications (webhooks) and detects
   * changes in registered sources (file system watching, database polling),
   * puts them on durable queues, and applies them to every store (parse -&gt;
   * chunk -&gt; embed -&gt; vector store and graph).
   * Guarantees: a change is acknowledged only after it is durably stored, so a
   * crash loses no acknowledged change; applying a change is idempotent, so a
   * change applied twice after a crash duplicates no chunk. Changes to the same
   * document apply in the order they were enqueued, and a queued change is
   * superseded by a later change to the same document. Deletions have their
   * own queue and are never stuck behind updates.
   * Backpressure: when a queue is full, writes fail with RESOURCE_EXHAUSTED, an
   * ErrorInfo with reason QUEUE_FULL (metadata "queue": "update" or
   * "deletion") and a RetryInfo delay; retry after that delay.
   * Authorization: rag-writer for NotifyChange, GetChange and GetIndexerStatus;
   * rag-admin for sources and dead letters. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static abstract class IndexerServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return IndexerServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service IndexerService.
   * <pre>
   * Keeps the index fresh: takes change notifications (webhooks) and detects
   * changes in registered sources (file system watching, database polling),
   * puts them on durable queues, and applies them to every store (parse -&gt;
   * chunk -&gt; embed -&gt; vector store and graph).
   * Guarantees: a change is acknowledged only after it is durably stored, so a
   * crash loses no acknowledged change; applying a change is idempotent, so a
   * change applied twice after a crash duplicates no chunk. Changes to the same
   * document apply in the order they were enqueued, and a queued change is
   * superseded by a later change to the same document. Deletions have their
   * own queue and are never stuck behind updates.
   * Backpressure: when a queue is full, writes fail with RESOURCE_EXHAUSTED, an
   * ErrorInfo with reason QUEUE_FULL (metadata "queue": "update" or
   * "deletion") and a RetryInfo delay; retry after that delay.
   * Authorization: rag-writer for NotifyChange, GetChange and GetIndexerStatus;
   * rag-admin for sources and dead letters. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class IndexerServiceStub
      extends io.grpc.stub.AbstractAsyncStub<IndexerServiceStub> {
    private IndexerServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected IndexerServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new IndexerServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Enqueues a change to one document: an upsert (new or changed content) or
     * a deletion. Designed to be called from webhooks. Returns once the change
     * is durably queued; poll GetChange for when it is applied (searchable).
     * Idempotent per `idempotency_key`: a retry with the same key within 24
     * hours returns the original change and enqueues nothing. Requires
     * rag-writer.
     * Errors: INVALID_ARGUMENT (no document id, kind UNSPECIFIED, an upsert
     * with neither content nor source_id, content over 32 MiB), NOT_FOUND
     * (source_id), ALREADY_EXISTS (idempotency key reused with a different
     * request), RESOURCE_EXHAUSTED (queue full; see the service comment),
     * UNAVAILABLE (queue storage unavailable; retry with the same key).
     * </pre>
     */
    public void notifyChange(dev.ragmesh.rag.v1.NotifyChangeRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.NotifyChangeResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getNotifyChangeMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns one change and its progress. Changes are kept for 7 days after
     * they reach a final state (APPLIED, SUPERSEDED, or purged from the dead
     * letters), then GetChange returns NOT_FOUND. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public void getChange(dev.ragmesh.rag.v1.GetChangeRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetChangeResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetChangeMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns queue depths and capacities, throughput totals, freshness lag and
     * the state of every source. Cheap; suitable for dashboards and readiness
     * checks. Requires rag-writer.
     * </pre>
     */
    public void getIndexerStatus(dev.ragmesh.rag.v1.GetIndexerStatusRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetIndexerStatusResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetIndexerStatusMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Registers a source to watch. The indexer first enqueues an upsert for
     * every existing document of the source (initial sync), then follows its
     * changes. Document ids of a source are "&lt;source id&gt;:&lt;path or row id&gt;".
     * Requires rag-admin.
     * With a caller-chosen `source_id` a retry is safe: the second call fails
     * with ALREADY_EXISTS.
     * Errors: INVALID_ARGUMENT (bad id, missing config, relative path, bad
     * glob, interval out of range), ALREADY_EXISTS (id taken),
     * FAILED_PRECONDITION (path missing or unreadable, database unreachable or
     * table/columns missing; ErrorInfo reason SOURCE_UNREACHABLE),
     * RESOURCE_EXHAUSTED (already 100 sources).
     * </pre>
     */
    public void createSource(dev.ragmesh.rag.v1.CreateSourceRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CreateSourceResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateSourceMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns one source with its sync state. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public void getSource(dev.ragmesh.rag.v1.GetSourceRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetSourceResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetSourceMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists sources in ascending id order. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad page_token).
     * </pre>
     */
    public void listSources(dev.ragmesh.rag.v1.ListSourcesRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListSourcesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListSourcesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Stops watching a source. Its documents stay indexed unless
     * `delete_documents` is set, which enqueues a deletion for each of them.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * RESOURCE_EXHAUSTED (deletion queue cannot take the source's documents;
     * nothing was changed, retry later).
     * </pre>
     */
    public void deleteSource(dev.ragmesh.rag.v1.DeleteSourceRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteSourceResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteSourceMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists changes that failed every attempt and were set aside, oldest
     * first. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public void listDeadLetters(dev.ragmesh.rag.v1.ListDeadLettersRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListDeadLettersResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListDeadLettersMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Puts a dead-lettered change back on its queue with a fresh attempt
     * count. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (no dead letter with this
     * change id), FAILED_PRECONDITION (a later change to the same document has
     * been queued or applied since, so retrying would bring back stale
     * content; ErrorInfo reason SUPERSEDED: purge it instead),
     * RESOURCE_EXHAUSTED (queue full).
     * </pre>
     */
    public void retryDeadLetter(dev.ragmesh.rag.v1.RetryDeadLetterRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RetryDeadLetterResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRetryDeadLetterMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Removes a dead letter for good; the change will never be applied.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public void purgeDeadLetter(dev.ragmesh.rag.v1.PurgeDeadLetterRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.PurgeDeadLetterResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPurgeDeadLetterMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service IndexerService.
   * <pre>
   * Keeps the index fresh: takes change notifications (webhooks) and detects
   * changes in registered sources (file system watching, database polling),
   * puts them on durable queues, and applies them to every store (parse -&gt;
   * chunk -&gt; embed -&gt; vector store and graph).
   * Guarantees: a change is acknowledged only after it is durably stored, so a
   * crash loses no acknowledged change; applying a change is idempotent, so a
   * change applied twice after a crash duplicates no chunk. Changes to the same
   * document apply in the order they were enqueued, and a queued change is
   * superseded by a later change to the same document. Deletions have their
   * own queue and are never stuck behind updates.
   * Backpressure: when a queue is full, writes fail with RESOURCE_EXHAUSTED, an
   * ErrorInfo with reason QUEUE_FULL (metadata "queue": "update" or
   * "deletion") and a RetryInfo delay; retry after that delay.
   * Authorization: rag-writer for NotifyChange, GetChange and GetIndexerStatus;
   * rag-admin for sources and dead letters. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class IndexerServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<IndexerServiceBlockingV2Stub> {
    private IndexerServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected IndexerServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new IndexerServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Enqueues a change to one document: an upsert (new or changed content) or
     * a deletion. Designed to be called from webhooks. Returns once the change
     * is durably queued; poll GetChange for when it is applied (searchable).
     * Idempotent per `idempotency_key`: a retry with the same key within 24
     * hours returns the original change and enqueues nothing. Requires
     * rag-writer.
     * Errors: INVALID_ARGUMENT (no document id, kind UNSPECIFIED, an upsert
     * with neither content nor source_id, content over 32 MiB), NOT_FOUND
     * (source_id), ALREADY_EXISTS (idempotency key reused with a different
     * request), RESOURCE_EXHAUSTED (queue full; see the service comment),
     * UNAVAILABLE (queue storage unavailable; retry with the same key).
     * </pre>
     */
    public dev.ragmesh.rag.v1.NotifyChangeResponse notifyChange(dev.ragmesh.rag.v1.NotifyChangeRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getNotifyChangeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one change and its progress. Changes are kept for 7 days after
     * they reach a final state (APPLIED, SUPERSEDED, or purged from the dead
     * letters), then GetChange returns NOT_FOUND. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetChangeResponse getChange(dev.ragmesh.rag.v1.GetChangeRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetChangeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns queue depths and capacities, throughput totals, freshness lag and
     * the state of every source. Cheap; suitable for dashboards and readiness
     * checks. Requires rag-writer.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetIndexerStatusResponse getIndexerStatus(dev.ragmesh.rag.v1.GetIndexerStatusRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetIndexerStatusMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Registers a source to watch. The indexer first enqueues an upsert for
     * every existing document of the source (initial sync), then follows its
     * changes. Document ids of a source are "&lt;source id&gt;:&lt;path or row id&gt;".
     * Requires rag-admin.
     * With a caller-chosen `source_id` a retry is safe: the second call fails
     * with ALREADY_EXISTS.
     * Errors: INVALID_ARGUMENT (bad id, missing config, relative path, bad
     * glob, interval out of range), ALREADY_EXISTS (id taken),
     * FAILED_PRECONDITION (path missing or unreadable, database unreachable or
     * table/columns missing; ErrorInfo reason SOURCE_UNREACHABLE),
     * RESOURCE_EXHAUSTED (already 100 sources).
     * </pre>
     */
    public dev.ragmesh.rag.v1.CreateSourceResponse createSource(dev.ragmesh.rag.v1.CreateSourceRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateSourceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one source with its sync state. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetSourceResponse getSource(dev.ragmesh.rag.v1.GetSourceRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetSourceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists sources in ascending id order. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListSourcesResponse listSources(dev.ragmesh.rag.v1.ListSourcesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListSourcesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stops watching a source. Its documents stay indexed unless
     * `delete_documents` is set, which enqueues a deletion for each of them.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * RESOURCE_EXHAUSTED (deletion queue cannot take the source's documents;
     * nothing was changed, retry later).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeleteSourceResponse deleteSource(dev.ragmesh.rag.v1.DeleteSourceRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteSourceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists changes that failed every attempt and were set aside, oldest
     * first. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListDeadLettersResponse listDeadLetters(dev.ragmesh.rag.v1.ListDeadLettersRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListDeadLettersMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Puts a dead-lettered change back on its queue with a fresh attempt
     * count. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (no dead letter with this
     * change id), FAILED_PRECONDITION (a later change to the same document has
     * been queued or applied since, so retrying would bring back stale
     * content; ErrorInfo reason SUPERSEDED: purge it instead),
     * RESOURCE_EXHAUSTED (queue full).
     * </pre>
     */
    public dev.ragmesh.rag.v1.RetryDeadLetterResponse retryDeadLetter(dev.ragmesh.rag.v1.RetryDeadLetterRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRetryDeadLetterMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes a dead letter for good; the change will never be applied.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.PurgeDeadLetterResponse purgeDeadLetter(dev.ragmesh.rag.v1.PurgeDeadLetterRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPurgeDeadLetterMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service IndexerService.
   * <pre>
   * Keeps the index fresh: takes change notifications (webhooks) and detects
   * changes in registered sources (file system watching, database polling),
   * puts them on durable queues, and applies them to every store (parse -&gt;
   * chunk -&gt; embed -&gt; vector store and graph).
   * Guarantees: a change is acknowledged only after it is durably stored, so a
   * crash loses no acknowledged change; applying a change is idempotent, so a
   * change applied twice after a crash duplicates no chunk. Changes to the same
   * document apply in the order they were enqueued, and a queued change is
   * superseded by a later change to the same document. Deletions have their
   * own queue and are never stuck behind updates.
   * Backpressure: when a queue is full, writes fail with RESOURCE_EXHAUSTED, an
   * ErrorInfo with reason QUEUE_FULL (metadata "queue": "update" or
   * "deletion") and a RetryInfo delay; retry after that delay.
   * Authorization: rag-writer for NotifyChange, GetChange and GetIndexerStatus;
   * rag-admin for sources and dead letters. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class IndexerServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<IndexerServiceBlockingStub> {
    private IndexerServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected IndexerServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new IndexerServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Enqueues a change to one document: an upsert (new or changed content) or
     * a deletion. Designed to be called from webhooks. Returns once the change
     * is durably queued; poll GetChange for when it is applied (searchable).
     * Idempotent per `idempotency_key`: a retry with the same key within 24
     * hours returns the original change and enqueues nothing. Requires
     * rag-writer.
     * Errors: INVALID_ARGUMENT (no document id, kind UNSPECIFIED, an upsert
     * with neither content nor source_id, content over 32 MiB), NOT_FOUND
     * (source_id), ALREADY_EXISTS (idempotency key reused with a different
     * request), RESOURCE_EXHAUSTED (queue full; see the service comment),
     * UNAVAILABLE (queue storage unavailable; retry with the same key).
     * </pre>
     */
    public dev.ragmesh.rag.v1.NotifyChangeResponse notifyChange(dev.ragmesh.rag.v1.NotifyChangeRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getNotifyChangeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one change and its progress. Changes are kept for 7 days after
     * they reach a final state (APPLIED, SUPERSEDED, or purged from the dead
     * letters), then GetChange returns NOT_FOUND. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetChangeResponse getChange(dev.ragmesh.rag.v1.GetChangeRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetChangeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns queue depths and capacities, throughput totals, freshness lag and
     * the state of every source. Cheap; suitable for dashboards and readiness
     * checks. Requires rag-writer.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetIndexerStatusResponse getIndexerStatus(dev.ragmesh.rag.v1.GetIndexerStatusRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetIndexerStatusMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Registers a source to watch. The indexer first enqueues an upsert for
     * every existing document of the source (initial sync), then follows its
     * changes. Document ids of a source are "&lt;source id&gt;:&lt;path or row id&gt;".
     * Requires rag-admin.
     * With a caller-chosen `source_id` a retry is safe: the second call fails
     * with ALREADY_EXISTS.
     * Errors: INVALID_ARGUMENT (bad id, missing config, relative path, bad
     * glob, interval out of range), ALREADY_EXISTS (id taken),
     * FAILED_PRECONDITION (path missing or unreadable, database unreachable or
     * table/columns missing; ErrorInfo reason SOURCE_UNREACHABLE),
     * RESOURCE_EXHAUSTED (already 100 sources).
     * </pre>
     */
    public dev.ragmesh.rag.v1.CreateSourceResponse createSource(dev.ragmesh.rag.v1.CreateSourceRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateSourceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one source with its sync state. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetSourceResponse getSource(dev.ragmesh.rag.v1.GetSourceRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetSourceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists sources in ascending id order. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListSourcesResponse listSources(dev.ragmesh.rag.v1.ListSourcesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListSourcesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stops watching a source. Its documents stay indexed unless
     * `delete_documents` is set, which enqueues a deletion for each of them.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * RESOURCE_EXHAUSTED (deletion queue cannot take the source's documents;
     * nothing was changed, retry later).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeleteSourceResponse deleteSource(dev.ragmesh.rag.v1.DeleteSourceRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteSourceMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists changes that failed every attempt and were set aside, oldest
     * first. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListDeadLettersResponse listDeadLetters(dev.ragmesh.rag.v1.ListDeadLettersRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListDeadLettersMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Puts a dead-lettered change back on its queue with a fresh attempt
     * count. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (no dead letter with this
     * change id), FAILED_PRECONDITION (a later change to the same document has
     * been queued or applied since, so retrying would bring back stale
     * content; ErrorInfo reason SUPERSEDED: purge it instead),
     * RESOURCE_EXHAUSTED (queue full).
     * </pre>
     */
    public dev.ragmesh.rag.v1.RetryDeadLetterResponse retryDeadLetter(dev.ragmesh.rag.v1.RetryDeadLetterRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRetryDeadLetterMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes a dead letter for good; the change will never be applied.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.PurgeDeadLetterResponse purgeDeadLetter(dev.ragmesh.rag.v1.PurgeDeadLetterRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPurgeDeadLetterMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service IndexerService.
   * <pre>
   * Keeps the index fresh: takes change notifications (webhooks) and detects
   * changes in registered sources (file system watching, database polling),
   * puts them on durable queues, and applies them to every store (parse -&gt;
   * chunk -&gt; embed -&gt; vector store and graph).
   * Guarantees: a change is acknowledged only after it is durably stored, so a
   * crash loses no acknowledged change; applying a change is idempotent, so a
   * change applied twice after a crash duplicates no chunk. Changes to the same
   * document apply in the order they were enqueued, and a queued change is
   * superseded by a later change to the same document. Deletions have their
   * own queue and are never stuck behind updates.
   * Backpressure: when a queue is full, writes fail with RESOURCE_EXHAUSTED, an
   * ErrorInfo with reason QUEUE_FULL (metadata "queue": "update" or
   * "deletion") and a RetryInfo delay; retry after that delay.
   * Authorization: rag-writer for NotifyChange, GetChange and GetIndexerStatus;
   * rag-admin for sources and dead letters. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class IndexerServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<IndexerServiceFutureStub> {
    private IndexerServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected IndexerServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new IndexerServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Enqueues a change to one document: an upsert (new or changed content) or
     * a deletion. Designed to be called from webhooks. Returns once the change
     * is durably queued; poll GetChange for when it is applied (searchable).
     * Idempotent per `idempotency_key`: a retry with the same key within 24
     * hours returns the original change and enqueues nothing. Requires
     * rag-writer.
     * Errors: INVALID_ARGUMENT (no document id, kind UNSPECIFIED, an upsert
     * with neither content nor source_id, content over 32 MiB), NOT_FOUND
     * (source_id), ALREADY_EXISTS (idempotency key reused with a different
     * request), RESOURCE_EXHAUSTED (queue full; see the service comment),
     * UNAVAILABLE (queue storage unavailable; retry with the same key).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.NotifyChangeResponse> notifyChange(
        dev.ragmesh.rag.v1.NotifyChangeRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getNotifyChangeMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns one change and its progress. Changes are kept for 7 days after
     * they reach a final state (APPLIED, SUPERSEDED, or purged from the dead
     * letters), then GetChange returns NOT_FOUND. Requires rag-writer.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetChangeResponse> getChange(
        dev.ragmesh.rag.v1.GetChangeRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetChangeMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns queue depths and capacities, throughput totals, freshness lag and
     * the state of every source. Cheap; suitable for dashboards and readiness
     * checks. Requires rag-writer.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetIndexerStatusResponse> getIndexerStatus(
        dev.ragmesh.rag.v1.GetIndexerStatusRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetIndexerStatusMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Registers a source to watch. The indexer first enqueues an upsert for
     * every existing document of the source (initial sync), then follows its
     * changes. Document ids of a source are "&lt;source id&gt;:&lt;path or row id&gt;".
     * Requires rag-admin.
     * With a caller-chosen `source_id` a retry is safe: the second call fails
     * with ALREADY_EXISTS.
     * Errors: INVALID_ARGUMENT (bad id, missing config, relative path, bad
     * glob, interval out of range), ALREADY_EXISTS (id taken),
     * FAILED_PRECONDITION (path missing or unreadable, database unreachable or
     * table/columns missing; ErrorInfo reason SOURCE_UNREACHABLE),
     * RESOURCE_EXHAUSTED (already 100 sources).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.CreateSourceResponse> createSource(
        dev.ragmesh.rag.v1.CreateSourceRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateSourceMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns one source with its sync state. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetSourceResponse> getSource(
        dev.ragmesh.rag.v1.GetSourceRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetSourceMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists sources in ascending id order. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad page_token).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListSourcesResponse> listSources(
        dev.ragmesh.rag.v1.ListSourcesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListSourcesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Stops watching a source. Its documents stay indexed unless
     * `delete_documents` is set, which enqueues a deletion for each of them.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * RESOURCE_EXHAUSTED (deletion queue cannot take the source's documents;
     * nothing was changed, retry later).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.DeleteSourceResponse> deleteSource(
        dev.ragmesh.rag.v1.DeleteSourceRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteSourceMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists changes that failed every attempt and were set aside, oldest
     * first. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListDeadLettersResponse> listDeadLetters(
        dev.ragmesh.rag.v1.ListDeadLettersRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListDeadLettersMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Puts a dead-lettered change back on its queue with a fresh attempt
     * count. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (no dead letter with this
     * change id), FAILED_PRECONDITION (a later change to the same document has
     * been queued or applied since, so retrying would bring back stale
     * content; ErrorInfo reason SUPERSEDED: purge it instead),
     * RESOURCE_EXHAUSTED (queue full).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.RetryDeadLetterResponse> retryDeadLetter(
        dev.ragmesh.rag.v1.RetryDeadLetterRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRetryDeadLetterMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Removes a dead letter for good; the change will never be applied.
     * Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.PurgeDeadLetterResponse> purgeDeadLetter(
        dev.ragmesh.rag.v1.PurgeDeadLetterRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPurgeDeadLetterMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_NOTIFY_CHANGE = 0;
  private static final int METHODID_GET_CHANGE = 1;
  private static final int METHODID_GET_INDEXER_STATUS = 2;
  private static final int METHODID_CREATE_SOURCE = 3;
  private static final int METHODID_GET_SOURCE = 4;
  private static final int METHODID_LIST_SOURCES = 5;
  private static final int METHODID_DELETE_SOURCE = 6;
  private static final int METHODID_LIST_DEAD_LETTERS = 7;
  private static final int METHODID_RETRY_DEAD_LETTER = 8;
  private static final int METHODID_PURGE_DEAD_LETTER = 9;

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
        case METHODID_NOTIFY_CHANGE:
          serviceImpl.notifyChange((dev.ragmesh.rag.v1.NotifyChangeRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.NotifyChangeResponse>) responseObserver);
          break;
        case METHODID_GET_CHANGE:
          serviceImpl.getChange((dev.ragmesh.rag.v1.GetChangeRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetChangeResponse>) responseObserver);
          break;
        case METHODID_GET_INDEXER_STATUS:
          serviceImpl.getIndexerStatus((dev.ragmesh.rag.v1.GetIndexerStatusRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetIndexerStatusResponse>) responseObserver);
          break;
        case METHODID_CREATE_SOURCE:
          serviceImpl.createSource((dev.ragmesh.rag.v1.CreateSourceRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CreateSourceResponse>) responseObserver);
          break;
        case METHODID_GET_SOURCE:
          serviceImpl.getSource((dev.ragmesh.rag.v1.GetSourceRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetSourceResponse>) responseObserver);
          break;
        case METHODID_LIST_SOURCES:
          serviceImpl.listSources((dev.ragmesh.rag.v1.ListSourcesRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListSourcesResponse>) responseObserver);
          break;
        case METHODID_DELETE_SOURCE:
          serviceImpl.deleteSource((dev.ragmesh.rag.v1.DeleteSourceRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteSourceResponse>) responseObserver);
          break;
        case METHODID_LIST_DEAD_LETTERS:
          serviceImpl.listDeadLetters((dev.ragmesh.rag.v1.ListDeadLettersRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListDeadLettersResponse>) responseObserver);
          break;
        case METHODID_RETRY_DEAD_LETTER:
          serviceImpl.retryDeadLetter((dev.ragmesh.rag.v1.RetryDeadLetterRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RetryDeadLetterResponse>) responseObserver);
          break;
        case METHODID_PURGE_DEAD_LETTER:
          serviceImpl.purgeDeadLetter((dev.ragmesh.rag.v1.PurgeDeadLetterRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.PurgeDeadLetterResponse>) responseObserver);
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
          getNotifyChangeMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.NotifyChangeRequest,
              dev.ragmesh.rag.v1.NotifyChangeResponse>(
                service, METHODID_NOTIFY_CHANGE)))
        .addMethod(
          getGetChangeMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetChangeRequest,
              dev.ragmesh.rag.v1.GetChangeResponse>(
                service, METHODID_GET_CHANGE)))
        .addMethod(
          getGetIndexerStatusMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetIndexerStatusRequest,
              dev.ragmesh.rag.v1.GetIndexerStatusResponse>(
                service, METHODID_GET_INDEXER_STATUS)))
        .addMethod(
          getCreateSourceMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.CreateSourceRequest,
              dev.ragmesh.rag.v1.CreateSourceResponse>(
                service, METHODID_CREATE_SOURCE)))
        .addMethod(
          getGetSourceMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetSourceRequest,
              dev.ragmesh.rag.v1.GetSourceResponse>(
                service, METHODID_GET_SOURCE)))
        .addMethod(
          getListSourcesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListSourcesRequest,
              dev.ragmesh.rag.v1.ListSourcesResponse>(
                service, METHODID_LIST_SOURCES)))
        .addMethod(
          getDeleteSourceMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.DeleteSourceRequest,
              dev.ragmesh.rag.v1.DeleteSourceResponse>(
                service, METHODID_DELETE_SOURCE)))
        .addMethod(
          getListDeadLettersMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListDeadLettersRequest,
              dev.ragmesh.rag.v1.ListDeadLettersResponse>(
                service, METHODID_LIST_DEAD_LETTERS)))
        .addMethod(
          getRetryDeadLetterMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.RetryDeadLetterRequest,
              dev.ragmesh.rag.v1.RetryDeadLetterResponse>(
                service, METHODID_RETRY_DEAD_LETTER)))
        .addMethod(
          getPurgeDeadLetterMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.PurgeDeadLetterRequest,
              dev.ragmesh.rag.v1.PurgeDeadLetterResponse>(
                service, METHODID_PURGE_DEAD_LETTER)))
        .build();
  }

  private static abstract class IndexerServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    IndexerServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.Indexer.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("IndexerService");
    }
  }

  private static final class IndexerServiceFileDescriptorSupplier
      extends IndexerServiceBaseDescriptorSupplier {
    IndexerServiceFileDescriptorSupplier() {}
  }

  private static final class IndexerServiceMethodDescriptorSupplier
      extends IndexerServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    IndexerServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (IndexerServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new IndexerServiceFileDescriptorSupplier())
              .addMethod(getNotifyChangeMethod())
              .addMethod(getGetChangeMethod())
              .addMethod(getGetIndexerStatusMethod())
              .addMethod(getCreateSourceMethod())
              .addMethod(getGetSourceMethod())
              .addMethod(getListSourcesMethod())
              .addMethod(getDeleteSourceMethod())
              .addMethod(getListDeadLettersMethod())
              .addMethod(getRetryDeadLetterMethod())
              .addMethod(getPurgeDeadLetterMethod())
              .build();
        }
      }
    }
    return result;
  }
}
