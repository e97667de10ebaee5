package io.streamfold.schemas.crypto;

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
  private final DataKeys keys;

  public FieldCipher(DataKeys keys) {
    this.keys = keys;
  }

  public byte[] encrypt(String subjectId, String field, byte[] plaintext) {
    DataKey key = keys.current(subjectId);
    return new Envelope(
            key.keyId(), Aes.encrypt(key.key(), plaintext, associated(subjectId, field)))
        .pack();
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
    Envelope sealed = Envelope.unpack(ciphertext, "A field ciphertext");
    DataKey key = keys.find(subjectId, sealed.id());
    return Aes.decrypt(key.key(), sealed.body(), associated(subjectId, field));
  }

  public String decryptString(String subjectId, String field, byte[] ciphertext) {
    return new String(decrypt(subjectId, field, ciphertext), StandardCharsets.UTF_8);
  }

  private static byte[] associated(String subjectId, String field) {
    return ("streamfold.field\u0000" + subjectId + "\u0000" + field)
        .getBytes(StandardCharsets.UTF_8);
  }
}
