package io.streamfold.bank.avro;

import io.streamfold.bank.account.Money;
import io.streamfold.bank.transfer.TransferEvent;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.schemas.transfer.CreditAccountVerified;
import io.streamfold.schemas.transfer.RefundStarted;
import io.streamfold.schemas.transfer.TransferCompleted;
import io.streamfold.schemas.transfer.TransferDebited;
import io.streamfold.schemas.transfer.TransferFailed;
import io.streamfold.schemas.transfer.TransferRefunded;
import io.streamfold.schemas.transfer.TransferRequested;
import io.streamfold.schemas.transfer.TransferTimedOut;
import org.apache.kafka.common.errors.SerializationException;

/** Domain transfer events to and from their generated Avro classes. */
final class TransferMapping {
  private TransferMapping() {}

  static io.streamfold.schemas.transfer.TransferEvent toAvro(
      EventEnvelope<TransferEvent> envelope) {
    return io.streamfold.schemas.transfer.TransferEvent.newBuilder()
        .setEventId(envelope.eventId())
        .setAggregateType("transfer")
        .setAggregateId(envelope.aggregateId())
        .setVersion(envelope.version())
        .setOccurredAt(envelope.occurredAt())
        .setCommandId(envelope.commandId())
        .setCorrelationId(envelope.correlationId())
        .setPrincipal(envelope.principal())
        .setPayload(eventToAvro(envelope.event()))
        .build();
  }

  private static Object eventToAvro(TransferEvent event) {
    if (event instanceof TransferEvent.TransferRequested requested) {
      return new TransferRequested(
          requested.from(),
          requested.to(),
          Money.toSchema(requested.amount()),
          requested.currency(),
          requested.deadline());
    } else if (event instanceof TransferEvent.CreditAccountVerified) {
      return new CreditAccountVerified();
    } else if (event instanceof TransferEvent.TransferDebited) {
      return new TransferDebited();
    } else if (event instanceof TransferEvent.TransferCompleted) {
      return new TransferCompleted();
    } else if (event instanceof TransferEvent.TransferFailed failed) {
      return new TransferFailed(failed.code(), failed.message());
    } else if (event instanceof TransferEvent.RefundStarted refund) {
      return new RefundStarted(refund.code(), refund.message());
    } else if (event instanceof TransferEvent.TransferRefunded) {
      return new TransferRefunded();
    } else if (event instanceof TransferEvent.TransferTimedOut) {
      return new TransferTimedOut();
    }
    throw new IllegalArgumentException("Unknown transfer event " + event);
  }

  static TransferEvent eventFromAvro(Object payload) {
    if (payload instanceof TransferRequested requested) {
      return new TransferEvent.TransferRequested(
          requested.getFrom(),
          requested.getTo(),
          Money.normalize(requested.getAmount()),
          requested.getCurrency(),
          requested.getDeadline());
    } else if (payload instanceof CreditAccountVerified) {
      return new TransferEvent.CreditAccountVerified();
    } else if (payload instanceof TransferDebited) {
      return new TransferEvent.TransferDebited();
    } else if (payload instanceof TransferCompleted) {
      return new TransferEvent.TransferCompleted();
    } else if (payload instanceof TransferFailed failed) {
      return new TransferEvent.TransferFailed(failed.getCode(), failed.getMessage());
    } else if (payload instanceof RefundStarted refund) {
      return new TransferEvent.RefundStarted(refund.getCode(), refund.getMessage());
    } else if (payload instanceof TransferRefunded) {
      return new TransferEvent.TransferRefunded();
    } else if (payload instanceof TransferTimedOut) {
      return new TransferEvent.TransferTimedOut();
    }
    throw new SerializationException("Unknown transfer event payload " + payload);
  }
}
