package io.streamfold.schemas.crypto;

/** Ciphertext that cannot be decrypted: altered, truncated, or bound to other data. */
public class CryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
