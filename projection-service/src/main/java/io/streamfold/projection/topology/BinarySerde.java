package io.streamfold.projection.topology;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary format for the projections' own store values and repartition records: a format
 * byte, then the fields in order. Profiling a rebuild showed JSON (de)serialization taking most of
 * the stream thread's time; these values are derived and rebuildable, so they need neither a
 * registry nor readability. A change of format means a rebuild under a new application id, unless
 * the reader of the new format still reads the old one (as the history does: entries written before
 * it kept the raw event read without one).
 */
public final class BinarySerde<T> implements Serde<T> {
  static final byte FORMAT = 1;

  /** Writes the fields of a value. */
  public interface Writer<T> {
    void write(T value, DataOutputStream out) throws IOException;
  }

  /** Reads the fields of a value in the order they were written. */
  public interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  /** Reads the fields of a value written in {@code format} (from 1 to the serde's own). */
  public interface FormatReader<T> {
    T read(DataInputStream in, int format) throws IOException;
  }

  private final String name;
  private final int format;
  private final Writer<T> writer;
  private final FormatReader<T> reader;

  public BinarySerde(String name, Writer<T> writer, Reader<T> reader) {
    this(name, FORMAT, writer, (in, format) -> reader.read(in));
  }

  /** A serde that writes {@code format} and reads every format from 1 up to it. */
  public BinarySerde(String name, int format, Writer<T> writer, FormatReader<T> reader) {
    this.name = name;
    this.format = format;
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      Scratch scratch = Scratch.take();
      try {
        scratch.data.writeByte(format);
        writer.write(value, scratch.data);
        return scratch.bytes.copy();
      } catch (IOException e) {
        throw new SerializationException("Cannot write " + name, e);
      } finally {
        scratch.give();
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      try {
        DataInputStream in = new DataInputStream(new Bytes(data));
        byte written = in.readByte();
        if (written < FORMAT || written > format) {
          throw new SerializationException(
              name
                  + " in format "
                  + written
                  + ", expected "
                  + (format == FORMAT ? FORMAT : FORMAT + " to " + format)
                  + ": rebuild under a new application id");
        }
        return reader.read(in, written);
      } catch (IOException e) {
        throw new SerializationException("Cannot read " + name, e);
      }
    };
  }

  /**
   * A thread's reusable output for {@link #serializer}: {@link ByteArrayOutputStream} and {@link
   * java.io.ByteArrayInputStream} synchronize every call, and a history entry outgrew the first
   * buffer and was copied as it grew; together they were half of writing a value in a rebuild's
   * profile. A serializer called while the thread's scratch is in use (a value written inside
   * another) gets a fresh one.
   */
  private static final class Scratch {
    private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

    final Growing bytes = new Growing();
    final DataOutputStream data = new DataOutputStream(bytes);
    private boolean inUse;

    static Scratch take() {
      Scratch scratch = OF_THREAD.get();
      if (scratch.inUse) {
        scratch = new Scratch();
      }
      scratch.inUse = true;
      scratch.bytes.count = 0;
      return scratch;
    }

    void give() {
      inUse = false;
      if (bytes.buffer.length > 64 * 1024) {
        bytes.buffer = new byte[1024]; // one huge value does not stay with the thread
      }
    }
  }

  /** An unsynchronized, growing byte buffer. */
  private static final class Growing extends OutputStream {
    byte[] buffer = new byte[1024];
    int count;

    @Override
    public void write(int b) {
      if (count == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (count + len > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + len));
      }
      System.arraycopy(b, off, buffer, count, len);
      count += len;
    }

    byte[] copy() {
      return Arrays.copyOf(buffer, count);
    }
  }

  /** An unsynchronized input over a byte array. */
  private static final class Bytes extends InputStream {
    private final byte[] data;
    private int position;

    Bytes(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() {
      return position < data.length ? data[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (position >= data.length) {
        return -1;
      }
      int n = Math.min(len, data.length - position);
      System.arraycopy(data, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public int available() {
      return data.length - position;
    }
  }

  static void writeString(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  static String readString(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  static void writeDecimal(DataOutputStream out, BigDecimal value) throws IOException {
    byte[] unscaled = value.unscaledValue().toByteArray();
    out.writeByte(value.scale());
    out.writeByte(unscaled.length);
    out.write(unscaled);
  }

  static BigDecimal readDecimal(DataInputStream in) throws IOException {
    int scale = in.readByte();
    byte[] unscaled = new byte[in.readUnsignedByte()];
    in.readFully(unscaled);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }

  static void writeInstant(DataOutputStream out, Instant value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeLong(value.getEpochSecond());
      out.writeInt(value.getNano());
    }
  }

  static Instant readInstant(DataInputStream in) throws IOException {
    return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
  }
}
