package io.streamfold.bank.avro;

import io.streamfold.bank.account.Account;
import io.streamfold.bank.account.AccountCommand;
import io.streamfold.bank.account.AccountEvent;
import io.streamfold.bank.account.Money;
import io.streamfold.command.aggregate.AggregateCodec;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.schemas.account.AccountState;
import io.streamfold.schemas.account.AccountStatus;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.schemas.serde.SubjectNameStrategy;
import java.math.RoundingMode;

/** Account events and state in Avro (Confluent wire format). */
final class AccountCodec implements AggregateCodec<AccountCommand, AccountEvent, Account> {
  private final AvroSerde<io.streamfold.schemas.account.AccountEvent> events;
  private final AvroSerde<AccountState> states;

  AccountCodec(SchemaRegistry registry, boolean autoRegister) {
    events = AvroSerde.of(io.streamfold.schemas.account.AccountEvent.class, registry, autoRegister);
    states =
        AvroSerde.of(AccountState.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister);
  }

  @Override
  public byte[] encodeEvent(String topic, EventEnvelope<AccountEvent> event) {
    return events.encode(topic, AccountMapping.toAvro(event));
  }

  @Override
  public EventEnvelope<AccountEvent> decodeEvent(byte[] data) {
    io.streamfold.schemas.account.AccountEvent avro = events.decode(data);
    return new EventEnvelope<>(
        avro.getEventId(),
        avro.getAggregateId(),
        avro.getVersion(),
        avro.getOccurredAt(),
        avro.getCommandId(),
        avro.getCorrelationId(),
        avro.getPrincipal(),
        AccountMapping.eventFromAvro(avro.getPayload()));
  }

  @Override
  public byte[] encodeState(Account state) {
    return states.encode(
        "",
        AccountState.newBuilder()
            .setStatus(AccountStatus.valueOf(state.status().name()))
            .setOwner(state.owner())
            .setOwnerId(state.ownerId())
            .setCurrency(state.currency())
            // rounded for readers that do not know exactBalance; exact for up to 2 minor units
            .setBalance(state.balance().setScale(Money.SCALE, RoundingMode.HALF_EVEN))
            .setExactBalance(Money.toSchema(state.balance()))
            .setOpenedAt(state.openedAt())
            .build());
  }

  @Override
  public Account decodeState(byte[] data) {
    AccountState avro = states.decode(data);
    return new Account(
        Account.Status.valueOf(avro.getStatus().name()),
        avro.getOwner(),
        avro.getOwnerId(),
        avro.getCurrency(),
        Money.normalize(
            avro.getExactBalance() != null ? avro.getExactBalance() : avro.getBalance()),
        avro.getOpenedAt());
  }
}
