package io.streamfold.command.aggregate;

import java.time.Instant;

/**
 * An event with its metadata, as appended to the event log.
 *
 * @param version its 1-based position in the aggregate's stream
 * @param commandId the command that caused it
 */
public record EventEnvelope<E>(
    String eventId,
    String aggregateId,
    long version,
    Instant occurredAt,
    String commandId,
    String correlationId,
    String principal,
    E event) {}
