package io.streamfold.command.aggregate;

import java.time.Instant;

/**
 * A command with its metadata.
 *
 * @param commandId the client's {@code Idempotency-Key}, or an id generated for this request
 * @param principal who sent it, or null when unauthenticated
 * @param fingerprint a digest of the request (action, body, precondition) when the client supplied
 *     the idempotency key, so its final outcome is remembered; null for a generated id, which can
 *     never be retried and so is never remembered
 */
public record CommandEnvelope<C>(
    String commandId,
    String aggregateId,
    ExpectedVersion expected,
    String correlationId,
    String principal,
    Instant issuedAt,
    String fingerprint,
    C command) {

  /** Whether the client supplied the id, so the outcome is remembered under it. */
  public boolean remembered() {
    return fingerprint != null;
  }
}
