package io.streamfold.bank.projection;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A money transfer as the projection service shows it: where it stands, and why it failed or was
 * refunded (its version is the platform's).
 *
 * @param status {@code REQUESTED}, {@code DEBITING}, {@code CREDITING}, {@code REFUNDING}, or the
 *     terminal {@code COMPLETED}, {@code FAILED}, {@code REFUNDED}
 * @param timedOut its deadline passed while a step was in flight
 */
public record TransferView(
    String from,
    String to,
    BigDecimal amount,
    String currency,
    String status,
    String reasonCode,
    String reasonMessage,
    boolean timedOut,
    Instant requestedAt,
    Instant updatedAt) {

  TransferView next(String nextStatus, Instant at) {
    return new TransferView(
        from,
        to,
        amount,
        currency,
        nextStatus,
        reasonCode,
        reasonMessage,
        timedOut,
        requestedAt,
        at);
  }

  TransferView because(String code, String message) {
    return new TransferView(
        from, to, amount, currency, status, code, message, timedOut, requestedAt, updatedAt);
  }

  TransferView late() {
    return new TransferView(
        from,
        to,
        amount,
        currency,
        status,
        reasonCode,
        reasonMessage,
        true,
        requestedAt,
        updatedAt);
  }
}
