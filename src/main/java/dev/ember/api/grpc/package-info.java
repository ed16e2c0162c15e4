/** gRPC adapters: the Open Inference Protocol's GRPCInferenceService over serving calls. */
package dev.ember.api.grpc;
