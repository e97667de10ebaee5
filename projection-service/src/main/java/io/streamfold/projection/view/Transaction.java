package io.streamfold.projection.view;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One entry of an account's history: what happened at {@code version}, and the balance after it.
 *
 * @param transferId the money transfer a deposit or withdrawal belongs to, or null
 * @param counterparty the transfer's other account, or null
 */
public record Transaction(
    long version,
    String type,
    BigDecimal amount,
    BigDecimal balanceAfter,
    Instant at,
    String eventId,
    String transferId,
    String counterparty) {

  /** An entry that belongs to no transfer. */
  public Transaction(
      long version,
      String type,
      BigDecimal amount,
      BigDecimal balanceAfter,
      Instant at,
      String eventId) {
    this(version, type, amount, balanceAfter, at, eventId, null, null);
  }
}
