package io.streamfold.projection.topology;

import static io.streamfold.projection.topology.BinarySerde.readDecimal;
import static io.streamfold.projection.topology.BinarySerde.readInstant;
import static io.streamfold.projection.topology.BinarySerde.readString;
import static io.streamfold.projection.topology.BinarySerde.writeDecimal;
import static io.streamfold.projection.topology.BinarySerde.writeInstant;
import static io.streamfold.projection.topology.BinarySerde.writeString;

import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.CurrencyStats;
import io.streamfold.projection.view.HistoryEntry;
import io.streamfold.projection.view.Transaction;
import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.math.BigDecimal;
import java.time.Instant;

/** The serdes of the projections: Avro events in, a compact binary format in the stores. */
public record ProjectionSerdes(
    AvroSerde<AccountEvent> events,
    BinarySerde<AccountSummary> summaries,
    BinarySerde<HistoryEntry> history,
    BinarySerde<CurrencyStats> stats) {

  /** The projections only read events, so they never register a schema. */
  public static ProjectionSerdes of(SchemaRegistry registry) {
    return new ProjectionSerdes(
        AvroSerde.of(AccountEvent.class, registry, false), SUMMARIES, HISTORY, STATS);
  }

  /**
   * The events topic's values as the projector reads them: decoded, with their bytes. A value that
   * cannot be decoded fails here, in the source, as with {@link #events()} alone (dead-lettered by
   * the deserialization handler).
   */
  public org.apache.kafka.common.serialization.Serde<SourcedEvent> sourced() {
    return org.apache.kafka.common.serialization.Serdes.serdeFrom(
        (topic, value) -> value == null ? null : value.bytes(),
        (topic, data) -> data == null ? null : new SourcedEvent(events.decode(data), data));
  }

  /** Format 2 adds the owner's subject; format 1 summaries read with none. */
  static final BinarySerde<AccountSummary> SUMMARIES =
      new BinarySerde<>(
          "AccountSummary",
          2,
          (s, out) -> {
            out.writeUTF(s.accountId());
            writeString(out, s.owner());
            writeString(out, s.currency());
            writeDecimal(out, s.balance());
            out.writeUTF(s.status());
            out.writeLong(s.version());
            writeInstant(out, s.openedAt());
            writeInstant(out, s.lastActivityAt());
            out.writeLong(s.transactionCount());
            out.writeLong(s.missingVersions());
            writeString(out, s.ownerId());
          },
          (in, format) -> {
            String accountId = in.readUTF();
            String owner = readString(in);
            String currency = readString(in);
            BigDecimal balance = readDecimal(in);
            String status = in.readUTF();
            long version = in.readLong();
            Instant openedAt = readInstant(in);
            Instant lastActivityAt = readInstant(in);
            long transactions = in.readLong();
            long missing = in.readLong();
            return new AccountSummary(
                accountId,
                owner,
                format < 2 ? null : readString(in),
                currency,
                balance,
                status,
                version,
                openedAt,
                lastActivityAt,
                transactions,
                missing);
          });

  /**
   * Format 2 adds the raw event (stream reads), format 3 the transfer and counterparty; earlier
   * entries read with none.
   */
  static final BinarySerde<HistoryEntry> HISTORY =
      new BinarySerde<>(
          "HistoryEntry",
          3,
          (e, out) -> {
            Transaction t = e.transaction();
            out.writeLong(t.version());
            out.writeUTF(t.type());
            writeDecimal(out, t.amount());
            writeDecimal(out, t.balanceAfter());
            writeInstant(out, t.at());
            out.writeUTF(t.eventId());
            out.writeUTF(e.status());
            out.writeLong(e.transactionCount());
            out.writeLong(e.missingVersions());
            writeInstant(out, e.lastActivityAt());
            out.writeInt(e.event() == null ? -1 : e.event().length);
            if (e.event() != null) {
              out.write(e.event());
            }
            writeString(out, t.transferId());
            writeString(out, t.counterparty());
          },
          (in, format) -> {
            long version = in.readLong();
            String type = in.readUTF();
            BigDecimal amount = readDecimal(in);
            BigDecimal balanceAfter = readDecimal(in);
            Instant at = readInstant(in);
            String eventId = in.readUTF();
            String status = in.readUTF();
            long count = in.readLong();
            long missing = in.readLong();
            Instant lastActivity = readInstant(in);
            byte[] event = format < 2 ? null : readBytes(in);
            String transferId = format < 3 ? null : readString(in);
            String counterparty = format < 3 ? null : readString(in);
            return new HistoryEntry(
                new Transaction(
                    version, type, amount, balanceAfter, at, eventId, transferId, counterparty),
                status,
                count,
                missing,
                lastActivity,
                event);
          });

  private static byte[] readBytes(java.io.DataInputStream in) throws java.io.IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  static final BinarySerde<CurrencyStats> STATS =
      new BinarySerde<>(
          "CurrencyStats",
          (c, out) -> {
            out.writeUTF(c.currency());
            out.writeLong(c.open());
            out.writeLong(c.closed());
            writeDecimal(out, c.totalBalance());
          },
          in -> new CurrencyStats(in.readUTF(), in.readLong(), in.readLong(), readDecimal(in)));
}
