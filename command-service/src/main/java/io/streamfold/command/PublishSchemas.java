package io.streamfold.command;

import io.streamfold.command.aggregate.Topics;
import io.streamfold.schemas.compat.CompatibilityLevel;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.IdempotencyRecord;
import io.streamfold.schemas.core.InboxRecord;
import io.streamfold.schemas.core.SubjectEvent;
import io.streamfold.schemas.core.VersionRecord;
import io.streamfold.schemas.registry.HttpSchemaRegistry;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.schemas.serde.SubjectNameStrategy;
import io.streamfold.schemas.upcast.Upcasting;
import io.streamfold.service.config.Env;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Registers every schema the services write, under the subjects they use, for deployments that run
 * with {@code SCHEMA_AUTO_REGISTER=false}: a release step (e.g. a Kubernetes Job) before the new
 * version starts. The registry's compatibility level refuses an incompatible schema, and the run
 * then fails, naming the subject. Reads {@code SCHEMA_REGISTRY_URL} and {@code TOPIC_PREFIX}.
 */
public final class PublishSchemas {
  private PublishSchemas() {}

  public static void main(String[] args) {
    Env env = new Env(System.getenv());
    SchemaRegistry registry =
        new HttpSchemaRegistry(
            env.required("SCHEMA_REGISTRY_URL"), 5, Duration.ofMillis(200), Duration.ofSeconds(10));
    publish(registry, env.string("TOPIC_PREFIX", ""))
        .forEach((subject, id) -> System.out.println(subject + " -> id " + id));
  }

  /** Subject to schema of everything the command service writes, its domains' included. */
  public static Map<String, Schema> subjects(String topicPrefix) {
    Map<String, Schema> subjects = new LinkedHashMap<>();
    List<CommandDomain.Contract> contracts = new ArrayList<>();
    CommandDomain.load().forEach(domain -> contracts.addAll(domain.contracts()));
    for (CommandDomain.Contract contract : contracts) {
      subjects.put(
          Upcasting.subject(
              SubjectNameStrategy.TOPIC_NAME.subject(
                  Topics.of(topicPrefix, contract.collection()).events(), false, null),
              contract.events()),
          contract.events());
    }
    subjects.put(
        SubjectNameStrategy.TOPIC_NAME.subject(CommandTopics.subjects(topicPrefix), false, null),
        SubjectEvent.getClassSchema());
    List<Schema> byRecord =
        new ArrayList<>(
            List.of(
                CommandOutcome.getClassSchema(),
                VersionRecord.getClassSchema(),
                IdempotencyRecord.getClassSchema(),
                InboxRecord.getClassSchema()));
    contracts.forEach(contract -> byRecord.add(contract.state()));
    for (Schema schema : byRecord) {
      subjects.put(
          Upcasting.subject(SubjectNameStrategy.RECORD_NAME.subject("", false, schema), schema),
          schema);
    }
    return subjects;
  }

  /**
   * The compatibility level each subject should have in a production registry, as the build gate
   * checks it ({@code schemas/pom.xml}): the events {@code BACKWARD_TRANSITIVE} (their readers, the
   * projections, are upgraded first, and a new kind of event stays possible), everything else
   * {@code FULL_TRANSITIVE} (old and new command-service instances read each other's rows during a
   * rolling deploy).
   */
  public static Map<String, CompatibilityLevel> levels(String topicPrefix) {
    java.util.Set<String> logs = new java.util.HashSet<>();
    logs.add(SubjectEvent.getClassSchema().getFullName());
    CommandDomain.load()
        .forEach(domain -> domain.contracts().forEach(c -> logs.add(c.events().getFullName())));
    Map<String, CompatibilityLevel> levels = new LinkedHashMap<>();
    subjects(topicPrefix)
        .forEach(
            (subject, schema) ->
                levels.put(
                    subject,
                    logs.contains(schema.getFullName())
                        ? CompatibilityLevel.BACKWARD_TRANSITIVE
                        : CompatibilityLevel.FULL_TRANSITIVE));
    return levels;
  }

  /** Registers them all; returns subject to id. */
  public static Map<String, Integer> publish(SchemaRegistry registry, String topicPrefix) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    subjects(topicPrefix)
        .forEach((subject, schema) -> ids.put(subject, registry.register(subject, schema)));
    return ids;
  }
}
