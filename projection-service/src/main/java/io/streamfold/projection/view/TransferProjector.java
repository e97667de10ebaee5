package io.streamfold.projection.view;

import io.streamfold.schemas.account.Amounts;
import io.streamfold.schemas.transfer.CreditAccountVerified;
import io.streamfold.schemas.transfer.RefundStarted;
import io.streamfold.schemas.transfer.TransferCompleted;
import io.streamfold.schemas.transfer.TransferDebited;
import io.streamfold.schemas.transfer.TransferEvent;
import io.streamfold.schemas.transfer.TransferFailed;
import io.streamfold.schemas.transfer.TransferRefunded;
import io.streamfold.schemas.transfer.TransferRequested;
import io.streamfold.schemas.transfer.TransferTimedOut;

/**
 * Folds a transfer's events into its {@link TransferView}: idempotent by version (an event not
 * newer than the view is skipped, null), a gap applied and counted.
 */
public final class TransferProjector {
  private TransferProjector() {}

  /** The view after {@code event}, or null when the event is not newer than {@code current}. */
  public static TransferView apply(TransferView current, TransferEvent event) {
    long known = current == null ? 0 : current.version();
    if (event.getVersion() <= known) {
      return null;
    }
    long missing = event.getVersion() - known - 1;
    Object payload = event.getPayload();
    if (payload instanceof TransferRequested requested) {
      return new TransferView(
          event.getAggregateId(),
          requested.getFrom(),
          requested.getTo(),
          Amounts.normalize(requested.getAmount()),
          requested.getCurrency(),
          "REQUESTED",
          null,
          null,
          false,
          event.getVersion(),
          event.getOccurredAt(),
          event.getOccurredAt(),
          missing);
    }
    if (current == null) {
      // the request itself is missing: what is known of the transfer is its id and progress
      current =
          new TransferView(
              event.getAggregateId(),
              null,
              null,
              null,
              null,
              "REQUESTED",
              null,
              null,
              false,
              0,
              null,
              event.getOccurredAt(),
              0);
    }
    TransferView base = current;
    long version = event.getVersion();
    if (payload instanceof CreditAccountVerified) {
      return base.next("DEBITING", version, event.getOccurredAt(), missing);
    } else if (payload instanceof TransferDebited) {
      return base.next("CREDITING", version, event.getOccurredAt(), missing);
    } else if (payload instanceof TransferCompleted) {
      return base.next("COMPLETED", version, event.getOccurredAt(), missing);
    } else if (payload instanceof TransferFailed failed) {
      return base.next("FAILED", version, event.getOccurredAt(), missing)
          .because(failed.getCode(), failed.getMessage());
    } else if (payload instanceof RefundStarted refund) {
      return base.next("REFUNDING", version, event.getOccurredAt(), missing)
          .because(refund.getCode(), refund.getMessage());
    } else if (payload instanceof TransferRefunded) {
      return base.next("REFUNDED", version, event.getOccurredAt(), missing);
    } else if (payload instanceof TransferTimedOut) {
      return base.next(base.status(), version, event.getOccurredAt(), missing).late();
    }
    throw new IllegalArgumentException("Unknown transfer event payload " + payload);
  }
}
