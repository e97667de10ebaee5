package io.streamfold.command.domain.account;

import java.math.BigDecimal;

/** Commands to an account. Amounts are exact decimals. */
public sealed interface AccountCommand {

  /**
   * Opens a new account.
   *
   * @param owner the owner's name, sealed for {@code ownerId} by the HTTP layer ({@link
   *     io.streamfold.schemas.crypto.PersonalData}); the decider never sees it in plain text
   * @param ownerId the data subject; null only in tests of the decider
   */
  record OpenAccount(String owner, String ownerId, String currency, BigDecimal initialDeposit)
      implements AccountCommand {
    public OpenAccount(String owner, String currency, BigDecimal initialDeposit) {
      this(owner, null, currency, initialDeposit);
    }
  }

  /** Pays money in. */
  record Deposit(BigDecimal amount) implements AccountCommand {}

  /** Takes money out. */
  record Withdraw(BigDecimal amount) implements AccountCommand {}

  /** Closes the account, which must have a zero balance. */
  record CloseAccount(String reason) implements AccountCommand {}
}
