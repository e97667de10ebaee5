package io.streamfold.bank.transfer;

import java.math.BigDecimal;
import java.time.Instant;

/** What happened to a transfer. */
public sealed interface TransferEvent {

  record TransferRequested(
      String from, String to, BigDecimal amount, String currency, Instant deadline)
      implements TransferEvent {}

  /** The account to credit can take the money: the debit is sent. */
  record CreditAccountVerified() implements TransferEvent {}

  /** The money left the debited account: the credit is sent. */
  record TransferDebited() implements TransferEvent {}

  record TransferCompleted() implements TransferEvent {}

  /** Ended with nothing moved. */
  record TransferFailed(String code, String message) implements TransferEvent {}

  /** The money is sent back to the debited account. */
  record RefundStarted(String code, String message) implements TransferEvent {}

  record TransferRefunded() implements TransferEvent {}

  /** The deadline passed while a step was in flight; the answer to it decides the end. */
  record TransferTimedOut() implements TransferEvent {}
}
