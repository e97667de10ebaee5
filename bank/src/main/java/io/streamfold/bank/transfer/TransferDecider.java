package io.streamfold.bank.transfer;

import io.streamfold.bank.account.Money;
import io.streamfold.bank.transfer.Transfer.Status;
import io.streamfold.bank.transfer.TransferCommand.Expire;
import io.streamfold.bank.transfer.TransferCommand.RecordReply;
import io.streamfold.bank.transfer.TransferCommand.RequestTransfer;
import io.streamfold.bank.transfer.TransferEvent.CreditAccountVerified;
import io.streamfold.bank.transfer.TransferEvent.RefundStarted;
import io.streamfold.bank.transfer.TransferEvent.TransferCompleted;
import io.streamfold.bank.transfer.TransferEvent.TransferDebited;
import io.streamfold.bank.transfer.TransferEvent.TransferFailed;
import io.streamfold.bank.transfer.TransferEvent.TransferRefunded;
import io.streamfold.bank.transfer.TransferEvent.TransferRequested;
import io.streamfold.bank.transfer.TransferEvent.TransferTimedOut;
import io.streamfold.command.domain.Decider;
import io.streamfold.command.domain.Decision;
import io.streamfold.command.domain.Rejection;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules of a transfer. A reply or a deadline that no longer fits the state (it arrived twice,
 * or after the transfer moved on) is accepted with no event, so that replays change nothing.
 */
public final class TransferDecider implements Decider<TransferCommand, TransferEvent, Transfer> {
  static final String TIMED_OUT = "timed-out";

  private final Duration timeout;

  /**
   * @param timeout how long a transfer may take before it is compensated
   */
  public TransferDecider(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Transfer initialState() {
    return Transfer.NONE;
  }

  @Override
  public boolean exists(Transfer state) {
    return state.status() != Status.NONE;
  }

  @Override
  public Decision<TransferEvent> decide(TransferCommand command, Transfer state, Instant now) {
    if (command instanceof RequestTransfer request) {
      return request(request, state, now);
    }
    if (!exists(state)) {
      return Decision.reject(Rejection.notFound("The transfer does not exist"));
    }
    if (command instanceof RecordReply reply) {
      return reply(reply, state);
    } else if (command instanceof Expire expire) {
      return expire(expire, state);
    }
    throw new IllegalArgumentException("Unknown transfer command " + command);
  }

  /**
   * Why {@code request} is refused whatever the state of anything (the same account twice, an
   * amount the currency cannot hold), or null.
   */
  public static Rejection refusedAsSuch(RequestTransfer request) {
    if (request.from().equals(request.to())) {
      return Rejection.businessRule(
          "same-account", "A transfer needs two different accounts; both are " + request.to());
    }
    if (Money.decimals(request.currency()) < 0
        || !Money.representable(request.amount(), request.currency())
        || request.amount().signum() <= 0) {
      return Rejection.invalid(
          "invalid-amount",
          "The amount must be positive, with at most "
              + Math.max(0, Money.decimals(request.currency()))
              + " decimals in "
              + request.currency());
    }
    return null;
  }

  private Decision<TransferEvent> request(RequestTransfer request, Transfer state, Instant now) {
    if (exists(state)) {
      return Decision.reject(Rejection.alreadyExists("The transfer exists already"));
    }
    Rejection invalid = refusedAsSuch(request);
    if (invalid != null) {
      return Decision.reject(invalid);
    }
    return Decision.accept(
        new TransferRequested(
            request.from(),
            request.to(),
            Money.normalize(request.amount()),
            request.currency(),
            now.plus(timeout)));
  }

  private Decision<TransferEvent> reply(RecordReply reply, Transfer state) {
    switch (reply.step()) {
      case TransferProcess.VERIFY:
        if (state.status() != Status.REQUESTED) {
          return Decision.accept();
        }
        return reply.accepted()
            ? Decision.accept(new CreditAccountVerified())
            : Decision.accept(
                new TransferFailed(
                    reply.code(),
                    "The account " + state.to() + " cannot be credited: " + reply.message()));
      case TransferProcess.DEBIT:
        if (state.status() != Status.DEBITING) {
          return Decision.accept();
        }
        if (!reply.accepted()) {
          return Decision.accept(
              new TransferFailed(
                  reply.code(),
                  "The account " + state.from() + " cannot be debited: " + reply.message()));
        }
        return state.timedOut()
            ? Decision.accept(
                new TransferDebited(),
                new RefundStarted(TIMED_OUT, "The transfer did not complete before its deadline"))
            : Decision.accept(new TransferDebited());
      case TransferProcess.CREDIT:
        if (state.status() != Status.CREDITING) {
          return Decision.accept();
        }
        return reply.accepted()
            ? Decision.accept(new TransferCompleted())
            : Decision.accept(
                new RefundStarted(
                    reply.code(),
                    "The account " + state.to() + " refused the credit: " + reply.message()));
      case TransferProcess.REFUND:
        // a refund is refused only if the account vanished: the transfer stays REFUNDING, its
        // reason unchanged, for an operator to see
        return state.status() == Status.REFUNDING && reply.accepted()
            ? Decision.accept(new TransferRefunded())
            : Decision.accept();
      default:
        return Decision.reject(Rejection.invalid("unknown-step", "No step " + reply.step()));
    }
  }

  private Decision<TransferEvent> expire(Expire expire, Transfer state) {
    if (state.status().terminal()
        || state.timedOut()
        || !expire.deadline().equals(state.deadline())) {
      return Decision.accept();
    }
    if (state.status() == Status.REQUESTED) {
      // nothing has moved, and the check moves nothing: end here
      return Decision.accept(
          new TransferFailed(
              TIMED_OUT,
              "The account "
                  + state.to()
                  + " did not answer before the deadline; nothing was moved"));
    }
    return Decision.accept(new TransferTimedOut());
  }

  @Override
  public Transfer evolve(Transfer state, TransferEvent event, Instant occurredAt) {
    if (event instanceof TransferRequested requested) {
      return new Transfer(
          Status.REQUESTED,
          requested.from(),
          requested.to(),
          requested.amount(),
          requested.currency(),
          occurredAt,
          requested.deadline(),
          false,
          null,
          null);
    } else if (event instanceof CreditAccountVerified) {
      return state.with(Status.DEBITING);
    } else if (event instanceof TransferDebited) {
      return state.with(Status.CREDITING);
    } else if (event instanceof TransferCompleted) {
      return state.with(Status.COMPLETED);
    } else if (event instanceof TransferFailed failed) {
      return state.with(Status.FAILED, failed.code(), failed.message());
    } else if (event instanceof RefundStarted refund) {
      return state.with(Status.REFUNDING, refund.code(), refund.message());
    } else if (event instanceof TransferRefunded) {
      return state.with(Status.REFUNDED);
    } else if (event instanceof TransferTimedOut) {
      return state.markTimedOut();
    }
    throw new IllegalArgumentException("Unknown transfer event " + event);
  }
}
