package io.streamfold.projection.topology;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

  /**
   * This total with one view's amounts changed from {@code before} to {@code after}: only the
   * amounts that changed are touched (a deposit moves a balance, not the counts beside it).
   */
  public GroupTotal moved(Map<String, BigDecimal> before, Map<String, BigDecimal> after) {
    TreeMap<String, BigDecimal> next = new TreeMap<>(sums);
    for (Map.Entry<String, BigDecimal> was : before.entrySet()) {
      BigDecimal now = after.get(was.getKey());
      if (was.getValue() != null && !was.getValue().equals(now)) {
        next.merge(was.getKey(), was.getValue().negate(), BigDecimal::add);
      }
    }
    for (Map.Entry<String, BigDecimal> now : after.entrySet()) {
      BigDecimal was = before.get(now.getKey());
      if (now.getValue() != null && !now.getValue().equals(was)) {
        next.merge(now.getKey(), now.getValue(), BigDecimal::add);
      }
    }
    return new GroupTotal(count, next);
  }

  /** Two partitions' totals of one group, added up. */
  public GroupTotal add(GroupTotal other) {
    Map<String, BigDecimal> next = new TreeMap<>(sums);
    other.sums.forEach((name, amount) -> next.merge(name, amount, BigDecimal::add));
    return new GroupTotal(count + other.count, next);
  }

  /**
   * Format 2: the count, how many sums, then each sum's name (UTF-8, its length first), scale and
   * unscaled value (two's complement, its length first): written for every event that moves a
   * total, so without text conversions. Format 1 (each sum as its name and decimal string) is still
   * read.
   */
  static final Serde<GroupTotal> SERDE =
      Serdes.serdeFrom(
          (topic, total) -> {
            if (total == null) {
              return null;
            }
            int size = 1 + Long.BYTES + Integer.BYTES;
            byte[][] names = new byte[total.sums().size()][];
            byte[][] unscaled = new byte[names.length][];
            int i = 0;
            for (Map.Entry<String, BigDecimal> sum : total.sums().entrySet()) {
              names[i] = sum.getKey().getBytes(StandardCharsets.UTF_8);
              unscaled[i] = sum.getValue().unscaledValue().toByteArray();
              size += Short.BYTES + names[i].length + Integer.BYTES + 1 + unscaled[i].length;
              i++;
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            out.put((byte) 2).putLong(total.count()).putInt(names.length);
            i = 0;
            for (BigDecimal sum : total.sums().values()) {
              out.putShort((short) names[i].length).put(names[i]);
              out.putInt(sum.scale()).put((byte) unscaled[i].length).put(unscaled[i]);
              i++;
            }
            return out.array();
          },
          (topic, data) -> {
            if (data == null) {
              return null;
            }
            ByteBuffer in = ByteBuffer.wrap(data);
            byte format = in.get();
            if (format == 1) {
              return formatOne(data);
            }
            if (format != 2) {
              throw new IllegalStateException("Unknown format of a total");
            }
            long count = in.getLong();
            int size = in.getInt();
            Map<String, BigDecimal> sums = new TreeMap<>();
            for (int i = 0; i < size; i++) {
              byte[] name = new byte[in.getShort()];
              in.get(name);
              int scale = in.getInt();
              byte[] unscaled = new byte[in.get()];
              in.get(unscaled);
              sums.put(
                  new String(name, StandardCharsets.UTF_8),
                  new BigDecimal(new BigInteger(unscaled), scale));
            }
            return new GroupTotal(count, sums);
          });

  private static GroupTotal formatOne(byte[] data) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      in.readByte();
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
  }
}
