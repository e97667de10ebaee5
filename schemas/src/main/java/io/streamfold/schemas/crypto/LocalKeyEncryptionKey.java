package io.streamfold.schemas.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;

/**
 * A key-encryption key given in configuration (256 bits, base64): AES-256-GCM wraps every data key.
 * Its id is a fingerprint of the key (the first 8 bytes of its SHA-256), never the key itself.
 */
public final class LocalKeyEncryptionKey implements KeyEncryptionKey {
  private final SecretKey key;
  private final String id;

  private LocalKeyEncryptionKey(byte[] key) {
    this.key = Aes.key(key);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      this.id = "local:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @param base64 32 bytes, base64-encoded (e.g. {@code openssl rand -base64 32})
   */
  public static LocalKeyEncryptionKey fromBase64(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The key-encryption key is not base64", e);
    }
    if (key.length != Aes.KEY_BYTES) {
      throw new IllegalArgumentException(
          "The key-encryption key must be 32 bytes (256 bits), base64-encoded; it has "
              + key.length
              + " bytes");
    }
    return new LocalKeyEncryptionKey(key);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] associated) {
    return Aes.encrypt(key, dataKey, bind(associated));
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associated) {
    return Aes.decrypt(key, wrapped, bind(associated));
  }

  private byte[] bind(byte[] associated) {
    byte[] kek = id.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[kek.length + 1 + associated.length];
    System.arraycopy(kek, 0, all, 0, kek.length);
    System.arraycopy(associated, 0, all, kek.length + 1, associated.length);
    return all;
  }
}
