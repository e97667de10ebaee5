package io.streamfold.service.config;

import java.time.Duration;

/**
 * Where the data subjects' keys live and how they are protected, the same for both services:
 *
 * <ul>
 *   <li>{@code KEY_ENCRYPTION_KEY} (required): 32 bytes, base64 ({@code openssl rand -base64 32});
 *       wraps every data key. Every instance of both services needs the same one; losing it loses
 *       every personal value.
 *   <li>{@code DATA_KEYS_TOPIC}: the compacted topic of the wrapped data keys ({@code
 *       <TOPIC_PREFIX>data-keys}).
 *   <li>{@code ERASURE_WINDOW}: how long a forgotten subject's destroyed keys may stay on the
 *       brokers' disks at most ({@code PT1H}); sets the topic's compaction when it is created.
 *   <li>{@code DATA_KEY_CACHE}: unwrapped keys kept in memory (10000).
 * </ul>
 */
public record PersonalDataSettings(
    String keyEncryptionKey, String topic, Duration erasureWindow, int cacheSize) {

  public static PersonalDataSettings fromEnv(Env env, String topicPrefix) {
    return new PersonalDataSettings(
        env.required("KEY_ENCRYPTION_KEY"),
        env.string("DATA_KEYS_TOPIC", topicPrefix + "data-keys"),
        env.duration("ERASURE_WINDOW", Duration.ofHours(1)),
        env.integer("DATA_KEY_CACHE", 10_000, 1, 10_000_000));
  }

  @Override
  public String toString() {
    return "PersonalDataSettings[keyEncryptionKey=(hidden), topic="
        + topic
        + ", erasureWindow="
        + erasureWindow
        + ", cacheSize="
        + cacheSize
        + "]";
  }
}
