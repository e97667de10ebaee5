package io.streamfold.command.domain.account;

import java.math.BigDecimal;

/** What happened to an account. */
public sealed interface AccountEvent {

  record AccountOpened(String owner, String currency, BigDecimal initialDeposit)
      implements AccountEvent {}

  record MoneyDeposited(BigDecimal amount) implements AccountEvent {}

  record MoneyWithdrawn(BigDecimal amount) implements AccountEvent {}

  record AccountClosed(String reason) implements AccountEvent {}
}
