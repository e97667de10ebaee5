package io.streamfold.bank.avro;

import io.streamfold.bank.account.Account;
import io.streamfold.bank.account.AccountCommand;
import io.streamfold.bank.account.AccountDecider;
import io.streamfold.bank.account.AccountEvent;
import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.AggregateCodec;
import io.streamfold.command.domain.Decider;
import io.streamfold.schemas.registry.SchemaRegistry;
import java.math.BigDecimal;
import java.util.Map;

/** The account aggregate plugged into the mechanism. */
public final class AccountAggregate implements Aggregate<AccountCommand, AccountEvent, Account> {
  private final AccountDecider decider = new AccountDecider();
  private final AccountCodec codec;

  public AccountAggregate(SchemaRegistry registry, boolean autoRegister) {
    this.codec = new AccountCodec(registry, autoRegister);
  }

  @Override
  public String type() {
    return "account";
  }

  @Override
  public String collection() {
    return "accounts";
  }

  @Override
  public Decider<AccountCommand, AccountEvent, Account> decider() {
    return decider;
  }

  @Override
  public AggregateCodec<AccountCommand, AccountEvent, Account> codec() {
    return codec;
  }

  /**
   * A transfer's messages: {@code transfer-check}, {@code transfer-debit}, {@code transfer-credit},
   * {@code transfer-refund}, each with {@code transferId}, {@code counterparty}, {@code amount} and
   * {@code currency}.
   */
  @Override
  public AccountCommand inboxCommand(String action, Map<String, String> data) {
    AccountCommand.Leg leg =
        switch (action) {
          case "transfer-check" -> AccountCommand.Leg.CHECK;
          case "transfer-debit" -> AccountCommand.Leg.DEBIT;
          case "transfer-credit" -> AccountCommand.Leg.CREDIT;
          case "transfer-refund" -> AccountCommand.Leg.REFUND;
          default -> throw new IllegalArgumentException("No account message " + action);
        };
    return new AccountCommand.TransferLeg(
        leg,
        required(data, "transferId"),
        required(data, "counterparty"),
        new BigDecimal(required(data, "amount")),
        required(data, "currency"));
  }

  private static String required(Map<String, String> data, String field) {
    String value = data.get(field);
    if (value == null) {
      throw new IllegalArgumentException("The message has no " + field);
    }
    return value;
  }
}
