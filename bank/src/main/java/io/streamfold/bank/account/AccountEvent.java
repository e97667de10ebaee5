package io.streamfold.bank.account;

import java.math.BigDecimal;

/** What happened to an account. */
public sealed interface AccountEvent {

  /**
   * @param owner sealed for {@code ownerId}; plain text when {@code ownerId} is null (events from
   *     before subjects)
   */
  record AccountOpened(String owner, String ownerId, String currency, BigDecimal initialDeposit)
      implements AccountEvent {
    public AccountOpened(String owner, String currency, BigDecimal initialDeposit) {
      this(owner, null, currency, initialDeposit);
    }
  }

  /**
   * @param transferId the transfer it belongs to, or null
   * @param counterparty the transfer's other account, or null
   */
  record MoneyDeposited(BigDecimal amount, String transferId, String counterparty)
      implements AccountEvent {
    public MoneyDeposited(BigDecimal amount) {
      this(amount, null, null);
    }
  }

  /**
   * @param transferId the transfer it belongs to, or null
   * @param counterparty the transfer's other account, or null
   */
  record MoneyWithdrawn(BigDecimal amount, String transferId, String counterparty)
      implements AccountEvent {
    public MoneyWithdrawn(BigDecimal amount) {
      this(amount, null, null);
    }
  }

  record AccountClosed(String reason) implements AccountEvent {}
}
