package io.streamfold.projection.topology;

import io.streamfold.schemas.registry.RegistryUnavailableException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The exception handlers of the projections: a poison event (undecodable, or failing in a
 * projector) goes to the dead-letter topic ({@code errors.dead.letter.queue.topic.name}) with Kafka
 * Streams' error headers, is counted, and later events are still applied. An unreachable registry
 * is not poison: the thread fails and retries.
 */
public final class DeadLetters {
  /**
   * The config key under which the {@link ProjectionCounters} instance is handed to the handlers.
   */
  public static final String COUNTERS_CONFIG = "streamfold.projection.counters";

  private DeadLetters() {}

  private static ProjectionCounters counters(Map<String, ?> configs) {
    Object counters = configs.get(COUNTERS_CONFIG);
    return counters instanceof ProjectionCounters c ? c : new ProjectionCounters();
  }

  /**
   * Failures of the infrastructure rather than of the record: an unreachable registry, a store that
   * cannot write (disk full, too many open files), a retriable Kafka error. Dead-lettering the
   * record would lose an event that is fine; the thread fails instead and the record is retried.
   */
  static boolean isInfrastructureFailure(Exception exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof RegistryUnavailableException
          || t instanceof org.apache.kafka.streams.errors.ProcessorStateException
          || t instanceof org.apache.kafka.common.errors.RetriableException
          || t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** For records that cannot be deserialized. */
  public static final class OnDeserialization implements DeserializationExceptionHandler {
    private final LogAndContinueExceptionHandler delegate = new LogAndContinueExceptionHandler();
    private ProjectionCounters counters;

    @Override
    public Response handleError(
        ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      if (isInfrastructureFailure(exception)) {
        return Response.fail();
      }
      counters.deadLetter();
      return delegate.handleError(context, record, exception);
    }

    @Override
    public void configure(Map<String, ?> configs) {
      delegate.configure(configs);
      counters = counters(configs);
    }
  }

  /** For records that make a processor throw. */
  public static final class OnProcessing implements ProcessingExceptionHandler {
    private final LogAndContinueProcessingExceptionHandler delegate =
        new LogAndContinueProcessingExceptionHandler();
    private ProjectionCounters counters;

    @Override
    public Response handleError(
        ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      if (isInfrastructureFailure(exception)) {
        return Response.fail();
      }
      counters.deadLetter();
      return delegate.handleError(context, record, exception);
    }

    @Override
    public void configure(Map<String, ?> configs) {
      delegate.configure(configs);
      counters = counters(configs);
    }
  }
}
