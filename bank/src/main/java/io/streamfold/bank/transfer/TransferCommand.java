package io.streamfold.bank.transfer;

import java.math.BigDecimal;
import java.time.Instant;

/** Commands to a transfer: a client's request, then what its process is told. */
public sealed interface TransferCommand {

  /** Moves {@code amount} from one account to another in the same currency. */
  record RequestTransfer(String from, String to, BigDecimal amount, String currency)
      implements TransferCommand {}

  /**
   * An account's answer to the message sent for {@code step} ({@link TransferProcess}).
   *
   * @param code the refusal's code, null when accepted
   */
  record RecordReply(String step, boolean accepted, String code, String message)
      implements TransferCommand {}

  /** The deadline {@code deadline} has passed. */
  record Expire(Instant deadline) implements TransferCommand {}
}
