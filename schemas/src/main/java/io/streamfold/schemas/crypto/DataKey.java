package io.streamfold.schemas.crypto;

import javax.crypto.SecretKey;

/** One data key of a data subject: personal data of the subject is encrypted with it. */
public record DataKey(String subjectId, String keyId, SecretKey key) {
  @Override
  public String toString() {
    return "DataKey[" + subjectId + "/" + keyId + "]"; // never the key
  }
}
