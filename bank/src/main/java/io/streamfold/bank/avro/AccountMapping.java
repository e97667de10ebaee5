package io.streamfold.bank.avro;

import io.streamfold.bank.account.AccountEvent;
import io.streamfold.bank.account.Money;
import io.streamfold.command.aggregate.EventEnvelope;
import org.apache.kafka.common.errors.SerializationException;

/** Domain account events to and from their generated Avro classes. */
final class AccountMapping {
  private AccountMapping() {}

  static io.streamfold.schemas.account.AccountEvent toAvro(EventEnvelope<AccountEvent> envelope) {
    return io.streamfold.schemas.account.AccountEvent.newBuilder()
        .setEventId(envelope.eventId())
        .setAggregateType("account")
        .setAggregateId(envelope.aggregateId())
        .setVersion(envelope.version())
        .setOccurredAt(envelope.occurredAt())
        .setCommandId(envelope.commandId())
        .setCorrelationId(envelope.correlationId())
        .setPrincipal(envelope.principal())
        .setPayload(eventToAvro(envelope.event()))
        .build();
  }

  private static Object eventToAvro(AccountEvent event) {
    if (event instanceof AccountEvent.AccountOpened opened) {
      return io.streamfold.schemas.account.AccountOpened.newBuilder()
          .setOwner(opened.owner())
          .setOwnerId(opened.ownerId())
          .setCurrency(opened.currency())
          .setInitialDeposit(Money.toSchema(opened.initialDeposit()))
          .build();
    } else if (event instanceof AccountEvent.MoneyDeposited deposited) {
      return new io.streamfold.schemas.account.MoneyDeposited(
          Money.toSchema(deposited.amount()), deposited.transferId(), deposited.counterparty());
    } else if (event instanceof AccountEvent.MoneyWithdrawn withdrawn) {
      return new io.streamfold.schemas.account.MoneyWithdrawn(
          Money.toSchema(withdrawn.amount()), withdrawn.transferId(), withdrawn.counterparty());
    } else if (event instanceof AccountEvent.AccountClosed closed) {
      return new io.streamfold.schemas.account.AccountClosed(closed.reason());
    }
    throw new IllegalArgumentException("Unknown account event " + event);
  }

  static AccountEvent eventFromAvro(Object payload) {
    if (payload instanceof io.streamfold.schemas.account.AccountOpened opened) {
      return new AccountEvent.AccountOpened(
          opened.getOwner(),
          opened.getOwnerId(),
          opened.getCurrency(),
          Money.normalize(opened.getInitialDeposit()));
    } else if (payload instanceof io.streamfold.schemas.account.MoneyDeposited deposited) {
      return new AccountEvent.MoneyDeposited(
          Money.normalize(deposited.getAmount()),
          deposited.getTransferId(),
          deposited.getCounterparty());
    } else if (payload instanceof io.streamfold.schemas.account.MoneyWithdrawn withdrawn) {
      return new AccountEvent.MoneyWithdrawn(
          Money.normalize(withdrawn.getAmount()),
          withdrawn.getTransferId(),
          withdrawn.getCounterparty());
    } else if (payload instanceof io.streamfold.schemas.account.AccountClosed closed) {
      return new AccountEvent.AccountClosed(closed.getReason());
    }
    throw new SerializationException("Unknown account event payload " + payload);
  }
}
