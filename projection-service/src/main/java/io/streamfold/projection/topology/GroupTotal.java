package io.streamfold.projection.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One group of a plugged-in view's total: how many views count in it, and the sums of their amounts
 * (by amount name, in name order).
 */
public record GroupTotal(long count, Map<String, BigDecimal> sums) {
  public static final GroupTotal NONE = new GroupTotal(0, Map.of());

  public GroupTotal {
    sums = Collections.unmodifiableMap(new TreeMap<>(sums));
  }

  /** This total with one view's {@code amounts} added ({@code sign} 1) or taken away (−1). */
  public GroupTotal plus(int sign, Map<String, BigDecimal> amounts) {
    Map<String, BigDecimal> next = new TreeMap<>(sums);
    amounts.forEach(
        (name, amount) -> {
          if (amount != null) {
            next.merge(name, sign > 0 ? amount : amount.negate(), BigDecimal::add);
          }
        });
    return new GroupTotal(count + sign, next);
  }

  /** This total with one view's amounts changed from {@code before} to {@code after}. */
  public GroupTotal moved(Map<String, BigDecimal> before, Map<String, BigDecimal> after) {
    Map<String, BigDecimal> next = new TreeMap<>(sums);
    before.forEach(
        (name, amount) -> {
          if (amount != null) {
            next.merge(name, amount.negate(), BigDecimal::add);
          }
        });
    after.forEach(
        (name, amount) -> {
          if (amount != null) {
            next.merge(name, amount, BigDecimal::add);
          }
        });
    return new GroupTotal(count, next);
  }

  /** Two partitions' totals of one group, added up. */
  public GroupTotal add(GroupTotal other) {
    Map<String, BigDecimal> next = new TreeMap<>(sums);
    other.sums.forEach((name, amount) -> next.merge(name, amount, BigDecimal::add));
    return new GroupTotal(count + other.count, next);
  }

  /** Format 1: the count, then each sum as its name and its decimal string. */
  static final Serde<GroupTotal> SERDE =
      Serdes.serdeFrom(
          (topic, total) -> {
            if (total == null) {
              return null;
            }
            try {
              ByteArrayOutputStream bytes = new ByteArrayOutputStream();
              DataOutputStream out = new DataOutputStream(bytes);
              out.writeByte(1);
              out.writeLong(total.count());
              out.writeInt(total.sums().size());
              for (Map.Entry<String, BigDecimal> sum : total.sums().entrySet()) {
                out.writeUTF(sum.getKey());
                out.writeUTF(sum.getValue().toPlainString());
              }
              return bytes.toByteArray();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          },
          (topic, data) -> {
            if (data == null) {
              return null;
            }
            try {
              DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
              if (in.readByte() != 1) {
                throw new IllegalStateException("Unknown format of a total");
              }
              long count = in.readLong();
              int size = in.readInt();
              Map<String, BigDecimal> sums = new TreeMap<>();
              for (int i = 0; i < size; i++) {
                sums.put(in.readUTF(), new BigDecimal(in.readUTF()));
              }
              return new GroupTotal(count, sums);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
}
