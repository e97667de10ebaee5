package io.streamfold.bank.avro;

import io.streamfold.bank.transfer.Transfer;
import io.streamfold.bank.transfer.TransferCommand;
import io.streamfold.bank.transfer.TransferDecider;
import io.streamfold.bank.transfer.TransferEvent;
import io.streamfold.bank.transfer.TransferProcess;
import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.AggregateCodec;
import io.streamfold.command.domain.Decider;
import io.streamfold.command.domain.Process;
import io.streamfold.schemas.registry.SchemaRegistry;
import java.time.Duration;

/** The money-transfer aggregate, a process manager, plugged into the mechanism. */
public final class TransferAggregate
    implements Aggregate<TransferCommand, TransferEvent, Transfer> {
  private final TransferDecider decider;
  private final TransferProcess process = new TransferProcess();
  private final TransferCodec codec;

  /**
   * @param timeout how long a transfer may take before it is compensated
   */
  public TransferAggregate(SchemaRegistry registry, boolean autoRegister, Duration timeout) {
    this.decider = new TransferDecider(timeout);
    this.codec = new TransferCodec(registry, autoRegister);
  }

  @Override
  public String type() {
    return "transfer";
  }

  @Override
  public String collection() {
    return "transfers";
  }

  @Override
  public Decider<TransferCommand, TransferEvent, Transfer> decider() {
    return decider;
  }

  @Override
  public AggregateCodec<TransferCommand, TransferEvent, Transfer> codec() {
    return codec;
  }

  @Override
  public Process<TransferCommand, TransferEvent, Transfer> process() {
    return process;
  }
}
