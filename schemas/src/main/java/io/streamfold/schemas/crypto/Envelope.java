package io.streamfold.schemas.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The framing of what this package seals: {@code format (1 byte) ‖ id length (1 byte) ‖ id (UTF-8)
 * ‖ body}, the id naming the key that opens the body.
 */
record Envelope(String id, byte[] body) {
  static final byte FORMAT = 1;

  byte[] pack() {
    byte[] name = id.getBytes(StandardCharsets.UTF_8);
    if (name.length > 255) {
      throw new IllegalArgumentException("A key id of " + name.length + " bytes is too long");
    }
    return ByteBuffer.allocate(2 + name.length + body.length)
        .put(FORMAT)
        .put((byte) name.length)
        .put(name)
        .put(body)
        .array();
  }

  /**
   * @param what names the data in the message of the exception
   * @throws CryptoException when {@code data} is not an envelope of this format
   */
  static Envelope unpack(byte[] data, String what) {
    if (data == null || data.length < 2 || data[0] != FORMAT) {
      throw new CryptoException(what + " is not of format " + FORMAT);
    }
    int length = data[1] & 0xff;
    if (data.length < 2 + length) {
      throw new CryptoException(what + " is truncated in its key id");
    }
    byte[] body = new byte[data.length - 2 - length];
    System.arraycopy(data, 2 + length, body, 0, body.length);
    return new Envelope(new String(data, 2, length, StandardCharsets.UTF_8), body);
  }
}
