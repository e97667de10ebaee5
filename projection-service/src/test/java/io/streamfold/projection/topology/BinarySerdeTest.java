package io.streamfold.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.projection.view.AccountSummary;
import io.streamfold.projection.view.CurrencyStats;
import io.streamfold.projection.view.HistoryEntry;
import io.streamfold.projection.view.Transaction;
import java.math.BigDecimal;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class BinarySerdeTest {
  static <T> T roundTrip(Serde<T> serde, T value) {
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
  }

  record Pair(String name, byte[] inner) {}

  /**
   * The serializer reuses a buffer per thread: a value written while another is being written (a
   * serde used inside a writer) and a value far larger than the buffer must each come out whole,
   * and the values after them too.
   */
  @Test
  void shouldWriteEachValueWholeWhateverTheBufferReuse() {
    BinarySerde<String> inner =
        new BinarySerde<>("inner", (value, out) -> out.writeUTF(value), in -> in.readUTF());
    BinarySerde<Pair> outer =
        new BinarySerde<>(
            "outer",
            (value, out) -> {
              out.writeUTF(value.name());
              // written mid-value, with the thread's buffer in use
              byte[] nested = inner.serializer().serialize("t", value.name() + "-inner");
              out.writeInt(nested.length);
              out.write(nested);
              out.writeInt(value.inner().length);
              out.write(value.inner());
            },
            in -> {
              String name = in.readUTF();
              byte[] nested = new byte[in.readInt()];
              in.readFully(nested);
              assertThat(inner.deserializer().deserialize("t", nested)).isEqualTo(name + "-inner");
              byte[] bytes = new byte[in.readInt()];
              in.readFully(bytes);
              return new Pair(name, bytes);
            });
    byte[] huge = new byte[200_000];
    for (int i = 0; i < huge.length; i++) {
      huge[i] = (byte) (i * 31);
    }
    for (Pair value :
        java.util.List.of(
            new Pair("small", new byte[] {1, 2, 3}),
            new Pair("huge", huge),
            new Pair("after", new byte[] {4}),
            new Pair("", new byte[0]))) {
      assertThat(roundTrip(outer, value)).usingRecursiveComparison().isEqualTo(value);
    }
    assertThat(outer.serializer().serialize("t", new Pair("x", new byte[] {9})))
        .hasSize(1 + 2 + 1 + 4 + (1 + 2 + 7) + 4 + 1);
  }

  @Test
  void shouldRoundTripEveryViewExactly() {
    AccountSummary summary =
        new AccountSummary(
            "a",
            "sealed-name",
            "subject-1",
            "EUR",
            new BigDecimal("-12345678901234.56"),
            "OPEN",
            42,
            Instant.parse("2026-01-02T03:04:05.123456789Z"),
            null,
            7,
            1);
    AccountSummary beforeOpen =
        new AccountSummary(
            "b", null, null, null, new BigDecimal("0.00"), "UNKNOWN", 3, null, null, 1, 2);
    Transaction transaction =
        new Transaction(
            9,
            "WITHDRAWAL",
            new BigDecimal("0.01"),
            new BigDecimal("9999999999999999.99"),
            Instant.parse("2026-01-02T03:04:05Z"),
            "e-1");
    HistoryEntry entry =
        new HistoryEntry(
            transaction,
            "CLOSED",
            8,
            1,
            Instant.parse("2026-01-02T03:04:06Z"),
            new byte[] {0, 1, 2});
    HistoryEntry withoutEvent =
        new HistoryEntry(transaction, "OPEN", 8, 1, Instant.parse("2026-01-02T03:04:06Z"), null);
    CurrencyStats stats = new CurrencyStats("JPY", 10, 2, new BigDecimal("100"));

    assertThat(roundTrip(ProjectionSerdes.SUMMARIES, summary)).isEqualTo(summary);
    assertThat(roundTrip(ProjectionSerdes.SUMMARIES, beforeOpen)).isEqualTo(beforeOpen);
    assertThat(roundTrip(ProjectionSerdes.HISTORY, entry))
        .usingRecursiveComparison()
        .isEqualTo(entry);
    assertThat(roundTrip(ProjectionSerdes.HISTORY, withoutEvent))
        .usingRecursiveComparison()
        .isEqualTo(withoutEvent);
    assertThat(roundTrip(ProjectionSerdes.STATS, stats)).isEqualTo(stats);
    HistoryEntry transferred =
        new HistoryEntry(
            new Transaction(
                3,
                "DEPOSIT",
                BigDecimal.ONE,
                BigDecimal.TEN,
                Instant.parse("2026-01-02T03:04:05Z"),
                "e-3",
                "t-1",
                "acc-2"),
            "OPEN",
            3,
            0,
            Instant.parse("2026-01-02T03:04:05Z"),
            new byte[] {4});
    assertThat(roundTrip(ProjectionSerdes.HISTORY, transferred))
        .usingRecursiveComparison()
        .isEqualTo(transferred);
  }

  @Test
  void shouldReadAHistoryEntryWrittenBeforeItKeptTheEvent() {
    HistoryEntry entry =
        new HistoryEntry(
            new Transaction(
                2,
                "DEPOSIT",
                BigDecimal.TEN,
                BigDecimal.TEN,
                Instant.parse("2026-01-02T03:04:05Z"),
                "e"),
            "OPEN",
            2,
            0,
            Instant.parse("2026-01-02T03:04:05Z"),
            null);
    byte[] current = ProjectionSerdes.HISTORY.serializer().serialize("t", entry);
    // format 3 ends with the transfer and counterparty (a "null" byte each here)
    byte[] formatTwo = java.util.Arrays.copyOf(current, current.length - 2);
    formatTwo[0] = 2; // format 2 ended with the event
    byte[] formatOne = java.util.Arrays.copyOf(current, current.length - 2 - Integer.BYTES);
    formatOne[0] = 1; // format 1 ended with the last activity time

    assertThat(current[0]).isEqualTo((byte) 3);
    assertThat(ProjectionSerdes.HISTORY.deserializer().deserialize("t", formatTwo))
        .usingRecursiveComparison()
        .isEqualTo(entry);
    assertThat(ProjectionSerdes.HISTORY.deserializer().deserialize("t", formatOne))
        .usingRecursiveComparison()
        .isEqualTo(entry);
  }

  @Test
  void shouldReadASummaryWrittenBeforeSubjectsAsPlainTextOfNoSubject() {
    AccountSummary legacy =
        new AccountSummary(
            "a", "Ada", null, "EUR", BigDecimal.TEN, "OPEN", 1, Instant.EPOCH, Instant.EPOCH, 1, 0);
    byte[] current = ProjectionSerdes.SUMMARIES.serializer().serialize("t", legacy);
    // format 1 ended with the missing versions: the subject (a null string, one byte) came after
    byte[] formatOne = java.util.Arrays.copyOf(current, current.length - 1);
    formatOne[0] = 1;

    assertThat(current[0]).isEqualTo((byte) 2);
    AccountSummary read = ProjectionSerdes.SUMMARIES.deserializer().deserialize("t", formatOne);
    assertThat(read).isEqualTo(legacy);
    assertThat(read.subject()).isEqualTo("a");
  }

  @Test
  void shouldRefuseAnotherFormatNamingTheWayOut() {
    byte[] bytes =
        ProjectionSerdes.STATS
            .serializer()
            .serialize("t", new CurrencyStats("EUR", 1, 0, BigDecimal.ONE));
    bytes[0] = 9;

    assertThatThrownBy(() -> ProjectionSerdes.STATS.deserializer().deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("rebuild");
  }
}
