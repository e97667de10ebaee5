package io.streamfold.command.http;

import io.streamfold.command.domain.account.Account;
import io.streamfold.command.domain.account.AccountCommand;
import io.streamfold.command.domain.account.AccountDecider;
import io.streamfold.command.domain.account.AccountEvent;
import io.streamfold.service.http.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The account's HTTP bodies: {@code open {owner, currency, initialDeposit?}}, {@code deposit
 * {amount}}, {@code withdraw {amount}}, {@code close {reason?}}.
 */
public final class AccountResource
    implements AggregateResource<AccountCommand, AccountEvent, Account> {
  private static final int MAX_REASON = 500;

  @Override
  public Map<String, CommandParser<AccountCommand>> actions() {
    return ACTIONS;
  }

  private static final Map<String, CommandParser<AccountCommand>> ACTIONS =
      Map.of(
          "open",
              body ->
                  new AccountCommand.OpenAccount(
                      body.requiredString("owner", AccountDecider.MAX_OWNER_LENGTH),
                      currency(body),
                      body.amount("initialDeposit", false)),
          "deposit", body -> new AccountCommand.Deposit(body.positiveAmount("amount")),
          "withdraw", body -> new AccountCommand.Withdraw(body.positiveAmount("amount")),
          "close",
              body -> new AccountCommand.CloseAccount(body.optionalString("reason", MAX_REASON)));

  private static String currency(JsonBody body) {
    String code = body.requiredString("currency", 3);
    if (!code.matches("[A-Z]{3}")) {
      throw ProblemException.badRequest(
          "invalid-field", "Field \"currency\" must be an ISO 4217 code such as EUR");
    }
    try {
      java.util.Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest(
          "invalid-field", "Field \"currency\" is not an ISO 4217 code: " + code);
    }
    return code;
  }

  @Override
  public boolean creates(AccountCommand command) {
    return command instanceof AccountCommand.OpenAccount;
  }

  @Override
  public String eventType(AccountEvent event) {
    return event.getClass().getSimpleName();
  }

  @Override
  public Map<String, Object> eventData(AccountEvent event) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (event instanceof AccountEvent.AccountOpened opened) {
      data.put("owner", opened.owner());
      data.put("currency", opened.currency());
      data.put("initialDeposit", opened.initialDeposit().toPlainString());
    } else if (event instanceof AccountEvent.MoneyDeposited deposited) {
      data.put("amount", deposited.amount().toPlainString());
    } else if (event instanceof AccountEvent.MoneyWithdrawn withdrawn) {
      data.put("amount", withdrawn.amount().toPlainString());
    } else if (event instanceof AccountEvent.AccountClosed closed) {
      data.put("reason", closed.reason());
    } else {
      throw new IllegalArgumentException("Unknown account event " + event);
    }
    return data;
  }

  @Override
  public Map<String, Object> stateView(Account state) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("status", state.status().name());
    view.put("owner", state.owner());
    view.put("currency", state.currency());
    view.put("balance", state.balance().toPlainString());
    view.put("openedAt", state.openedAt() == null ? null : state.openedAt().toString());
    return view;
  }
}
