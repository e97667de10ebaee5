package io.streamfold.command.avro;

import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.AggregateCodec;
import io.streamfold.command.domain.Decider;
import io.streamfold.command.domain.account.Account;
import io.streamfold.command.domain.account.AccountCommand;
import io.streamfold.command.domain.account.AccountDecider;
import io.streamfold.command.domain.account.AccountEvent;
import io.streamfold.schemas.registry.SchemaRegistry;

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
}
