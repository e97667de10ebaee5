package io.streamfold.schemas.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encrypts one personal field of one data subject with the subject's data key (AES-256-GCM). The
 * ciphertext names its key and is bound to the subject and the field: moved to another subject or
 * field, or altered, it does not decrypt.
 *
 * <p>Format: {@code 0x01 ‖ key id length (1 byte) ‖ key id (UTF-8) ‖ nonce (12) ‖ ciphertext ‖ tag
 * (16)}.
 */
public final class FieldCipher {
  private static final byte FORMAT = 1;
  private final DataKeys keys;

  public FieldCipher(DataKeys keys) {
    this.keys = keys;
  }

  public byte[] encrypt(String subjectId, String field, byte[] plaintext) {
    DataKey key = keys.current(subjectId);
    byte[] keyId = key.keyId().getBytes(StandardCharsets.UTF_8);
    byte[] box = Aes.encrypt(key.key(), plaintext, associated(subjectId, field));
    return ByteBuffer.allocate(2 + keyId.length + box.length)
        .put(FORMAT)
        .put((byte) keyId.length)
        .put(keyId)
        .put(box)
        .array();
  }

  public byte[] encryptString(String subjectId, String field, String plaintext) {
    return encrypt(subjectId, field, plaintext.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws SubjectErasedException the subject was forgotten: show the field as erased
   * @throws CryptoException the ciphertext was altered, belongs to another subject or field, or
   *     names a key that does not exist
   */
  public byte[] decrypt(String subjectId, String field, byte[] ciphertext) {
    if (ciphertext == null || ciphertext.length < 2 || ciphertext[0] != FORMAT) {
      throw new CryptoException("Not a field ciphertext of format " + FORMAT);
    }
    int keyIdLength = ciphertext[1] & 0xff;
    if (ciphertext.length < 2 + keyIdLength) {
      throw new CryptoException("Field ciphertext truncated in its key id");
    }
    String keyId = new String(ciphertext, 2, keyIdLength, StandardCharsets.UTF_8);
    DataKey key = keys.find(subjectId, keyId);
    byte[] box = new byte[ciphertext.length - 2 - keyIdLength];
    System.arraycopy(ciphertext, 2 + keyIdLength, box, 0, box.length);
    return Aes.decrypt(key.key(), box, associated(subjectId, field));
  }

  public String decryptString(String subjectId, String field, byte[] ciphertext) {
    return new String(decrypt(subjectId, field, ciphertext), StandardCharsets.UTF_8);
  }

  private static byte[] associated(String subjectId, String field) {
    return ("streamfold.field\u0000" + subjectId + "\u0000" + field)
        .getBytes(StandardCharsets.UTF_8);
  }
}
