package io.streamfold.bank.projection;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

/** How the bank's views write their fields to their stored form, each possibly absent. */
final class Stored {
  private Stored() {}

  /** A presence flag, then the text. */
  static void string(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  static String string(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** The unscaled value as {@link #string}, then the scale (0 when absent): exact. */
  static void decimal(DataOutputStream out, BigDecimal value) throws IOException {
    string(out, value == null ? null : value.unscaledValue().toString());
    out.writeInt(value == null ? 0 : value.scale());
  }

  static BigDecimal decimal(DataInputStream in) throws IOException {
    String unscaled = string(in);
    int scale = in.readInt();
    return unscaled == null ? null : new BigDecimal(new BigInteger(unscaled), scale);
  }

  /** Epoch milliseconds, {@link Long#MIN_VALUE} when absent. */
  static void instant(DataOutputStream out, Instant value) throws IOException {
    out.writeLong(value == null ? Long.MIN_VALUE : value.toEpochMilli());
  }

  static Instant instant(DataInputStream in) throws IOException {
    long millis = in.readLong();
    return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
  }
}
