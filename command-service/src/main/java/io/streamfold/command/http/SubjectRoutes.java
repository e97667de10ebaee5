package io.streamfold.command.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.schemas.core.SubjectErased;
import io.streamfold.schemas.core.SubjectEvent;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.service.http.Ids;
import io.streamfold.service.http.ProblemException;
import io.streamfold.service.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /api/v1/subjects/{subjectId}} (write permission): forgets a data subject. Its data
 * keys are destroyed on the keys topic, every instance of both services drops them from its cache
 * as it reads the erasure marker, and the compaction of the keys topic removes them from the
 * brokers' disks within the erasure window. Every copy of the subject's personal data (events,
 * snapshots, stores, changelogs, dead letters) is ciphertext nobody can open any more: answers show
 * it as erased. The erasure is recorded, with no personal data, as a {@code SubjectErased} event on
 * the subjects' log ({@link SubjectEvents}). Idempotent: forgetting a forgotten subject answers the
 * same (and records the request again).
 */
public final class SubjectRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SubjectRoutes.class);

  private final PersonalData personal;
  private final SubjectEvents events;
  private final Duration window;
  private final Clock clock;

  /**
   * @param window the erasure window: how long the destroyed keys may stay on the brokers' disks
   */
  public SubjectRoutes(PersonalData personal, SubjectEvents events, Duration window, Clock clock) {
    this.personal = personal;
    this.events = events;
    this.window = window;
    this.clock = clock;
  }

  public void install(JavalinConfig config) {
    config.routes.delete("/api/v1/subjects/{subjectId}", this::forget);
  }

  private void forget(Context ctx) {
    String subject = Ids.aggregateId(ctx.pathParam("subjectId"));
    try {
      personal.forget(subject);
    } catch (RuntimeException e) {
      throw ProblemException.unavailable(
          "keys-unavailable", "The keys topic cannot be written now: " + e.getMessage(), 1);
    }
    String principal = Security.principal(ctx);
    SubjectEvent event;
    try {
      event =
          events.erased(
              subject,
              clock.instant(),
              window,
              Preconditions.correlationId(ctx, UUID.randomUUID().toString()),
              principal);
    } catch (Exception e) {
      // the keys are destroyed already (that cannot be undone); the record of it is what failed:
      // a retry of the request records it
      throw ProblemException.unavailable(
          "erasure-not-recorded",
          "The subject's keys are destroyed, but recording the erasure failed ("
              + e.getMessage()
              + "); retry to record it",
          1);
    }
    LOG.info("Subject {} forgotten at the request of {}", subject, principal);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subjectId", subject);
    body.put("erased", true);
    body.put("eventId", event.getEventId());
    body.put("keysGoneBy", ((SubjectErased) event.getPayload()).getKeysGoneBy().toString());
    ctx.json(body);
  }
}
