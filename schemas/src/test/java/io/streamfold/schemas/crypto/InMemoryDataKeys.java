package io.streamfold.schemas.crypto;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Data keys in memory, for unit tests of what uses them. */
public final class InMemoryDataKeys implements DataKeys {
  private final Map<String, DataKey> keys = new HashMap<>();
  private final Set<String> erased = new HashSet<>();
  private final java.util.List<java.util.function.Consumer<String>> listeners =
      new java.util.ArrayList<>();
  private int created;

  @Override
  public synchronized DataKey current(String subjectId) {
    if (erased.contains(subjectId)) {
      throw new SubjectErasedException(subjectId);
    }
    return keys.computeIfAbsent(
        subjectId, s -> new DataKey(s, "k" + ++created, Aes.key(Aes.randomKey())));
  }

  @Override
  public synchronized DataKey find(String subjectId, String keyId) {
    if (erased.contains(subjectId)) {
      throw new SubjectErasedException(subjectId);
    }
    DataKey key = keys.get(subjectId);
    if (key == null || !key.keyId().equals(keyId)) {
      throw new CryptoException("No key " + keyId + " of subject " + subjectId);
    }
    return key;
  }

  @Override
  public synchronized void forget(String subjectId) {
    erased.add(subjectId);
    keys.remove(subjectId);
    listeners.forEach(listener -> listener.accept(subjectId));
  }

  @Override
  public synchronized void onErasure(java.util.function.Consumer<String> listener) {
    listeners.add(listener);
  }

  @Override
  public synchronized boolean isErased(String subjectId) {
    return erased.contains(subjectId);
  }
}
