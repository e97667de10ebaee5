package io.streamfold.bank;

import io.streamfold.bank.avro.AccountAggregate;
import io.streamfold.bank.avro.TransferAggregate;
import io.streamfold.bank.http.AccountResource;
import io.streamfold.bank.http.TransferResource;
import io.streamfold.command.CommandDomain;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.account.AccountState;
import io.streamfold.schemas.transfer.TransferEvent;
import io.streamfold.schemas.transfer.TransferState;
import io.streamfold.service.config.Env;
import java.time.Duration;
import java.util.List;

/**
 * The bank ledger: accounts, and money transfers between them (a process manager). Reads {@code
 * TRANSFER_TIMEOUT} (60 s by default).
 */
public final class BankDomain implements CommandDomain {
  private Duration transferTimeout = Duration.ofSeconds(60);

  @Override
  public void configure(Env environment) {
    transferTimeout = environment.duration("TRANSFER_TIMEOUT", Duration.ofSeconds(60));
  }

  @Override
  public List<Plugged<?, ?, ?>> aggregates(Context context) {
    return List.of(
        new Plugged<>(
            new AccountAggregate(context.registry(), context.autoRegister()),
            new AccountResource(context.personal())),
        new Plugged<>(
            new TransferAggregate(context.registry(), context.autoRegister(), transferTimeout),
            new TransferResource()));
  }

  @Override
  public List<Contract> contracts() {
    return List.of(
        new Contract("accounts", AccountEvent.getClassSchema(), AccountState.getClassSchema()),
        new Contract("transfers", TransferEvent.getClassSchema(), TransferState.getClassSchema()));
  }
}
