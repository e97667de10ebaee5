package io.streamfold.bank.account;

import io.streamfold.bank.account.AccountCommand.CloseAccount;
import io.streamfold.bank.account.AccountCommand.Deposit;
import io.streamfold.bank.account.AccountCommand.Leg;
import io.streamfold.bank.account.AccountCommand.OpenAccount;
import io.streamfold.bank.account.AccountCommand.TransferLeg;
import io.streamfold.bank.account.AccountCommand.Withdraw;
import io.streamfold.bank.account.AccountEvent.AccountClosed;
import io.streamfold.bank.account.AccountEvent.AccountOpened;
import io.streamfold.bank.account.AccountEvent.MoneyDeposited;
import io.streamfold.bank.account.AccountEvent.MoneyWithdrawn;
import io.streamfold.command.domain.Decider;
import io.streamfold.command.domain.Decision;
import io.streamfold.command.domain.Rejection;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/** The rules of an account. */
public final class AccountDecider implements Decider<AccountCommand, AccountEvent, Account> {
  public static final int MAX_OWNER_LENGTH = 200;

  @Override
  public Account initialState() {
    return Account.NONE;
  }

  @Override
  public boolean exists(Account state) {
    return state.status() != Account.Status.NONE;
  }

  @Override
  public Decision<AccountEvent> decide(AccountCommand command, Account state, Instant now) {
    if (command instanceof OpenAccount open) {
      return open(open, state);
    } else if (command instanceof Deposit deposit) {
      return deposit(deposit, state);
    } else if (command instanceof Withdraw withdraw) {
      return withdraw(withdraw, state);
    } else if (command instanceof CloseAccount close) {
      return close(close, state);
    } else if (command instanceof TransferLeg leg) {
      return leg(leg, state);
    }
    throw new IllegalArgumentException("Unknown account command " + command);
  }

  private Decision<AccountEvent> open(OpenAccount open, Account state) {
    if (exists(state)) {
      return Decision.reject(Rejection.alreadyExists("The account already exists"));
    }
    // the owner arrives sealed (its length is the HTTP layer's check, on the plain text)
    if (open.owner() == null || open.owner().isBlank()) {
      return Decision.reject(
          Rejection.invalid(
              "invalid-owner", "The owner must be 1 to " + MAX_OWNER_LENGTH + " characters"));
    }
    if (!isCurrency(open.currency())) {
      return Decision.reject(
          Rejection.invalid("invalid-currency", "Unknown ISO 4217 currency: " + open.currency()));
    }
    if (Money.decimals(open.currency()) < 0) {
      return Decision.reject(
          Rejection.invalid(
              "unsupported-currency",
              open.currency()
                  + " has "
                  + java.util.Currency.getInstance(open.currency()).getDefaultFractionDigits()
                  + " decimal places; amounts are kept with at most "
                  + Money.MAX_SCALE));
    }
    if (!Money.representable(open.initialDeposit(), open.currency())
        || open.initialDeposit().signum() < 0) {
      return Decision.reject(
          Rejection.invalid(
              "invalid-amount",
              "The initial deposit must be zero or positive, with at most "
                  + Money.decimals(open.currency())
                  + " decimals in "
                  + open.currency()));
    }
    return Decision.accept(
        new AccountOpened(
            open.owner(), open.ownerId(), open.currency(), Money.normalize(open.initialDeposit())));
  }

  private Decision<AccountEvent> deposit(Deposit deposit, Account state) {
    Rejection refused = refuseUnlessOpen(state, deposit.amount());
    if (refused != null) {
      return Decision.reject(refused);
    }
    if (state.balance().add(deposit.amount()).compareTo(Money.MAX) > 0) {
      return Decision.reject(
          Rejection.businessRule("balance-limit", "The balance would exceed " + Money.MAX));
    }
    return Decision.accept(new MoneyDeposited(Money.normalize(deposit.amount())));
  }

  private Decision<AccountEvent> withdraw(Withdraw withdraw, Account state) {
    Rejection refused = refuseUnlessOpen(state, withdraw.amount());
    if (refused != null) {
      return Decision.reject(refused);
    }
    if (state.balance().compareTo(withdraw.amount()) < 0) {
      return Decision.reject(
          Rejection.businessRule(
              "insufficient-funds",
              "The balance "
                  + state.balance()
                  + " is less than "
                  + Money.normalize(withdraw.amount())));
    }
    return Decision.accept(new MoneyWithdrawn(Money.normalize(withdraw.amount())));
  }

  private Decision<AccountEvent> leg(TransferLeg leg, Account state) {
    if (exists(state) && !state.currency().equals(leg.currency())) {
      return Decision.reject(
          Rejection.businessRule(
              "currency-mismatch",
              "The account holds " + state.currency() + ", not " + leg.currency()));
    }
    if (leg.leg() == Leg.REFUND) {
      if (!exists(state)) {
        return Decision.reject(Rejection.notFound("The account does not exist"));
      }
      return Decision.accept(
          new MoneyDeposited(Money.normalize(leg.amount()), leg.transferId(), leg.counterparty()));
    }
    Rejection refused = refuseUnlessOpen(state, leg.amount());
    if (refused != null) {
      return Decision.reject(refused);
    }
    switch (leg.leg()) {
      case CHECK:
        return Decision.accept();
      case DEBIT:
        Decision<AccountEvent> withdrawn = withdraw(new Withdraw(leg.amount()), state);
        return withdrawn instanceof Decision.Accepted<AccountEvent>
            ? Decision.accept(
                new MoneyWithdrawn(
                    Money.normalize(leg.amount()), leg.transferId(), leg.counterparty()))
            : withdrawn;
      case CREDIT:
        Decision<AccountEvent> deposited = deposit(new Deposit(leg.amount()), state);
        return deposited instanceof Decision.Accepted<AccountEvent>
            ? Decision.accept(
                new MoneyDeposited(
                    Money.normalize(leg.amount()), leg.transferId(), leg.counterparty()))
            : deposited;
      default:
        throw new IllegalArgumentException("Unknown leg " + leg.leg());
    }
  }

  private Decision<AccountEvent> close(CloseAccount close, Account state) {
    Rejection refused = refuseUnlessOpen(state, BigDecimal.ONE);
    if (refused != null) {
      return Decision.reject(refused);
    }
    if (state.balance().signum() != 0) {
      return Decision.reject(
          Rejection.businessRule(
              "non-zero-balance", "The balance is " + state.balance() + ", not zero"));
    }
    return Decision.accept(new AccountClosed(close.reason()));
  }

  /**
   * Not found, closed, or an amount that is not positive with at most the currency's decimals; else
   * null.
   */
  private Rejection refuseUnlessOpen(Account state, BigDecimal amount) {
    if (!exists(state)) {
      return Rejection.notFound("The account does not exist");
    }
    if (state.status() == Account.Status.CLOSED) {
      return Rejection.businessRule("account-closed", "The account is closed");
    }
    if (!Money.representable(amount, state.currency()) || amount.signum() <= 0) {
      return Rejection.invalid(
          "invalid-amount",
          "The amount must be positive, with at most "
              + Money.decimals(state.currency())
              + " decimals in "
              + state.currency());
    }
    return null;
  }

  private static boolean isCurrency(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  @Override
  public Account evolve(Account state, AccountEvent event, Instant occurredAt) {
    if (event instanceof AccountOpened opened) {
      return new Account(
          Account.Status.OPEN,
          opened.owner(),
          opened.ownerId(),
          opened.currency(),
          Money.normalize(opened.initialDeposit()),
          occurredAt);
    } else if (event instanceof MoneyDeposited deposited) {
      return state.withBalance(Money.normalize(state.balance().add(deposited.amount())));
    } else if (event instanceof MoneyWithdrawn withdrawn) {
      return state.withBalance(Money.normalize(state.balance().subtract(withdrawn.amount())));
    } else if (event instanceof AccountClosed) {
      return state.closed();
    }
    throw new IllegalArgumentException("Unknown account event " + event);
  }
}
