package io.streamfold.schemas.crypto;

/**
 * Wraps the subjects' data keys before they are stored (the keys topic holds only wrapped keys).
 * {@link LocalKeyEncryptionKey} takes it from configuration; a KMS (AWS KMS, Vault transit, …) can
 * stand behind this interface instead, so that the key-encryption key never leaves it.
 */
public interface KeyEncryptionKey {
  /** Names this key-encryption key, so a wrapped key says which one can unwrap it. */
  String id();

  /**
   * @param associated bound to the result: unwrapping with other associated data fails
   */
  byte[] wrap(byte[] dataKey, byte[] associated);

  /**
   * @throws CryptoException when the wrapped key was altered, or wrapped by another key
   */
  byte[] unwrap(byte[] wrapped, byte[] associated);
}
