package io.streamfold.bank.avro;

import io.streamfold.bank.account.Money;
import io.streamfold.bank.transfer.Transfer;
import io.streamfold.bank.transfer.TransferCommand;
import io.streamfold.bank.transfer.TransferEvent;
import io.streamfold.command.aggregate.AggregateCodec;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import io.streamfold.schemas.serde.SubjectNameStrategy;
import io.streamfold.schemas.transfer.TransferState;
import io.streamfold.schemas.transfer.TransferStatus;

/** Transfer events and state in Avro (Confluent wire format). */
final class TransferCodec implements AggregateCodec<TransferCommand, TransferEvent, Transfer> {
  private final AvroSerde<io.streamfold.schemas.transfer.TransferEvent> events;
  private final AvroSerde<TransferState> states;

  TransferCodec(SchemaRegistry registry, boolean autoRegister) {
    events =
        AvroSerde.of(io.streamfold.schemas.transfer.TransferEvent.class, registry, autoRegister);
    states =
        AvroSerde.of(TransferState.class, registry, SubjectNameStrategy.RECORD_NAME, autoRegister);
  }

  @Override
  public byte[] encodeEvent(String topic, EventEnvelope<TransferEvent> event) {
    return events.encode(topic, TransferMapping.toAvro(event));
  }

  @Override
  public EventEnvelope<TransferEvent> decodeEvent(byte[] data) {
    io.streamfold.schemas.transfer.TransferEvent avro = events.decode(data);
    return new EventEnvelope<>(
        avro.getEventId(),
        avro.getAggregateId(),
        avro.getVersion(),
        avro.getOccurredAt(),
        avro.getCommandId(),
        avro.getCorrelationId(),
        avro.getPrincipal(),
        TransferMapping.eventFromAvro(avro.getPayload()));
  }

  @Override
  public byte[] encodeState(Transfer state) {
    return states.encode(
        "",
        TransferState.newBuilder()
            .setStatus(TransferStatus.valueOf(state.status().name()))
            .setFrom(state.from())
            .setTo(state.to())
            .setAmount(Money.toSchema(state.amount()))
            .setCurrency(state.currency())
            .setRequestedAt(state.requestedAt())
            .setDeadline(state.deadline())
            .setTimedOut(state.timedOut())
            .setReasonCode(state.reasonCode())
            .setReasonMessage(state.reasonMessage())
            .build());
  }

  @Override
  public Transfer decodeState(byte[] data) {
    TransferState avro = states.decode(data);
    return new Transfer(
        Transfer.Status.valueOf(avro.getStatus().name()),
        avro.getFrom(),
        avro.getTo(),
        Money.normalize(avro.getAmount()),
        avro.getCurrency(),
        avro.getRequestedAt(),
        avro.getDeadline(),
        avro.getTimedOut(),
        avro.getReasonCode(),
        avro.getReasonMessage());
  }
}
