package io.streamfold.schemas.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The personal fields of the contracts (marked {@code "pii": true}, beside a field marked {@code
 * "subject": true} that names whose data it is), as the services keep and show them.
 *
 * <p>Where plain text exists: only in a request that carries it, and in the answer that shows it.
 * The command service seals a personal value when the request arrives ({@link #seal}), so every
 * copy Kafka and the stores keep (the event, the version-table snapshot, the idempotency record's
 * answer, the projections' stores and changelogs, the dead letters) is ciphertext; a reader opens
 * it ({@link #open}) only to render an answer. That is why the serde does not decrypt on read: what
 * it reads is folded into stores, which must hold ciphertext only.
 *
 * <p>A value is ciphertext exactly when its record names a subject: events and snapshots written
 * before subjects existed hold plain text (that data cannot be shredded; the README says so).
 */
public final class PersonalData {
  private final DataKeys keys;
  private final FieldCipher cipher;
  private final int cacheSize;

  /**
   * Values opened lately, by subject, field and ciphertext: a read of a personal value decrypts
   * only the first time (AES-GCM with a key per subject sets the key up anew on every decryption: a
   * quarter of a single-key read's CPU here). A subject's values leave the moment this instance
   * learns it is forgotten ({@link DataKeys#onErasure}), before any answer can show it erased.
   */
  private final ConcurrentHashMap<String, String> opened = new ConcurrentHashMap<>();

  /** The order {@link #opened} was filled in, for its bound; guarded by itself. */
  private final ArrayDeque<String> openedOrder = new ArrayDeque<>();

  /** How many erasures this instance has learnt of. */
  private final AtomicLong erasures = new AtomicLong();

  public PersonalData(DataKeys keys) {
    this(keys, 10_000);
  }

  /**
   * @param cacheSize how many opened values to keep (0: none)
   */
  public PersonalData(DataKeys keys, int cacheSize) {
    this.keys = keys;
    this.cipher = new FieldCipher(keys);
    this.cacheSize = cacheSize;
    keys.onErasure(
        subject -> {
          erasures.incrementAndGet();
          opened.keySet().removeIf(key -> key.startsWith(subject + '\u0000'));
        });
  }

  /**
   * Encrypts {@code plaintext}, a value of {@code field} belonging to {@code subjectId}, for a
   * string field: base64 of {@link FieldCipher}'s format.
   *
   * @throws SubjectErasedException the subject was forgotten: nothing new is stored for it
   */
  public String seal(String subjectId, String field, String plaintext) {
    return Base64.getEncoder().encodeToString(cipher.encryptString(subjectId, field, plaintext));
  }

  /**
   * What a stored value says: plain text when {@code subjectId} is null (written before subjects
   * existed), else the decrypted value, or that the subject was forgotten, or why it cannot be read
   * (altered, or its key is missing). Never throws for those.
   */
  public Opened open(String subjectId, String field, String stored) {
    if (stored == null) {
      return new Opened(null, false, null);
    }
    if (subjectId == null) {
      return new Opened(stored, false, null);
    }
    String key = subjectId + '\u0000' + field + '\u0000' + stored;
    String hit = opened.get(key);
    if (hit != null) {
      return new Opened(hit, false, null);
    }
    long before = erasures.get();
    try {
      byte[] sealed = Base64.getDecoder().decode(stored);
      String value = cipher.decryptString(subjectId, field, sealed);
      remember(key, value, before);
      return new Opened(value, false, null);
    } catch (SubjectErasedException e) {
      return new Opened(null, true, null);
    } catch (IllegalArgumentException e) {
      return new Opened(null, false, field + " is not base64 ciphertext");
    } catch (CryptoException e) {
      return new Opened(null, false, e.getMessage());
    }
  }

  /**
   * Keeps an opened value unless an erasure was learnt of since {@code before}: then the value may
   * be of the forgotten subject, put after its values were dropped, and goes again.
   */
  private void remember(String key, String value, long before) {
    if (cacheSize <= 0) {
      return;
    }
    if (opened.put(key, value) == null) {
      synchronized (openedOrder) {
        openedOrder.addLast(key);
        while (openedOrder.size() > cacheSize) {
          opened.remove(openedOrder.removeFirst());
        }
      }
    }
    if (erasures.get() != before) {
      opened.remove(key);
    }
  }

  /**
   * A keyed digest of a personal value (HMAC-SHA256 under a key derived from the subject's data
   * key): equal for equal values of one subject, so it can stand for the value in a request's
   * fingerprint, and unlinkable to the value once the subject is forgotten.
   *
   * @throws SubjectErasedException the subject was forgotten
   */
  public String blind(String subjectId, String field, String plaintext) {
    DataKey key = keys.current(subjectId);
    try {
      Mac derive = Mac.getInstance("HmacSHA256");
      derive.init(key.key());
      byte[] blindKey = derive.doFinal("streamfold.blind".getBytes(StandardCharsets.UTF_8));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(blindKey, "HmacSHA256"));
      mac.update((field + "\u0000").getBytes(StandardCharsets.UTF_8));
      return key.keyId()
          + ":"
          + HexFormat.of().formatHex(mac.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new CryptoException("HMAC-SHA256 failed: " + e.getMessage());
    }
  }

  /** Forgets the subject: destroys its keys, everywhere. */
  public void forget(String subjectId) {
    keys.forget(subjectId);
  }

  /**
   * How many erasures this instance has learnt of: a rendering of personal values made while this
   * still reads as it did before is not of a subject forgotten since.
   */
  public long erasures() {
    return erasures.get();
  }

  public boolean isErased(String subjectId) {
    return keys.isErased(subjectId);
  }

  /**
   * A personal value as an answer shows it.
   *
   * @param value the plain text; null when erased or unreadable
   * @param erased the subject was forgotten
   * @param error why it cannot be read (altered ciphertext, a missing key); null otherwise
   */
  public record Opened(String value, boolean erased, String error) {}
}
