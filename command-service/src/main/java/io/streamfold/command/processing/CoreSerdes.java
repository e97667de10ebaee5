package io.streamfold.command.processing;

import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.schemas.serde.SubjectNameStrategy;

/**
 * Serdes of the mechanism's own records. Outcomes on the results topic use the topic-name subject;
 * store values use the record name, so a new application id (a rebuild) registers nothing new.
 */
public record CoreSerdes(
    AvroSerde<CommandOutcome> outcomes,
    AvroSerde<CommandOutcome> storedOutcomes,
    AvroSerde<VersionRecord> versions) {

  public static CoreSerdes of(SchemaRegistry registry, boolean autoRegister) {
    return new CoreSerdes(
        AvroSerde.of(CommandOutcome.class, registry, autoRegister),
        AvroSerde.of(CommandOutcome.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister),
        AvroSerde.of(VersionRecord.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister));
  }
}
