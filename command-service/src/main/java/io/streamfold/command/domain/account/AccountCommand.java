package io.streamfold.command.domain.account;

import java.math.BigDecimal;

/** Commands to an account. Amounts are exact decimals. */
public sealed interface AccountCommand {

  /** Opens a new account. */
  record OpenAccount(String owner, String currency, BigDecimal initialDeposit)
      implements AccountCommand {}

  /** Pays money in. */
  record Deposit(BigDecimal amount) implements AccountCommand {}

  /** Takes money out. */
  record Withdraw(BigDecimal amount) implements AccountCommand {}

  /** Closes the account, which must have a zero balance. */
  record CloseAccount(String reason) implements AccountCommand {}
}
