package io.streamfold.bank.account;

import java.math.BigDecimal;
import java.time.Instant;

/** The write-model state of an account; {@link #NONE} before it is opened. */
public record Account(
    Status status,
    String owner,
    String ownerId,
    String currency,
    BigDecimal balance,
    Instant openedAt) {
  public static final Account NONE = new Account(Status.NONE, null, null, Money.ZERO, null);

  /** An account whose owner has no subject (plain text, from before subjects). */
  public Account(
      Status status, String owner, String currency, BigDecimal balance, Instant openedAt) {
    this(status, owner, null, currency, balance, openedAt);
  }

  public enum Status {
    NONE,
    OPEN,
    CLOSED
  }

  Account withBalance(BigDecimal newBalance) {
    return new Account(status, owner, ownerId, currency, newBalance, openedAt);
  }

  Account closed() {
    return new Account(Status.CLOSED, owner, ownerId, currency, balance, openedAt);
  }
}
