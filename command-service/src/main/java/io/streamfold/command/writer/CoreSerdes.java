package io.streamfold.command.writer;

import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.IdempotencyRecord;
import io.streamfold.schemas.core.InboxRecord;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.schemas.serde.SubjectNameStrategy;

/**
 * Serdes of the mechanism's own records, all under record-name subjects so that topic prefixes and
 * new application ids register nothing new: version rows (the version table topic), idempotency
 * records, the outcomes they hold, and the messages of the inboxes.
 */
public record CoreSerdes(
    AvroSerde<CommandOutcome> outcomes,
    AvroSerde<VersionRecord> versions,
    AvroSerde<IdempotencyRecord> idempotency,
    AvroSerde<InboxRecord> inbox) {

  public static CoreSerdes of(SchemaRegistry registry, boolean autoRegister) {
    return new CoreSerdes(
        AvroSerde.of(CommandOutcome.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister),
        AvroSerde.of(VersionRecord.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister),
        AvroSerde.of(
            IdempotencyRecord.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister),
        AvroSerde.of(InboxRecord.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister));
  }
}
