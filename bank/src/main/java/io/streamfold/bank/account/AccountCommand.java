package io.streamfold.bank.account;

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

  /**
   * A money transfer's step on this account, sent by the transfer's process (never over HTTP): the
   * currency must be the account's.
   *
   * @param counterparty the transfer's other account
   */
  record TransferLeg(
      Leg leg, String transferId, String counterparty, BigDecimal amount, String currency)
      implements AccountCommand {}

  /** What a transfer asks of an account. */
  enum Leg {
    /** Whether the account can be credited: open, same currency. Moves nothing. */
    CHECK,
    /** Takes the amount out, as a withdrawal does. */
    DEBIT,
    /** Pays the amount in, as a deposit does. */
    CREDIT,
    /**
     * Pays a debit back: allowed on a closed account and beyond the balance limit, since the money
     * was this account's moments ago.
     */
    REFUND
  }
}
