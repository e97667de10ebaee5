package io.streamfold.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The event APIs as a user meets them ({@code ./bench.sh --commands --events}): a stream read of
 * 1,000 events; catch-up subscriptions from the start of the log, one and then 100 at once, beside
 * a plain read_committed consumer over the same topic in the same run; and the command latency at a
 * fixed rate with and without 100 live subscribers.
 */
final class EventLoad {
  private static final int STREAM_EVENTS = 1_000;
  private static final int SUBSCRIBERS = 100;

  private final URI commands;
  private final URI projections;
  private final String bootstrap;
  private final String eventsTopic;

  EventLoad(URI commands, URI projections, String bootstrap, String eventsTopic) {
    this.commands = commands;
    this.projections = projections;
    this.bootstrap = bootstrap;
    this.eventsTopic = eventsTopic;
  }

  /** An account with {@code STREAM_EVENTS} events, read whole {@code reads} times in a row. */
  Map<String, Object> streamRead(String id, int reads) throws Exception {
    try (RawHttp http = new RawHttp(commands.getHost(), commands.getPort())) {
      RawHttp.Response opened =
          http.post(
              "/api/v1/accounts/" + id + "/open",
              "{\"owner\":\"Bench\",\"currency\":\"EUR\",\"initialDeposit\":\"1.00\"}");
      if (opened.status() != 201) {
        throw new IOException("Open answered " + opened.status() + ": " + opened.body());
      }
      for (int i = 1; i < STREAM_EVENTS; i++) {
        RawHttp.Response r =
            http.post("/api/v1/accounts/" + id + "/deposit", "{\"amount\":\"1.00\"}");
        if (r.status() != 200) {
          throw new IOException("Deposit answered " + r.status() + ": " + r.body());
        }
      }
    }
    String path = "/api/v1/streams/accounts/" + id + "/events?limit=" + STREAM_EVENTS;
    Histogram micros = Latency.histogram();
    long bytes = 0;
    try (RawHttp http = new RawHttp(projections.getHost(), projections.getPort())) {
      RawHttp.Response first = http.get(path + "&minVersion=" + STREAM_EVENTS + "&waitMs=30000");
      if (first.status() != 200) {
        throw new IOException("Stream read answered " + first.status() + ": " + first.body());
      }
      for (int i = 0; i < reads; i++) {
        long sent = System.nanoTime();
        RawHttp.Response r = http.get(path);
        micros.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
        if (r.status() != 200) {
          throw new IOException("Stream read answered " + r.status());
        }
        bytes = r.body().length();
      }
    }
    Map<String, Object> result = Latency.of(micros).json();
    result.put("events per read", STREAM_EVENTS);
    result.put("bytes per read", bytes);
    result.put("reads", reads);
    return result;
  }

  /**
   * A plain read_committed consumer over the events topic, start to end: records, and the rate from
   * its first poll that returned records to its last (the first poll's records not counted).
   */
  Map<String, Object> rawConsumer() {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", false);
    long started = 0;
    long ended = 0;
    long first = 0;
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(eventsTopic)
          .forEach(p -> partitions.add(new TopicPartition(eventsTopic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        int polled = consumer.poll(Duration.ofMillis(200)).count();
        if (records == 0 && polled > 0) {
          started = System.nanoTime(); // from the first records: the rate, not the client's start
          first = polled;
        }
        if (polled > 0) {
          ended = System.nanoTime(); // to the last: not the fetch that only passes the markers
        }
        records += polled;
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("records", records);
    result.put("records/s", (records - first) / ((ended - started) / 1e9));
    return result;
  }

  /**
   * {@code subscribers} subscriptions from the start of the log at once, each read until it has
   * {@code events}: the events/s delivered in all and the slowest subscriber's rate, both from the
   * first event on (as the consumer's).
   */
  Map<String, Object> subscribers(int subscribers, long events) throws Exception {
    List<Thread> threads = new ArrayList<>();
    AtomicLong slowestNanos = new AtomicLong();
    AtomicLong firstEvent = new AtomicLong(Long.MAX_VALUE);
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    long started = System.nanoTime();
    for (int i = 0; i < subscribers; i++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  long began = subscribe("?from=start", events);
                  firstEvent.accumulateAndGet(began, Math::min);
                  slowestNanos.accumulateAndGet(System.nanoTime() - began, Math::max);
                } catch (IOException | RuntimeException e) {
                  errors.add(e);
                }
              },
              "subscriber-" + i);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(errors.size() + " subscribers failed", errors.get(0));
    }
    double seconds = (System.nanoTime() - firstEvent.get()) / 1e9;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("subscribers", subscribers);
    result.put("from the request to the first event, s", (firstEvent.get() - started) / 1e9);
    result.put("events each", events);
    result.put("events/s delivered", subscribers * events / seconds);
    result.put("slowest subscriber events/s", events / (slowestNanos.get() / 1e9));
    return result;
  }

  /** Live subscribers (from the end) held open, and read, while {@code during} runs. */
  <T> T withLiveSubscribers(int subscribers, java.util.concurrent.Callable<T> during)
      throws Exception {
    List<SseSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < subscribers; i++) {
        SseSocket subscription = SseSocket.open(projections, "?from=end");
        open.add(subscription);
        Thread reader =
            new Thread(
                () -> {
                  byte[] buffer = new byte[16_384];
                  try {
                    while (subscription.read(buffer) >= 0) {
                      // drained: a live subscriber reads everything it is sent
                    }
                  } catch (IOException closed) {
                    // the run is over
                  }
                },
                "live-" + i);
        reader.setDaemon(true);
        reader.start();
      }
      return during.call();
    } finally {
      for (SseSocket subscription : open) {
        subscription.close();
      }
    }
  }

  /**
   * Reads a subscription until {@code events} events (lines starting "data:") have come; returns
   * when the first one came ({@link System#nanoTime}).
   */
  private long subscribe(String query, long events) throws IOException {
    long first = 0;
    try (SseSocket subscription = SseSocket.open(projections, query)) {
      byte[] buffer = new byte[65_536];
      byte[] pattern = "\ndata:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      int matched = 0;
      long seen = 0;
      while (seen < events) {
        int n = subscription.read(buffer);
        if (n < 0) {
          throw new IOException("The subscription ended after " + seen + " events");
        }
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          matched = b == pattern[matched] ? matched + 1 : (b == pattern[0] ? 1 : 0);
          if (matched == pattern.length) {
            if (seen++ == 0) {
              first = System.nanoTime();
            }
            matched = 0;
          }
        }
      }
    }
    return first;
  }
}
