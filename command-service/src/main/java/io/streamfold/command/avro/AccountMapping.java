package io.streamfold.command.avro;

import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.command.domain.account.AccountCommand;
import io.streamfold.command.domain.account.AccountEvent;
import io.streamfold.schemas.core.ExpectedVersionKind;
import org.apache.kafka.common.errors.SerializationException;

/** Domain account commands and events to and from their generated Avro classes. */
final class AccountMapping {
  private AccountMapping() {}

  static io.streamfold.schemas.account.AccountCommand toAvro(
      CommandEnvelope<AccountCommand> envelope) {
    return io.streamfold.schemas.account.AccountCommand.newBuilder()
        .setCommandId(envelope.commandId())
        .setAggregateId(envelope.aggregateId())
        .setExpectedVersionKind(ExpectedVersionKind.valueOf(envelope.expected().kind().name()))
        .setExpectedVersion(envelope.expected().version())
        .setCorrelationId(envelope.correlationId())
        .setPrincipal(envelope.principal())
        .setIssuedAt(envelope.issuedAt())
        .setPayload(commandToAvro(envelope.command()))
        .build();
  }

  private static Object commandToAvro(AccountCommand command) {
    if (command instanceof AccountCommand.OpenAccount open) {
      return new io.streamfold.schemas.account.OpenAccount(
          open.owner(), open.currency(), open.initialDeposit());
    } else if (command instanceof AccountCommand.Deposit deposit) {
      return new io.streamfold.schemas.account.Deposit(deposit.amount());
    } else if (command instanceof AccountCommand.Withdraw withdraw) {
      return new io.streamfold.schemas.account.Withdraw(withdraw.amount());
    } else if (command instanceof AccountCommand.CloseAccount close) {
      return new io.streamfold.schemas.account.CloseAccount(close.reason());
    }
    throw new IllegalArgumentException("Unknown account command " + command);
  }

  static AccountCommand commandFromAvro(Object payload) {
    if (payload instanceof io.streamfold.schemas.account.OpenAccount open) {
      return new AccountCommand.OpenAccount(
          open.getOwner(), open.getCurrency(), open.getInitialDeposit());
    } else if (payload instanceof io.streamfold.schemas.account.Deposit deposit) {
      return new AccountCommand.Deposit(deposit.getAmount());
    } else if (payload instanceof io.streamfold.schemas.account.Withdraw withdraw) {
      return new AccountCommand.Withdraw(withdraw.getAmount());
    } else if (payload instanceof io.streamfold.schemas.account.CloseAccount close) {
      return new AccountCommand.CloseAccount(close.getReason());
    }
    throw new SerializationException("Unknown account command payload " + payload);
  }

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
      return new io.streamfold.schemas.account.AccountOpened(
          opened.owner(), opened.currency(), opened.initialDeposit());
    } else if (event instanceof AccountEvent.MoneyDeposited deposited) {
      return new io.streamfold.schemas.account.MoneyDeposited(deposited.amount());
    } else if (event instanceof AccountEvent.MoneyWithdrawn withdrawn) {
      return new io.streamfold.schemas.account.MoneyWithdrawn(withdrawn.amount());
    } else if (event instanceof AccountEvent.AccountClosed closed) {
      return new io.streamfold.schemas.account.AccountClosed(closed.reason());
    }
    throw new IllegalArgumentException("Unknown account event " + event);
  }

  static AccountEvent eventFromAvro(Object payload) {
    if (payload instanceof io.streamfold.schemas.account.AccountOpened opened) {
      return new AccountEvent.AccountOpened(
          opened.getOwner(), opened.getCurrency(), opened.getInitialDeposit());
    } else if (payload instanceof io.streamfold.schemas.account.MoneyDeposited deposited) {
      return new AccountEvent.MoneyDeposited(deposited.getAmount());
    } else if (payload instanceof io.streamfold.schemas.account.MoneyWithdrawn withdrawn) {
      return new AccountEvent.MoneyWithdrawn(withdrawn.getAmount());
    } else if (payload instanceof io.streamfold.schemas.account.AccountClosed closed) {
      return new AccountEvent.AccountClosed(closed.getReason());
    }
    throw new SerializationException("Unknown account event payload " + payload);
  }
}
