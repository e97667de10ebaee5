package io.streamfold.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.registry.InMemorySchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugged-in view's secondary indexes and totals follow its views: index entries come and go,
 * each view counts in one group of a total at a time.
 */
class ViewIndexTest {

  /** Tasks: events {@code id,version,assignee,watcher}; the view is the assignee and watcher. */
  static class Tasks implements ViewProjection<String[], String[]> {
    @Override
    public String store() {
      return "task-views";
    }

    @Override
    public String collection() {
      return "tasks";
    }

    @Override
    public Function<byte[], String[]> decoder(SchemaRegistry registry) {
      return bytes -> new String(bytes, StandardCharsets.UTF_8).split(",", -1);
    }

    @Override
    public String key(String[] event) {
      return event[0];
    }

    @Override
    public long version(String[] event) {
      return Long.parseLong(event[1]);
    }

    @Override
    public String[] apply(String[] current, String[] event) {
      return new String[] {event[2], event[3]};
    }

    @Override
    public byte[] write(String[] view) {
      return String.join(",", view).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String[] read(byte[] stored) {
      return new String(stored, StandardCharsets.UTF_8).split(",", -1);
    }

    @Override
    public Map<String, Object> render(String id, String[] view) {
      return Map.of("assignee", view[0]);
    }

    @Override
    public List<Total<String[]>> totals() {
      return List.of(
          new Total<>(
              "byAssignee",
              view -> view[0],
              view -> Map.of("weight", new java.math.BigDecimal(view[1].length() + ".5"))),
          new Total<>("watched", view -> view[1].isEmpty() ? null : view[1], view -> null));
    }

    @Override
    public List<Index<String[]>> indexes() {
      return List.of(
          new Index<>("assignee", view -> List.of(view[0])),
          new Index<>("person", view -> List.of(view[0], view[1])));
    }
  }

  @TempDir Path stateDir;
  TopologyTestDriver driver;
  TestInputTopic<String, String> events;

  @BeforeEach
  void start() {
    StreamsBuilder builder = new StreamsBuilder();
    ViewProjections.build(
        builder,
        List.of(new Tasks()),
        collection -> collection + ".events",
        new InMemorySchemaRegistry(),
        Map.of(
            "task-views",
            new VersionWaiters(java.util.concurrent.Executors.newSingleThreadExecutor())),
        new ProjectionCounters(),
        new StoreHandles());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "view-index-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(builder.build(), props);
    events =
        driver.createInputTopic(
            "tasks.events", Serdes.String().serializer(), Serdes.String().serializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  List<String> entries(String index) {
    KeyValueStore<String, String> store = driver.getKeyValueStore("task-views-by-" + index);
    List<String> entries = new ArrayList<>();
    try (var it = store.all()) {
      it.forEachRemaining(e -> entries.add(e.key.replace('\u0000', '/') + "=" + e.value));
    }
    return entries;
  }

  Map<String, String> totals(String total) {
    KeyValueStore<String, GroupTotal> store = driver.getKeyValueStore("task-views-totals-" + total);
    Map<String, String> groups = new java.util.TreeMap<>();
    try (var it = store.all()) {
      it.forEachRemaining(e -> groups.put(e.key, e.value.count() + " " + e.value.sums()));
    }
    return groups;
  }

  @Test
  void shouldWriteAViewOnceForItsStoreAndItsHistoryAndNeverMixTwoUp() {
    int[] writes = {0};
    Tasks counting =
        new Tasks() {
          @Override
          public byte[] write(String[] view) {
            writes[0]++;
            return super.write(view);
          }
        };
    var views = ViewProjections.serde(counting);
    var history = ViewProjections.historySerde(counting, views);
    var first = new io.streamfold.projection.plugin.Versioned<>(1, 0, new String[] {"ada", "bob"});
    var second = new io.streamfold.projection.plugin.Versioned<>(2, 0, new String[] {"cy", ""});

    byte[] stored = views.serializer().serialize("t", first);
    byte[] entry = history.serializer().serialize("t", new ViewVersion<>(7, first, null));
    byte[] other = views.serializer().serialize("t", second);
    byte[] again = views.serializer().serialize("t", first);

    assertThat(writes[0]).as("the history entry took the view's bytes just written").isEqualTo(3);
    assertThat(history.deserializer().deserialize("t", entry).state().view())
        .containsExactly("ada", "bob");
    assertThat(views.deserializer().deserialize("t", other).view()).containsExactly("cy", "");
    assertThat(again).isEqualTo(stored);
  }

  @Test
  void shouldMoveEachViewBetweenTheGroupsOfATotalAndDropEmptyGroups() {
    events.pipeInput("t1", "t1,1,ada,bob"); // weight: the watcher's length + 0.5
    events.pipeInput("t2", "t2,1,ada,");
    assertThat(totals("byAssignee")).containsExactly(Map.entry("ada", "2 {weight=4.0}"));
    assertThat(totals("watched")).containsExactly(Map.entry("bob", "1 {}"));

    events.pipeInput("t1", "t1,2,bob,cyril");
    events.pipeInput("t1", "t1,2,zed,zed"); // a duplicate version: counted once
    events.pipeInput("t2", "t2,2,ada,bob");

    assertThat(totals("byAssignee"))
        .containsExactly(Map.entry("ada", "1 {weight=3.5}"), Map.entry("bob", "1 {weight=5.5}"));
    assertThat(totals("watched"))
        .containsExactly(Map.entry("bob", "1 {}"), Map.entry("cyril", "1 {}"));

    events.pipeInput("t2", "t2,3,bob,");
    assertThat(totals("byAssignee")).containsExactly(Map.entry("bob", "2 {weight=6.0}"));
    assertThat(totals("watched")).containsExactly(Map.entry("cyril", "1 {}"));
  }

  @Test
  void shouldAddMoveAndDropEntriesAsTheViewsKeysChange() {
    events.pipeInput("t1", "t1,1,ada,bob");
    events.pipeInput("t2", "t2,1,ada,ada");
    assertThat(entries("assignee")).containsExactly("ada/t1=t1", "ada/t2=t2");
    assertThat(entries("person")).containsExactly("ada/t1=t1", "ada/t2=t2", "bob/t1=t1");

    events.pipeInput("t1", "t1,2,bob,cy"); // reassigned: leaves ada, bob stays, cy comes
    events.pipeInput("t1", "t1,2,zed,zed"); // a duplicate version: skipped, the index unchanged
    events.pipeInput("t2", "t2,2,bad key!,ada"); // not an id: left out of the index

    assertThat(entries("assignee")).containsExactly("bob/t1=t1");
    assertThat(entries("person")).containsExactly("ada/t2=t2", "bob/t1=t1", "cy/t1=t1");
  }
}
