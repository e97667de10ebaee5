package io.streamfold.bank.transfer;

import io.streamfold.bank.transfer.TransferEvent.CreditAccountVerified;
import io.streamfold.bank.transfer.TransferEvent.RefundStarted;
import io.streamfold.bank.transfer.TransferEvent.TransferDebited;
import io.streamfold.bank.transfer.TransferEvent.TransferRequested;
import io.streamfold.bank.transfer.TransferEvent.TransferTimedOut;
import io.streamfold.command.domain.Process;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The messages a transfer sends to the accounts, one per step, each with an id derived from the
 * transfer and the step ({@code <transfer id>.debit}), so that the account decides it once:
 *
 * <ol>
 *   <li>{@code verify}: {@code transfer-check} to the account to credit (exists, open, same
 *       currency; moves nothing);
 *   <li>{@code debit}: {@code transfer-debit} to the account to debit;
 *   <li>{@code credit}: {@code transfer-credit} to the account to credit;
 *   <li>{@code refund}: {@code transfer-refund} to the debited account, when the credit was refused
 *       or the deadline passed after the debit.
 * </ol>
 *
 * <p>When the deadline passes with a step in flight, that step's message is sent again under the
 * same id, so the transfer gets its answer even if the first message was lost.
 */
public final class TransferProcess implements Process<TransferCommand, TransferEvent, Transfer> {
  static final String VERIFY = "verify";
  static final String DEBIT = "debit";
  static final String CREDIT = "credit";
  static final String REFUND = "refund";

  /** The aggregate type the messages go to. */
  public static final String ACCOUNTS = "accounts";

  @Override
  public List<Outgoing> react(String transferId, Transfer state, List<TransferEvent> events) {
    List<Outgoing> messages = new ArrayList<>();
    for (TransferEvent event : events) {
      if (event instanceof TransferRequested) {
        messages.add(leg(transferId, state, VERIFY, state.to(), state.from()));
      } else if (event instanceof CreditAccountVerified) {
        messages.add(leg(transferId, state, DEBIT, state.from(), state.to()));
      } else if (event instanceof TransferDebited && state.status() == Transfer.Status.CREDITING) {
        messages.add(leg(transferId, state, CREDIT, state.to(), state.from()));
      } else if (event instanceof RefundStarted) {
        messages.add(leg(transferId, state, REFUND, state.from(), state.to()));
      } else if (event instanceof TransferTimedOut) {
        Outgoing again = inFlight(transferId, state);
        if (again != null) {
          messages.add(again);
        }
      }
    }
    return messages;
  }

  /**
   * The message of the step in flight, sent again under its id when the deadline passes: the
   * recipient answers it from what it remembers if it decided it already, and decides it now if it
   * was lost (a broker that lost a transaction's other partitions); either way an answer comes.
   */
  private static Outgoing inFlight(String transferId, Transfer state) {
    switch (state.status()) {
      case DEBITING:
        return leg(transferId, state, DEBIT, state.from(), state.to());
      case CREDITING:
        return leg(transferId, state, CREDIT, state.to(), state.from());
      case REFUNDING:
        return leg(transferId, state, REFUND, state.from(), state.to());
      default:
        return null;
    }
  }

  private static Outgoing leg(
      String transferId, Transfer state, String step, String account, String counterparty) {
    return new Outgoing(
        ACCOUNTS,
        account,
        transferId + "." + step,
        "transfer-" + (step.equals(VERIFY) ? "check" : step),
        Map.of(
            "transferId",
            transferId,
            "counterparty",
            counterparty,
            "amount",
            state.amount().toPlainString(),
            "currency",
            state.currency()),
        step);
  }

  @Override
  public TransferCommand onReply(String step, Reply reply) {
    return new TransferCommand.RecordReply(step, reply.accepted(), reply.code(), reply.message());
  }

  @Override
  public Instant deadline(Transfer state) {
    return state.status() == Transfer.Status.NONE || state.status().terminal() || state.timedOut()
        ? null
        : state.deadline();
  }

  @Override
  public TransferCommand onDeadline(Instant deadline) {
    return new TransferCommand.Expire(deadline);
  }
}
