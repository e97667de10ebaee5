package io.streamfold.command.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.command.processing.CommandGateway;
import io.streamfold.command.processing.WriteModel;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.OutcomeStatus;
import io.streamfold.schemas.serde.WireFormat;
import io.streamfold.service.http.Forwarder;
import io.streamfold.service.http.Json;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import io.streamfold.service.http.Problems;
import io.streamfold.service.security.Security;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /api/v1/<collection>/{id}/<action>} and {@code GET /api/v1/<collection>/{id}} for one
 * aggregate type: validates, publishes through the gateway, waits for the outcome and answers.
 */
public final class CommandRoutes<C, E, S> {
  private final Aggregate<C, E, S> aggregate;
  private final AggregateResource<C, E, S> resource;
  private final CommandGateway<C> gateway;
  private final WriteModel<S> writeModel;
  private final Forwarder forwarder;
  private final BooleanSupplier ready;
  private final Duration timeout;
  private final Clock clock;
  private final String self;
  private final CommandMetrics metrics;

  public CommandRoutes(
      Aggregate<C, E, S> aggregate,
      AggregateResource<C, E, S> resource,
      CommandGateway<C> gateway,
      WriteModel<S> writeModel,
      Forwarder forwarder,
      BooleanSupplier ready,
      Duration timeout,
      Clock clock,
      String self,
      CommandMetrics metrics) {
    this.aggregate = aggregate;
    this.resource = resource;
    this.gateway = gateway;
    this.writeModel = writeModel;
    this.forwarder = forwarder;
    this.ready = ready;
    this.timeout = timeout;
    this.clock = clock;
    this.self = self;
    this.metrics = metrics;
  }

  public void install(JavalinConfig config) {
    String base = "/api/v1/" + aggregate.collection() + "/{id}";
    config.routes.post(base + "/{action}", this::command);
    config.routes.get(base, this::read);
  }

  private void command(Context ctx) {
    String id = Preconditions.aggregateId(ctx);
    AggregateResource.CommandParser<C> parser = resource.actions().get(ctx.pathParam("action"));
    if (parser == null) {
      throw new ProblemException(
          Problem.of(
              404,
              "unknown-command",
              "Unknown command",
              "No command '"
                  + ctx.pathParam("action")
                  + "'; known: "
                  + resource.actions().keySet()));
    }
    C command = parse(ctx, parser);
    CommandEnvelope<C> envelope = envelope(ctx, id, command);
    String action = ctx.pathParam("action");
    long start = System.nanoTime();
    if (!ready.getAsBoolean()) {
      metrics.count("not_ready");
    }
    requireReady();
    ctx.future(
        () ->
            gateway
                .submit(envelope, timeout)
                .handle(
                    (outcome, error) -> {
                      if (error != null) {
                        Problem problem = failure(envelope, error);
                        Problems.write(ctx, problem);
                        if (problem.status() == 503) {
                          ctx.header("Retry-After", "1");
                        }
                        metrics.record(
                            action, problem.status() == 504 ? "timeout" : "not_published", start);
                      } else {
                        answer(ctx, envelope, outcome);
                        metrics.record(action, OutcomeProblems.kind(outcome), start);
                      }
                      return null;
                    }));
  }

  private C parse(Context ctx, AggregateResource.CommandParser<C> parser) {
    byte[] raw = ctx.bodyAsBytes(); // 413 beyond the configured maximum
    String contentType = ctx.contentType();
    if (raw.length > 0
        && (contentType == null
            || !contentType.toLowerCase().matches("application/json\\s*(;.*)?"))) {
      throw new ProblemException(
          Problem.of(
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "Send the body as application/json, not " + contentType));
    }
    JsonNode tree;
    try {
      tree = raw.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(raw);
    } catch (JsonProcessingException e) {
      throw ProblemException.badRequest(
          "malformed-json", "The body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ProblemException.badRequest("malformed-json", "The body could not be read");
    }
    JsonBody body = new JsonBody(tree);
    C command = parser.parse(body);
    body.refuseUnknownFields();
    return command;
  }

  private CommandEnvelope<C> envelope(Context ctx, String id, C command) {
    String commandId = Preconditions.commandId(ctx);
    return new CommandEnvelope<>(
        commandId,
        id,
        Preconditions.expectedVersion(ctx),
        Preconditions.correlationId(ctx, commandId),
        Security.principal(ctx),
        clock.instant(),
        command);
  }

  private void requireReady() {
    if (!ready.getAsBoolean()) {
      throw ProblemException.unavailable(
          "not-ready",
          "The command processor is not ready: starting, rebalancing, or the Kafka cluster does not answer",
          1);
    }
  }

  private void answer(Context ctx, CommandEnvelope<C> envelope, CommandOutcome outcome) {
    if (outcome.getStatus() == OutcomeStatus.REJECTED) {
      Problems.write(ctx, OutcomeProblems.of(outcome));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("aggregateId", outcome.getAggregateId());
    body.put("version", outcome.getVersion());
    body.put("commandId", outcome.getCommandId());
    body.put("events", events(outcome.getEvents()));
    boolean created = resource.creates(envelope.command()) && !outcome.getEvents().isEmpty();
    ctx.status(created ? 201 : 200).header("ETag", Preconditions.etag(outcome.getVersion()));
    if (created) {
      ctx.header("Location", "/api/v1/" + aggregate.collection() + "/" + outcome.getAggregateId());
    }
    ctx.json(body);
  }

  private List<Map<String, Object>> events(List<ByteBuffer> encoded) {
    return encoded.stream()
        .map(
            buffer -> {
              EventEnvelope<E> event = aggregate.codec().decodeEvent(WireFormat.toBytes(buffer));
              Map<String, Object> json = new LinkedHashMap<>();
              json.put("eventId", event.eventId());
              json.put("type", resource.eventType(event.event()));
              json.put("version", event.version());
              json.put("occurredAt", event.occurredAt().toString());
              if (event.principal() != null) {
                json.put("principal", event.principal());
              }
              json.put("data", resource.eventData(event.event()));
              return json;
            })
        .toList();
  }

  private Problem failure(CommandEnvelope<C> envelope, Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof TimeoutException) {
      return Problem.of(
              504,
              "outcome-unknown",
              "Outcome unknown",
              "No outcome within "
                  + timeout.toMillis()
                  + " ms; the command may still be applied. Retrying with the same Idempotency-Key is safe.")
          .with("commandId", envelope.commandId());
    }
    if (cause instanceof CommandGateway.CommandNotSentException) {
      return Problem.of(
              503,
              "not-published",
              "Service unavailable",
              "The command could not be published; nothing was written")
          .with("commandId", envelope.commandId());
    }
    throw new CompletionException(cause);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private void read(Context ctx) {
    String id = Preconditions.aggregateId(ctx);
    WriteModel.Lookup<S> lookup = writeModel.find(id);
    if (lookup instanceof WriteModel.Lookup.Found<S> found) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("aggregateId", id);
      body.put("version", found.version());
      body.put("state", resource.stateView(found.state()));
      ctx.header("ETag", Preconditions.etag(found.version()))
          .header("X-Streamfold-Served-By", self)
          .json(body);
    } else if (lookup instanceof WriteModel.Lookup.Missing<S>) {
      throw ProblemException.notFound("No " + aggregate.type() + " " + id);
    } else if (lookup instanceof WriteModel.Lookup.Remote<S> remote) {
      forwarder.forward(ctx, remote.owner());
    } else if (lookup instanceof WriteModel.Lookup.Unavailable<S> unavailable) {
      throw ProblemException.unavailable("not-ready", unavailable.reason(), 1);
    } else {
      throw new IllegalStateException("Unknown lookup " + lookup);
    }
  }
}
