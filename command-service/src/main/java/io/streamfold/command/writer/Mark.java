package io.streamfold.command.writer;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Offsets of a partition's events, version-table and idempotency partitions before which the three
 * agree: every event there has its version row, every row and every remembered outcome has its
 * events. A writer moves its mark to the three end offsets once a batch has been read back from all
 * three, and after a restore has reconciled them; every version row and idempotency record it
 * writes carries the mark it had before the batch (header {@value #HEADER}), so a new owner
 * restoring from nothing learns where to start checking.
 *
 * <p>Why the three can disagree at all: a transaction is meant to commit on every partition it
 * wrote or on none, but {@code BrokerRestartIT} has seen Kafka 4.3.1 write the commit marker on the
 * events partition and never on the other two, whose open transaction the hanging-transaction sweep
 * then aborted. {@link Reconciler} repairs the rows and records from the log.
 */
public record Mark(long events, long versions, long idempotency) {
  public static final String HEADER = "streamfold.mark";

  /** Nothing is known to agree: a store from before marks, or a new partition. */
  static final Mark NONE = new Mark(0, 0, 0);

  public byte[] bytes() {
    return ByteBuffer.allocate(3 * Long.BYTES)
        .putLong(events)
        .putLong(versions)
        .putLong(idempotency)
        .array();
  }

  /** The mark a record carries, or {@link #NONE}. */
  static Mark of(Headers headers) {
    Header header = headers.lastHeader(HEADER);
    return header == null ? NONE : of(header.value());
  }

  /** The mark {@link #bytes} wrote, or {@link #NONE}. */
  static Mark of(byte[] bytes) {
    if (bytes == null || bytes.length != 3 * Long.BYTES) {
      return NONE;
    }
    ByteBuffer value = ByteBuffer.wrap(bytes);
    return new Mark(value.getLong(), value.getLong(), value.getLong());
  }

  /**
   * The later of two marks. Marks only move forward, each owner's from where the last one left
   * them, so the later one is later in every offset.
   */
  Mark max(Mark other) {
    return other.versions > versions || (other.versions == versions && other.events > events)
        ? other
        : this;
  }
}
