package io.streamfold.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupTotalTest {
  static GroupTotal roundTrip(GroupTotal total) {
    return GroupTotal.SERDE
        .deserializer()
        .deserialize("t", GroupTotal.SERDE.serializer().serialize("t", total));
  }

  @Test
  void shouldReadBackEveryCountAndSumExactly() {
    GroupTotal total =
        new GroupTotal(
            -3,
            Map.of(
                "balance", new BigDecimal("-1234567890123456789012345.0001"),
                "open", BigDecimal.ONE,
                "closed", BigDecimal.ZERO,
                "größe", new BigDecimal("1E+5"),
                "tiny", new BigDecimal("0.000000001")));

    GroupTotal read = roundTrip(total);

    assertThat(read).isEqualTo(total); // same scales too: BigDecimal.equals
    assertThat(read.sums().keySet()).containsExactly("balance", "closed", "größe", "open", "tiny");
    assertThat(roundTrip(GroupTotal.NONE)).isEqualTo(GroupTotal.NONE);
  }

  @Test
  void shouldStillReadTheFirstFormat() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(1);
    out.writeLong(2);
    out.writeInt(1);
    out.writeUTF("amount");
    out.writeUTF("10.50");

    assertThat(GroupTotal.SERDE.deserializer().deserialize("t", bytes.toByteArray()))
        .isEqualTo(new GroupTotal(2, Map.of("amount", new BigDecimal("10.50"))));
  }

  @Test
  void shouldMoveOnlyTheAmountsThatChanged() {
    GroupTotal sofar =
        new GroupTotal(
            2,
            Map.of(
                "balance",
                new BigDecimal("30.00"),
                "open",
                new BigDecimal("2"),
                "closed",
                BigDecimal.ZERO));

    GroupTotal deposited =
        sofar.moved(
            Map.of(
                "balance",
                new BigDecimal("10.00"),
                "open",
                BigDecimal.ONE,
                "closed",
                BigDecimal.ZERO),
            Map.of(
                "balance",
                new BigDecimal("12.50"),
                "open",
                BigDecimal.ONE,
                "closed",
                BigDecimal.ZERO));
    GroupTotal closed =
        deposited.moved(
            Map.of(
                "balance",
                new BigDecimal("12.50"),
                "open",
                BigDecimal.ONE,
                "closed",
                BigDecimal.ZERO),
            Map.of(
                "balance",
                new BigDecimal("12.50"),
                "open",
                BigDecimal.ZERO,
                "closed",
                BigDecimal.ONE));
    GroupTotal gained = GroupTotal.NONE.moved(Map.of(), Map.of("new", BigDecimal.TEN));

    assertThat(deposited.count()).isEqualTo(2);
    assertThat(deposited.sums())
        .isEqualTo(
            Map.of(
                "balance",
                new BigDecimal("32.50"),
                "open",
                new BigDecimal("2"),
                "closed",
                BigDecimal.ZERO));
    assertThat(closed.sums())
        .isEqualTo(
            Map.of(
                "balance",
                new BigDecimal("32.50"),
                "open",
                BigDecimal.ONE,
                "closed",
                BigDecimal.ONE));
    assertThat(gained.sums()).isEqualTo(Map.of("new", BigDecimal.TEN));
  }
}
