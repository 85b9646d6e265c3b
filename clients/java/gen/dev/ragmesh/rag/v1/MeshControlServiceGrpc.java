package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * The control plane's operator interface: every replica (endpoint) of every
 * service with its health, the latency and errors Envoy observes, and the
 * load-balancing weight pushed to Envoy; draining, weight overrides and
 * registration; and the xDS state of every connected Envoy.
 * Served by the control plane, not by a data-plane service. Weights are
 * computed from a decaying average of observed latency (errors count as slow
 * requests) and are never below 1, so a slow replica is still sampled.
 * Operator changes (drain, undrain, overrides, registration) are pushed to
 * Envoy at once in a new snapshot, whose version the response returns: the
 * change is live on a node when GetMeshStatus shows that node has ACKed a
 * version at least that high for the endpoint resource type.
 * Authorization: rag-admin for every method (replicas and the supervisor
 * register with a service account that has it). Every method may fail with
 * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class MeshControlServiceGrpc {

  private MeshControlServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.MeshControlService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListEndpointsRequest,
      dev.ragmesh.rag.v1.ListEndpointsResponse> getListEndpointsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListEndpoints",
      requestType = dev.ragmesh.rag.v1.ListEndpointsRequest.class,
      responseType = dev.ragmesh.rag.v1.ListEndpointsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListEndpointsRequest,
      dev.ragmesh.rag.v1.ListEndpointsResponse> getListEndpointsMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListEndpointsRequest, dev.ragmesh.rag.v1.ListEndpointsResponse> getListEndpointsMethod;
    if ((getListEndpointsMethod = MeshControlServiceGrpc.getListEndpointsMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getListEndpointsMethod = MeshControlServiceGrpc.getListEndpointsMethod) == null) {
          MeshControlServiceGrpc.getListEndpointsMethod = getListEndpointsMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListEndpointsRequest, dev.ragmesh.rag.v1.ListEndpointsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListEndpoints"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListEndpointsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListEndpointsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("ListEndpoints"))
              .build();
        }
      }
    }
    return getListEndpointsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetEndpointRequest,
      dev.ragmesh.rag.v1.GetEndpointResponse> getGetEndpointMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetEndpoint",
      requestType = dev.ragmesh.rag.v1.GetEndpointRequest.class,
      responseType = dev.ragmesh.rag.v1.GetEndpointResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetEndpointRequest,
      dev.ragmesh.rag.v1.GetEndpointResponse> getGetEndpointMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetEndpointRequest, dev.ragmesh.rag.v1.GetEndpointResponse> getGetEndpointMethod;
    if ((getGetEndpointMethod = MeshControlServiceGrpc.getGetEndpointMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getGetEndpointMethod = MeshControlServiceGrpc.getGetEndpointMethod) == null) {
          MeshControlServiceGrpc.getGetEndpointMethod = getGetEndpointMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetEndpointRequest, dev.ragmesh.rag.v1.GetEndpointResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetEndpoint"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetEndpointRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetEndpointResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("GetEndpoint"))
              .build();
        }
      }
    }
    return getGetEndpointMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DrainEndpointRequest,
      dev.ragmesh.rag.v1.DrainEndpointResponse> getDrainEndpointMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DrainEndpoint",
      requestType = dev.ragmesh.rag.v1.DrainEndpointRequest.class,
      responseType = dev.ragmesh.rag.v1.DrainEndpointResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DrainEndpointRequest,
      dev.ragmesh.rag.v1.DrainEndpointResponse> getDrainEndpointMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DrainEndpointRequest, dev.ragmesh.rag.v1.DrainEndpointResponse> getDrainEndpointMethod;
    if ((getDrainEndpointMethod = MeshControlServiceGrpc.getDrainEndpointMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getDrainEndpointMethod = MeshControlServiceGrpc.getDrainEndpointMethod) == null) {
          MeshControlServiceGrpc.getDrainEndpointMethod = getDrainEndpointMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.DrainEndpointRequest, dev.ragmesh.rag.v1.DrainEndpointResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DrainEndpoint"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DrainEndpointRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DrainEndpointResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("DrainEndpoint"))
              .build();
        }
      }
    }
    return getDrainEndpointMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UndrainEndpointRequest,
      dev.ragmesh.rag.v1.UndrainEndpointResponse> getUndrainEndpointMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "UndrainEndpoint",
      requestType = dev.ragmesh.rag.v1.UndrainEndpointRequest.class,
      responseType = dev.ragmesh.rag.v1.UndrainEndpointResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UndrainEndpointRequest,
      dev.ragmesh.rag.v1.UndrainEndpointResponse> getUndrainEndpointMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UndrainEndpointRequest, dev.ragmesh.rag.v1.UndrainEndpointResponse> getUndrainEndpointMethod;
    if ((getUndrainEndpointMethod = MeshControlServiceGrpc.getUndrainEndpointMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getUndrainEndpointMethod = MeshControlServiceGrpc.getUndrainEndpointMethod) == null) {
          MeshControlServiceGrpc.getUndrainEndpointMethod = getUndrainEndpointMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.UndrainEndpointRequest, dev.ragmesh.rag.v1.UndrainEndpointResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "UndrainEndpoint"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.UndrainEndpointRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.UndrainEndpointResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("UndrainEndpoint"))
              .build();
        }
      }
    }
    return getUndrainEndpointMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.SetWeightOverrideRequest,
      dev.ragmesh.rag.v1.SetWeightOverrideResponse> getSetWeightOverrideMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetWeightOverride",
      requestType = dev.ragmesh.rag.v1.SetWeightOverrideRequest.class,
      responseType = dev.ragmesh.rag.v1.SetWeightOverrideResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.SetWeightOverrideRequest,
      dev.ragmesh.rag.v1.SetWeightOverrideResponse> getSetWeightOverrideMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.SetWeightOverrideRequest, dev.ragmesh.rag.v1.SetWeightOverrideResponse> getSetWeightOverrideMethod;
    if ((getSetWeightOverrideMethod = MeshControlServiceGrpc.getSetWeightOverrideMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getSetWeightOverrideMethod = MeshControlServiceGrpc.getSetWeightOverrideMethod) == null) {
          MeshControlServiceGrpc.getSetWeightOverrideMethod = getSetWeightOverrideMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.SetWeightOverrideRequest, dev.ragmesh.rag.v1.SetWeightOverrideResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetWeightOverride"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.SetWeightOverrideRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.SetWeightOverrideResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("SetWeightOverride"))
              .build();
        }
      }
    }
    return getSetWeightOverrideMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ClearWeightOverrideRequest,
      dev.ragmesh.rag.v1.ClearWeightOverrideResponse> getClearWeightOverrideMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ClearWeightOverride",
      requestType = dev.ragmesh.rag.v1.ClearWeightOverrideRequest.class,
      responseType = dev.ragmesh.rag.v1.ClearWeightOverrideResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ClearWeightOverrideRequest,
      dev.ragmesh.rag.v1.ClearWeightOverrideResponse> getClearWeightOverrideMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ClearWeightOverrideRequest, dev.ragmesh.rag.v1.ClearWeightOverrideResponse> getClearWeightOverrideMethod;
    if ((getClearWeightOverrideMethod = MeshControlServiceGrpc.getClearWeightOverrideMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getClearWeightOverrideMethod = MeshControlServiceGrpc.getClearWeightOverrideMethod) == null) {
          MeshControlServiceGrpc.getClearWeightOverrideMethod = getClearWeightOverrideMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ClearWeightOverrideRequest, dev.ragmesh.rag.v1.ClearWeightOverrideResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ClearWeightOverride"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ClearWeightOverrideRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ClearWeightOverrideResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("ClearWeightOverride"))
              .build();
        }
      }
    }
    return getClearWeightOverrideMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RegisterEndpointRequest,
      dev.ragmesh.rag.v1.RegisterEndpointResponse> getRegisterEndpointMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RegisterEndpoint",
      requestType = dev.ragmesh.rag.v1.RegisterEndpointRequest.class,
      responseType = dev.ragmesh.rag.v1.RegisterEndpointResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RegisterEndpointRequest,
      dev.ragmesh.rag.v1.RegisterEndpointResponse> getRegisterEndpointMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RegisterEndpointRequest, dev.ragmesh.rag.v1.RegisterEndpointResponse> getRegisterEndpointMethod;
    if ((getRegisterEndpointMethod = MeshControlServiceGrpc.getRegisterEndpointMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getRegisterEndpointMethod = MeshControlServiceGrpc.getRegisterEndpointMethod) == null) {
          MeshControlServiceGrpc.getRegisterEndpointMethod = getRegisterEndpointMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.RegisterEndpointRequest, dev.ragmesh.rag.v1.RegisterEndpointResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RegisterEndpoint"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RegisterEndpointRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RegisterEndpointResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("RegisterEndpoint"))
              .build();
        }
      }
    }
    return getRegisterEndpointMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeregisterEndpointRequest,
      dev.ragmesh.rag.v1.DeregisterEndpointResponse> getDeregisterEndpointMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeregisterEndpoint",
      requestType = dev.ragmesh.rag.v1.DeregisterEndpointRequest.class,
      responseType = dev.ragmesh.rag.v1.DeregisterEndpointResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeregisterEndpointRequest,
      dev.ragmesh.rag.v1.DeregisterEndpointResponse> getDeregisterEndpointMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeregisterEndpointRequest, dev.ragmesh.rag.v1.DeregisterEndpointResponse> getDeregisterEndpointMethod;
    if ((getDeregisterEndpointMethod = MeshControlServiceGrpc.getDeregisterEndpointMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getDeregisterEndpointMethod = MeshControlServiceGrpc.getDeregisterEndpointMethod) == null) {
          MeshControlServiceGrpc.getDeregisterEndpointMethod = getDeregisterEndpointMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.DeregisterEndpointRequest, dev.ragmesh.rag.v1.DeregisterEndpointResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeregisterEndpoint"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeregisterEndpointRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeregisterEndpointResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("DeregisterEndpoint"))
              .build();
        }
      }
    }
    return getDeregisterEndpointMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetMeshStatusRequest,
      dev.ragmesh.rag.v1.GetMeshStatusResponse> getGetMeshStatusMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetMeshStatus",
      requestType = dev.ragmesh.rag.v1.GetMeshStatusRequest.class,
      responseType = dev.ragmesh.rag.v1.GetMeshStatusResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetMeshStatusRequest,
      dev.ragmesh.rag.v1.GetMeshStatusResponse> getGetMeshStatusMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetMeshStatusRequest, dev.ragmesh.rag.v1.GetMeshStatusResponse> getGetMeshStatusMethod;
    if ((getGetMeshStatusMethod = MeshControlServiceGrpc.getGetMeshStatusMethod) == null) {
      synchronized (MeshControlServiceGrpc.class) {
        if ((getGetMeshStatusMethod = MeshControlServiceGrpc.getGetMeshStatusMethod) == null) {
          MeshControlServiceGrpc.getGetMeshStatusMethod = getGetMeshStatusMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetMeshStatusRequest, dev.ragmesh.rag.v1.GetMeshStatusResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetMeshStatus"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetMeshStatusRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetMeshStatusResponse.getDefaultInstance()))
              .setSchemaDescriptor(new MeshControlServiceMethodDescriptorSupplier("GetMeshStatus"))
              .build();
        }
      }
    }
    return getGetMeshStatusMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static MeshControlServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<MeshControlServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<MeshControlServiceStub>() {
        @java.lang.Override
        public MeshControlServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new MeshControlServiceStub(channel, callOptions);
        }
      };
    return MeshControlServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static MeshControlServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<MeshControlServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<MeshControlServiceBlockingV2Stub>() {
        @java.lang.Override
        public MeshControlServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new MeshControlServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return MeshControlServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static MeshControlServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<MeshControlServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<MeshControlServiceBlockingStub>() {
        @java.lang.Override
        public MeshControlServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new MeshControlServiceBlockingStub(channel, callOptions);
        }
      };
    return MeshControlServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static MeshControlServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<MeshControlServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<MeshControlServiceFutureStub>() {
        @java.lang.Override
        public MeshControlServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new MeshControlServiceFutureStub(channel, callOptions);
        }
      };
    return MeshControlServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * The control plane's operator interface: every replica (endpoint) of every
   * service with its health, the latency and errors Envoy observes, and the
   * load-balancing weight pushed to Envoy; draining, weight overrides and
   * registration; and the xDS state of every connected Envoy.
   * Served by the control plane, not by a data-plane service. Weights are
   * computed from a decaying average of observed latency (errors count as slow
   * requests) and are never below 1, so a slow replica is still sampled.
   * Operator changes (drain, undrain, overrides, registration) are pushed to
   * Envoy at once in a new snapshot, whose version the response returns: the
   * change is live on a node when GetMeshStatus shows that node has ACKed a
   * version at least that high for the endpoint resource type.
   * Authorization: rag-admin for every method (replicas and the supervisor
   * register with a service account that has it). Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Lists endpoints ordered by service name, then replica id, optionally for
     * one service.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    default void listEndpoints(dev.ragmesh.rag.v1.ListEndpointsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListEndpointsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListEndpointsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns one endpoint.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    default void getEndpoint(dev.ragmesh.rag.v1.GetEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetEndpointResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetEndpointMethod(), responseObserver);
    }

    /**
     * <pre>
     * Stops sending new requests to an endpoint: its EDS health status becomes
     * DRAINING, so Envoy excludes it from load balancing while requests in
     * flight complete. Use before maintenance or shutdown. Idempotent:
     * draining a draining endpoint succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND,
     * FAILED_PRECONDITION (it is the last serving endpoint of its service and
     * `force` is false; ErrorInfo reason LAST_SERVING_ENDPOINT).
     * </pre>
     */
    default void drainEndpoint(dev.ragmesh.rag.v1.DrainEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DrainEndpointResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDrainEndpointMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns a drained endpoint to load balancing with its computed (or
     * overridden) weight. Idempotent: undraining an endpoint that is not
     * draining succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    default void undrainEndpoint(dev.ragmesh.rag.v1.UndrainEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UndrainEndpointResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getUndrainEndpointMethod(), responseObserver);
    }

    /**
     * <pre>
     * Pins an endpoint's load-balancing weight, replacing the latency-based
     * weight until cleared or until the optional TTL expires. Weights are
     * relative to the other endpoints of the same service: choose a value
     * against their current_weight. Setting the same weight again is
     * idempotent (a new TTL restarts the expiry).
     * Errors: INVALID_ARGUMENT (weight outside 1-10000, negative TTL or over
     * 7 days), NOT_FOUND, FAILED_PRECONDITION (endpoint is draining: undrain
     * it first; ErrorInfo reason ENDPOINT_DRAINING).
     * </pre>
     */
    default void setWeightOverride(dev.ragmesh.rag.v1.SetWeightOverrideRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.SetWeightOverrideResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetWeightOverrideMethod(), responseObserver);
    }

    /**
     * <pre>
     * Removes an endpoint's weight override; the latency-based weight applies
     * again. Idempotent: clearing when there is no override succeeds.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    default void clearWeightOverride(dev.ragmesh.rag.v1.ClearWeightOverrideRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ClearWeightOverrideResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getClearWeightOverrideMethod(), responseObserver);
    }

    /**
     * <pre>
     * Adds a replica to its service's cluster, or refreshes its registration.
     * Called by a replica at start-up (and periodically when it uses a lease)
     * or by the supervisor. Registering the same replica id with the same
     * service and address again is idempotent and renews the lease; Envoy
     * starts health-checking the endpoint and sends it traffic once healthy.
     * Errors: INVALID_ARGUMENT (unknown service name, address not host:port,
     * bad replica id, lease_ttl out of range), ALREADY_EXISTS (replica id
     * registered with a different service or address: deregister it first).
     * </pre>
     */
    default void registerEndpoint(dev.ragmesh.rag.v1.RegisterEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RegisterEndpointResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRegisterEndpointMethod(), responseObserver);
    }

    /**
     * <pre>
     * Removes a replica from its cluster at once; requests still in flight
     * may fail. For a graceful stop, DrainEndpoint first, wait for in-flight
     * requests to finish, then deregister.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND (unless
     * `allow_missing`).
     * </pre>
     */
    default void deregisterEndpoint(dev.ragmesh.rag.v1.DeregisterEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeregisterEndpointResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeregisterEndpointMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns the xDS state: current snapshot version, every connected Envoy
     * node with what it has ACKed or NACKed per resource type, and weight-push
     * totals. The node list is small (one per Envoy) and returned whole.
     * </pre>
     */
    default void getMeshStatus(dev.ragmesh.rag.v1.GetMeshStatusRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetMeshStatusResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetMeshStatusMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service MeshControlService.
   * <pre>
   * The control plane's operator interface: every replica (endpoint) of every
   * service with its health, the latency and errors Envoy observes, and the
   * load-balancing weight pushed to Envoy; draining, weight overrides and
   * registration; and the xDS state of every connected Envoy.
   * Served by the control plane, not by a data-plane service. Weights are
   * computed from a decaying average of observed latency (errors count as slow
   * requests) and are never below 1, so a slow replica is still sampled.
   * Operator changes (drain, undrain, overrides, registration) are pushed to
   * Envoy at once in a new snapshot, whose version the response returns: the
   * change is live on a node when GetMeshStatus shows that node has ACKed a
   * version at least that high for the endpoint resource type.
   * Authorization: rag-admin for every method (replicas and the supervisor
   * register with a service account that has it). Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static abstract class MeshControlServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return MeshControlServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service MeshControlService.
   * <pre>
   * The control plane's operator interface: every replica (endpoint) of every
   * service with its health, the latency and errors Envoy observes, and the
   * load-balancing weight pushed to Envoy; draining, weight overrides and
   * registration; and the xDS state of every connected Envoy.
   * Served by the control plane, not by a data-plane service. Weights are
   * computed from a decaying average of observed latency (errors count as slow
   * requests) and are never below 1, so a slow replica is still sampled.
   * Operator changes (drain, undrain, overrides, registration) are pushed to
   * Envoy at once in a new snapshot, whose version the response returns: the
   * change is live on a node when GetMeshStatus shows that node has ACKed a
   * version at least that high for the endpoint resource type.
   * Authorization: rag-admin for every method (replicas and the supervisor
   * register with a service account that has it). Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class MeshControlServiceStub
      extends io.grpc.stub.AbstractAsyncStub<MeshControlServiceStub> {
    private MeshControlServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected MeshControlServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new MeshControlServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists endpoints ordered by service name, then replica id, optionally for
     * one service.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public void listEndpoints(dev.ragmesh.rag.v1.ListEndpointsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListEndpointsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListEndpointsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns one endpoint.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public void getEndpoint(dev.ragmesh.rag.v1.GetEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetEndpointResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetEndpointMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Stops sending new requests to an endpoint: its EDS health status becomes
     * DRAINING, so Envoy excludes it from load balancing while requests in
     * flight complete. Use before maintenance or shutdown. Idempotent:
     * draining a draining endpoint succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND,
     * FAILED_PRECONDITION (it is the last serving endpoint of its service and
     * `force` is false; ErrorInfo reason LAST_SERVING_ENDPOINT).
     * </pre>
     */
    public void drainEndpoint(dev.ragmesh.rag.v1.DrainEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DrainEndpointResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDrainEndpointMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns a drained endpoint to load balancing with its computed (or
     * overridden) weight. Idempotent: undraining an endpoint that is not
     * draining succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public void undrainEndpoint(dev.ragmesh.rag.v1.UndrainEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UndrainEndpointResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getUndrainEndpointMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Pins an endpoint's load-balancing weight, replacing the latency-based
     * weight until cleared or until the optional TTL expires. Weights are
     * relative to the other endpoints of the same service: choose a value
     * against their current_weight. Setting the same weight again is
     * idempotent (a new TTL restarts the expiry).
     * Errors: INVALID_ARGUMENT (weight outside 1-10000, negative TTL or over
     * 7 days), NOT_FOUND, FAILED_PRECONDITION (endpoint is draining: undrain
     * it first; ErrorInfo reason ENDPOINT_DRAINING).
     * </pre>
     */
    public void setWeightOverride(dev.ragmesh.rag.v1.SetWeightOverrideRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.SetWeightOverrideResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetWeightOverrideMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Removes an endpoint's weight override; the latency-based weight applies
     * again. Idempotent: clearing when there is no override succeeds.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public void clearWeightOverride(dev.ragmesh.rag.v1.ClearWeightOverrideRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ClearWeightOverrideResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getClearWeightOverrideMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Adds a replica to its service's cluster, or refreshes its registration.
     * Called by a replica at start-up (and periodically when it uses a lease)
     * or by the supervisor. Registering the same replica id with the same
     * service and address again is idempotent and renews the lease; Envoy
     * starts health-checking the endpoint and sends it traffic once healthy.
     * Errors: INVALID_ARGUMENT (unknown service name, address not host:port,
     * bad replica id, lease_ttl out of range), ALREADY_EXISTS (replica id
     * registered with a different service or address: deregister it first).
     * </pre>
     */
    public void registerEndpoint(dev.ragmesh.rag.v1.RegisterEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RegisterEndpointResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRegisterEndpointMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Removes a replica from its cluster at once; requests still in flight
     * may fail. For a graceful stop, DrainEndpoint first, wait for in-flight
     * requests to finish, then deregister.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND (unless
     * `allow_missing`).
     * </pre>
     */
    public void deregisterEndpoint(dev.ragmesh.rag.v1.DeregisterEndpointRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeregisterEndpointResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeregisterEndpointMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns the xDS state: current snapshot version, every connected Envoy
     * node with what it has ACKed or NACKed per resource type, and weight-push
     * totals. The node list is small (one per Envoy) and returned whole.
     * </pre>
     */
    public void getMeshStatus(dev.ragmesh.rag.v1.GetMeshStatusRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetMeshStatusResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetMeshStatusMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service MeshControlService.
   * <pre>
   * The control plane's operator interface: every replica (endpoint) of every
   * service with its health, the latency and errors Envoy observes, and the
   * load-balancing weight pushed to Envoy; draining, weight overrides and
   * registration; and the xDS state of every connected Envoy.
   * Served by the control plane, not by a data-plane service. Weights are
   * computed from a decaying average of observed latency (errors count as slow
   * requests) and are never below 1, so a slow replica is still sampled.
   * Operator changes (drain, undrain, overrides, registration) are pushed to
   * Envoy at once in a new snapshot, whose version the response returns: the
   * change is live on a node when GetMeshStatus shows that node has ACKed a
   * version at least that high for the endpoint resource type.
   * Authorization: rag-admin for every method (replicas and the supervisor
   * register with a service account that has it). Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class MeshControlServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<MeshControlServiceBlockingV2Stub> {
    private MeshControlServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected MeshControlServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new MeshControlServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists endpoints ordered by service name, then replica id, optionally for
     * one service.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListEndpointsResponse listEndpoints(dev.ragmesh.rag.v1.ListEndpointsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListEndpointsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one endpoint.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetEndpointResponse getEndpoint(dev.ragmesh.rag.v1.GetEndpointRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stops sending new requests to an endpoint: its EDS health status becomes
     * DRAINING, so Envoy excludes it from load balancing while requests in
     * flight complete. Use before maintenance or shutdown. Idempotent:
     * draining a draining endpoint succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND,
     * FAILED_PRECONDITION (it is the last serving endpoint of its service and
     * `force` is false; ErrorInfo reason LAST_SERVING_ENDPOINT).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DrainEndpointResponse drainEndpoint(dev.ragmesh.rag.v1.DrainEndpointRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDrainEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns a drained endpoint to load balancing with its computed (or
     * overridden) weight. Idempotent: undraining an endpoint that is not
     * draining succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.UndrainEndpointResponse undrainEndpoint(dev.ragmesh.rag.v1.UndrainEndpointRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getUndrainEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Pins an endpoint's load-balancing weight, replacing the latency-based
     * weight until cleared or until the optional TTL expires. Weights are
     * relative to the other endpoints of the same service: choose a value
     * against their current_weight. Setting the same weight again is
     * idempotent (a new TTL restarts the expiry).
     * Errors: INVALID_ARGUMENT (weight outside 1-10000, negative TTL or over
     * 7 days), NOT_FOUND, FAILED_PRECONDITION (endpoint is draining: undrain
     * it first; ErrorInfo reason ENDPOINT_DRAINING).
     * </pre>
     */
    public dev.ragmesh.rag.v1.SetWeightOverrideResponse setWeightOverride(dev.ragmesh.rag.v1.SetWeightOverrideRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetWeightOverrideMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes an endpoint's weight override; the latency-based weight applies
     * again. Idempotent: clearing when there is no override succeeds.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ClearWeightOverrideResponse clearWeightOverride(dev.ragmesh.rag.v1.ClearWeightOverrideRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getClearWeightOverrideMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Adds a replica to its service's cluster, or refreshes its registration.
     * Called by a replica at start-up (and periodically when it uses a lease)
     * or by the supervisor. Registering the same replica id with the same
     * service and address again is idempotent and renews the lease; Envoy
     * starts health-checking the endpoint and sends it traffic once healthy.
     * Errors: INVALID_ARGUMENT (unknown service name, address not host:port,
     * bad replica id, lease_ttl out of range), ALREADY_EXISTS (replica id
     * registered with a different service or address: deregister it first).
     * </pre>
     */
    public dev.ragmesh.rag.v1.RegisterEndpointResponse registerEndpoint(dev.ragmesh.rag.v1.RegisterEndpointRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRegisterEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes a replica from its cluster at once; requests still in flight
     * may fail. For a graceful stop, DrainEndpoint first, wait for in-flight
     * requests to finish, then deregister.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND (unless
     * `allow_missing`).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeregisterEndpointResponse deregisterEndpoint(dev.ragmesh.rag.v1.DeregisterEndpointRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeregisterEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns the xDS state: current snapshot version, every connected Envoy
     * node with what it has ACKed or NACKed per resource type, and weight-push
     * totals. The node list is small (one per Envoy) and returned whole.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetMeshStatusResponse getMeshStatus(dev.ragmesh.rag.v1.GetMeshStatusRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetMeshStatusMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service MeshControlService.
   * <pre>
   * The control plane's operator interface: every replica (endpoint) of every
   * service with its health, the latency and errors Envoy observes, and the
   * load-balancing weight pushed to Envoy; draining, weight overrides and
   * registration; and the xDS state of every connected Envoy.
   * Served by the control plane, not by a data-plane service. Weights are
   * computed from a decaying average of observed latency (errors count as slow
   * requests) and are never below 1, so a slow replica is still sampled.
   * Operator changes (drain, undrain, overrides, registration) are pushed to
   * Envoy at once in a new snapshot, whose version the response returns: the
   * change is live on a node when GetMeshStatus shows that node has ACKed a
   * version at least that high for the endpoint resource type.
   * Authorization: rag-admin for every method (replicas and the supervisor
   * register with a service account that has it). Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class MeshControlServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<MeshControlServiceBlockingStub> {
    private MeshControlServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected MeshControlServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new MeshControlServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists endpoints ordered by service name, then replica id, optionally for
     * one service.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListEndpointsResponse listEndpoints(dev.ragmesh.rag.v1.ListEndpointsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListEndpointsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one endpoint.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetEndpointResponse getEndpoint(dev.ragmesh.rag.v1.GetEndpointRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stops sending new requests to an endpoint: its EDS health status becomes
     * DRAINING, so Envoy excludes it from load balancing while requests in
     * flight complete. Use before maintenance or shutdown. Idempotent:
     * draining a draining endpoint succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND,
     * FAILED_PRECONDITION (it is the last serving endpoint of its service and
     * `force` is false; ErrorInfo reason LAST_SERVING_ENDPOINT).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DrainEndpointResponse drainEndpoint(dev.ragmesh.rag.v1.DrainEndpointRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDrainEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns a drained endpoint to load balancing with its computed (or
     * overridden) weight. Idempotent: undraining an endpoint that is not
     * draining succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.UndrainEndpointResponse undrainEndpoint(dev.ragmesh.rag.v1.UndrainEndpointRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getUndrainEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Pins an endpoint's load-balancing weight, replacing the latency-based
     * weight until cleared or until the optional TTL expires. Weights are
     * relative to the other endpoints of the same service: choose a value
     * against their current_weight. Setting the same weight again is
     * idempotent (a new TTL restarts the expiry).
     * Errors: INVALID_ARGUMENT (weight outside 1-10000, negative TTL or over
     * 7 days), NOT_FOUND, FAILED_PRECONDITION (endpoint is draining: undrain
     * it first; ErrorInfo reason ENDPOINT_DRAINING).
     * </pre>
     */
    public dev.ragmesh.rag.v1.SetWeightOverrideResponse setWeightOverride(dev.ragmesh.rag.v1.SetWeightOverrideRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetWeightOverrideMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes an endpoint's weight override; the latency-based weight applies
     * again. Idempotent: clearing when there is no override succeeds.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.ClearWeightOverrideResponse clearWeightOverride(dev.ragmesh.rag.v1.ClearWeightOverrideRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getClearWeightOverrideMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Adds a replica to its service's cluster, or refreshes its registration.
     * Called by a replica at start-up (and periodically when it uses a lease)
     * or by the supervisor. Registering the same replica id with the same
     * service and address again is idempotent and renews the lease; Envoy
     * starts health-checking the endpoint and sends it traffic once healthy.
     * Errors: INVALID_ARGUMENT (unknown service name, address not host:port,
     * bad replica id, lease_ttl out of range), ALREADY_EXISTS (replica id
     * registered with a different service or address: deregister it first).
     * </pre>
     */
    public dev.ragmesh.rag.v1.RegisterEndpointResponse registerEndpoint(dev.ragmesh.rag.v1.RegisterEndpointRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRegisterEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Removes a replica from its cluster at once; requests still in flight
     * may fail. For a graceful stop, DrainEndpoint first, wait for in-flight
     * requests to finish, then deregister.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND (unless
     * `allow_missing`).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeregisterEndpointResponse deregisterEndpoint(dev.ragmesh.rag.v1.DeregisterEndpointRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeregisterEndpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns the xDS state: current snapshot version, every connected Envoy
     * node with what it has ACKed or NACKed per resource type, and weight-push
     * totals. The node list is small (one per Envoy) and returned whole.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetMeshStatusResponse getMeshStatus(dev.ragmesh.rag.v1.GetMeshStatusRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetMeshStatusMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service MeshControlService.
   * <pre>
   * The control plane's operator interface: every replica (endpoint) of every
   * service with its health, the latency and errors Envoy observes, and the
   * load-balancing weight pushed to Envoy; draining, weight overrides and
   * registration; and the xDS state of every connected Envoy.
   * Served by the control plane, not by a data-plane service. Weights are
   * computed from a decaying average of observed latency (errors count as slow
   * requests) and are never below 1, so a slow replica is still sampled.
   * Operator changes (drain, undrain, overrides, registration) are pushed to
   * Envoy at once in a new snapshot, whose version the response returns: the
   * change is live on a node when GetMeshStatus shows that node has ACKed a
   * version at least that high for the endpoint resource type.
   * Authorization: rag-admin for every method (replicas and the supervisor
   * register with a service account that has it). Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class MeshControlServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<MeshControlServiceFutureStub> {
    private MeshControlServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected MeshControlServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new MeshControlServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists endpoints ordered by service name, then replica id, optionally for
     * one service.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListEndpointsResponse> listEndpoints(
        dev.ragmesh.rag.v1.ListEndpointsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListEndpointsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns one endpoint.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetEndpointResponse> getEndpoint(
        dev.ragmesh.rag.v1.GetEndpointRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetEndpointMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Stops sending new requests to an endpoint: its EDS health status becomes
     * DRAINING, so Envoy excludes it from load balancing while requests in
     * flight complete. Use before maintenance or shutdown. Idempotent:
     * draining a draining endpoint succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND,
     * FAILED_PRECONDITION (it is the last serving endpoint of its service and
     * `force` is false; ErrorInfo reason LAST_SERVING_ENDPOINT).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.DrainEndpointResponse> drainEndpoint(
        dev.ragmesh.rag.v1.DrainEndpointRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDrainEndpointMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns a drained endpoint to load balancing with its computed (or
     * overridden) weight. Idempotent: undraining an endpoint that is not
     * draining succeeds without change.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.UndrainEndpointResponse> undrainEndpoint(
        dev.ragmesh.rag.v1.UndrainEndpointRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getUndrainEndpointMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Pins an endpoint's load-balancing weight, replacing the latency-based
     * weight until cleared or until the optional TTL expires. Weights are
     * relative to the other endpoints of the same service: choose a value
     * against their current_weight. Setting the same weight again is
     * idempotent (a new TTL restarts the expiry).
     * Errors: INVALID_ARGUMENT (weight outside 1-10000, negative TTL or over
     * 7 days), NOT_FOUND, FAILED_PRECONDITION (endpoint is draining: undrain
     * it first; ErrorInfo reason ENDPOINT_DRAINING).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.SetWeightOverrideResponse> setWeightOverride(
        dev.ragmesh.rag.v1.SetWeightOverrideRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetWeightOverrideMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Removes an endpoint's weight override; the latency-based weight applies
     * again. Idempotent: clearing when there is no override succeeds.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ClearWeightOverrideResponse> clearWeightOverride(
        dev.ragmesh.rag.v1.ClearWeightOverrideRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getClearWeightOverrideMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Adds a replica to its service's cluster, or refreshes its registration.
     * Called by a replica at start-up (and periodically when it uses a lease)
     * or by the supervisor. Registering the same replica id with the same
     * service and address again is idempotent and renews the lease; Envoy
     * starts health-checking the endpoint and sends it traffic once healthy.
     * Errors: INVALID_ARGUMENT (unknown service name, address not host:port,
     * bad replica id, lease_ttl out of range), ALREADY_EXISTS (replica id
     * registered with a different service or address: deregister it first).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.RegisterEndpointResponse> registerEndpoint(
        dev.ragmesh.rag.v1.RegisterEndpointRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRegisterEndpointMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Removes a replica from its cluster at once; requests still in flight
     * may fail. For a graceful stop, DrainEndpoint first, wait for in-flight
     * requests to finish, then deregister.
     * Errors: INVALID_ARGUMENT (empty replica id), NOT_FOUND (unless
     * `allow_missing`).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.DeregisterEndpointResponse> deregisterEndpoint(
        dev.ragmesh.rag.v1.DeregisterEndpointRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeregisterEndpointMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns the xDS state: current snapshot version, every connected Envoy
     * node with what it has ACKed or NACKed per resource type, and weight-push
     * totals. The node list is small (one per Envoy) and returned whole.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetMeshStatusResponse> getMeshStatus(
        dev.ragmesh.rag.v1.GetMeshStatusRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetMeshStatusMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_LIST_ENDPOINTS = 0;
  private static final int METHODID_GET_ENDPOINT = 1;
  private static final int METHODID_DRAIN_ENDPOINT = 2;
  private static final int METHODID_UNDRAIN_ENDPOINT = 3;
  private static final int METHODID_SET_WEIGHT_OVERRIDE = 4;
  private static final int METHODID_CLEAR_WEIGHT_OVERRIDE = 5;
  private static final int METHODID_REGISTER_ENDPOINT = 6;
  private static final int METHODID_DEREGISTER_ENDPOINT = 7;
  private static final int METHODID_GET_MESH_STATUS = 8;

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
        case METHODID_LIST_ENDPOINTS:
          serviceImpl.listEndpoints((dev.ragmesh.rag.v1.ListEndpointsRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListEndpointsResponse>) responseObserver);
          break;
        case METHODID_GET_ENDPOINT:
          serviceImpl.getEndpoint((dev.ragmesh.rag.v1.GetEndpointRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetEndpointResponse>) responseObserver);
          break;
        case METHODID_DRAIN_ENDPOINT:
          serviceImpl.drainEndpoint((dev.ragmesh.rag.v1.DrainEndpointRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DrainEndpointResponse>) responseObserver);
          break;
        case METHODID_UNDRAIN_ENDPOINT:
          serviceImpl.undrainEndpoint((dev.ragmesh.rag.v1.UndrainEndpointRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UndrainEndpointResponse>) responseObserver);
          break;
        case METHODID_SET_WEIGHT_OVERRIDE:
          serviceImpl.setWeightOverride((dev.ragmesh.rag.v1.SetWeightOverrideRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.SetWeightOverrideResponse>) responseObserver);
          break;
        case METHODID_CLEAR_WEIGHT_OVERRIDE:
          serviceImpl.clearWeightOverride((dev.ragmesh.rag.v1.ClearWeightOverrideRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ClearWeightOverrideResponse>) responseObserver);
          break;
        case METHODID_REGISTER_ENDPOINT:
          serviceImpl.registerEndpoint((dev.ragmesh.rag.v1.RegisterEndpointRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RegisterEndpointResponse>) responseObserver);
          break;
        case METHODID_DEREGISTER_ENDPOINT:
          serviceImpl.deregisterEndpoint((dev.ragmesh.rag.v1.DeregisterEndpointRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeregisterEndpointResponse>) responseObserver);
          break;
        case METHODID_GET_MESH_STATUS:
          serviceImpl.getMeshStatus((dev.ragmesh.rag.v1.GetMeshStatusRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetMeshStatusResponse>) responseObserver);
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
          getListEndpointsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListEndpointsRequest,
              dev.ragmesh.rag.v1.ListEndpointsResponse>(
                service, METHODID_LIST_ENDPOINTS)))
        .addMethod(
          getGetEndpointMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetEndpointRequest,
              dev.ragmesh.rag.v1.GetEndpointResponse>(
                service, METHODID_GET_ENDPOINT)))
        .addMethod(
          getDrainEndpointMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.DrainEndpointRequest,
              dev.ragmesh.rag.v1.DrainEndpointResponse>(
                service, METHODID_DRAIN_ENDPOINT)))
        .addMethod(
          getUndrainEndpointMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.UndrainEndpointRequest,
              dev.ragmesh.rag.v1.UndrainEndpointResponse>(
                service, METHODID_UNDRAIN_ENDPOINT)))
        .addMethod(
          getSetWeightOverrideMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.SetWeightOverrideRequest,
              dev.ragmesh.rag.v1.SetWeightOverrideResponse>(
                service, METHODID_SET_WEIGHT_OVERRIDE)))
        .addMethod(
          getClearWeightOverrideMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ClearWeightOverrideRequest,
              dev.ragmesh.rag.v1.ClearWeightOverrideResponse>(
                service, METHODID_CLEAR_WEIGHT_OVERRIDE)))
        .addMethod(
          getRegisterEndpointMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.RegisterEndpointRequest,
              dev.ragmesh.rag.v1.RegisterEndpointResponse>(
                service, METHODID_REGISTER_ENDPOINT)))
        .addMethod(
          getDeregisterEndpointMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.DeregisterEndpointRequest,
              dev.ragmesh.rag.v1.DeregisterEndpointResponse>(
                service, METHODID_DEREGISTER_ENDPOINT)))
        .addMethod(
          getGetMeshStatusMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetMeshStatusRequest,
              dev.ragmesh.rag.v1.GetMeshStatusResponse>(
                service, METHODID_GET_MESH_STATUS)))
        .build();
  }

  private static abstract class MeshControlServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    MeshControlServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.MeshControl.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("MeshControlService");
    }
  }

  private static final class MeshControlServiceFileDescriptorSupplier
      extends MeshControlServiceBaseDescriptorSupplier {
    MeshControlServiceFileDescriptorSupplier() {}
  }

  private static final class MeshControlServiceMethodDescriptorSupplier
      extends MeshControlServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    MeshControlServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (MeshControlServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new MeshControlServiceFileDescriptorSupplier())
              .addMethod(getListEndpointsMethod())
              .addMethod(getGetEndpointMethod())
              .addMethod(getDrainEndpointMethod())
              .addMethod(getUndrainEndpointMethod())
              .addMethod(getSetWeightOverrideMethod())
              .addMethod(getClearWeightOverrideMethod())
              .addMethod(getRegisterEndpointMethod())
              .addMethod(getDeregisterEndpointMethod())
              .addMethod(getGetMeshStatusMethod())
              .build();
        }
      }
    }
    return result;
  }
}
