package io.streamfold.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class WriteBehindStoreTest {
  private static KeyValueStore<String, String> opened() {
    KeyValueStore<String, String> store =
        WriteBehindStore.of(
                Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("totals"), Serdes.String(), Serdes.String())
                    .withLoggingDisabled())
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  private static List<KeyValue<String, String>> all(KeyValueStore<String, String> store) {
    List<KeyValue<String, String>> entries = new ArrayList<>();
    try (KeyValueIterator<String, String> it = store.all()) {
      it.forEachRemaining(entries::add);
    }
    return entries;
  }

  @Test
  void shouldWriteBeneathOnlyWhenTheTaskFlushesItsCaches() {
    KeyValueStore<String, String> store = opened();
    @SuppressWarnings("unchecked")
    KeyValueStore<String, String> beneath = ((WriteBehindStore<String>) store).wrapped();

    store.put("EUR", "1");
    store.put("EUR", "2");
    store.put("USD", "5");

    assertThat(beneath.get("EUR")).isNull();
    assertThat(store.get("EUR")).isEqualTo("2");
    assertThat(all(store)).containsExactly(KeyValue.pair("EUR", "2"), KeyValue.pair("USD", "5"));

    ((WriteBehindStore<String>) store).flushCache();
    assertThat(beneath.get("EUR")).isEqualTo("2");
    assertThat(beneath.get("USD")).isEqualTo("5");

    assertThat(store.delete("USD")).isEqualTo("5");
    assertThat(store.get("USD")).isNull();
    assertThat(beneath.get("USD")).isEqualTo("5");
    assertThat(all(store)).containsExactly(KeyValue.pair("EUR", "2"));
    ((WriteBehindStore<String>) store).flushCache();
    assertThat(beneath.get("USD")).isNull();
  }

  @Test
  void shouldDropWhatIsPendingWhenKafkaStreamsDropsTheTasksCaches() {
    KeyValueStore<String, String> store = opened();
    store.put("EUR", "1");
    ((WriteBehindStore<String>) store).flushCache();
    store.put("EUR", "2");
    store.put("GBP", "3");

    ((WriteBehindStore<String>) store).clearCache(); // an aborted transaction

    assertThat(store.get("EUR")).isEqualTo("1");
    assertThat(all(store)).containsExactly(KeyValue.pair("EUR", "1"));
  }

  @Test
  void shouldMergePendingWritesIntoRangesInOrder() {
    KeyValueStore<String, String> store = opened();
    store.put("a", "1");
    store.put("c", "3");
    ((WriteBehindStore<String>) store).flushCache();
    store.put("b", "2");
    store.delete("c");
    store.put("d", "4");

    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, String> it = store.range("a", "c")) {
      assertThat(it.peekNextKey()).isEqualTo("a");
      it.forEachRemaining(entry -> keys.add(entry.key));
    }
    assertThat(keys).containsExactly("a", "b");
    keys.clear();
    try (KeyValueIterator<String, String> it = store.reverseAll()) {
      it.forEachRemaining(entry -> keys.add(entry.key));
    }
    assertThat(keys).containsExactly("d", "b", "a");
  }

  /** Counts its input per key in a write-behind store, as the projector moves a total. */
  private static final class Counting implements Processor<String, String, Void, Void> {
    private KeyValueStore<String, String> counts;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      counts = context.getStateStore("counts");
    }

    @Override
    public void process(Record<String, String> record) {
      String count = counts.get(record.key());
      counts.put(record.key(), Long.toString(count == null ? 1 : Long.parseLong(count) + 1));
    }
  }

  @Test
  void shouldPutTheValueOfEveryCommitInTheChangelog() {
    Topology topology = new Topology();
    topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "input");
    topology.addProcessor("count", Counting::new, "in");
    topology.addStateStore(
        WriteBehindStore.of(
            Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore("counts"), Serdes.String(), Serdes.String())
                .withCachingEnabled()),
        "count");
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-behind");
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, config)) {
      TestInputTopic<String, String> input =
          driver.createInputTopic("input", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> changelog =
          driver.createOutputTopic(
              "write-behind-counts-changelog", new StringDeserializer(), new StringDeserializer());

      // the test driver commits after every record: each commit writes the pending count
      input.pipeInput("EUR", "deposit");
      input.pipeInput("EUR", "deposit");
      input.pipeInput("USD", "deposit");

      assertThat(changelog.readKeyValuesToList())
          .containsExactly(
              KeyValue.pair("EUR", "1"), KeyValue.pair("EUR", "2"), KeyValue.pair("USD", "1"));
      KeyValueStore<String, String> counts = driver.getKeyValueStore("counts");
      assertThat(counts.get("EUR")).isEqualTo("2");
    }
  }
}
