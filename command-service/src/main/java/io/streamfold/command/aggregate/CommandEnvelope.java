package io.streamfold.command.aggregate;

import java.time.Instant;

/**
 * A command with its metadata.
 *
 * @param commandId the idempotency key: a repeat of it returns the first outcome
 * @param principal who sent it, or null when unauthenticated
 */
public record CommandEnvelope<C>(
    String commandId,
    String aggregateId,
    ExpectedVersion expected,
    String correlationId,
    String principal,
    Instant issuedAt,
    C command) {}
