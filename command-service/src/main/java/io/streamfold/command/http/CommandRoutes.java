package io.streamfold.command.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.command.aggregate.EventEnvelope;
import io.streamfold.command.writer.CommandWriter;
import io.streamfold.command.writer.WriteFailure;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /api/v1/<collection>/{id}/<action>} and {@code GET /api/v1/<collection>/{id}} for one
 * aggregate type: validates, then decides here when this instance owns the aggregate's partition
 * (waiting for the batch's commit) or forwards to the owner, and answers.
 */
public final class CommandRoutes<C, E, S> {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(CommandRoutes.class);

  /** How long a command waits for its partition to get an owner, or to restore, before 503. */
  private static final Duration REBALANCE_WAIT = Duration.ofSeconds(2);

  private static final java.util.regex.Pattern JSON =
      java.util.regex.Pattern.compile(
          "application/json\\s*(;.*)?", java.util.regex.Pattern.CASE_INSENSITIVE);

  private final Aggregate<C, E, S> aggregate;
  private final AggregateResource<C, E, S> resource;
  private final CommandWriter<C, S> writer;
  private final Forwarder forwarder;
  private final BooleanSupplier ready;
  private final Duration timeout;
  private final Clock clock;
  private final String self;
  private final CommandMetrics metrics;
  private final Map<String, CommandRoutes<?, ?, ?>> peers;

  /**
   * @param peers every aggregate type's routes by collection, this one's included: where a
   *     command's {@link AggregateResource#references} are looked up
   */
  public CommandRoutes(
      Aggregate<C, E, S> aggregate,
      AggregateResource<C, E, S> resource,
      CommandWriter<C, S> writer,
      Forwarder forwarder,
      BooleanSupplier ready,
      Duration timeout,
      Clock clock,
      String self,
      CommandMetrics metrics,
      Map<String, CommandRoutes<?, ?, ?>> peers) {
    this.aggregate = aggregate;
    this.resource = resource;
    this.writer = writer;
    this.forwarder = forwarder;
    this.ready = ready;
    this.timeout = timeout;
    this.clock = clock;
    this.self = self;
    this.metrics = metrics;
    this.peers = peers;
  }

  /** The collection whose routes these are, e.g. {@code accounts}. */
  public String collection() {
    return aggregate.collection();
  }

  public void install(JavalinConfig config) {
    String base = "/api/v1/" + aggregate.collection() + "/{id}";
    config.routes.post(base + "/{action}", this::command);
    config.routes.get(base, this::read);
  }

  private void command(Context ctx) {
    String id = Preconditions.aggregateId(ctx);
    String action = ctx.pathParam("action");
    AggregateResource.CommandParser<C> parser = resource.actions().get(action);
    if (parser == null) {
      throw new ProblemException(
          Problem.of(
              404,
              "unknown-command",
              "Unknown command",
              "No command '" + action + "'; known: " + resource.actions().keySet()));
    }
    JsonNode body = body(ctx);
    C command = parse(body, parser, id);
    CommandEnvelope<C> envelope = envelope(ctx, id, action, body, command);
    long start = System.nanoTime();
    if (!ready.getAsBoolean()) {
      metrics.count("not_ready");
      throw notReady(
          "The command service is not ready: starting, draining, or the Kafka cluster does not answer");
    }
    CommandWriter.Route route = route(ctx, id, false);
    if (!(route instanceof CommandWriter.Route.Local) && Forwarder.wasForwarded(ctx)) {
      // the sender's directory is stale: say so, and it asks the group again
      throw new ProblemException(
          Problem.of(
              421,
              "not-owner",
              "Misdirected request",
              "This instance does not own the partition of " + id + "; nothing was written"));
    }
    if (route instanceof CommandWriter.Route.Remote remote) {
      route = forward(ctx, id, remote);
      if (route == null) {
        metrics.record(action, "forwarded", start);
        return;
      }
    }
    if (route instanceof CommandWriter.Route.Local) {
      io.streamfold.command.domain.Rejection refused = checkReferences(ctx, envelope);
      if (refused != null) {
        metrics.record(action, OutcomeProblems.kind(refused), start);
        throw new ProblemException(OutcomeProblems.of(refused, envelope));
      }
      decideHere(ctx, envelope, action, start);
    } else {
      metrics.count("not_ready");
      throw notReady("No instance owns the partition of " + id + " yet (rebalancing)");
    }
  }

  /**
   * Forwards to the owner and copies its answer; on a stale route (the owner refused it as not its
   * own, or could not be reached) asks the group again and returns the new route to follow once, or
   * null when answered.
   */
  private CommandWriter.Route forward(Context ctx, String id, CommandWriter.Route.Remote remote) {
    java.net.http.HttpResponse<byte[]> response = forwarder.post(ctx, remote.owner());
    if (response != null && response.statusCode() != 421) {
      Forwarder.answer(ctx, response);
      return null;
    }
    CommandWriter.Route fresh = route(ctx, id, true);
    if (fresh instanceof CommandWriter.Route.Remote other && !other.equals(remote)) {
      response = forwarder.post(ctx, other.owner());
      if (response != null && response.statusCode() != 421) {
        Forwarder.answer(ctx, response);
        return null;
      }
      return new CommandWriter.Route.Unknown();
    }
    return fresh instanceof CommandWriter.Route.Local ? fresh : new CommandWriter.Route.Unknown();
  }

  /**
   * Where {@code id}'s command or read goes. A request another instance forwarded is answered at
   * once (its sender retries); one from a client waits out a short rebalance.
   */
  private CommandWriter.Route route(Context ctx, String id, boolean fresh) {
    return Forwarder.wasForwarded(ctx)
        ? writer.route(id, Duration.ZERO, fresh)
        : writer.route(id, REBALANCE_WAIT, fresh);
  }

  /**
   * The plug-in's {@link AggregateResource#check} of the aggregates {@code command} names, each
   * read where it is owned (strongly consistent, as {@code GET} answers it); null when it lets the
   * command go on, or when one of them cannot be looked up (the process decides then, as without
   * the check).
   */
  private io.streamfold.command.domain.Rejection checkReferences(
      Context ctx, CommandEnvelope<C> envelope) {
    List<AggregateResource.Reference> references = resource.references(envelope.command());
    if (references.isEmpty()) {
      return null;
    }
    CommandWriter.Committed<S> current;
    try {
      if (envelope.remembered() && writer.remembers(envelope.aggregateId(), envelope.commandId())) {
        return null; // a repeated request: its first outcome answers, whatever the check says now
      }
      current = writer.committed(envelope.aggregateId());
    } catch (WriteFailure e) {
      return null; // no longer the owner, or restoring: the writer answers for itself
    }
    Map<AggregateResource.Reference, JsonNode> states = new java.util.HashMap<>();
    for (AggregateResource.Reference reference : references) {
      CommandRoutes<?, ?, ?> peer = peers.get(reference.collection());
      if (peer == null) {
        throw new IllegalStateException(
            "A " + aggregate.type() + " command names an unknown collection " + reference);
      }
      Looked looked = peer.look(ctx, reference.id());
      if (!looked.known()) {
        LOG.debug("{} could not be looked up; the command goes on unchecked", reference);
        return null;
      }
      states.put(reference, looked.state());
    }
    return resource.check(envelope.command(), current == null ? null : current.state(), states);
  }

  /** What a lookup learned: whether it could tell, and the state view (null: no such aggregate). */
  private record Looked(boolean known, JsonNode state) {
    static final Looked UNKNOWN = new Looked(false, null);
    static final Looked ABSENT = new Looked(true, null);
  }

  /**
   * {@code id}'s committed state view for another aggregate's command: read here when this instance
   * owns its partition, else asked of its owner with the caller's credentials.
   */
  private Looked look(Context ctx, String id) {
    CommandWriter.Route route = writer.route(id, Duration.ZERO, false);
    if (route instanceof CommandWriter.Route.Local) {
      CommandWriter.Committed<S> found;
      try {
        found = writer.committed(id);
      } catch (WriteFailure e) {
        return Looked.UNKNOWN;
      }
      return found == null
          ? Looked.ABSENT
          : new Looked(true, Json.mapper().valueToTree(resource.stateView(found.state())));
    }
    if (!(route instanceof CommandWriter.Route.Remote remote)) {
      return Looked.UNKNOWN;
    }
    java.net.http.HttpResponse<byte[]> response =
        forwarder.get(
            ctx,
            remote.owner(),
            "/api/v1/"
                + aggregate.collection()
                + "/"
                + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
    if (response == null) {
      return Looked.UNKNOWN;
    }
    if (response.statusCode() == 404) {
      return Looked.ABSENT;
    }
    if (response.statusCode() != 200) {
      return Looked.UNKNOWN;
    }
    try {
      JsonNode state = Json.mapper().readTree(response.body()).get("state");
      return state == null ? Looked.UNKNOWN : new Looked(true, state);
    } catch (java.io.IOException e) {
      return Looked.UNKNOWN;
    }
  }

  private void decideHere(Context ctx, CommandEnvelope<C> envelope, String action, long start) {
    ctx.future(
        () ->
            writer
                .submit(envelope)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle(
                    (outcome, error) -> {
                      if (error != null) {
                        Problem problem = failure(envelope, error);
                        Problems.write(ctx, problem);
                        if (problem.status() == 503) {
                          ctx.header("Retry-After", "1");
                        }
                        metrics.record(action, failureKind(problem), start);
                      } else {
                        answer(ctx, envelope, outcome);
                        metrics.record(action, OutcomeProblems.kind(outcome), start);
                      }
                      return null;
                    }));
  }

  private static String failureKind(Problem problem) {
    return problem.status() == 504 ? "timeout" : "not_applied";
  }

  private static ProblemException notReady(String detail) {
    return ProblemException.unavailable("not-ready", detail, 1);
  }

  private JsonNode body(Context ctx) {
    byte[] raw = ctx.bodyAsBytes(); // 413 beyond the configured maximum
    String contentType = ctx.contentType();
    if (raw.length > 0 && (contentType == null || !JSON.matcher(contentType).matches())) {
      throw new ProblemException(
          Problem.of(
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "Send the body as application/json, not " + contentType));
    }
    try {
      return raw.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(raw);
    } catch (JsonProcessingException e) {
      throw ProblemException.badRequest(
          "malformed-json", "The body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ProblemException.badRequest("malformed-json", "The body could not be read");
    }
  }

  private C parse(JsonNode tree, AggregateResource.CommandParser<C> parser, String id) {
    JsonBody body = new JsonBody(tree);
    C command = parser.parse(body, id);
    body.refuseUnknownFields();
    return command;
  }

  private CommandEnvelope<C> envelope(
      Context ctx, String id, String action, JsonNode body, C command) {
    String commandId = Preconditions.commandId(ctx);
    boolean clientKey = ctx.header("Idempotency-Key") != null;
    return new CommandEnvelope<>(
        commandId,
        id,
        Preconditions.expectedVersion(ctx),
        Preconditions.correlationId(ctx, commandId),
        Security.principal(ctx),
        clock.instant(),
        clientKey ? Fingerprint.of(ctx, action, resource.fingerprinted(action, id, body)) : null,
        command);
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
    boolean continues = resource.continues(envelope.command());
    ctx.status(continues ? 202 : created ? 201 : 200)
        .header("ETag", Preconditions.etag(outcome.getVersion()));
    if (created || continues) {
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
    if (cause instanceof TimeoutException
        || (cause instanceof WriteFailure failure
            && failure.kind() == WriteFailure.Kind.OUTCOME_UNKNOWN)) {
      return Problem.of(
              504,
              "outcome-unknown",
              "Outcome unknown",
              "No outcome within "
                  + timeout.toMillis()
                  + " ms; the command may still be applied. Retrying with the same Idempotency-Key is safe.")
          .with("commandId", envelope.commandId());
    }
    if (cause instanceof WriteFailure failure) {
      String code = failure.kind() == WriteFailure.Kind.NOT_APPLIED ? "not-applied" : "not-ready";
      return Problem.of(
              503,
              code,
              "Service unavailable",
              failure.getMessage() + "; nothing was written, retry shortly")
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
    CommandWriter.Route route = route(ctx, id, false);
    if (route instanceof CommandWriter.Route.Remote remote) {
      ctx.future(() -> forwarder.forwardAsync(ctx, remote.owner()));
      return;
    }
    if (!(route instanceof CommandWriter.Route.Local)) {
      throw notReady("No instance owns the partition of " + id + " yet (rebalancing)");
    }
    CommandWriter.Committed<S> found;
    try {
      found = writer.committed(id);
    } catch (WriteFailure e) {
      throw notReady(e.getMessage());
    }
    ctx.header("X-Streamfold-Served-By", self); // on a 404 too: which instance owns the id
    if (found == null) {
      throw ProblemException.notFound("No " + aggregate.type() + " " + id);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("aggregateId", id);
    body.put("version", found.version());
    body.put("state", resource.stateView(found.state()));
    ctx.header("ETag", Preconditions.etag(found.version())).json(body);
  }
}
