package io.streamfold.command.domain.account;

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

  record MoneyDeposited(BigDecimal amount) implements AccountEvent {}

  record MoneyWithdrawn(BigDecimal amount) implements AccountEvent {}

  record AccountClosed(String reason) implements AccountEvent {}
}
