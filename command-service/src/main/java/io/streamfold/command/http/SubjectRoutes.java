package io.streamfold.command.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.service.http.Ids;
import io.streamfold.service.http.ProblemException;
import io.streamfold.service.security.Security;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /api/v1/subjects/{subjectId}} (write permission): forgets a data subject. Its data
 * keys are destroyed on the keys topic, every instance of both services drops them from its cache
 * as it reads the erasure marker, and the compaction of the keys topic removes them from the
 * brokers' disks within the erasure window. Every copy of the subject's personal data (events,
 * snapshots, stores, changelogs, dead letters) is ciphertext nobody can open any more: answers show
 * it as erased. Idempotent: forgetting a forgotten subject answers the same.
 */
public final class SubjectRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SubjectRoutes.class);

  private final PersonalData personal;

  public SubjectRoutes(PersonalData personal) {
    this.personal = personal;
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
    LOG.info("Subject {} forgotten at the request of {}", subject, Security.principal(ctx));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subjectId", subject);
    body.put("erased", true);
    ctx.json(body);
  }
}
