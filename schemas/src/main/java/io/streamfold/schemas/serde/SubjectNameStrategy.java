package io.streamfold.schemas.serde;

import org.apache.avro.Schema;

/** How a record's registry subject is named, as in the Confluent serializers. */
@FunctionalInterface
public interface SubjectNameStrategy {
  /** {@code <topic>-value} (or {@code -key}): one evolving schema per topic. The default. */
  SubjectNameStrategy TOPIC_NAME = (topic, isKey, schema) -> topic + (isKey ? "-key" : "-value");

  /** The record's full name: one evolving schema per record type, whatever the topic. */
  SubjectNameStrategy RECORD_NAME = (topic, isKey, schema) -> schema.getFullName();

  String subject(String topic, boolean isKey, Schema schema);
}
