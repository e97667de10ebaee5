package io.streamfold.service.kafka;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What a service's configuration says about its Kafka Streams instance; both services' configs are
 * one.
 */
public interface StreamsInstanceConfig {
  String applicationId();

  String advertisedServer();

  Path stateDir();

  int standbyReplicas();

  int streamThreads();

  short replication();

  int commitIntervalMs();

  Properties clientProperties();

  /** The Kafka Streams properties these settings give (exactly-once, identity, sizing). */
  default Properties streamsProperties() {
    return StreamsRunner.properties(
        clientProperties(),
        new StreamsRunner.Identity(
            applicationId(),
            advertisedServer(),
            stateDir(),
            standbyReplicas(),
            streamThreads(),
            replication(),
            commitIntervalMs()));
  }
}
