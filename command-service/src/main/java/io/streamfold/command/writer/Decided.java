package io.streamfold.command.writer;

import io.streamfold.command.domain.Process;
import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.VersionRecord;
import java.time.Instant;
import java.util.List;

/**
 * Everything one command will write, computed before anything is written.
 *
 * @param events the encoded events, in order (empty when rejected)
 * @param newVersion the new version-table row, or null when nothing changes
 * @param messages what a process aggregate sends to other aggregates' inboxes
 * @param deadline when a process aggregate wants to be woken up after this, or null
 */
record Decided(
    List<byte[]> events,
    VersionRecord newVersion,
    CommandOutcome outcome,
    List<Process.Outgoing> messages,
    Instant deadline) {

  Decided(List<byte[]> events, VersionRecord newVersion, CommandOutcome outcome) {
    this(events, newVersion, outcome, List.of(), null);
  }
}
