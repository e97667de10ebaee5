package io.streamfold.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format's 5-byte header: magic byte 0, then the schema id as a big-endian int.
 */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** A decoder of the Avro body of {@code data}, after its header. */
  public static org.apache.avro.io.BinaryDecoder body(byte[] data) {
    return org.apache.avro.io.DecoderFactory.get()
        .binaryDecoder(data, HEADER_SIZE, data.length - HEADER_SIZE, null);
  }

  /**
   * The bytes of an Avro {@code bytes} field (a {@link ByteBuffer}), copied without moving its
   * position, e.g. an embedded wire-format record.
   */
  public static byte[] toBytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }

  static void writeHeader(ByteBuffer buffer, int schemaId) {
    buffer.put(MAGIC_BYTE).putInt(schemaId);
  }

  /**
   * The schema id in the header of {@code data}.
   *
   * @throws SerializationException when the data is too short or the magic byte is not 0
   */
  public static int schemaId(byte[] data) {
    if (data.length < HEADER_SIZE) {
      throw new SerializationException(
          "Not Confluent wire format: "
              + data.length
              + " bytes, the header alone needs "
              + HEADER_SIZE);
    }
    if (data[0] != MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "Unknown magic byte 0x%02x (expected 0x00): not Confluent wire format Avro",
              data[0]));
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
