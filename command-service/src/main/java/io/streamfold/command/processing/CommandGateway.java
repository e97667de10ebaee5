package io.streamfold.command.processing;

import io.streamfold.command.aggregate.AggregateCodec;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.Topics;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Kafka side: publishes a command keyed by its aggregate id and completes a future
 * when its outcome appears on the results topic.
 *
 * <p>Every gateway reads every partition of the results topic itself (assigned, no consumer group,
 * read_committed), positioned at the end before {@link #start()} returns, so it never misses the
 * outcome of a command it sent, whichever instance processed it; outcomes of other gateways'
 * commands are skipped. The producer sends at once (linger 0) with acks=all and idempotence.
 */
public final class CommandGateway<C> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandGateway.class);

  private final Topics topics;
  private final AggregateCodec<C, ?, ?> codec;
  private final AvroSerde<CommandOutcome> outcomes;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, CompletableFuture<CommandOutcome>> pending = new ConcurrentHashMap<>();
  private final Thread listener;

  /**
   * Completes the futures, so that what follows an outcome (rendering and writing the HTTP answer)
   * runs in parallel rather than on the single listener thread: profiling showed the listener
   * spending most of its time writing responses, capping the gateway near one core.
   */
  private final java.util.concurrent.ExecutorService completions =
      java.util.concurrent.Executors.newFixedThreadPool(
          Math.max(2, 2 * Runtime.getRuntime().availableProcessors()),
          daemonThreads("gateway-completion"));

  private volatile boolean running = true;

  public CommandGateway(
      Properties clientConfig,
      Topics topics,
      AggregateCodec<C, ?, ?> codec,
      AvroSerde<CommandOutcome> outcomes) {
    this.topics = topics;
    this.codec = codec;
    this.outcomes = outcomes;
    Properties producerConfig = new Properties();
    producerConfig.putAll(clientConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-producer");
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    Properties consumerConfig = new Properties();
    consumerConfig.putAll(clientConfig);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-results");
    this.consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    this.listener = new Thread(this::listen, "gateway-results-listener");
    this.listener.setDaemon(true);
  }

  /** Assigns and positions the results consumer at the end of every partition, then starts it. */
  public void start() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topics.results(), Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(
        p -> consumer.position(p, Duration.ofSeconds(30))); // resolve now, not lazily
    listener.start();
    LOG.info(
        "Gateway listening for outcomes on {} ({} partitions)",
        topics.results(),
        partitions.size());
  }

  /**
   * Publishes the command; the future completes with its outcome, or exceptionally after {@code
   * timeout} (the command may still be processed: a retry with the same id is safe).
   */
  public CompletableFuture<CommandOutcome> submit(CommandEnvelope<C> command, Duration timeout) {
    CompletableFuture<CommandOutcome> outcome =
        pending.computeIfAbsent(
            command.commandId(),
            id -> {
              CompletableFuture<CommandOutcome> created = new CompletableFuture<>();
              created
                  .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                  .whenComplete((o, e) -> pending.remove(id, created));
              return created;
            });
    byte[] value = codec.encodeCommand(topics.commands(), command);
    producer.send(
        new ProducerRecord<>(topics.commands(), command.aggregateId(), value),
        (metadata, error) -> {
          if (error != null) {
            outcome.completeExceptionally(new CommandNotSentException(error));
          }
        });
    return outcome;
  }

  /**
   * Waits until every command now awaiting its outcome has it (or has timed out), at most {@code
   * timeout}: the drain of a graceful shutdown.
   */
  public void awaitInFlight(Duration timeout) {
    try {
      CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      LOG.warn("{} commands still awaiting their outcome at shutdown", pending.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many commands are awaiting their outcome. */
  public int inFlight() {
    return pending.size();
  }

  private void listen() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          CompletableFuture<CommandOutcome> waiting = pending.get(record.key());
          if (waiting != null) {
            complete(waiting, record);
          }
        }
      }
    } catch (WakeupException stopping) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("The results listener stopped; commands will time out until restart", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void complete(
      CompletableFuture<CommandOutcome> waiting, ConsumerRecord<String, byte[]> record) {
    try {
      CommandOutcome outcome = outcomes.decode(record.value());
      completions.execute(() -> waiting.complete(outcome));
    } catch (RuntimeException e) {
      LOG.warn(
          "Unreadable outcome at {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
      waiting.completeExceptionally(e);
    }
  }

  /** Whether the results listener is alive. */
  public boolean isListening() {
    return listener.isAlive();
  }

  @Override
  public void close() {
    running = false;
    if (listener.isAlive()) {
      consumer.wakeup();
      try {
        listener.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      consumer.close(
          Duration.ofSeconds(5)); // never started, or already stopped and closed (idempotent)
    }
    producer.close(Duration.ofSeconds(10));
    completions.shutdown();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    java.util.concurrent.atomic.AtomicInteger count =
        new java.util.concurrent.atomic.AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The command could not be written to Kafka. */
  public static final class CommandNotSentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandNotSentException(Throwable cause) {
      super("The command could not be published: " + cause.getMessage(), cause);
    }
  }
}
