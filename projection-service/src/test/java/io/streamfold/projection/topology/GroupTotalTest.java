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

  /** An account's amounts as the accounts' total by currency takes them. */
  static Map<String, BigDecimal> amounts(String balance, int open, int closed) {
    return Map.of(
        "balance", new BigDecimal(balance),
        "open", BigDecimal.valueOf(open),
        "closed", BigDecimal.valueOf(closed));
  }

  @Test
  void shouldMoveOnlyTheAmountsThatChanged() {
    GroupTotal sofar = new GroupTotal(2, amounts("30.00", 2, 0));

    GroupTotal deposited = sofar.moved(amounts("10.00", 1, 0), amounts("12.50", 1, 0));
    GroupTotal closed = deposited.moved(amounts("12.50", 1, 0), amounts("12.50", 0, 1));
    GroupTotal gained = GroupTotal.NONE.moved(Map.of(), Map.of("new", BigDecimal.TEN));

    assertThat(deposited.count()).isEqualTo(2);
    assertThat(deposited.sums()).isEqualTo(amounts("32.50", 2, 0));
    assertThat(closed.sums()).isEqualTo(amounts("32.50", 1, 1));
    assertThat(gained.sums()).isEqualTo(Map.of("new", BigDecimal.TEN));
  }
}
