package io.streamfold.projection.view;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A money transfer as the projection service shows it: where it stands, and why it failed or was
 * refunded.
 *
 * @param status {@code REQUESTED}, {@code DEBITING}, {@code CREDITING}, {@code REFUNDING}, or the
 *     terminal {@code COMPLETED}, {@code FAILED}, {@code REFUNDED}
 * @param timedOut its deadline passed while a step was in flight
 * @param missingVersions versions skipped over (gaps), 0 normally
 */
public record TransferView(
    String transferId,
    String from,
    String to,
    BigDecimal amount,
    String currency,
    String status,
    String reasonCode,
    String reasonMessage,
    boolean timedOut,
    long version,
    Instant requestedAt,
    Instant updatedAt,
    long missingVersions) {

  TransferView next(String nextStatus, long nextVersion, Instant at, long missing) {
    return new TransferView(
        transferId,
        from,
        to,
        amount,
        currency,
        nextStatus,
        reasonCode,
        reasonMessage,
        timedOut,
        nextVersion,
        requestedAt,
        at,
        missingVersions + missing);
  }

  TransferView because(String code, String message) {
    return new TransferView(
        transferId,
        from,
        to,
        amount,
        currency,
        status,
        code,
        message,
        timedOut,
        version,
        requestedAt,
        updatedAt,
        missingVersions);
  }

  TransferView late() {
    return new TransferView(
        transferId,
        from,
        to,
        amount,
        currency,
        status,
        reasonCode,
        reasonMessage,
        true,
        version,
        requestedAt,
        updatedAt,
        missingVersions);
  }
}
