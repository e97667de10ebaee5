package io.streamfold.service.http;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The operations endpoints of a service: {@code /metrics} (Prometheus text, from Micrometer: the
 * service's own meters, JVM, and Kafka Streams with its clients) and {@code /openapi.json} (the API
 * document kept beside the code and checked against the routes by a test).
 */
public final class Operations {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final byte[] openApi;

  /**
   * @param openApiResource classpath resource of the service's OpenAPI document
   */
  public Operations(String openApiResource) {
    try (InputStream in = Operations.class.getClassLoader().getResourceAsStream(openApiResource)) {
      if (in == null) {
        throw new IllegalStateException("Missing " + openApiResource);
      }
      openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Adds Kafka Streams' metrics (and those of its embedded clients). */
  public void bind(KafkaStreams streams) {
    new KafkaStreamsMetrics(streams).bindTo(registry);
  }

  public void install(JavalinConfig config) {
    config.routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
  }
}
