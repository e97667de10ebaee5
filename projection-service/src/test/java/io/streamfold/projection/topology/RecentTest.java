package io.streamfold.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class RecentTest {
  /** A store that counts its reads; only get, put and delete are used by {@link Recent}. */
  @SuppressWarnings("unchecked")
  static KeyValueStore<String, String> store(Map<String, String> data, int[] reads) {
    return (KeyValueStore<String, String>)
        Proxy.newProxyInstance(
            RecentTest.class.getClassLoader(),
            new Class<?>[] {KeyValueStore.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "get" -> {
                    reads[0]++;
                    yield data.get((String) args[0]);
                  }
                  case "put" -> data.put((String) args[0], (String) args[1]);
                  case "delete" -> data.remove((String) args[0]);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void shouldWriteThroughAndReadTheStoreOnlyForWhatItDoesNotHold() {
    Map<String, String> data = new HashMap<>(Map.of("old", "stored"));
    int[] reads = {0};
    Recent<String> recent = new Recent<>(store(data, reads), 2);

    recent.put("a", "1");
    assertThat(data).containsEntry("a", "1"); // the store first
    assertThat(recent.get("a")).isEqualTo("1");
    assertThat(reads[0]).isZero();

    assertThat(recent.get("old")).isEqualTo("stored"); // read through once, then held
    assertThat(recent.get("old")).isEqualTo("stored");
    assertThat(reads[0]).isEqualTo(1);

    assertThat(recent.get("missing")).isNull(); // nothing held for an absent key
    assertThat(recent.get("missing")).isNull();
    assertThat(reads[0]).isEqualTo(3);

    recent.put("b", "2"); // holds two: "a" was used least recently and leaves
    reads[0] = 0;
    assertThat(recent.get("old")).isEqualTo("stored");
    assertThat(recent.get("b")).isEqualTo("2");
    assertThat(reads[0]).isZero();
    assertThat(recent.get("a")).isEqualTo("1");
    assertThat(reads[0]).isEqualTo(1);

    recent.delete("a"); // from both
    assertThat(data).doesNotContainKey("a");
    assertThat(recent.get("a")).isNull();
    assertThat(reads[0]).isEqualTo(2);
  }
}
