package dev.ragmesh.rag.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Measures retrieval and answer quality offline, and runs online A/B
 * experiments that compare retrieval configurations on live traffic.
 * Authorization (Keycloak realm roles, checked by Envoy and again by the
 * service): rag-reader for evaluation, scoring, variant assignment and reading
 * experiments; rag-writer for recording outcomes; rag-admin for creating,
 * changing and deleting experiments. Every method may fail with
 * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class EvaluationServiceGrpc {

  private EvaluationServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "rag.v1.EvaluationService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.EvaluateRetrievalRequest,
      dev.ragmesh.rag.v1.EvaluateRetrievalResponse> getEvaluateRetrievalMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "EvaluateRetrieval",
      requestType = dev.ragmesh.rag.v1.EvaluateRetrievalRequest.class,
      responseType = dev.ragmesh.rag.v1.EvaluateRetrievalResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.EvaluateRetrievalRequest,
      dev.ragmesh.rag.v1.EvaluateRetrievalResponse> getEvaluateRetrievalMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.EvaluateRetrievalRequest, dev.ragmesh.rag.v1.EvaluateRetrievalResponse> getEvaluateRetrievalMethod;
    if ((getEvaluateRetrievalMethod = EvaluationServiceGrpc.getEvaluateRetrievalMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getEvaluateRetrievalMethod = EvaluationServiceGrpc.getEvaluateRetrievalMethod) == null) {
          EvaluationServiceGrpc.getEvaluateRetrievalMethod = getEvaluateRetrievalMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.EvaluateRetrievalRequest, dev.ragmesh.rag.v1.EvaluateRetrievalResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "EvaluateRetrieval"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.EvaluateRetrievalRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.EvaluateRetrievalResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("EvaluateRetrieval"))
              .build();
        }
      }
    }
    return getEvaluateRetrievalMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ScoreAnswerRequest,
      dev.ragmesh.rag.v1.ScoreAnswerResponse> getScoreAnswerMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ScoreAnswer",
      requestType = dev.ragmesh.rag.v1.ScoreAnswerRequest.class,
      responseType = dev.ragmesh.rag.v1.ScoreAnswerResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ScoreAnswerRequest,
      dev.ragmesh.rag.v1.ScoreAnswerResponse> getScoreAnswerMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ScoreAnswerRequest, dev.ragmesh.rag.v1.ScoreAnswerResponse> getScoreAnswerMethod;
    if ((getScoreAnswerMethod = EvaluationServiceGrpc.getScoreAnswerMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getScoreAnswerMethod = EvaluationServiceGrpc.getScoreAnswerMethod) == null) {
          EvaluationServiceGrpc.getScoreAnswerMethod = getScoreAnswerMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ScoreAnswerRequest, dev.ragmesh.rag.v1.ScoreAnswerResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ScoreAnswer"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ScoreAnswerRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ScoreAnswerResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("ScoreAnswer"))
              .build();
        }
      }
    }
    return getScoreAnswerMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CreateExperimentRequest,
      dev.ragmesh.rag.v1.CreateExperimentResponse> getCreateExperimentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateExperiment",
      requestType = dev.ragmesh.rag.v1.CreateExperimentRequest.class,
      responseType = dev.ragmesh.rag.v1.CreateExperimentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CreateExperimentRequest,
      dev.ragmesh.rag.v1.CreateExperimentResponse> getCreateExperimentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.CreateExperimentRequest, dev.ragmesh.rag.v1.CreateExperimentResponse> getCreateExperimentMethod;
    if ((getCreateExperimentMethod = EvaluationServiceGrpc.getCreateExperimentMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getCreateExperimentMethod = EvaluationServiceGrpc.getCreateExperimentMethod) == null) {
          EvaluationServiceGrpc.getCreateExperimentMethod = getCreateExperimentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.CreateExperimentRequest, dev.ragmesh.rag.v1.CreateExperimentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateExperiment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.CreateExperimentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.CreateExperimentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("CreateExperiment"))
              .build();
        }
      }
    }
    return getCreateExperimentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetExperimentRequest,
      dev.ragmesh.rag.v1.GetExperimentResponse> getGetExperimentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetExperiment",
      requestType = dev.ragmesh.rag.v1.GetExperimentRequest.class,
      responseType = dev.ragmesh.rag.v1.GetExperimentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetExperimentRequest,
      dev.ragmesh.rag.v1.GetExperimentResponse> getGetExperimentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetExperimentRequest, dev.ragmesh.rag.v1.GetExperimentResponse> getGetExperimentMethod;
    if ((getGetExperimentMethod = EvaluationServiceGrpc.getGetExperimentMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getGetExperimentMethod = EvaluationServiceGrpc.getGetExperimentMethod) == null) {
          EvaluationServiceGrpc.getGetExperimentMethod = getGetExperimentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetExperimentRequest, dev.ragmesh.rag.v1.GetExperimentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetExperiment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetExperimentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetExperimentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("GetExperiment"))
              .build();
        }
      }
    }
    return getGetExperimentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListExperimentsRequest,
      dev.ragmesh.rag.v1.ListExperimentsResponse> getListExperimentsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListExperiments",
      requestType = dev.ragmesh.rag.v1.ListExperimentsRequest.class,
      responseType = dev.ragmesh.rag.v1.ListExperimentsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListExperimentsRequest,
      dev.ragmesh.rag.v1.ListExperimentsResponse> getListExperimentsMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.ListExperimentsRequest, dev.ragmesh.rag.v1.ListExperimentsResponse> getListExperimentsMethod;
    if ((getListExperimentsMethod = EvaluationServiceGrpc.getListExperimentsMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getListExperimentsMethod = EvaluationServiceGrpc.getListExperimentsMethod) == null) {
          EvaluationServiceGrpc.getListExperimentsMethod = getListExperimentsMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.ListExperimentsRequest, dev.ragmesh.rag.v1.ListExperimentsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListExperiments"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListExperimentsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.ListExperimentsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("ListExperiments"))
              .build();
        }
      }
    }
    return getListExperimentsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpdateExperimentRequest,
      dev.ragmesh.rag.v1.UpdateExperimentResponse> getUpdateExperimentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "UpdateExperiment",
      requestType = dev.ragmesh.rag.v1.UpdateExperimentRequest.class,
      responseType = dev.ragmesh.rag.v1.UpdateExperimentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpdateExperimentRequest,
      dev.ragmesh.rag.v1.UpdateExperimentResponse> getUpdateExperimentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpdateExperimentRequest, dev.ragmesh.rag.v1.UpdateExperimentResponse> getUpdateExperimentMethod;
    if ((getUpdateExperimentMethod = EvaluationServiceGrpc.getUpdateExperimentMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getUpdateExperimentMethod = EvaluationServiceGrpc.getUpdateExperimentMethod) == null) {
          EvaluationServiceGrpc.getUpdateExperimentMethod = getUpdateExperimentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.UpdateExperimentRequest, dev.ragmesh.rag.v1.UpdateExperimentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "UpdateExperiment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.UpdateExperimentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.UpdateExperimentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("UpdateExperiment"))
              .build();
        }
      }
    }
    return getUpdateExperimentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpdateExperimentStateRequest,
      dev.ragmesh.rag.v1.UpdateExperimentStateResponse> getUpdateExperimentStateMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "UpdateExperimentState",
      requestType = dev.ragmesh.rag.v1.UpdateExperimentStateRequest.class,
      responseType = dev.ragmesh.rag.v1.UpdateExperimentStateResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpdateExperimentStateRequest,
      dev.ragmesh.rag.v1.UpdateExperimentStateResponse> getUpdateExperimentStateMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.UpdateExperimentStateRequest, dev.ragmesh.rag.v1.UpdateExperimentStateResponse> getUpdateExperimentStateMethod;
    if ((getUpdateExperimentStateMethod = EvaluationServiceGrpc.getUpdateExperimentStateMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getUpdateExperimentStateMethod = EvaluationServiceGrpc.getUpdateExperimentStateMethod) == null) {
          EvaluationServiceGrpc.getUpdateExperimentStateMethod = getUpdateExperimentStateMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.UpdateExperimentStateRequest, dev.ragmesh.rag.v1.UpdateExperimentStateResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "UpdateExperimentState"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.UpdateExperimentStateRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.UpdateExperimentStateResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("UpdateExperimentState"))
              .build();
        }
      }
    }
    return getUpdateExperimentStateMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteExperimentRequest,
      dev.ragmesh.rag.v1.DeleteExperimentResponse> getDeleteExperimentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteExperiment",
      requestType = dev.ragmesh.rag.v1.DeleteExperimentRequest.class,
      responseType = dev.ragmesh.rag.v1.DeleteExperimentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteExperimentRequest,
      dev.ragmesh.rag.v1.DeleteExperimentResponse> getDeleteExperimentMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.DeleteExperimentRequest, dev.ragmesh.rag.v1.DeleteExperimentResponse> getDeleteExperimentMethod;
    if ((getDeleteExperimentMethod = EvaluationServiceGrpc.getDeleteExperimentMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getDeleteExperimentMethod = EvaluationServiceGrpc.getDeleteExperimentMethod) == null) {
          EvaluationServiceGrpc.getDeleteExperimentMethod = getDeleteExperimentMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.DeleteExperimentRequest, dev.ragmesh.rag.v1.DeleteExperimentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteExperiment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeleteExperimentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.DeleteExperimentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("DeleteExperiment"))
              .build();
        }
      }
    }
    return getDeleteExperimentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AssignVariantRequest,
      dev.ragmesh.rag.v1.AssignVariantResponse> getAssignVariantMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "AssignVariant",
      requestType = dev.ragmesh.rag.v1.AssignVariantRequest.class,
      responseType = dev.ragmesh.rag.v1.AssignVariantResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AssignVariantRequest,
      dev.ragmesh.rag.v1.AssignVariantResponse> getAssignVariantMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.AssignVariantRequest, dev.ragmesh.rag.v1.AssignVariantResponse> getAssignVariantMethod;
    if ((getAssignVariantMethod = EvaluationServiceGrpc.getAssignVariantMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getAssignVariantMethod = EvaluationServiceGrpc.getAssignVariantMethod) == null) {
          EvaluationServiceGrpc.getAssignVariantMethod = getAssignVariantMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.AssignVariantRequest, dev.ragmesh.rag.v1.AssignVariantResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "AssignVariant"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.AssignVariantRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.AssignVariantResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("AssignVariant"))
              .build();
        }
      }
    }
    return getAssignVariantMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RecordOutcomeRequest,
      dev.ragmesh.rag.v1.RecordOutcomeResponse> getRecordOutcomeMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RecordOutcome",
      requestType = dev.ragmesh.rag.v1.RecordOutcomeRequest.class,
      responseType = dev.ragmesh.rag.v1.RecordOutcomeResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RecordOutcomeRequest,
      dev.ragmesh.rag.v1.RecordOutcomeResponse> getRecordOutcomeMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.RecordOutcomeRequest, dev.ragmesh.rag.v1.RecordOutcomeResponse> getRecordOutcomeMethod;
    if ((getRecordOutcomeMethod = EvaluationServiceGrpc.getRecordOutcomeMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getRecordOutcomeMethod = EvaluationServiceGrpc.getRecordOutcomeMethod) == null) {
          EvaluationServiceGrpc.getRecordOutcomeMethod = getRecordOutcomeMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.RecordOutcomeRequest, dev.ragmesh.rag.v1.RecordOutcomeResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RecordOutcome"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RecordOutcomeRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.RecordOutcomeResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("RecordOutcome"))
              .build();
        }
      }
    }
    return getRecordOutcomeMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetExperimentResultsRequest,
      dev.ragmesh.rag.v1.GetExperimentResultsResponse> getGetExperimentResultsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetExperimentResults",
      requestType = dev.ragmesh.rag.v1.GetExperimentResultsRequest.class,
      responseType = dev.ragmesh.rag.v1.GetExperimentResultsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetExperimentResultsRequest,
      dev.ragmesh.rag.v1.GetExperimentResultsResponse> getGetExperimentResultsMethod() {
    io.grpc.MethodDescriptor<dev.ragmesh.rag.v1.GetExperimentResultsRequest, dev.ragmesh.rag.v1.GetExperimentResultsResponse> getGetExperimentResultsMethod;
    if ((getGetExperimentResultsMethod = EvaluationServiceGrpc.getGetExperimentResultsMethod) == null) {
      synchronized (EvaluationServiceGrpc.class) {
        if ((getGetExperimentResultsMethod = EvaluationServiceGrpc.getGetExperimentResultsMethod) == null) {
          EvaluationServiceGrpc.getGetExperimentResultsMethod = getGetExperimentResultsMethod =
              io.grpc.MethodDescriptor.<dev.ragmesh.rag.v1.GetExperimentResultsRequest, dev.ragmesh.rag.v1.GetExperimentResultsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetExperimentResults"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetExperimentResultsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.ragmesh.rag.v1.GetExperimentResultsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EvaluationServiceMethodDescriptorSupplier("GetExperimentResults"))
              .build();
        }
      }
    }
    return getGetExperimentResultsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static EvaluationServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<EvaluationServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<EvaluationServiceStub>() {
        @java.lang.Override
        public EvaluationServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new EvaluationServiceStub(channel, callOptions);
        }
      };
    return EvaluationServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static EvaluationServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<EvaluationServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<EvaluationServiceBlockingV2Stub>() {
        @java.lang.Override
        public EvaluationServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new EvaluationServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return EvaluationServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static EvaluationServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<EvaluationServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<EvaluationServiceBlockingStub>() {
        @java.lang.Override
        public EvaluationServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new EvaluationServiceBlockingStub(channel, callOptions);
        }
      };
    return EvaluationServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static EvaluationServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<EvaluationServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<EvaluationServiceFutureStub>() {
        @java.lang.Override
        public EvaluationServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new EvaluationServiceFutureStub(channel, callOptions);
        }
      };
    return EvaluationServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Measures retrieval and answer quality offline, and runs online A/B
   * experiments that compare retrieval configurations on live traffic.
   * Authorization (Keycloak realm roles, checked by Envoy and again by the
   * service): rag-reader for evaluation, scoring, variant assignment and reading
   * experiments; rag-writer for recording outcomes; rag-admin for creating,
   * changing and deleting experiments. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Runs every query of a labelled set through the retrieval pipeline
     * (enhance -&gt; retrieve -&gt; optional graph expansion, no generation) as the
     * calling user, and scores the ranked documents against the relevance
     * judgments: nDCG&#64;k, recall&#64;k and MRR&#64;k for every requested k, with the
     * definitions used by BEIR and pytrec_eval so numbers are comparable with
     * published results.
     * The corpus is not ingested by this call: judged documents must already be
     * indexed under the same document ids (scope the search with
     * `config.retrieval.filters` or `document_ids` when several corpora share a
     * deployment). Retrieval applies the caller's access groups, so a relevant
     * document the caller may not read counts as missed.
     * Requires rag-reader. Read-only; safe to retry. Evaluation takes roughly 20-100 ms per query
     * without query enhancement and more with HyDE: set the call deadline
     * accordingly, or sample with `max_queries`.
     * Errors: INVALID_ARGUMENT (malformed or inconsistent labelled set, k out of
     * range, too many queries), NOT_FOUND (dataset path), RESOURCE_EXHAUSTED (too
     * many evaluations running; retry after the RetryInfo delay), UNAVAILABLE
     * (a retrieval dependency is down; retry), DEADLINE_EXCEEDED (the deadline
     * expired; no partial result is returned).
     * </pre>
     */
    default void evaluateRetrieval(dev.ragmesh.rag.v1.EvaluateRetrievalRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.EvaluateRetrievalResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getEvaluateRetrievalMethod(), responseObserver);
    }

    /**
     * <pre>
     * Scores an answer against its question and the passages it was generated
     * from, returning answer-quality signals in [0, 1] and a per-sentence
     * breakdown. Nothing is retrieved or stored: the result depends only on the
     * request and the server's scorer (named in the response), so the call is
     * idempotent. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty question or answer, limits exceeded),
     * RESOURCE_EXHAUSTED (server overloaded; retry with backoff).
     * </pre>
     */
    default void scoreAnswer(dev.ragmesh.rag.v1.ScoreAnswerRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ScoreAnswerResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getScoreAnswerMethod(), responseObserver);
    }

    /**
     * <pre>
     * Creates an experiment in state EXPERIMENT_STATE_DRAFT. Nothing is
     * assigned until it is started with UpdateExperimentState. Requires
     * rag-admin.
     * With a caller-chosen `experiment_id` a retry is safe: the second call
     * fails with ALREADY_EXISTS and GetExperiment returns the stored one.
     * Errors: INVALID_ARGUMENT (bad id, fewer than 2 or more than 10 variants,
     * duplicate variant names, weight out of range, unknown control variant),
     * ALREADY_EXISTS (id taken).
     * </pre>
     */
    default void createExperiment(dev.ragmesh.rag.v1.CreateExperimentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CreateExperimentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateExperimentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns one experiment. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    default void getExperiment(dev.ragmesh.rag.v1.GetExperimentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetExperimentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetExperimentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists experiments, newest first (by create_time, then id). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    default void listExperiments(dev.ragmesh.rag.v1.ListExperimentsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListExperimentsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListExperimentsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Changes an experiment's descriptive fields, and its variants while it is
     * still a draft. The state is changed only with UpdateExperimentState.
     * Last writer wins. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty or unknown mask path, `state` in the
     * mask, invalid values), NOT_FOUND, FAILED_PRECONDITION (`variants` or
     * `control_variant` changed after the experiment left DRAFT: assignments
     * must stay stable for the lifetime of the experiment).
     * </pre>
     */
    default void updateExperiment(dev.ragmesh.rag.v1.UpdateExperimentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpdateExperimentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getUpdateExperimentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Starts, pauses, resumes or stops an experiment. Allowed transitions:
     * DRAFT -&gt; RUNNING, RUNNING -&gt; PAUSED, PAUSED -&gt; RUNNING, and DRAFT,
     * RUNNING or PAUSED -&gt; STOPPED. STOPPED is final. Requesting the current
     * state succeeds without change, so the call is idempotent. Requires
     * rag-admin.
     * Errors: INVALID_ARGUMENT (target state UNSPECIFIED or DRAFT), NOT_FOUND,
     * FAILED_PRECONDITION (transition not allowed, e.g. STOPPED -&gt; RUNNING).
     * </pre>
     */
    default void updateExperimentState(dev.ragmesh.rag.v1.UpdateExperimentStateRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpdateExperimentStateResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getUpdateExperimentStateMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes an experiment with all its recorded outcomes. A running
     * experiment must be paused or stopped first, so live callers of
     * AssignVariant are not cut off by accident. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * FAILED_PRECONDITION (experiment is RUNNING).
     * </pre>
     */
    default void deleteExperiment(dev.ragmesh.rag.v1.DeleteExperimentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteExperimentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteExperimentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns the variant a subject belongs to. Assignment is deterministic: a
     * stable hash (SHA-256) of the experiment id and the subject key picks the
     * variant in proportion to the traffic weights, so the same subject always
     * gets the same variant, on every replica and across restarts, with no
     * stored state needed. Assignments of different experiments are
     * independent. Requires rag-reader.
     * While the experiment is RUNNING the subject is enrolled (counted for the
     * sample-ratio check). While it is PAUSED or STOPPED every subject gets the
     * control variant with `enrolled` false, so callers keep working.
     * Errors: INVALID_ARGUMENT (empty experiment id), NOT_FOUND,
     * FAILED_PRECONDITION (experiment is still a DRAFT).
     * </pre>
     */
    default void assignVariant(dev.ragmesh.rag.v1.AssignVariantRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AssignVariantResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getAssignVariantMethod(), responseObserver);
    }

    /**
     * <pre>
     * Records named metric values observed for a subject in an experiment
     * (e.g. "thumbs_up" = 1, "answer_clicked" = 0, "latency_seconds" = 0.8).
     * Idempotent per `outcome_id`: a retry with the same id and content
     * returns the stored outcome and counts once. Outcomes are accepted while
     * the experiment is RUNNING or PAUSED (late feedback still counts).
     * Requires rag-writer.
     * Errors: INVALID_ARGUMENT (bad metric name or non-finite value, or
     * `variant` is not the variant AssignVariant gives this subject), NOT_FOUND
     * (experiment), ALREADY_EXISTS (`outcome_id` reused with different
     * content), FAILED_PRECONDITION (experiment is DRAFT or STOPPED).
     * </pre>
     */
    default void recordOutcome(dev.ragmesh.rag.v1.RecordOutcomeRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RecordOutcomeResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRecordOutcomeMethod(), responseObserver);
    }

    /**
     * <pre>
     * Computes per-variant statistics for every recorded metric and compares
     * each variant with the control: difference of means, its confidence
     * interval, a two-sided p-value and whether the difference is significant
     * at the requested alpha. Computed on demand from all outcomes recorded so
     * far; read-only. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (alpha outside (0, 0.5], resamples out of
     * range), NOT_FOUND (experiment), FAILED_PRECONDITION (experiment is still
     * a DRAFT).
     * </pre>
     */
    default void getExperimentResults(dev.ragmesh.rag.v1.GetExperimentResultsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetExperimentResultsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetExperimentResultsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service EvaluationService.
   * <pre>
   * Measures retrieval and answer quality offline, and runs online A/B
   * experiments that compare retrieval configurations on live traffic.
   * Authorization (Keycloak realm roles, checked by Envoy and again by the
   * service): rag-reader for evaluation, scoring, variant assignment and reading
   * experiments; rag-writer for recording outcomes; rag-admin for creating,
   * changing and deleting experiments. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static abstract class EvaluationServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return EvaluationServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service EvaluationService.
   * <pre>
   * Measures retrieval and answer quality offline, and runs online A/B
   * experiments that compare retrieval configurations on live traffic.
   * Authorization (Keycloak realm roles, checked by Envoy and again by the
   * service): rag-reader for evaluation, scoring, variant assignment and reading
   * experiments; rag-writer for recording outcomes; rag-admin for creating,
   * changing and deleting experiments. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class EvaluationServiceStub
      extends io.grpc.stub.AbstractAsyncStub<EvaluationServiceStub> {
    private EvaluationServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected EvaluationServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new EvaluationServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs every query of a labelled set through the retrieval pipeline
     * (enhance -&gt; retrieve -&gt; optional graph expansion, no generation) as the
     * calling user, and scores the ranked documents against the relevance
     * judgments: nDCG&#64;k, recall&#64;k and MRR&#64;k for every requested k, with the
     * definitions used by BEIR and pytrec_eval so numbers are comparable with
     * published results.
     * The corpus is not ingested by this call: judged documents must already be
     * indexed under the same document ids (scope the search with
     * `config.retrieval.filters` or `document_ids` when several corpora share a
     * deployment). Retrieval applies the caller's access groups, so a relevant
     * document the caller may not read counts as missed.
     * Requires rag-reader. Read-only; safe to retry. Evaluation takes roughly 20-100 ms per query
     * without query enhancement and more with HyDE: set the call deadline
     * accordingly, or sample with `max_queries`.
     * Errors: INVALID_ARGUMENT (malformed or inconsistent labelled set, k out of
     * range, too many queries), NOT_FOUND (dataset path), RESOURCE_EXHAUSTED (too
     * many evaluations running; retry after the RetryInfo delay), UNAVAILABLE
     * (a retrieval dependency is down; retry), DEADLINE_EXCEEDED (the deadline
     * expired; no partial result is returned).
     * </pre>
     */
    public void evaluateRetrieval(dev.ragmesh.rag.v1.EvaluateRetrievalRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.EvaluateRetrievalResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getEvaluateRetrievalMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Scores an answer against its question and the passages it was generated
     * from, returning answer-quality signals in [0, 1] and a per-sentence
     * breakdown. Nothing is retrieved or stored: the result depends only on the
     * request and the server's scorer (named in the response), so the call is
     * idempotent. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty question or answer, limits exceeded),
     * RESOURCE_EXHAUSTED (server overloaded; retry with backoff).
     * </pre>
     */
    public void scoreAnswer(dev.ragmesh.rag.v1.ScoreAnswerRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ScoreAnswerResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getScoreAnswerMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Creates an experiment in state EXPERIMENT_STATE_DRAFT. Nothing is
     * assigned until it is started with UpdateExperimentState. Requires
     * rag-admin.
     * With a caller-chosen `experiment_id` a retry is safe: the second call
     * fails with ALREADY_EXISTS and GetExperiment returns the stored one.
     * Errors: INVALID_ARGUMENT (bad id, fewer than 2 or more than 10 variants,
     * duplicate variant names, weight out of range, unknown control variant),
     * ALREADY_EXISTS (id taken).
     * </pre>
     */
    public void createExperiment(dev.ragmesh.rag.v1.CreateExperimentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CreateExperimentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateExperimentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns one experiment. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public void getExperiment(dev.ragmesh.rag.v1.GetExperimentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetExperimentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetExperimentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists experiments, newest first (by create_time, then id). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public void listExperiments(dev.ragmesh.rag.v1.ListExperimentsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListExperimentsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListExperimentsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Changes an experiment's descriptive fields, and its variants while it is
     * still a draft. The state is changed only with UpdateExperimentState.
     * Last writer wins. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty or unknown mask path, `state` in the
     * mask, invalid values), NOT_FOUND, FAILED_PRECONDITION (`variants` or
     * `control_variant` changed after the experiment left DRAFT: assignments
     * must stay stable for the lifetime of the experiment).
     * </pre>
     */
    public void updateExperiment(dev.ragmesh.rag.v1.UpdateExperimentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpdateExperimentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getUpdateExperimentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Starts, pauses, resumes or stops an experiment. Allowed transitions:
     * DRAFT -&gt; RUNNING, RUNNING -&gt; PAUSED, PAUSED -&gt; RUNNING, and DRAFT,
     * RUNNING or PAUSED -&gt; STOPPED. STOPPED is final. Requesting the current
     * state succeeds without change, so the call is idempotent. Requires
     * rag-admin.
     * Errors: INVALID_ARGUMENT (target state UNSPECIFIED or DRAFT), NOT_FOUND,
     * FAILED_PRECONDITION (transition not allowed, e.g. STOPPED -&gt; RUNNING).
     * </pre>
     */
    public void updateExperimentState(dev.ragmesh.rag.v1.UpdateExperimentStateRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpdateExperimentStateResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getUpdateExperimentStateMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes an experiment with all its recorded outcomes. A running
     * experiment must be paused or stopped first, so live callers of
     * AssignVariant are not cut off by accident. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * FAILED_PRECONDITION (experiment is RUNNING).
     * </pre>
     */
    public void deleteExperiment(dev.ragmesh.rag.v1.DeleteExperimentRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteExperimentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteExperimentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns the variant a subject belongs to. Assignment is deterministic: a
     * stable hash (SHA-256) of the experiment id and the subject key picks the
     * variant in proportion to the traffic weights, so the same subject always
     * gets the same variant, on every replica and across restarts, with no
     * stored state needed. Assignments of different experiments are
     * independent. Requires rag-reader.
     * While the experiment is RUNNING the subject is enrolled (counted for the
     * sample-ratio check). While it is PAUSED or STOPPED every subject gets the
     * control variant with `enrolled` false, so callers keep working.
     * Errors: INVALID_ARGUMENT (empty experiment id), NOT_FOUND,
     * FAILED_PRECONDITION (experiment is still a DRAFT).
     * </pre>
     */
    public void assignVariant(dev.ragmesh.rag.v1.AssignVariantRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AssignVariantResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getAssignVariantMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Records named metric values observed for a subject in an experiment
     * (e.g. "thumbs_up" = 1, "answer_clicked" = 0, "latency_seconds" = 0.8).
     * Idempotent per `outcome_id`: a retry with the same id and content
     * returns the stored outcome and counts once. Outcomes are accepted while
     * the experiment is RUNNING or PAUSED (late feedback still counts).
     * Requires rag-writer.
     * Errors: INVALID_ARGUMENT (bad metric name or non-finite value, or
     * `variant` is not the variant AssignVariant gives this subject), NOT_FOUND
     * (experiment), ALREADY_EXISTS (`outcome_id` reused with different
     * content), FAILED_PRECONDITION (experiment is DRAFT or STOPPED).
     * </pre>
     */
    public void recordOutcome(dev.ragmesh.rag.v1.RecordOutcomeRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RecordOutcomeResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRecordOutcomeMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Computes per-variant statistics for every recorded metric and compares
     * each variant with the control: difference of means, its confidence
     * interval, a two-sided p-value and whether the difference is significant
     * at the requested alpha. Computed on demand from all outcomes recorded so
     * far; read-only. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (alpha outside (0, 0.5], resamples out of
     * range), NOT_FOUND (experiment), FAILED_PRECONDITION (experiment is still
     * a DRAFT).
     * </pre>
     */
    public void getExperimentResults(dev.ragmesh.rag.v1.GetExperimentResultsRequest request,
        io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetExperimentResultsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetExperimentResultsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service EvaluationService.
   * <pre>
   * Measures retrieval and answer quality offline, and runs online A/B
   * experiments that compare retrieval configurations on live traffic.
   * Authorization (Keycloak realm roles, checked by Envoy and again by the
   * service): rag-reader for evaluation, scoring, variant assignment and reading
   * experiments; rag-writer for recording outcomes; rag-admin for creating,
   * changing and deleting experiments. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class EvaluationServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<EvaluationServiceBlockingV2Stub> {
    private EvaluationServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected EvaluationServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new EvaluationServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs every query of a labelled set through the retrieval pipeline
     * (enhance -&gt; retrieve -&gt; optional graph expansion, no generation) as the
     * calling user, and scores the ranked documents against the relevance
     * judgments: nDCG&#64;k, recall&#64;k and MRR&#64;k for every requested k, with the
     * definitions used by BEIR and pytrec_eval so numbers are comparable with
     * published results.
     * The corpus is not ingested by this call: judged documents must already be
     * indexed under the same document ids (scope the search with
     * `config.retrieval.filters` or `document_ids` when several corpora share a
     * deployment). Retrieval applies the caller's access groups, so a relevant
     * document the caller may not read counts as missed.
     * Requires rag-reader. Read-only; safe to retry. Evaluation takes roughly 20-100 ms per query
     * without query enhancement and more with HyDE: set the call deadline
     * accordingly, or sample with `max_queries`.
     * Errors: INVALID_ARGUMENT (malformed or inconsistent labelled set, k out of
     * range, too many queries), NOT_FOUND (dataset path), RESOURCE_EXHAUSTED (too
     * many evaluations running; retry after the RetryInfo delay), UNAVAILABLE
     * (a retrieval dependency is down; retry), DEADLINE_EXCEEDED (the deadline
     * expired; no partial result is returned).
     * </pre>
     */
    public dev.ragmesh.rag.v1.EvaluateRetrievalResponse evaluateRetrieval(dev.ragmesh.rag.v1.EvaluateRetrievalRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getEvaluateRetrievalMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Scores an answer against its question and the passages it was generated
     * from, returning answer-quality signals in [0, 1] and a per-sentence
     * breakdown. Nothing is retrieved or stored: the result depends only on the
     * request and the server's scorer (named in the response), so the call is
     * idempotent. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty question or answer, limits exceeded),
     * RESOURCE_EXHAUSTED (server overloaded; retry with backoff).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ScoreAnswerResponse scoreAnswer(dev.ragmesh.rag.v1.ScoreAnswerRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getScoreAnswerMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates an experiment in state EXPERIMENT_STATE_DRAFT. Nothing is
     * assigned until it is started with UpdateExperimentState. Requires
     * rag-admin.
     * With a caller-chosen `experiment_id` a retry is safe: the second call
     * fails with ALREADY_EXISTS and GetExperiment returns the stored one.
     * Errors: INVALID_ARGUMENT (bad id, fewer than 2 or more than 10 variants,
     * duplicate variant names, weight out of range, unknown control variant),
     * ALREADY_EXISTS (id taken).
     * </pre>
     */
    public dev.ragmesh.rag.v1.CreateExperimentResponse createExperiment(dev.ragmesh.rag.v1.CreateExperimentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateExperimentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one experiment. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetExperimentResponse getExperiment(dev.ragmesh.rag.v1.GetExperimentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetExperimentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists experiments, newest first (by create_time, then id). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListExperimentsResponse listExperiments(dev.ragmesh.rag.v1.ListExperimentsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListExperimentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Changes an experiment's descriptive fields, and its variants while it is
     * still a draft. The state is changed only with UpdateExperimentState.
     * Last writer wins. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty or unknown mask path, `state` in the
     * mask, invalid values), NOT_FOUND, FAILED_PRECONDITION (`variants` or
     * `control_variant` changed after the experiment left DRAFT: assignments
     * must stay stable for the lifetime of the experiment).
     * </pre>
     */
    public dev.ragmesh.rag.v1.UpdateExperimentResponse updateExperiment(dev.ragmesh.rag.v1.UpdateExperimentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getUpdateExperimentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Starts, pauses, resumes or stops an experiment. Allowed transitions:
     * DRAFT -&gt; RUNNING, RUNNING -&gt; PAUSED, PAUSED -&gt; RUNNING, and DRAFT,
     * RUNNING or PAUSED -&gt; STOPPED. STOPPED is final. Requesting the current
     * state succeeds without change, so the call is idempotent. Requires
     * rag-admin.
     * Errors: INVALID_ARGUMENT (target state UNSPECIFIED or DRAFT), NOT_FOUND,
     * FAILED_PRECONDITION (transition not allowed, e.g. STOPPED -&gt; RUNNING).
     * </pre>
     */
    public dev.ragmesh.rag.v1.UpdateExperimentStateResponse updateExperimentState(dev.ragmesh.rag.v1.UpdateExperimentStateRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getUpdateExperimentStateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes an experiment with all its recorded outcomes. A running
     * experiment must be paused or stopped first, so live callers of
     * AssignVariant are not cut off by accident. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * FAILED_PRECONDITION (experiment is RUNNING).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeleteExperimentResponse deleteExperiment(dev.ragmesh.rag.v1.DeleteExperimentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteExperimentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns the variant a subject belongs to. Assignment is deterministic: a
     * stable hash (SHA-256) of the experiment id and the subject key picks the
     * variant in proportion to the traffic weights, so the same subject always
     * gets the same variant, on every replica and across restarts, with no
     * stored state needed. Assignments of different experiments are
     * independent. Requires rag-reader.
     * While the experiment is RUNNING the subject is enrolled (counted for the
     * sample-ratio check). While it is PAUSED or STOPPED every subject gets the
     * control variant with `enrolled` false, so callers keep working.
     * Errors: INVALID_ARGUMENT (empty experiment id), NOT_FOUND,
     * FAILED_PRECONDITION (experiment is still a DRAFT).
     * </pre>
     */
    public dev.ragmesh.rag.v1.AssignVariantResponse assignVariant(dev.ragmesh.rag.v1.AssignVariantRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getAssignVariantMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Records named metric values observed for a subject in an experiment
     * (e.g. "thumbs_up" = 1, "answer_clicked" = 0, "latency_seconds" = 0.8).
     * Idempotent per `outcome_id`: a retry with the same id and content
     * returns the stored outcome and counts once. Outcomes are accepted while
     * the experiment is RUNNING or PAUSED (late feedback still counts).
     * Requires rag-writer.
     * Errors: INVALID_ARGUMENT (bad metric name or non-finite value, or
     * `variant` is not the variant AssignVariant gives this subject), NOT_FOUND
     * (experiment), ALREADY_EXISTS (`outcome_id` reused with different
     * content), FAILED_PRECONDITION (experiment is DRAFT or STOPPED).
     * </pre>
     */
    public dev.ragmesh.rag.v1.RecordOutcomeResponse recordOutcome(dev.ragmesh.rag.v1.RecordOutcomeRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRecordOutcomeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Computes per-variant statistics for every recorded metric and compares
     * each variant with the control: difference of means, its confidence
     * interval, a two-sided p-value and whether the difference is significant
     * at the requested alpha. Computed on demand from all outcomes recorded so
     * far; read-only. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (alpha outside (0, 0.5], resamples out of
     * range), NOT_FOUND (experiment), FAILED_PRECONDITION (experiment is still
     * a DRAFT).
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetExperimentResultsResponse getExperimentResults(dev.ragmesh.rag.v1.GetExperimentResultsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetExperimentResultsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service EvaluationService.
   * <pre>
   * Measures retrieval and answer quality offline, and runs online A/B
   * experiments that compare retrieval configurations on live traffic.
   * Authorization (Keycloak realm roles, checked by Envoy and again by the
   * service): rag-reader for evaluation, scoring, variant assignment and reading
   * experiments; rag-writer for recording outcomes; rag-admin for creating,
   * changing and deleting experiments. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class EvaluationServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<EvaluationServiceBlockingStub> {
    private EvaluationServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected EvaluationServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new EvaluationServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs every query of a labelled set through the retrieval pipeline
     * (enhance -&gt; retrieve -&gt; optional graph expansion, no generation) as the
     * calling user, and scores the ranked documents against the relevance
     * judgments: nDCG&#64;k, recall&#64;k and MRR&#64;k for every requested k, with the
     * definitions used by BEIR and pytrec_eval so numbers are comparable with
     * published results.
     * The corpus is not ingested by this call: judged documents must already be
     * indexed under the same document ids (scope the search with
     * `config.retrieval.filters` or `document_ids` when several corpora share a
     * deployment). Retrieval applies the caller's access groups, so a relevant
     * document the caller may not read counts as missed.
     * Requires rag-reader. Read-only; safe to retry. Evaluation takes roughly 20-100 ms per query
     * without query enhancement and more with HyDE: set the call deadline
     * accordingly, or sample with `max_queries`.
     * Errors: INVALID_ARGUMENT (malformed or inconsistent labelled set, k out of
     * range, too many queries), NOT_FOUND (dataset path), RESOURCE_EXHAUSTED (too
     * many evaluations running; retry after the RetryInfo delay), UNAVAILABLE
     * (a retrieval dependency is down; retry), DEADLINE_EXCEEDED (the deadline
     * expired; no partial result is returned).
     * </pre>
     */
    public dev.ragmesh.rag.v1.EvaluateRetrievalResponse evaluateRetrieval(dev.ragmesh.rag.v1.EvaluateRetrievalRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getEvaluateRetrievalMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Scores an answer against its question and the passages it was generated
     * from, returning answer-quality signals in [0, 1] and a per-sentence
     * breakdown. Nothing is retrieved or stored: the result depends only on the
     * request and the server's scorer (named in the response), so the call is
     * idempotent. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty question or answer, limits exceeded),
     * RESOURCE_EXHAUSTED (server overloaded; retry with backoff).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ScoreAnswerResponse scoreAnswer(dev.ragmesh.rag.v1.ScoreAnswerRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getScoreAnswerMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Creates an experiment in state EXPERIMENT_STATE_DRAFT. Nothing is
     * assigned until it is started with UpdateExperimentState. Requires
     * rag-admin.
     * With a caller-chosen `experiment_id` a retry is safe: the second call
     * fails with ALREADY_EXISTS and GetExperiment returns the stored one.
     * Errors: INVALID_ARGUMENT (bad id, fewer than 2 or more than 10 variants,
     * duplicate variant names, weight out of range, unknown control variant),
     * ALREADY_EXISTS (id taken).
     * </pre>
     */
    public dev.ragmesh.rag.v1.CreateExperimentResponse createExperiment(dev.ragmesh.rag.v1.CreateExperimentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateExperimentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns one experiment. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetExperimentResponse getExperiment(dev.ragmesh.rag.v1.GetExperimentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetExperimentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists experiments, newest first (by create_time, then id). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public dev.ragmesh.rag.v1.ListExperimentsResponse listExperiments(dev.ragmesh.rag.v1.ListExperimentsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListExperimentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Changes an experiment's descriptive fields, and its variants while it is
     * still a draft. The state is changed only with UpdateExperimentState.
     * Last writer wins. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty or unknown mask path, `state` in the
     * mask, invalid values), NOT_FOUND, FAILED_PRECONDITION (`variants` or
     * `control_variant` changed after the experiment left DRAFT: assignments
     * must stay stable for the lifetime of the experiment).
     * </pre>
     */
    public dev.ragmesh.rag.v1.UpdateExperimentResponse updateExperiment(dev.ragmesh.rag.v1.UpdateExperimentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getUpdateExperimentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Starts, pauses, resumes or stops an experiment. Allowed transitions:
     * DRAFT -&gt; RUNNING, RUNNING -&gt; PAUSED, PAUSED -&gt; RUNNING, and DRAFT,
     * RUNNING or PAUSED -&gt; STOPPED. STOPPED is final. Requesting the current
     * state succeeds without change, so the call is idempotent. Requires
     * rag-admin.
     * Errors: INVALID_ARGUMENT (target state UNSPECIFIED or DRAFT), NOT_FOUND,
     * FAILED_PRECONDITION (transition not allowed, e.g. STOPPED -&gt; RUNNING).
     * </pre>
     */
    public dev.ragmesh.rag.v1.UpdateExperimentStateResponse updateExperimentState(dev.ragmesh.rag.v1.UpdateExperimentStateRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getUpdateExperimentStateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes an experiment with all its recorded outcomes. A running
     * experiment must be paused or stopped first, so live callers of
     * AssignVariant are not cut off by accident. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * FAILED_PRECONDITION (experiment is RUNNING).
     * </pre>
     */
    public dev.ragmesh.rag.v1.DeleteExperimentResponse deleteExperiment(dev.ragmesh.rag.v1.DeleteExperimentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteExperimentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns the variant a subject belongs to. Assignment is deterministic: a
     * stable hash (SHA-256) of the experiment id and the subject key picks the
     * variant in proportion to the traffic weights, so the same subject always
     * gets the same variant, on every replica and across restarts, with no
     * stored state needed. Assignments of different experiments are
     * independent. Requires rag-reader.
     * While the experiment is RUNNING the subject is enrolled (counted for the
     * sample-ratio check). While it is PAUSED or STOPPED every subject gets the
     * control variant with `enrolled` false, so callers keep working.
     * Errors: INVALID_ARGUMENT (empty experiment id), NOT_FOUND,
     * FAILED_PRECONDITION (experiment is still a DRAFT).
     * </pre>
     */
    public dev.ragmesh.rag.v1.AssignVariantResponse assignVariant(dev.ragmesh.rag.v1.AssignVariantRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getAssignVariantMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Records named metric values observed for a subject in an experiment
     * (e.g. "thumbs_up" = 1, "answer_clicked" = 0, "latency_seconds" = 0.8).
     * Idempotent per `outcome_id`: a retry with the same id and content
     * returns the stored outcome and counts once. Outcomes are accepted while
     * the experiment is RUNNING or PAUSED (late feedback still counts).
     * Requires rag-writer.
     * Errors: INVALID_ARGUMENT (bad metric name or non-finite value, or
     * `variant` is not the variant AssignVariant gives this subject), NOT_FOUND
     * (experiment), ALREADY_EXISTS (`outcome_id` reused with different
     * content), FAILED_PRECONDITION (experiment is DRAFT or STOPPED).
     * </pre>
     */
    public dev.ragmesh.rag.v1.RecordOutcomeResponse recordOutcome(dev.ragmesh.rag.v1.RecordOutcomeRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRecordOutcomeMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Computes per-variant statistics for every recorded metric and compares
     * each variant with the control: difference of means, its confidence
     * interval, a two-sided p-value and whether the difference is significant
     * at the requested alpha. Computed on demand from all outcomes recorded so
     * far; read-only. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (alpha outside (0, 0.5], resamples out of
     * range), NOT_FOUND (experiment), FAILED_PRECONDITION (experiment is still
     * a DRAFT).
     * </pre>
     */
    public dev.ragmesh.rag.v1.GetExperimentResultsResponse getExperimentResults(dev.ragmesh.rag.v1.GetExperimentResultsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetExperimentResultsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service EvaluationService.
   * <pre>
   * Measures retrieval and answer quality offline, and runs online A/B
   * experiments that compare retrieval configurations on live traffic.
   * Authorization (Keycloak realm roles, checked by Envoy and again by the
   * service): rag-reader for evaluation, scoring, variant assignment and reading
   * experiments; rag-writer for recording outcomes; rag-admin for creating,
   * changing and deleting experiments. Every method may fail with
   * UNAUTHENTICATED (no or invalid token) or PERMISSION_DENIED (missing role).
   * </pre>
   */
  public static final class EvaluationServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<EvaluationServiceFutureStub> {
    private EvaluationServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected EvaluationServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new EvaluationServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Runs every query of a labelled set through the retrieval pipeline
     * (enhance -&gt; retrieve -&gt; optional graph expansion, no generation) as the
     * calling user, and scores the ranked documents against the relevance
     * judgments: nDCG&#64;k, recall&#64;k and MRR&#64;k for every requested k, with the
     * definitions used by BEIR and pytrec_eval so numbers are comparable with
     * published results.
     * The corpus is not ingested by this call: judged documents must already be
     * indexed under the same document ids (scope the search with
     * `config.retrieval.filters` or `document_ids` when several corpora share a
     * deployment). Retrieval applies the caller's access groups, so a relevant
     * document the caller may not read counts as missed.
     * Requires rag-reader. Read-only; safe to retry. Evaluation takes roughly 20-100 ms per query
     * without query enhancement and more with HyDE: set the call deadline
     * accordingly, or sample with `max_queries`.
     * Errors: INVALID_ARGUMENT (malformed or inconsistent labelled set, k out of
     * range, too many queries), NOT_FOUND (dataset path), RESOURCE_EXHAUSTED (too
     * many evaluations running; retry after the RetryInfo delay), UNAVAILABLE
     * (a retrieval dependency is down; retry), DEADLINE_EXCEEDED (the deadline
     * expired; no partial result is returned).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.EvaluateRetrievalResponse> evaluateRetrieval(
        dev.ragmesh.rag.v1.EvaluateRetrievalRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getEvaluateRetrievalMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Scores an answer against its question and the passages it was generated
     * from, returning answer-quality signals in [0, 1] and a per-sentence
     * breakdown. Nothing is retrieved or stored: the result depends only on the
     * request and the server's scorer (named in the response), so the call is
     * idempotent. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty question or answer, limits exceeded),
     * RESOURCE_EXHAUSTED (server overloaded; retry with backoff).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ScoreAnswerResponse> scoreAnswer(
        dev.ragmesh.rag.v1.ScoreAnswerRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getScoreAnswerMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Creates an experiment in state EXPERIMENT_STATE_DRAFT. Nothing is
     * assigned until it is started with UpdateExperimentState. Requires
     * rag-admin.
     * With a caller-chosen `experiment_id` a retry is safe: the second call
     * fails with ALREADY_EXISTS and GetExperiment returns the stored one.
     * Errors: INVALID_ARGUMENT (bad id, fewer than 2 or more than 10 variants,
     * duplicate variant names, weight out of range, unknown control variant),
     * ALREADY_EXISTS (id taken).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.CreateExperimentResponse> createExperiment(
        dev.ragmesh.rag.v1.CreateExperimentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateExperimentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns one experiment. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetExperimentResponse> getExperiment(
        dev.ragmesh.rag.v1.GetExperimentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetExperimentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists experiments, newest first (by create_time, then id). Requires
     * rag-reader.
     * Errors: INVALID_ARGUMENT (negative page_size, bad or mismatched
     * page_token).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.ListExperimentsResponse> listExperiments(
        dev.ragmesh.rag.v1.ListExperimentsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListExperimentsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Changes an experiment's descriptive fields, and its variants while it is
     * still a draft. The state is changed only with UpdateExperimentState.
     * Last writer wins. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty or unknown mask path, `state` in the
     * mask, invalid values), NOT_FOUND, FAILED_PRECONDITION (`variants` or
     * `control_variant` changed after the experiment left DRAFT: assignments
     * must stay stable for the lifetime of the experiment).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.UpdateExperimentResponse> updateExperiment(
        dev.ragmesh.rag.v1.UpdateExperimentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getUpdateExperimentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Starts, pauses, resumes or stops an experiment. Allowed transitions:
     * DRAFT -&gt; RUNNING, RUNNING -&gt; PAUSED, PAUSED -&gt; RUNNING, and DRAFT,
     * RUNNING or PAUSED -&gt; STOPPED. STOPPED is final. Requesting the current
     * state succeeds without change, so the call is idempotent. Requires
     * rag-admin.
     * Errors: INVALID_ARGUMENT (target state UNSPECIFIED or DRAFT), NOT_FOUND,
     * FAILED_PRECONDITION (transition not allowed, e.g. STOPPED -&gt; RUNNING).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.UpdateExperimentStateResponse> updateExperimentState(
        dev.ragmesh.rag.v1.UpdateExperimentStateRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getUpdateExperimentStateMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes an experiment with all its recorded outcomes. A running
     * experiment must be paused or stopped first, so live callers of
     * AssignVariant are not cut off by accident. Requires rag-admin.
     * Errors: INVALID_ARGUMENT (empty id), NOT_FOUND (unless `allow_missing`),
     * FAILED_PRECONDITION (experiment is RUNNING).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.DeleteExperimentResponse> deleteExperiment(
        dev.ragmesh.rag.v1.DeleteExperimentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteExperimentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns the variant a subject belongs to. Assignment is deterministic: a
     * stable hash (SHA-256) of the experiment id and the subject key picks the
     * variant in proportion to the traffic weights, so the same subject always
     * gets the same variant, on every replica and across restarts, with no
     * stored state needed. Assignments of different experiments are
     * independent. Requires rag-reader.
     * While the experiment is RUNNING the subject is enrolled (counted for the
     * sample-ratio check). While it is PAUSED or STOPPED every subject gets the
     * control variant with `enrolled` false, so callers keep working.
     * Errors: INVALID_ARGUMENT (empty experiment id), NOT_FOUND,
     * FAILED_PRECONDITION (experiment is still a DRAFT).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.AssignVariantResponse> assignVariant(
        dev.ragmesh.rag.v1.AssignVariantRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getAssignVariantMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Records named metric values observed for a subject in an experiment
     * (e.g. "thumbs_up" = 1, "answer_clicked" = 0, "latency_seconds" = 0.8).
     * Idempotent per `outcome_id`: a retry with the same id and content
     * returns the stored outcome and counts once. Outcomes are accepted while
     * the experiment is RUNNING or PAUSED (late feedback still counts).
     * Requires rag-writer.
     * Errors: INVALID_ARGUMENT (bad metric name or non-finite value, or
     * `variant` is not the variant AssignVariant gives this subject), NOT_FOUND
     * (experiment), ALREADY_EXISTS (`outcome_id` reused with different
     * content), FAILED_PRECONDITION (experiment is DRAFT or STOPPED).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.RecordOutcomeResponse> recordOutcome(
        dev.ragmesh.rag.v1.RecordOutcomeRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRecordOutcomeMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Computes per-variant statistics for every recorded metric and compares
     * each variant with the control: difference of means, its confidence
     * interval, a two-sided p-value and whether the difference is significant
     * at the requested alpha. Computed on demand from all outcomes recorded so
     * far; read-only. Requires rag-reader.
     * Errors: INVALID_ARGUMENT (alpha outside (0, 0.5], resamples out of
     * range), NOT_FOUND (experiment), FAILED_PRECONDITION (experiment is still
     * a DRAFT).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.ragmesh.rag.v1.GetExperimentResultsResponse> getExperimentResults(
        dev.ragmesh.rag.v1.GetExperimentResultsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetExperimentResultsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_EVALUATE_RETRIEVAL = 0;
  private static final int METHODID_SCORE_ANSWER = 1;
  private static final int METHODID_CREATE_EXPERIMENT = 2;
  private static final int METHODID_GET_EXPERIMENT = 3;
  private static final int METHODID_LIST_EXPERIMENTS = 4;
  private static final int METHODID_UPDATE_EXPERIMENT = 5;
  private static final int METHODID_UPDATE_EXPERIMENT_STATE = 6;
  private static final int METHODID_DELETE_EXPERIMENT = 7;
  private static final int METHODID_ASSIGN_VARIANT = 8;
  private static final int METHODID_RECORD_OUTCOME = 9;
  private static final int METHODID_GET_EXPERIMENT_RESULTS = 10;

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
        case METHODID_EVALUATE_RETRIEVAL:
          serviceImpl.evaluateRetrieval((dev.ragmesh.rag.v1.EvaluateRetrievalRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.EvaluateRetrievalResponse>) responseObserver);
          break;
        case METHODID_SCORE_ANSWER:
          serviceImpl.scoreAnswer((dev.ragmesh.rag.v1.ScoreAnswerRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ScoreAnswerResponse>) responseObserver);
          break;
        case METHODID_CREATE_EXPERIMENT:
          serviceImpl.createExperiment((dev.ragmesh.rag.v1.CreateExperimentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.CreateExperimentResponse>) responseObserver);
          break;
        case METHODID_GET_EXPERIMENT:
          serviceImpl.getExperiment((dev.ragmesh.rag.v1.GetExperimentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetExperimentResponse>) responseObserver);
          break;
        case METHODID_LIST_EXPERIMENTS:
          serviceImpl.listExperiments((dev.ragmesh.rag.v1.ListExperimentsRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.ListExperimentsResponse>) responseObserver);
          break;
        case METHODID_UPDATE_EXPERIMENT:
          serviceImpl.updateExperiment((dev.ragmesh.rag.v1.UpdateExperimentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpdateExperimentResponse>) responseObserver);
          break;
        case METHODID_UPDATE_EXPERIMENT_STATE:
          serviceImpl.updateExperimentState((dev.ragmesh.rag.v1.UpdateExperimentStateRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.UpdateExperimentStateResponse>) responseObserver);
          break;
        case METHODID_DELETE_EXPERIMENT:
          serviceImpl.deleteExperiment((dev.ragmesh.rag.v1.DeleteExperimentRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.DeleteExperimentResponse>) responseObserver);
          break;
        case METHODID_ASSIGN_VARIANT:
          serviceImpl.assignVariant((dev.ragmesh.rag.v1.AssignVariantRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.AssignVariantResponse>) responseObserver);
          break;
        case METHODID_RECORD_OUTCOME:
          serviceImpl.recordOutcome((dev.ragmesh.rag.v1.RecordOutcomeRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.RecordOutcomeResponse>) responseObserver);
          break;
        case METHODID_GET_EXPERIMENT_RESULTS:
          serviceImpl.getExperimentResults((dev.ragmesh.rag.v1.GetExperimentResultsRequest) request,
              (io.grpc.stub.StreamObserver<dev.ragmesh.rag.v1.GetExperimentResultsResponse>) responseObserver);
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
          getEvaluateRetrievalMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.EvaluateRetrievalRequest,
              dev.ragmesh.rag.v1.EvaluateRetrievalResponse>(
                service, METHODID_EVALUATE_RETRIEVAL)))
        .addMethod(
          getScoreAnswerMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ScoreAnswerRequest,
              dev.ragmesh.rag.v1.ScoreAnswerResponse>(
                service, METHODID_SCORE_ANSWER)))
        .addMethod(
          getCreateExperimentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.CreateExperimentRequest,
              dev.ragmesh.rag.v1.CreateExperimentResponse>(
                service, METHODID_CREATE_EXPERIMENT)))
        .addMethod(
          getGetExperimentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetExperimentRequest,
              dev.ragmesh.rag.v1.GetExperimentResponse>(
                service, METHODID_GET_EXPERIMENT)))
        .addMethod(
          getListExperimentsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.ListExperimentsRequest,
              dev.ragmesh.rag.v1.ListExperimentsResponse>(
                service, METHODID_LIST_EXPERIMENTS)))
        .addMethod(
          getUpdateExperimentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.UpdateExperimentRequest,
              dev.ragmesh.rag.v1.UpdateExperimentResponse>(
                service, METHODID_UPDATE_EXPERIMENT)))
        .addMethod(
          getUpdateExperimentStateMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.UpdateExperimentStateRequest,
              dev.ragmesh.rag.v1.UpdateExperimentStateResponse>(
                service, METHODID_UPDATE_EXPERIMENT_STATE)))
        .addMethod(
          getDeleteExperimentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.DeleteExperimentRequest,
              dev.ragmesh.rag.v1.DeleteExperimentResponse>(
                service, METHODID_DELETE_EXPERIMENT)))
        .addMethod(
          getAssignVariantMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.AssignVariantRequest,
              dev.ragmesh.rag.v1.AssignVariantResponse>(
                service, METHODID_ASSIGN_VARIANT)))
        .addMethod(
          getRecordOutcomeMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.RecordOutcomeRequest,
              dev.ragmesh.rag.v1.RecordOutcomeResponse>(
                service, METHODID_RECORD_OUTCOME)))
        .addMethod(
          getGetExperimentResultsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.ragmesh.rag.v1.GetExperimentResultsRequest,
              dev.ragmesh.rag.v1.GetExperimentResultsResponse>(
                service, METHODID_GET_EXPERIMENT_RESULTS)))
        .build();
  }

  private static abstract class EvaluationServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    EvaluationServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.ragmesh.rag.v1.Evaluation.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("EvaluationService");
    }
  }

  private static final class EvaluationServiceFileDescriptorSupplier
      extends EvaluationServiceBaseDescriptorSupplier {
    EvaluationServiceFileDescriptorSupplier() {}
  }

  private static final class EvaluationServiceMethodDescriptorSupplier
      extends EvaluationServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    EvaluationServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (EvaluationServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new EvaluationServiceFileDescriptorSupplier())
              .addMethod(getEvaluateRetrievalMethod())
              .addMethod(getScoreAnswerMethod())
              .addMethod(getCreateExperimentMethod())
              .addMethod(getGetExperimentMethod())
              .addMethod(getListExperimentsMethod())
              .addMethod(getUpdateExperimentMethod())
              .addMethod(getUpdateExperimentStateMethod())
              .addMethod(getDeleteExperimentMethod())
              .addMethod(getAssignVariantMethod())
              .addMethod(getRecordOutcomeMethod())
              .addMethod(getGetExperimentResultsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
