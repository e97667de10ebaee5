package io.streamfold.schemas.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamfold.devstack.SharedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The keys topic on a real broker: shared by instances, forgotten for good, gone from disk. */
class KafkaDataKeysIT {
  static final KeyEncryptionKey KEK =
      LocalKeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
  static final Duration WINDOW = Duration.ofSeconds(4);

  final String topic = "keys-" + UUID.randomUUID();

  static Properties clients() {
    Properties clients = new Properties();
    clients.put("bootstrap.servers", SharedStack.broker().bootstrapServers());
    return clients;
  }

  KafkaDataKeys instance(KeyEncryptionKey kek) {
    return new KafkaDataKeys(clients(), topic, kek, 1_000, (short) 1, WINDOW);
  }

  @Test
  void shouldShareKeysBetweenInstancesAndAcrossRestarts() {
    byte[] sealed;
    try (KafkaDataKeys first = instance(KEK)) {
      sealed = new FieldCipher(first).encryptString("ada", "owner", "Ada Lovelace");
    }
    try (KafkaDataKeys restarted = instance(KEK)) {
      assertThat(new FieldCipher(restarted).decryptString("ada", "owner", sealed))
          .isEqualTo("Ada Lovelace");
      assertThat(restarted.isErased("ada")).isFalse();
    }
  }

  @Test
  void shouldKeepBothKeysWhenTwoInstancesCreateASubjectsFirstKeyAtOnce() throws Exception {
    List<byte[]> boxes = new ArrayList<>();
    try (KafkaDataKeys one = instance(KEK);
        KafkaDataKeys two = instance(KEK)) {
      List<CompletableFuture<byte[]>> sealed = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        KafkaDataKeys keys = i % 2 == 0 ? one : two;
        String name = "Ada " + i;
        sealed.add(
            CompletableFuture.supplyAsync(
                () -> new FieldCipher(keys).encryptString("race", "owner", name)));
      }
      for (int i = 0; i < 8; i++) {
        byte[] box = sealed.get(i).get();
        boxes.add(box);
        assertThat(new FieldCipher(one).decryptString("race", "owner", box)).isEqualTo("Ada " + i);
        assertThat(new FieldCipher(two).decryptString("race", "owner", box)).isEqualTo("Ada " + i);
      }
    }
    try (KafkaDataKeys later = instance(KEK)) { // every key has a record of its own, and stays
      for (int i = 0; i < 8; i++) {
        assertThat(new FieldCipher(later).decryptString("race", "owner", boxes.get(i)))
            .isEqualTo("Ada " + i);
      }
    }
  }

  @Test
  void shouldForgetASubjectOnEveryInstanceAndLeaveTheOthers() throws Exception {
    try (KafkaDataKeys one = instance(KEK);
        KafkaDataKeys two = instance(KEK)) {
      byte[] ada = new FieldCipher(one).encryptString("ada", "owner", "Ada Lovelace");
      byte[] bob = new FieldCipher(one).encryptString("bob", "owner", "Bob");
      assertThat(new FieldCipher(two).decryptString("ada", "owner", ada)).isEqualTo("Ada Lovelace");
      byte[] wrapped = wrappedKeysOf("ada");
      assertThat(wrapped).isNotEmpty();

      one.forget("ada");

      assertThatThrownBy(() -> new FieldCipher(one).decrypt("ada", "owner", ada))
          .isInstanceOf(SubjectErasedException.class);
      assertThatThrownBy(() -> new FieldCipher(one).encryptString("ada", "owner", "again"))
          .isInstanceOf(SubjectErasedException.class);
      await() // the other instance evicts it from its cache once it reads the erasure
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> new FieldCipher(two).decrypt("ada", "owner", ada))
                      .isInstanceOf(SubjectErasedException.class));
      assertThat(new FieldCipher(two).decryptString("bob", "owner", bob)).isEqualTo("Bob");
      try (KafkaDataKeys restarted = instance(KEK)) {
        assertThat(restarted.isErased("ada")).isTrue();
        assertThatThrownBy(() -> new FieldCipher(restarted).decrypt("ada", "owner", ada))
            .isInstanceOf(SubjectErasedException.class);
        assertThat(new FieldCipher(restarted).decryptString("bob", "owner", bob)).isEqualTo("Bob");
      }

      // within the window, no segment of the topic on the broker's disk holds the key any more
      Path partition = SharedStack.broker().dataDir().resolve("logs").resolve(topic + "-0");
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> !anyFileContains(partition, wrapped));
      assertThat(anyFileContains(partition, wrappedKeysOf("bob"))).as("bob's key stays").isTrue();
    }
  }

  @Test
  void shouldRefuseKeysWrappedByAnotherKeyEncryptionKey() {
    byte[] sealed;
    try (KafkaDataKeys keys = instance(KEK)) {
      sealed = new FieldCipher(keys).encryptString("ada", "owner", "Ada");
    }
    KeyEncryptionKey other =
        LocalKeyEncryptionKey.fromBase64(
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes()));
    try (KafkaDataKeys keys = instance(other)) {
      assertThatThrownBy(() -> new FieldCipher(keys).decrypt("ada", "owner", sealed))
          .isInstanceOf(CryptoException.class)
          .hasMessageContaining(other.id())
          .hasMessageContaining(KEK.id());
    }
  }

  /** The values of the subject's key records as they are on the topic (the wrapped keys). */
  private byte[] wrappedKeysOf(String subject) {
    Properties config = clients();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String key = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
          if (key.startsWith(subject + "/") && !key.endsWith("!erased") && record.value() != null) {
            return record.value();
          }
        }
      }
    }
    return new byte[0];
  }

  private static boolean anyFileContains(Path dir, byte[] needle) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] content;
        try {
          content = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException deletedMeanwhile) {
          continue;
        }
        if (indexOf(content, needle) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
