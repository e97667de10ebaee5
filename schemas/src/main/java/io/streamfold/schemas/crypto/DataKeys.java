package io.streamfold.schemas.crypto;

/**
 * The data subjects' keys. Forgetting a subject destroys every key of it, so whatever was encrypted
 * with them can never be read again, wherever copies of it are (the event log, snapshots, stores,
 * changelogs, dead letters): crypto-shredding.
 */
public interface DataKeys {
  /**
   * The key to encrypt the subject's new personal data with, created on first use.
   *
   * @throws SubjectErasedException the subject was forgotten: nothing new is stored for it
   */
  DataKey current(String subjectId);

  /**
   * The key a ciphertext names.
   *
   * @throws SubjectErasedException the subject was forgotten
   * @throws CryptoException no such key of a subject that was not forgotten (the keys were lost)
   */
  DataKey find(String subjectId, String keyId);

  /** Destroys every key of the subject, for good; returns once it is done. */
  void forget(String subjectId);

  /** Whether the subject was forgotten. */
  boolean isErased(String subjectId);

  /**
   * Calls {@code listener} with the subject's id once this instance knows a subject is forgotten
   * (whichever instance forgot it). It must be quick: it runs on the thread that learns it.
   */
  void onErasure(java.util.function.Consumer<String> listener);
}
