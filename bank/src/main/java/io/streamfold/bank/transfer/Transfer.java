package io.streamfold.bank.transfer;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A transfer's state; {@link #NONE} before it is requested.
 *
 * @param timedOut the deadline passed while a step was in flight: nothing goes forward any more
 * @param reasonCode why it failed or is refunded (null otherwise)
 */
public record Transfer(
    Status status,
    String from,
    String to,
    BigDecimal amount,
    String currency,
    Instant requestedAt,
    Instant deadline,
    boolean timedOut,
    String reasonCode,
    String reasonMessage) {
  public static final Transfer NONE =
      new Transfer(Status.NONE, null, null, null, null, null, null, false, null, null);

  /** Where a transfer stands. */
  public enum Status {
    NONE,
    /** Checking that the account to credit can take the money. */
    REQUESTED,
    /** The debit is sent. */
    DEBITING,
    /** Debited; the credit is sent. */
    CREDITING,
    /** The credit was refused, or the deadline passed: the refund is sent. */
    REFUNDING,
    COMPLETED,
    /** Ended with nothing moved. */
    FAILED,
    /** Ended with the money back where it came from. */
    REFUNDED;

    public boolean terminal() {
      return this == COMPLETED || this == FAILED || this == REFUNDED;
    }
  }

  Transfer with(Status next) {
    return new Transfer(
        next,
        from,
        to,
        amount,
        currency,
        requestedAt,
        deadline,
        timedOut,
        reasonCode,
        reasonMessage);
  }

  Transfer with(Status next, String code, String message) {
    return new Transfer(
        next, from, to, amount, currency, requestedAt, deadline, timedOut, code, message);
  }

  Transfer markTimedOut() {
    return new Transfer(
        status, from, to, amount, currency, requestedAt, deadline, true, reasonCode, reasonMessage);
  }
}
